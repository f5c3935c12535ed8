/**
 * ZAP 3 Session ID in URL Rewrite (Medium): a session-token parameter (JSESSIONID, PHPSESSID,
 * ASP.NET_SessionId, sid …) with a value of 8 or more characters in the query or the path
 * (`;jsessionid=`): URLs end up in logs, history, caches and Referer headers.
 * Reads: request URL.
 */
import { defineRule } from '../rule.ts';

export const SESSION_TOKEN_NAMES = ['asp.net_sessionid', 'aspsessionid', 'siteserver', 'cfid', 'cftoken', 'jsessionid', 'phpsessid', 'sessid', 'sid', 'sessionid', 'session_id', 'viewstate', 'zenid'];

const SESSION_NAMES = new Set(SESSION_TOKEN_NAMES);

function sessionParams(url: URL): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (url.search !== '') for (const [n, v] of url.searchParams) if (SESSION_NAMES.has(n.toLowerCase()) && v.length >= 8) out.push([n, v]);
  const m = url.pathname.includes(';') ? /;(jsessionid|phpsessid|sid)=([^;/?#]{8,})/i.exec(url.pathname) : null;
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
