/**
 * SemVer 2.0 precedence (semver.org §11), as npm and OSV's `SEMVER` ranges use it:
 * major.minor.patch numerically, a version with a pre-release below the same version without,
 * pre-release identifiers compared one by one (numeric ones numerically and below
 * alphanumeric ones, which compare in ASCII order; fewer identifiers is lower), build
 * metadata ignored. A leading `v` or `=` is accepted, as npm accepts it.
 */
import type { Cmp } from './types.ts';
import { InvalidVersionError, compareNumeric, compareStrings } from './types.ts';

const PATTERN = /^[v=]?\s*(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

export interface SemVer {
  core: [string, string, string];
  pre: string[];
}

export function parseSemver(text: string, scheme = 'semver'): SemVer {
  const m = PATTERN.exec(text.trim());
  if (m === null) throw new InvalidVersionError(scheme, text, 'not a SemVer 2.0 version');
  return { core: [m[1]!, m[2]!, m[3]!], pre: m[4] === undefined ? [] : m[4].split('.') };
}

export function isValidSemver(text: string): boolean {
  return PATTERN.test(text.trim());
}

export function comparePrerelease(a: readonly string[], b: readonly string[], ignoreCase = false): Cmp {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : a.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = ignoreCase ? a[i]!.toLowerCase() : a[i]!;
    const y = ignoreCase ? b[i]!.toLowerCase() : b[i]!;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn !== yn) return xn ? -1 : 1;
    const c = xn ? compareNumeric(x, y) : compareStrings(x, y);
    if (c !== 0) return c;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

export function compareParsedSemver(x: SemVer, y: SemVer): Cmp {
  return compareNumeric(x.core[0], y.core[0]) || compareNumeric(x.core[1], y.core[1]) || compareNumeric(x.core[2], y.core[2]) || comparePrerelease(x.pre, y.pre);
}

export function compareSemver(a: string, b: string): Cmp {
  return compareParsedSemver(parseSemver(a), parseSemver(b));
}
