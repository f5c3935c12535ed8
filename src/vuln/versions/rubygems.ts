/**
 * RubyGems versions (`Gem::Version#<=>`): segments are runs of digits or of letters (`-` means
 * `.pre.`); a letter segment marks a pre-release and sorts below any number; trailing zero
 * segments of the release part and of the pre-release part are ignored (`1.0 == 1`,
 * `1.0.a == 1.a`); missing segments count as 0.
 */
import type { Cmp } from './types.ts';
import { InvalidVersionError, compareNumeric, compareStrings } from './types.ts';

const VALID = /^\s*[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?\s*$/;

function segments(text: string): string[] {
  if (!VALID.test(text)) throw new InvalidVersionError('rubygems', text, 'not a RubyGems version');
  const raw = text.trim().replaceAll('-', '.pre.').match(/[0-9]+|[a-z]+/gi) ?? [];
  const firstString = raw.findIndex((s) => !/^\d/.test(s));
  const release = firstString === -1 ? raw : raw.slice(0, firstString);
  const pre = firstString === -1 ? [] : raw.slice(firstString);
  const trim = (list: string[]): string[] => {
    let end = list.length;
    while (end > 0 && /^0+$/.test(list[end - 1]!)) end--;
    return list.slice(0, end);
  };
  return [...trim(release), ...trim(pre)];
}

export function compareRubygems(a: string, b: string): Cmp {
  const x = segments(a);
  const y = segments(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const l = x[i] ?? '0';
    const r = y[i] ?? '0';
    if (l === r) continue;
    const ln = /^\d/.test(l);
    const rn = /^\d/.test(r);
    if (ln !== rn) return ln ? 1 : -1;
    const c = ln ? compareNumeric(l, r) : compareStrings(l, r);
    if (c !== 0) return c;
  }
  return 0;
}
