/**
 * ZAP 10054 Cookie without SameSite Attribute (Low): missing (10054-1), `None` (10054-2) or an
 * invalid value (10054-3); the cookie rides cross-site requests (CSRF).
 * Reads: response header Set-Cookie (SameSite).
 */
import { defineRule, type Alert } from '../rule.ts';
import { cookieAlert, liveCookies } from './common.ts';

export const cookieNoSameSite = defineRule({
  id: 'DAST-COOKIE-NO-SAMESITE',
  zapId: 10054,
  title: 'Cookie without SameSite Attribute',
  severity: 'low',
  description: 'A cookie has been set without SameSite=Lax or Strict, so it is sent with cross-site requests (cross-site request forgery, timing attacks).',
  remediation: 'Set SameSite=Lax or SameSite=Strict on every cookie.',
  fields: ['response header Set-Cookie'],
  applies: { setsCookies: true },
  scan(msg, settings) {
    const out: Alert[] = [];
    for (const c of liveCookies(msg, settings)) {
      const v = c.attrs.get('samesite');
      if (v === undefined) out.push({ ...cookieAlert(c), ref: '10054-1' });
      else if (v.toLowerCase() === 'none') out.push({ ...cookieAlert(c), ref: '10054-2', name: 'Cookie with SameSite Attribute None' });
      else if (v.toLowerCase() !== 'lax' && v.toLowerCase() !== 'strict') out.push({ ...cookieAlert(c), ref: '10054-3', name: 'Cookie with Invalid SameSite Attribute' });
    }
    return out;
  },
});
