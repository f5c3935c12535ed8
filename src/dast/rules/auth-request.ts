/**
 * ZAP 10111 Authentication Request Identified (Informational): a request that submits a username
 * and a password (a login form, or a JSON login call). Not a weakness: it tells which request
 * logs in, for authenticated scans. As ZAP does, registration requests are left out (a URL segment
 * like register or signup), and the alert lists userParam, userValue, passwordParam and any
 * anti-CSRF token. Reads: request query, urlencoded or JSON body, URL path.
 */
import { header, paramsOf, type HttpMessage } from '../message.ts';
import { defineRule } from '../rule.ts';
import { ANTI_CSRF_NAMES } from './anti-csrf-tokens.ts';

export const USER_FIELDS = ['username', 'user', 'user_name', 'user-name', 'userid', 'user_id', 'login', 'login_id', 'email', 'e-mail', 'mail', 'uname', 'j_username', 'account'];
export const PASSWORD_FIELDS = ['password', 'pass', 'passwd', 'pwd', 'passw', 'j_password', 'user_password', 'pass_word'];
const REGISTRATION = /(?:^|[/._-])(?:register|registration|signup|sign-up|sign_up|join|create-account)(?:$|[/._-])/i;

/** Name/value pairs the request submits: query, urlencoded form, or the top level of a JSON body. */
function submitted(msg: HttpMessage): Array<[string, string]> {
  const out: Array<[string, string]> = paramsOf(msg.request).map((p) => [p.name, p.value]);
  const body = msg.request.body;
  if (body !== undefined && /json/i.test(header(msg.request.headers, 'content-type') ?? '')) {
    try {
      const json: unknown = JSON.parse(body);
      if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
        for (const [k, v] of Object.entries(json)) if (typeof v === 'string') out.push([k, v]);
      }
    } catch {
      // not JSON after all
    }
  }
  return out;
}

export const authRequest = defineRule({
  id: 'DAST-AUTHENTICATION-REQUEST',
  zapId: 10111,
  title: 'Authentication Request Identified',
  severity: 'info',
  description: 'The request submits a username and a password: it is the application\'s login request (useful to configure authenticated scans).',
  remediation: 'Nothing to fix: informational. Make sure the login request goes over HTTPS and is protected against CSRF and brute force.',
  fields: ['request parameters (query, urlencoded or JSON body)', 'URL path'],
  applies: { params: true },
  scan(msg) {
    if (REGISTRATION.test(msg.request.url.pathname)) return [];
    const pairs = submitted(msg);
    if (pairs.length < 2) return [];
    const user = pairs.find(([n]) => USER_FIELDS.includes(n.toLowerCase()));
    const password = pairs.find(([n]) => PASSWORD_FIELDS.includes(n.toLowerCase()));
    if (user === undefined || password === undefined) return [];
    const csrf = pairs.filter(([n]) => ANTI_CSRF_NAMES.includes(n.toLowerCase())).map(([n]) => `csrfToken=${n}`);
    return [{ param: password[0], evidence: `${user[0]}, ${password[0]}`, detail: ['userParam=' + user[0], 'userValue=' + user[1], 'passwordParam=' + password[0], ...csrf].join(' ') }];
  },
});
