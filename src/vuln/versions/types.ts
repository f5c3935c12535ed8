/** Shared by every version scheme. */
import { BosunError } from '../../core/errors.ts';

export type Cmp = -1 | 0 | 1;

export function sign(n: number): Cmp {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/** Compare two strings by UTF-16 code units (C `strcmp` on ASCII). */
export function compareStrings(a: string, b: string): Cmp {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Digit strings of any length, compared as integers. */
export function compareNumeric(a: string, b: string): Cmp {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return compareStrings(x, y);
}

/** A version a scheme cannot parse: matching says the result is uncertain instead of guessing. */
export class InvalidVersionError extends BosunError {
  readonly scheme: string;
  readonly version: string;
  constructor(scheme: string, version: string, why: string) {
    super('E_VERSION', `${scheme} version ${JSON.stringify(version)}: ${why}`);
    this.name = 'InvalidVersionError';
    this.scheme = scheme;
    this.version = version;
  }
}
