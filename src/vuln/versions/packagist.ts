/**
 * Packagist (Composer) versions, ordered as PHP's `version_compare` after Composer-style
 * canonicalisation: a leading `v` dropped, `-`, `_`, `+` read as `.`, and a `.` inserted
 * where digits meet letters (`1.0rc1` → `1.0.rc.1`). Special words order
 * `(unknown) < dev < alpha = a < beta = b < RC = rc < (number) < pl = p`; when one version
 * runs out, the other is newer if it goes on with a number and compared to "a number" if it
 * goes on with a word (`1.0 > 1.0rc1`, `1.0 < 1.0pl1`).
 */
import type { Cmp } from './types.ts';
import { InvalidVersionError, compareNumeric, sign } from './types.ts';

const SPECIAL: Record<string, number> = { dev: 0, alpha: 1, a: 1, beta: 2, b: 2, rc: 3, '#': 4, pl: 5, p: 5 };

function canonical(text: string): string[] {
  let t = text.trim().toLowerCase();
  if (t.startsWith('v')) t = t.slice(1);
  if (t === '' || !/^[0-9a-z.+_-]+$/.test(t)) throw new InvalidVersionError('packagist', text, 'not a Composer version');
  t = t.replace(/[-_+]/g, '.').replace(/(\d)(?=[a-z])/g, '$1.').replace(/([a-z])(?=\d)/g, '$1.');
  return t.split('.').filter((p) => p !== '');
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
