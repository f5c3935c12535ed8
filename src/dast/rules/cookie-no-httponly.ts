/**
 * ZAP 10010 Cookie No HttpOnly Flag (Low): script can read the cookie, so an XSS steals the
 * session. Reads: response header Set-Cookie (HttpOnly).
 */
import { liveCookies, cookieAlert } from './common.ts';
import { defineRule } from '../rule.ts';

export const cookieNoHttpOnly = defineRule({
  id: 'DAST-COOKIE-NO-HTTPONLY',
  zapId: 10010,
  title: 'Cookie No HttpOnly Flag',
  severity: 'low',
  description: 'A cookie has been set without the HttpOnly flag, so JavaScript can read it; a cross-site scripting bug then leaks it.',
  remediation: 'Set the HttpOnly attribute on every cookie that scripts do not need to read.',
  fields: ['response header Set-Cookie'],
  applies: { setsCookies: true },
  scan: (msg, settings) => liveCookies(msg, settings).filter((c) => !c.attrs.has('httponly')).map(cookieAlert),
});
