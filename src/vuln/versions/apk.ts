/**
 * Alpine package versions (apk-tools): `digits{.digits}[letter][_suffix[digits]]*[~hash][-rN]`.
 * Suffixes order `_alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p`;
 * `-rN` compares numerically; a digit group after the first that starts with `0` compares as
 * a string (`8.2.0 < 8.2.001`). Versions are read as a stream of typed tokens and compared
 * token by token; when one stream ends or changes kind first, the longer one is newer unless
 * what follows is a pre-release suffix. A version that breaks the grammar is still compared up
 * to the first bad token (as apk does), and `isValidApk` reports it so matching can say so.
 */
import type { Cmp } from './types.ts';
import { compareNumeric, compareStrings } from './types.ts';

// Token kinds in grammar order: a later kind may follow an earlier one, not the reverse.
const DIGIT = 0;
const LETTER = 1;
const SUFFIX = 2;
const SUFFIX_NO = 3;
const HASH = 4;
const REVISION = 5;
const END = 6;
const INVALID = 7;

const PRE_SUFFIXES = ['alpha', 'beta', 'pre', 'rc'];
const POST_SUFFIXES = ['cvs', 'svn', 'git', 'hg', 'p'];

interface Token {
  kind: number;
  /** Digit runs and hashes as text; suffixes as their rank (pre-releases negative). */
  text: string;
  rank: number;
  /** True for a digit group after the first (eligible for string comparison). */
  fraction: boolean;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isLower = (c: string | undefined): boolean => c !== undefined && c >= 'a' && c <= 'z';
const isHex = (c: string | undefined): boolean => isDigit(c) || (c !== undefined && c >= 'a' && c <= 'f');

function tokenize(s: string, strict: boolean): Token[] {
  const out: Token[] = [];
  let pos = 0;
  let kind = s === '' ? INVALID : DIGIT;
  let first = true;
  while (kind !== END && kind !== INVALID) {
    const start = pos;
    let rank = 0;
    switch (kind) {
      case DIGIT:
      case SUFFIX_NO:
      case REVISION:
        while (isDigit(s[pos])) pos++;
        break;
      case LETTER:
        pos++;
        rank = s.charCodeAt(start);
        break;
      case HASH:
        while (isHex(s[pos])) pos++;
        break;
      case SUFFIX: {
        let name = '';
        while (isLower(s[pos])) name += s[pos++];
        const pre = PRE_SUFFIXES.indexOf(name);
        const post = POST_SUFFIXES.indexOf(name);
        if (pre === -1 && post === -1) pos = start;
        rank = pre !== -1 ? pre - PRE_SUFFIXES.length : post;
        break;
      }
    }
    if (pos === start) {
      out.push({ kind: INVALID, text: '', rank: 0, fraction: false });
      return out;
    }
    out.push({ kind, text: s.slice(start, pos), rank, fraction: kind === DIGIT && !first });
    if (kind === DIGIT) first = false;
    const next = nextKind(s, pos, kind, strict);
    kind = next.kind;
    pos = next.pos;
  }
  out.push({ kind, text: '', rank: 0, fraction: false });
  return out;
}

/**
 * What comes after a token. Strictly, a letter ends the release digits; apk itself still reads
 * digits after it (`6.0.2p1`, seen in Alpine's own history), so comparison allows that.
 */
function nextKind(s: string, pos: number, prev: number, strict: boolean): { kind: number; pos: number } {
  const c = s[pos];
  let kind = INVALID;
  let skip = 1;
  if (c === undefined) return { kind: END, pos };
  if (prev === DIGIT && isLower(c)) {
    kind = LETTER;
    skip = 0;
  } else if (!strict && prev === LETTER && isDigit(c)) {
    return { kind: DIGIT, pos };
  } else if (prev === SUFFIX && isDigit(c)) {
    kind = SUFFIX_NO;
    skip = 0;
  } else if (c === '.') kind = DIGIT;
  else if (c === '_') kind = SUFFIX;
  else if (c === '~') kind = HASH;
  else if (c === '-' && s[pos + 1] === 'r') {
    kind = REVISION;
    skip = 2;
  }
  // Kinds only move forward, except that a suffix may follow a suffix (number).
  if (kind < prev && !(kind === SUFFIX && prev === SUFFIX_NO)) kind = INVALID;
  if (kind === prev && kind !== DIGIT && kind !== SUFFIX) kind = INVALID;
  return { kind, pos: pos + skip };
}

export function isValidApk(version: string): boolean {
  return tokenize(version, true).at(-1)!.kind === END;
}

/** True when apk can order the version (it may still break the strict grammar). */
export function isComparableApk(version: string): boolean {
  return tokenize(version, false).at(-1)!.kind === END;
}

function compareToken(a: Token, b: Token): Cmp {
  switch (a.kind) {
    case DIGIT:
      if (a.fraction && (a.text.startsWith('0') || b.text.startsWith('0'))) return compareStrings(a.text, b.text);
      return compareNumeric(a.text, b.text);
    case SUFFIX_NO:
    case REVISION:
      return compareNumeric(a.text, b.text);
    case HASH:
      return compareStrings(a.text, b.text);
    default:
      return a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0;
  }
}

export function compareApk(a: string, b: string): Cmp {
  const x = tokenize(a, false);
  const y = tokenize(b, false);
  let i = 0;
  for (; i < x.length && i < y.length; i++) {
    const p = x[i]!;
    const q = y[i]!;
    if (p.kind !== q.kind) break;
    if (p.kind === END || p.kind === INVALID) return 0;
    const c = compareToken(p, q);
    if (c !== 0) return c;
  }
  const p = x[i]!;
  const q = y[i]!;
  // Where the two differ in kind: a pre-release suffix is older than anything; otherwise the
  // version that goes on with an earlier kind of token (more release digits) is newer.
  if (p.kind === SUFFIX && p.rank < 0) return -1;
  if (q.kind === SUFFIX && q.rank < 0) return 1;
  if (p.kind > q.kind) return -1;
  if (p.kind < q.kind) return 1;
  return 0;
}
