/**
 * Sensitive data in URLs (URLs end up in logs, history, caches and Referer headers):
 * 3     Session ID in URL Rewrite (Medium): a session-token parameter (JSESSIONID, PHPSESSID,
 *       ASP.NET_SessionId, sid …) with a value of 8 or more characters in the query or the path
 *       (`;jsessionid=`).
 * 10024 Information Disclosure - Sensitive Information in URL (Informational): parameter names
 *       like password, token, email, card, or values that are email addresses, Luhn-valid card
 *       numbers or US SSNs.
 * 10025 Information Disclosure - Sensitive Information in HTTP Referrer Header (Informational):
 *       the same in the Referer the browser sends.
 * Reads: request URL, request header Referer.
 */
import type { HttpMessage } from '../message.ts';
import { header } from '../message.ts';
import { defineRule, type Alert } from '../rule.ts';
import { luhn } from './pii.ts';

export const SESSION_TOKEN_NAMES = ['asp.net_sessionid', 'aspsessionid', 'siteserver', 'cfid', 'cftoken', 'jsessionid', 'phpsessid', 'sessid', 'sid', 'sessionid', 'session_id', 'viewstate', 'zenid'];
const SENSITIVE_NAMES = /pass|pwd|user|token|secret|email|e-mail|card|ccnum|credit|ssn|session|auth|key/i;
const EMAIL = /^[\w.+-]+@[\w-]+(\.[\w-]+)+$/;
const SSN = /^\d{3}-\d{2}-\d{4}$/;

function sessionParams(url: URL): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [n, v] of url.searchParams) if (SESSION_TOKEN_NAMES.includes(n.toLowerCase()) && v.length >= 8) out.push([n, v]);
  const m = /;(jsessionid|phpsessid|sid)=([^;/?#]{8,})/i.exec(url.pathname);
  if (m !== null) out.push([m[1]!, m[2]!]);
  return out;
}

export const sessionIdInUrl = defineRule({
  id: 'DAST-SESSION-ID-IN-URL',
  zapId: 3,
  title: 'Session ID in URL Rewrite',
  severity: 'medium',
  description: 'URL rewriting puts the session ID in the URL, where it is logged, cached, bookmarked and sent to other sites in the Referer header.',
  remediation: 'Keep session IDs in cookies only (Secure, HttpOnly, SameSite); disable URL rewriting.',
  fields: ['request URL query and path parameters'],
  scan: (msg) => sessionParams(msg.request.url).map(([n, v]) => ({ param: n, evidence: v })),
});

function sensitive(url: URL): Array<[string, string, string]> {
  const out: Array<[string, string, string]> = [];
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
  scan: (msg) => sensitive(msg.request.url).map(([n, v, why]) => ({ param: n, evidence: v, detail: `${why} in the URL` })),
});

export const sensitiveInReferer = defineRule({
  id: 'DAST-SENSITIVE-INFO-IN-REFERER',
  zapId: 10025,
  title: 'Information Disclosure - Sensitive Information in HTTP Referrer Header',
  severity: 'info',
  description: 'The Referer header of the request carries sensitive information from the previous page\'s URL, which reaches the next server (possibly a third party).',
  remediation: 'Keep sensitive values out of URLs; send Referrer-Policy: strict-origin-when-cross-origin or no-referrer.',
  fields: ['request header Referer'],
  scan(msg: HttpMessage): Alert[] {
    const ref = header(msg.request.headers, 'referer');
    if (ref === undefined) return [];
    let url: URL;
    try {
      url = new URL(ref);
    } catch {
      return [];
    }
    return sensitive(url).map(([n, v, why]) => ({ param: n, evidence: v, detail: `${why} in the Referer` }));
  },
});
