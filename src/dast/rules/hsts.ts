/**
 * ZAP 10035 Strict-Transport-Security Header (Low). An HTTPS response without HSTS lets an
 * attacker on the network downgrade the next visit to HTTP. Sub-alerts: 10035-1 missing,
 * 10035-2 max-age=0 (disables HSTS), 10035-3 several headers, 10035-4 set via META (ignored),
 * 10035-5 max-age missing, 10035-6 malformed, 10035-7 (Informational) HSTS on plain HTTP, where
 * browsers ignore it.
 * Reads: response header Strict-Transport-Security; <meta http-equiv>.
 */
import { tags } from '../html.ts';
import { headerAll, htmlOf, isHttps, isRedirect } from '../message.ts';
import { defineRule, type Alert } from '../rule.ts';
import { tagText } from './common.ts';

export const hsts = defineRule({
  id: 'DAST-HSTS',
  zapId: 10035,
  title: 'Strict-Transport-Security Header Not Set',
  severity: 'low',
  description: 'HTTP Strict Transport Security (RFC 6797) tells browsers to use only HTTPS for the site; without it the first plain-HTTP request can be intercepted and downgraded.',
  remediation: 'Send Strict-Transport-Security: max-age=31536000; includeSubDomains on every HTTPS response.',
  fields: ['response header Strict-Transport-Security', '<meta http-equiv="Strict-Transport-Security">'],
  scan(msg) {
    const values = headerAll(msg.response.headers, 'strict-transport-security');
    if (!isHttps(msg)) {
      if (values.length === 0) return [];
      return [{ ref: '10035-7', name: 'Strict-Transport-Security Header on Plain HTTP Response', risk: 'info', evidence: values[0]!, param: 'strict-transport-security' }];
    }
    const out: Alert[] = [];
    const doc = htmlOf(msg);
    const meta = doc === undefined ? undefined : tags(doc, 'meta').find((e) => e.attrs['http-equiv']?.toLowerCase() === 'strict-transport-security');
    if (meta !== undefined) out.push({ ref: '10035-4', name: 'Strict-Transport-Security Defined via META (Non-compliant with Spec)', evidence: tagText(meta), param: 'strict-transport-security' });
    if (values.length === 0) {
      if (!isRedirect(msg)) out.push({ ref: '10035-1', evidence: '', param: 'strict-transport-security', detail: 'header missing on an HTTPS response' });
      return out;
    }
    if (values.length > 1) return [...out, { ref: '10035-3', name: 'Strict-Transport-Security Multiple Header Entries (Non-compliant with Spec)', evidence: values.join(', '), param: 'strict-transport-security' }];
    const v = values[0]!;
    const maxAge = /(?:^|;)\s*max-age\s*=\s*"?([^";\s]*)"?/i.exec(v);
    if (/[^\x20-\x7e]/.test(v) || /^\s*;|;\s*;/.test(v)) out.push({ ref: '10035-6', name: 'Strict-Transport-Security Header Malformed Content', evidence: v, param: 'strict-transport-security' });
    else if (maxAge === null) out.push({ ref: '10035-5', name: 'Strict-Transport-Security Missing Max-Age (Non-compliant with Spec)', evidence: v, param: 'strict-transport-security' });
    else if (Number(maxAge[1]) === 0) out.push({ ref: '10035-2', name: 'Strict-Transport-Security Disabled', evidence: v, param: 'strict-transport-security' });
    return out;
  },
});
