/**
 * ZAP 10029 Cookie Poisoning (Informational): a request parameter value is written into a
 * Set-Cookie name or value. Reads: request parameters, response header Set-Cookie.
 */
import { headerAll, paramsOf } from '../message.ts';
import { defineRule, type Alert } from '../rule.ts';
import { usable } from './reflection.ts';

export const cookiePoisoning = defineRule({
  id: 'DAST-COOKIE-POISONING',
  zapId: 10029,
  title: 'Cookie Poisoning',
  severity: 'info',
  description: 'A request parameter is written into a cookie: an attacker who controls the parameter can set cookie content (and, with separators, other cookie attributes).',
  remediation: 'Do not build cookies from request input, or validate it strictly (no ; , = or whitespace).',
  fields: ['request parameters', 'response header Set-Cookie'],
  applies: { setsCookies: true, params: true },
  scan(msg) {
    const cookies = headerAll(msg.response.headers, 'set-cookie');
    const out: Alert[] = [];
    for (const p of usable(paramsOf(msg.request))) {
      const c = cookies.find((v) => v.split(';')[0]!.includes(p.value));
      if (c !== undefined) out.push({ param: p.name, evidence: p.value, detail: `cookie: ${c.split(';')[0]}` });
    }
    return out;
  },
});
