/**
 * ZAP 10011 Cookie Without Secure Flag (Low): set over HTTPS but also sent over plain HTTP.
 * Reads: response header Set-Cookie (Secure), on HTTPS responses.
 */
import { isHttps } from '../message.ts';
import { defineRule } from '../rule.ts';
import { cookieAlert, liveCookies } from './common.ts';

export const cookieNoSecure = defineRule({
  id: 'DAST-COOKIE-NO-SECURE',
  zapId: 10011,
  title: 'Cookie Without Secure Flag',
  severity: 'low',
  description: 'A cookie has been set over HTTPS without the Secure flag, so the browser will also send it over unencrypted HTTP.',
  remediation: 'Set the Secure attribute on every cookie set over HTTPS.',
  fields: ['response header Set-Cookie'],
  applies: { setsCookies: true, scheme: 'https' },
  scan: (msg, settings) => (isHttps(msg) ? liveCookies(msg, settings).filter((c) => !c.attrs.has('secure')).map(cookieAlert) : []),
});
