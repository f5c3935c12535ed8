/**
 * ZAP 10097 Hash Disclosure: a password hash or digest in a response. Salted crypt formats
 * (bcrypt, SHA-512/256 crypt, MD5 crypt, LM/NTLM pairs) are High; bare hex digests (SHA-512,
 * SHA-256, SHA-1, MD5) are Low, as ZAP rates them. Reads: response headers (except ETag) and body.
 */
import type { Severity } from '../../core/finding.ts';
import { isImage } from '../message.ts';
import { defineRule } from '../rule.ts';

const HASHES: ReadonlyArray<readonly [string, RegExp, Severity]> = [
  ['bcrypt', /\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}/, 'high'],
  ['SHA-512 Crypt', /\$6\$(?:rounds=\d+\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{86}/, 'high'],
  ['SHA-256 Crypt', /\$5\$(?:rounds=\d+\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{43}/, 'high'],
  ['MD5 Crypt', /\$1\$[./A-Za-z0-9]{1,8}\$[./A-Za-z0-9]{22}/, 'high'],
  ['LanMan / NTLM', /\b[0-9a-fA-F]{32}:[0-9a-fA-F]{32}\b/, 'high'],
  ['SHA-512', /\b[0-9a-f]{128}\b|\b[0-9A-F]{128}\b/, 'low'],
  ['SHA-256', /\b[0-9a-f]{64}\b|\b[0-9A-F]{64}\b/, 'low'],
  ['SHA-1', /\b[0-9a-f]{40}\b|\b[0-9A-F]{40}\b/, 'low'],
  ['MD5', /\b[0-9a-f]{32}\b|\b[0-9A-F]{32}\b/, 'low'],
];

/**
 * A cheap first look: every pattern below contains a `$` or a run of 32 hex digits. Any run of
 * 32 covers exactly one index that is a multiple of 32, so only those are probed, and a run is
 * measured around a probe that lands on a hex digit.
 */
export function mayHoldHash(text: string): boolean {
  if (text.includes('$')) return true;
  const n = text.length;
  for (let i = 0; i < n; i += 32) {
    if (!isHex(text.charCodeAt(i))) continue;
    let start = i;
    while (start > 0 && isHex(text.charCodeAt(start - 1))) start--;
    let end = i + 1;
    while (end < n && end - start < 32 && isHex(text.charCodeAt(end))) end++;
    if (end - start >= 32) return true;
  }
  return false;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

export const hashDisclosure = defineRule({
  id: 'DAST-HASH-DISCLOSURE',
  zapId: 10097,
  title: 'Hash Disclosure',
  severity: 'high',
  description: 'A hash was disclosed by the web server; password hashes can be cracked offline.',
  remediation: 'Never return password hashes or other secret digests to clients.',
  fields: ['response headers', 'response body'],
  applies: { types: ['html', 'js', 'css', 'json', 'other'] },
  scan(msg) {
    if (isImage(msg)) return [];
    // Only the texts that pass the cheap look are searched; most pages have none.
    const texts: string[] = [];
    for (const [n, v] of msg.response.headers) if (n !== 'etag' && n !== 'content-security-policy' && v.length >= 26 && mayHoldHash(v)) texts.push(v);
    if (mayHoldHash(msg.response.body)) texts.push(msg.response.body);
    if (texts.length === 0) return [];
    for (const [name, re, risk] of HASHES) {
      for (const text of texts) {
        const m = re.exec(text);
        if (m !== null) return [{ name: `Hash Disclosure - ${name}`, risk, evidence: m[0] }];
      }
    }
    return [];
  },
});
