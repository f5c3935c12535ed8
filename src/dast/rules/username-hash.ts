/**
 * ZAP 10057 Username Hash Found (Informational): the hash of a known user's name in a response.
 * An identifier derived from the username (a "hidden" user ID, an avatar URL) can be recomputed by
 * an attacker for any user, so it protects nothing and enables enumeration. ZAP takes the users of
 * a context; bosun takes --username (repeatable) and the user of a Basic Authorization header the
 * scan sends. Hashes: MD5, SHA-1, SHA-256, SHA-384, SHA-512 in lower- or upper-case hex (ZAP also
 * tries MD2, which OpenSSL 3 no longer offers).
 * Reads: response headers and body.
 */
import { hash } from 'node:crypto';
import { isImage } from '../message.ts';
import { BOSUN_SETTINGS, defineRule, usernamesOf, type Alert, type RuleSettings } from '../rule.ts';

const ALGORITHMS = [['MD5', 'md5'], ['SHA-1', 'sha1'], ['SHA-256', 'sha256'], ['SHA-384', 'sha384'], ['SHA-512', 'sha512']] as const;

const cache = new WeakMap<RuleSettings, Array<{ user: string; algorithm: string; hex: string }>>();

function hashesOf(settings: RuleSettings): Array<{ user: string; algorithm: string; hex: string }> {
  let list = cache.get(settings);
  if (list === undefined) {
    list = usernamesOf(settings).flatMap((user) => ALGORITHMS.map(([algorithm, name]) => ({ user, algorithm, hex: hash(name, user, 'hex') })));
    cache.set(settings, list);
  }
  return list;
}

export const usernameHash = defineRule({
  id: 'DAST-USERNAME-HASH',
  zapId: 10057,
  title: 'Username Hash Found',
  severity: 'info',
  description: 'A hash of a user\'s name was found in the response; anyone can compute it for any user, so it is a predictable identifier, not a secret one.',
  remediation: 'Use random, unpredictable identifiers (or a keyed MAC) instead of hashes of usernames.',
  fields: ['response headers', 'response body'],
  applies: { types: ['html', 'js', 'css', 'json', 'other'] },
  scan(msg, settings) {
    if (!settings.has(BOSUN_SETTINGS.usernames) || isImage(msg)) return [];
    const texts = [...msg.response.headers.map(([, v]) => v), msg.response.body];
    const out: Alert[] = [];
    for (const { user, algorithm, hex } of hashesOf(settings)) {
      const upper = hex.toUpperCase();
      const hit = texts.find((t) => t.includes(hex) || t.includes(upper));
      if (hit !== undefined) out.push({ param: user, evidence: hit.includes(hex) ? hex : upper, detail: `${algorithm} of the username "${user}"` });
    }
    return out;
  },
});
