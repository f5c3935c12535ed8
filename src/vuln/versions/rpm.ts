/**
 * RPM versions: `rpmvercmp` on one string, and `[epoch:]version[-release]` (EVR) built on it.
 * rpmvercmp splits into alphanumeric segments (other characters only separate: `2.0 == 2_0`);
 * a numeric segment beats an alphabetic one; numbers compare without leading zeros
 * (`10.0001 == 10.1`); when one string runs out the longer wins, except that `~` sorts before
 * anything (even the end) and `^` sorts after the end but before any further segment.
 */
import type { Cmp } from './types.ts';
import { compareNumeric, compareStrings } from './types.ts';

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isAlpha = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isAlnum = (c: string): boolean => isDigit(c) || isAlpha(c);

export function rpmvercmp(a: string, b: string): Cmp {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(a[i]!) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !isAlnum(b[j]!) && b[j] !== '~' && b[j] !== '^') j++;
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;
    const numeric = isDigit(a[i]!);
    const test = numeric ? isDigit : isAlpha;
    const si = i;
    const sj = j;
    while (i < a.length && test(a[i]!)) i++;
    while (j < b.length && test(b[j]!)) j++;
    const x = a.slice(si, i);
    const y = b.slice(sj, j);
    // A numeric segment against an alphabetic one: the numeric one is newer.
    if (y === '') return numeric ? 1 : -1;
    const rc = numeric ? compareNumeric(x, y) : compareStrings(x, y);
    if (rc !== 0) return rc;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

export interface Evr {
  epoch: string;
  version: string;
  release: string | undefined;
}

/** `E:V-R`: the epoch before the first `:` (missing = 0), the release after the last `-`. */
export function parseEvr(text: string): Evr {
  let epoch = '0';
  let rest = text.trim();
  const colon = rest.indexOf(':');
  if (colon !== -1 && /^[0-9]*$/.test(rest.slice(0, colon))) {
    epoch = rest.slice(0, colon) || '0';
    rest = rest.slice(colon + 1);
  }
  const dash = rest.lastIndexOf('-');
  if (dash === -1) return { epoch, version: rest, release: undefined };
  return { epoch, version: rest.slice(0, dash), release: rest.slice(dash + 1) };
}

/** Epoch numerically, then version and release with rpmvercmp. */
export function compareRpm(a: string, b: string): Cmp {
  const x = parseEvr(a);
  const y = parseEvr(b);
  const e = compareNumeric(x.epoch, y.epoch);
  if (e !== 0) return e;
  const v = rpmvercmp(x.version, y.version);
  if (v !== 0) return v;
  // A version without a release is older than the same version with any release (even "").
  if (x.release === undefined || y.release === undefined) return x.release === y.release ? 0 : x.release === undefined ? -1 : 1;
  return rpmvercmp(x.release, y.release);
}
