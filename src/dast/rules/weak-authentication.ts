/**
 * ZAP 10105 Weak Authentication Method (Medium). Over plain HTTP, Basic credentials are sent in
 * clear and Digest is open to downgrade and offline cracking: a WWW-Authenticate challenge for
 * Basic or Digest on an http:// response, or (10105-1, "Authentication Credentials Captured",
 * High) an Authorization: Basic/Digest header the scan itself sent over HTTP.
 * Reads: response header WWW-Authenticate, request header Authorization.
 */
import { header, headerAll, isHttps } from '../message.ts';
import { defineRule, type Alert } from '../rule.ts';

export const weakAuthentication = defineRule({
  id: 'DAST-WEAK-AUTHENTICATION',
  zapId: 10105,
  title: 'Weak Authentication Method',
  severity: 'medium',
  description: 'HTTP Basic or Digest authentication is used over an unencrypted connection: credentials can be read or replayed by anyone on the network path.',
  remediation: 'Serve every authenticated resource over HTTPS only (and redirect HTTP to HTTPS before any challenge).',
  fields: ['response header WWW-Authenticate', 'request header Authorization'],
  applies: { scheme: 'http' },
  scan(msg) {
    if (isHttps(msg)) return [];
    const out: Alert[] = [];
    for (const v of headerAll(msg.response.headers, 'www-authenticate')) {
      if (/^\s*(basic|digest)\b/i.test(v)) out.push({ param: 'www-authenticate', evidence: `WWW-Authenticate: ${v}` });
    }
    const auth = header(msg.request.headers, 'authorization');
    if (auth !== undefined && /^\s*(basic|digest)\b/i.test(auth)) {
      out.push({ ref: '10105-1', name: 'Authentication Credentials Captured', risk: 'high', param: 'authorization', evidence: `Authorization: ${auth.split(/\s+/)[0]} …` });
    }
    return out;
  },
});
