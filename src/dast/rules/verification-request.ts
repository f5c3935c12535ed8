/**
 * ZAP 10113 Verification Request Identified (Informational): a request that shows whether a
 * session is still logged in, for authenticated scans to poll. ZAP finds it by replaying requests
 * with and without the session token; bosun stays passive and takes the sign ZAP prefers: a
 * successful response to a request that carried credentials (a Cookie or an Authorization header)
 * and names a known user (--username) in its text (not inside a tag, such as a prefilled login
 * field). Only the first occurrence of each name is looked at. Reads: request Cookie and Authorization; response status
 * and body.
 */
import { header, isText } from '../message.ts';
import { defineRule, usernamesOf } from '../rule.ts';

export const verificationRequest = defineRule({
  id: 'DAST-VERIFICATION-REQUEST',
  zapId: 10113,
  title: 'Verification Request Identified',
  severity: 'info',
  description: 'The request is a good candidate to verify that a session is still authenticated: with credentials it answers with the user\'s name.',
  remediation: 'Nothing to fix: informational. Use it as the verification URL of authenticated scans.',
  fields: ['request headers Cookie, Authorization', 'response status and body'],
  applies: { status: [2] },
  scan(msg, settings) {
    if (msg.response.status !== 200 || !isText(msg) || msg.request.method !== 'GET') return [];
    const credentials = header(msg.request.headers, 'authorization') !== undefined ? 'authorization' : header(msg.request.headers, 'cookie') !== undefined ? 'cookie' : undefined;
    if (credentials === undefined) return [];
    const body = msg.response.body;
    for (const user of usernamesOf(settings)) {
      const i = body.indexOf(user);
      if (i === -1) continue;
      if (isWordChar(body.charCodeAt(i - 1)) || isWordChar(body.charCodeAt(i + user.length))) continue;
      // Inside a tag (a prefilled login field) is not "the page names the user".
      if (body.lastIndexOf('<', i) > body.lastIndexOf('>', i)) continue;
      return [{ param: credentials, evidence: user, detail: `the response names "${user}" for a request sent with its ${credentials === 'cookie' ? 'session cookie' : 'Authorization header'}` }];
    }
    return [];
  },
});

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
