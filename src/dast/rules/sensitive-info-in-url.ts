/**
 * ZAP 10024 Information Disclosure - Sensitive Information in URL (Informational): parameter
 * names like password, token, email, card, or values that are email addresses, Luhn-valid card
 * numbers or US SSNs, in the URL. Reads: request URL query parameters.
 */
import { defineRule } from '../rule.ts';
import { luhn } from './pii.ts';

const SENSITIVE_NAMES = /pass|pwd|user|token|secret|email|e-mail|card|ccnum|credit|ssn|session|auth|key/i;
const EMAIL = /^[\w.+-]+@[\w-]+(\.[\w-]+)+$/;
const SSN = /^\d{3}-\d{2}-\d{4}$/;

/** Query parameters that look sensitive: [name, value, why]. */
export function sensitiveParams(url: URL): Array<[string, string, string]> {
  const out: Array<[string, string, string]> = [];
  if (url.search === '') return out;
  for (const [n, v] of url.searchParams) {
    if (SENSITIVE_NAMES.test(n)) out.push([n, v, `parameter name "${n}"`]);
    else if (EMAIL.test(v)) out.push([n, v, 'an email address']);
    else if (/^\d{13,19}$/.test(v) && luhn(v)) out.push([n, v, 'a credit card number']);
    else if (SSN.test(v)) out.push([n, v, 'a US Social Security number']);
  }
  return out;
}

export const sensitiveInUrl = defineRule({
  id: 'DAST-SENSITIVE-INFO-IN-URL',
  zapId: 10024,
  title: 'Information Disclosure - Sensitive Information in URL',
  severity: 'info',
  description: 'The request appears to contain sensitive information (credentials, tokens, email addresses, card numbers) in the URL, which is logged and leaked through Referer headers.',
  remediation: 'Send sensitive values in the body of a POST or in headers, never in the URL.',
  fields: ['request URL query parameters'],
  applies: { params: true },
  scan: (msg) => sensitiveParams(msg.request.url).map(([n, v, why]) => ({ param: n, evidence: v, detail: `${why} in the URL` })),
});
