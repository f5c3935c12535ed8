/**
 * Cookie attribute rules, one ZAP plugin each, over every Set-Cookie of a response (cookies being
 * deleted are skipped):
 * 10010 Cookie No HttpOnly Flag (Low): script can read the cookie, so XSS steals sessions.
 * 10011 Cookie Without Secure Flag (Low): set over HTTPS but would also travel over plain HTTP.
 * 10054 Cookie without SameSite Attribute (Low): missing (10054-1), `None` (10054-2) or an
 *       invalid value (10054-3); the cookie rides cross-site requests (CSRF).
 * 90033 Loosely Scoped Cookie (Informational): Domain is a parent of the host, so sibling
 *       hosts receive (and can set) the cookie.
 * Reads: response header Set-Cookie (attributes HttpOnly, Secure, SameSite, Domain).
 */
import { isDeletion, isHttps, setCookies, type SetCookie } from '../message.ts';
import { defineRule, type Alert } from '../rule.ts';

const field = ['response header Set-Cookie'];

export const cookieNoHttpOnly = defineRule({
  id: 'DAST-COOKIE-NO-HTTPONLY',
  zapId: 10010,
  title: 'Cookie No HttpOnly Flag',
  severity: 'low',
  description: 'A cookie has been set without the HttpOnly flag, so JavaScript can read it; a cross-site scripting bug then leaks it.',
  remediation: 'Set the HttpOnly attribute on every cookie that scripts do not need to read.',
  fields: field,
  scan: (msg) => liveCookies(msg).filter((c) => !c.attrs.has('httponly')).map(cookieAlert),
});

export const cookieNoSecure = defineRule({
  id: 'DAST-COOKIE-NO-SECURE',
  zapId: 10011,
  title: 'Cookie Without Secure Flag',
  severity: 'low',
  description: 'A cookie has been set over HTTPS without the Secure flag, so the browser will also send it over unencrypted HTTP.',
  remediation: 'Set the Secure attribute on every cookie set over HTTPS.',
  fields: field,
  scan: (msg) => (isHttps(msg) ? liveCookies(msg).filter((c) => !c.attrs.has('secure')).map(cookieAlert) : []),
});

export const cookieNoSameSite = defineRule({
  id: 'DAST-COOKIE-NO-SAMESITE',
  zapId: 10054,
  title: 'Cookie without SameSite Attribute',
  severity: 'low',
  description: 'A cookie has been set without SameSite=Lax or Strict, so it is sent with cross-site requests (cross-site request forgery, timing attacks).',
  remediation: 'Set SameSite=Lax or SameSite=Strict on every cookie.',
  fields: field,
  scan(msg) {
    const out: Alert[] = [];
    for (const c of liveCookies(msg)) {
      const v = c.attrs.get('samesite');
      if (v === undefined) out.push({ ...cookieAlert(c), ref: '10054-1' });
      else if (v.toLowerCase() === 'none') out.push({ ...cookieAlert(c), ref: '10054-2', name: 'Cookie with SameSite Attribute None' });
      else if (v.toLowerCase() !== 'lax' && v.toLowerCase() !== 'strict') out.push({ ...cookieAlert(c), ref: '10054-3', name: 'Cookie with Invalid SameSite Attribute' });
    }
    return out;
  },
});

export const looselyScopedCookie = defineRule({
  id: 'DAST-LOOSELY-SCOPED-COOKIE',
  zapId: 90033,
  title: 'Loosely Scoped Cookie',
  severity: 'info',
  description: 'A cookie is scoped with Domain to a parent of the host that set it, so every sibling host receives it and can overwrite it.',
  remediation: 'Omit the Domain attribute (host-only cookie) or set it to the exact host.',
  fields: ['response header Set-Cookie (Domain)'],
  scan(msg) {
    const host = msg.request.url.hostname.toLowerCase();
    return liveCookies(msg)
      .filter((c) => {
        const d = (c.attrs.get('domain') ?? '').replace(/^\./, '').toLowerCase();
        return d !== '' && d !== host && host.endsWith(`.${d}`);
      })
      .map(cookieAlert);
  },
});

function liveCookies(msg: Parameters<typeof setCookies>[0]): SetCookie[] {
  return setCookies(msg).filter((c) => c.name !== '' && !isDeletion(c));
}

function cookieAlert(c: SetCookie): Alert {
  return { param: c.name, evidence: `Set-Cookie: ${c.name}` };
}
