/**
 * Packagist (Composer) versions, ordered as Composer orders them (composer/semver): normalised
 * as `VersionParser::normalize` does, then PHP's `version_compare`. Normalising: a leading `v`
 * and build metadata (`+...`) dropped, `-`, `_` read as `.`, a `.` inserted where digits meet
 * letters (`1.0rc1` → `1.0.rc.1`), a release of fewer than four numbers padded with zeros
 * (`1.0` = `1.0.0.0`), `stable` and what follows it dropped, and a numeric dev branch's `x`s and
 * missing numbers read as 9999999 (`1.x-dev` → `1.9999999.9999999.9999999.dev`, above every 1.*
 * release). Special words order `(unknown) < dev < alpha = a < beta = b < RC = rc < (number) <
 * pl = p = patch`; when one version runs out, the other is newer if it goes on with a number and
 * compared to "a number" if it goes on with a word (`1.0 > 1.0rc1`, `1.0 < 1.0pl1`).
 */
import type { Cmp } from './types.ts';
import { InvalidVersionError, compareNumeric, sign } from './types.ts';

// Composer writes p and pl as `patch`, which version_compare ranks as p (it matches special words by prefix).
const SPECIAL: Record<string, number> = { dev: 0, alpha: 1, a: 1, beta: 2, b: 2, rc: 3, '#': 4, pl: 5, p: 5, patch: 5 };

function canonical(text: string): string[] {
  let t = text.trim().toLowerCase();
  if (t.startsWith('v')) t = t.slice(1);
  if (t === '' || !/^[0-9a-z.+_-]+$/.test(t)) throw new InvalidVersionError('packagist', text, 'not a Composer version');
  // Composer drops build metadata: `1.0+5` is 1.0, not 1.0.5.
  t = t.replace(/^([^+]+)\+.*$/, '$1');
  t = t.replace(/[-_+]/g, '.').replace(/(\d)(?=[a-z])/g, '$1.').replace(/([a-z])(?=\d)/g, '$1.');
  const parts = t.split('.').filter((p) => p !== '');
  return composerNormal(parts);
}

const NUMBER = /^\d+$/;

/**
 * Composer compares normalised versions (VersionParser::normalize). Without this, `1.0` was below
 * `1.0.0` (a range introduced at 1.0.0 missed an installed 1.0) and a `1.x-dev` branch below 1.0.
 */
function composerNormal(parts: string[]): string[] {
  const stable = parts.indexOf('stable');
  if (stable > 0) parts = parts.slice(0, stable);
  let release = 0;
  while (release < parts.length && NUMBER.test(parts[release]!)) release++;
  // A numeric dev branch (`1.x-dev`, `2.1.x-dev`): x and the missing numbers are 9999999.
  if (parts.length <= 5 && parts.at(-1) === 'dev' && parts.length > 1 && release > 0 && parts.slice(0, -1).every((p) => NUMBER.test(p) || p === 'x') && parts.includes('x')) {
    const branch = parts.slice(0, -1).map((p) => (p === 'x' ? '9999999' : p));
    return [...branch, ...Array<string>(4 - branch.length).fill('9999999'), 'dev'];
  }
  // A classical version (up to five digits first; longer is a date, kept as it is) has four numbers.
  if (release > 0 && release < 4 && parts[0]!.length <= 5) return [...parts.slice(0, release), ...Array<string>(4 - release).fill('0'), ...parts.slice(release)];
  return parts;
}

function specialRank(word: string): number {
  return SPECIAL[word] ?? -1;
}

function comparePart(a: string, b: string): Cmp {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return compareNumeric(a, b);
  return sign(specialRank(an ? '#' : a) - specialRank(bn ? '#' : b));
}

export function comparePackagist(a: string, b: string): Cmp {
  const x = canonical(a);
  const y = canonical(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const l = x[i];
    const r = y[i];
    if (l === undefined) return /^\d+$/.test(r!) ? -1 : comparePart('#', r!);
    if (r === undefined) return /^\d+$/.test(l) ? 1 : comparePart(l, '#');
    const c = comparePart(l, r);
    if (c !== 0) return c;
  }
  return 0;
}
