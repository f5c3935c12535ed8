/**
 * ZAP 10030 User Controllable Charset (Informational): a request parameter value is the
 * Content-Type or <meta> charset. Reads: request parameters, Content-Type, <meta charset>.
 */
import { tags } from '../html.ts';
import { charsetOf, header, htmlOf, paramsOf } from '../message.ts';
import { defineRule } from '../rule.ts';
import { usable } from './reflection.ts';

export const userControllableCharset = defineRule({
  id: 'DAST-USER-CONTROLLABLE-CHARSET',
  zapId: 10030,
  title: 'User Controllable Charset',
  severity: 'info',
  description: 'A request parameter sets the charset of the response, which lets an attacker choose a charset in which the page\'s escaping no longer works (UTF-7 XSS).',
  remediation: 'Fix the charset server-side (UTF-8); never take it from the request.',
  fields: ['request parameters', 'response header Content-Type', '<meta charset>'],
  applies: { params: true },
  scan(msg) {
    const charsets: string[] = [];
    const headerCharset = charsetOf(header(msg.response.headers, 'content-type'));
    if (headerCharset !== undefined) charsets.push(headerCharset);
    const doc = htmlOf(msg);
    for (const el of doc === undefined ? [] : tags(doc, 'meta')) {
      if (el.attrs['charset'] !== undefined) charsets.push(el.attrs['charset'].toLowerCase());
      if (el.attrs['http-equiv']?.toLowerCase() === 'content-type') {
        const c = charsetOf(el.attrs['content']);
        if (c !== undefined) charsets.push(c);
      }
    }
    const p = usable(paramsOf(msg.request)).find((q) => charsets.includes(q.value.toLowerCase()));
    return p === undefined ? [] : [{ param: p.name, evidence: p.value }];
  },
});
