/**
 * ZAP 10112 Session Management Response Identified (Informational): a response that hands the
 * client a session token to send back in a header (header-based session management, what ZAP's
 * rule identifies): a JSON body with a token field such as access_token, id_token or token, whose
 * value is long enough to be a credential. Cookie sessions are the browser's default and are
 * covered by the cookie rules. Reads: JSON response bodies.
 */
import { mediaType } from '../message.ts';
import { defineRule, type Alert } from '../rule.ts';

export const TOKEN_FIELDS = ['access_token', 'accesstoken', 'id_token', 'idtoken', 'token', 'auth_token', 'authtoken', 'session_token', 'sessiontoken', 'jwt', 'bearer', 'refresh_token', 'refreshtoken'];
const TOKEN_FIELD = new RegExp(`"(${TOKEN_FIELDS.join('|')})"\\s*:\\s*"([^"\\\\]{16,})"`, 'gi');

export const sessionManagement = defineRule({
  id: 'DAST-SESSION-MANAGEMENT-RESPONSE',
  zapId: 10112,
  title: 'Session Management Response Identified',
  severity: 'info',
  description: 'The response carries a session token the client is expected to send back in a header (header-based session management).',
  remediation: 'Nothing to fix: informational. Keep such tokens short-lived, out of URLs and out of storage readable by other scripts.',
  fields: ['JSON response body'],
  applies: { types: ['json'], status: [1, 2, 3] },
  scan(msg) {
    if (!mediaType(msg).includes('json') || msg.response.status >= 400) return [];
    const out: Alert[] = [];
    for (const m of msg.response.body.matchAll(TOKEN_FIELD)) {
      out.push({ param: m[1]!, evidence: `"${m[1]}": "${m[2]!.slice(0, 8)}…"`, detail: `header-based session token in "${m[1]}"` });
      if (out.length === 5) break;
    }
    return out;
  },
});
