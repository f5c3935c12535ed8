/**
 * ZAP 90033 Loosely Scoped Cookie (Informational): Domain is a parent of the host, so sibling
 * hosts receive (and can set) the cookie. Reads: response header Set-Cookie (Domain).
 */
import { defineRule } from '../rule.ts';
import { cookieAlert, liveCookies } from './common.ts';

export const looselyScopedCookie = defineRule({
  id: 'DAST-LOOSELY-SCOPED-COOKIE',
  zapId: 90033,
  title: 'Loosely Scoped Cookie',
  severity: 'info',
  description: 'A cookie is scoped with Domain to a parent of the host that set it, so every sibling host receives it and can overwrite it.',
  remediation: 'Omit the Domain attribute (host-only cookie) or set it to the exact host.',
  fields: ['response header Set-Cookie (Domain)'],
  applies: { setsCookies: true },
  scan(msg, settings) {
    const host = msg.request.url.hostname.toLowerCase();
    return liveCookies(msg, settings)
      .filter((c) => {
        const d = (c.attrs.get('domain') ?? '').replace(/^\./, '').toLowerCase();
        return d !== '' && d !== host && host.endsWith(`.${d}`);
      })
      .map(cookieAlert);
  },
});
