/**
 * ZAP 10020 Anti-clickjacking Header (Medium). An HTML page that neither sends X-Frame-Options
 * (DENY or SAMEORIGIN) nor a CSP `frame-ancestors` directive can be framed by any site and its
 * buttons overlaid (clickjacking). Sub-alerts: 10020-1 header missing, 10020-2 several
 * X-Frame-Options headers, 10020-3 X-Frame-Options in a META element (ignored by browsers),
 * 10020-4 a value other than DENY or SAMEORIGIN.
 * Reads: response headers X-Frame-Options, Content-Security-Policy; <meta http-equiv>.
 */
import { tags } from '../html.ts';
import { header, headerAll, htmlOf, isHtml, isRedirect } from '../message.ts';
import { defineRule, type Alert } from '../rule.ts';
import { tagText } from './common.ts';

export const antiClickjacking = defineRule({
  id: 'DAST-ANTI-CLICKJACKING',
  zapId: 10020,
  title: 'Missing Anti-clickjacking Header',
  severity: 'medium',
  description: 'The response does not protect against clickjacking: it has neither a Content-Security-Policy with frame-ancestors nor X-Frame-Options.',
  remediation: "Send Content-Security-Policy: frame-ancestors 'self' (or 'none'), or X-Frame-Options: DENY or SAMEORIGIN, on every HTML page.",
  fields: ['response header X-Frame-Options', 'response header Content-Security-Policy (frame-ancestors)', '<meta http-equiv="X-Frame-Options">'],
  applies: { types: ['html'], status: [1, 2, 4, 5] },
  scan(msg) {
    if (!isHtml(msg) || isRedirect(msg)) return [];
    const out: Alert[] = [];
    const doc = htmlOf(msg);
    const meta = (doc === undefined ? undefined : tags(doc, 'meta').find((e) => e.attrs['http-equiv']?.toLowerCase() === 'x-frame-options'));
    if (meta !== undefined) out.push({ ref: '10020-3', name: 'X-Frame-Options Defined via META (Non-compliant with Spec)', evidence: tagText(meta), param: 'x-frame-options' });
    const csp = header(msg.response.headers, 'content-security-policy') ?? '';
    if (/(^|;)\s*frame-ancestors\b/i.test(csp)) return out;
    const xfo = headerAll(msg.response.headers, 'x-frame-options');
    if (xfo.length === 0) out.push({ ref: '10020-1', evidence: '', param: 'x-frame-options', detail: 'no X-Frame-Options header and no CSP frame-ancestors directive' });
    else if (xfo.length > 1) out.push({ ref: '10020-2', name: 'Multiple X-Frame-Options Header Entries', evidence: xfo.join(', '), param: 'x-frame-options' });
    else if (!/^\s*(deny|sameorigin)\s*$/i.test(xfo[0]!)) out.push({ ref: '10020-4', name: 'X-Frame-Options Setting Malformed', evidence: xfo[0]!, param: 'x-frame-options' });
    return out;
  },
});
