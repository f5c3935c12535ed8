/**
 * Debian package versions, as `dpkg --compare-versions` orders them (deb-version(7)):
 * `[epoch:]upstream[-revision]`. The epoch is numeric (default 0); the revision is whatever
 * follows the last `-` (default "", which equals "0"). Each part compares alternating
 * non-digit and digit runs: in non-digit runs letters sort before other characters and `~`
 * sorts before everything, even the end of the string (`1.0~rc1 < 1.0`); digit runs compare
 * numerically (`1.09 == 1.9`).
 */
import type { Cmp } from './types.ts';
import { InvalidVersionError, sign } from './types.ts';

interface DpkgVersion {
  epoch: number;
  upstream: string;
  revision: string;
}

export function parseDpkg(text: string): DpkgVersion {
  const v = text.trim();
  if (v === '') throw new InvalidVersionError('dpkg', text, 'empty version');
  let epoch = 0;
  let rest = v;
  const colon = v.indexOf(':');
  if (colon !== -1) {
    const e = v.slice(0, colon);
    if (!/^[0-9]+$/.test(e)) throw new InvalidVersionError('dpkg', text, 'epoch is not a number');
    epoch = Number(e);
    rest = v.slice(colon + 1);
  }
  const dash = rest.lastIndexOf('-');
  const upstream = dash === -1 ? rest : rest.slice(0, dash);
  const revision = dash === -1 ? '' : rest.slice(dash + 1);
  // dpkg warns about, but still orders, upstream versions that do not start with a digit.
  if (upstream === '') throw new InvalidVersionError('dpkg', text, 'empty upstream version');
  if (/[^A-Za-z0-9.+~:-]/.test(upstream) || /[^A-Za-z0-9.+~]/.test(revision)) throw new InvalidVersionError('dpkg', text, 'invalid character');
  return { epoch, upstream, revision };
}

/** Weight of one character in a non-digit run: `~` lowest, then end, letters, other symbols. */
function order(code: number): number {
  if (isDigit(code)) return 0;
  if (code === 0x7e) return -1; // ~
  if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) return code;
  return code + 256;
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** dpkg's verrevcmp over one part (upstream or revision). */
export function compareDpkgPart(a: string, b: string): Cmp {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let diff = 0;
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const ac = i < a.length ? order(a.charCodeAt(i)) : 0;
      const bc = j < b.length ? order(b.charCodeAt(j)) : 0;
      if (ac !== bc) return sign(ac - bc);
      i++;
      j++;
    }
    while (i < a.length && a.charCodeAt(i) === 0x30) i++;
    while (j < b.length && b.charCodeAt(j) === 0x30) j++;
    while (i < a.length && isDigit(a.charCodeAt(i)) && j < b.length && isDigit(b.charCodeAt(j))) {
      if (diff === 0) diff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (i < a.length && isDigit(a.charCodeAt(i))) return 1;
    if (j < b.length && isDigit(b.charCodeAt(j))) return -1;
    if (diff !== 0) return sign(diff);
  }
  return 0;
}

export function compareDpkg(a: string, b: string): Cmp {
  const x = parseDpkg(a);
  const y = parseDpkg(b);
  if (x.epoch !== y.epoch) return x.epoch < y.epoch ? -1 : 1;
  return compareDpkgPart(x.upstream, y.upstream) || compareDpkgPart(x.revision, y.revision);
}
