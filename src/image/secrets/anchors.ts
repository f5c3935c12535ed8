/**
 * Where a rule's matches can start. When every match of a regex contains one of a few literal
 * strings at most `back` characters after the match's start (its "anchors": `ghp_` in
 * `(ghp_[0-9a-zA-Z]{36})`, `aws`/`secret` in a key=value rule, the schemes of the connection-URL
 * rule, `pass` ten characters into the generic password rule), the scanner tries the regex only
 * at the `back + 1` positions before each occurrence instead of at every position of the file.
 * A global regex search is the sticky match tried at each position in turn, so trying only the
 * positions where a match can start, in order, finds the same matches.
 *
 * Anchors are read from the regex source conservatively: items of bounded width (classes, single
 * characters, optional or counted groups, zero-width assertions) until a literal run of at least
 * two mandatory characters, or a mandatory group whose every alternative has an anchor. Anything
 * else (unbounded repetition before the literal, more than MAX_BACK characters of prefix,
 * backreferences, inline modifiers, a case-insensitive literal beyond ASCII, the `u`/`v` flags
 * with `i`) gives no anchors, and the rule's regex runs over the whole text.
 */

const META = new Set([...'\\^$.|?*+()[]{}']);
const MIN_ANCHOR = 2;

/** Index just past the group or class that opens at `i` (`(` or `[`); -1 when unbalanced. */
function skipBalanced(src: string, i: number): number {
  let depth = 0;
  let inClass = false;
  for (let j = i; j < src.length; j++) {
    const c = src[j]!;
    if (c === '\\') {
      j++;
      continue;
    }
    if (inClass) {
      if (c === ']') {
        inClass = false;
        if (depth === 0) return j + 1;
      }
      continue;
    }
    if (c === '[') {
      inClass = true;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return -1;
}

/** Splits a group body at its top-level `|`. */
function alternatives(body: string): string[] | undefined {
  const out: string[] = [];
  let start = 0;
  for (let j = 0; j < body.length; j++) {
    const c = body[j]!;
    if (c === '\\') j++;
    else if (c === '(' || c === '[') {
      const end = skipBalanced(body, j);
      if (end === -1) return undefined;
      j = end - 1;
    } else if (c === '|') {
      out.push(body.slice(start, j));
      start = j + 1;
    }
  }
  out.push(body.slice(start));
  return out;
}

export interface Anchor {
  /** As written in the regex (case as the regex has it). */
  literal: string;
  /** The literal starts at most this many characters after the match does. */
  back: number;
}

const MAX_BACK = 64;

interface Quantifier {
  min: number;
  max: number;
  /** Characters the quantifier takes in the source (0 when there is none). */
  len: number;
}

function quantifierAt(src: string, i: number): Quantifier | undefined {
  const c = src[i];
  let q: Quantifier;
  if (c === '?') q = { min: 0, max: 1, len: 1 };
  else if (c === '*') q = { min: 0, max: Infinity, len: 1 };
  else if (c === '+') q = { min: 1, max: Infinity, len: 1 };
  else if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
    if (m === null) return { min: 1, max: 1, len: 0 };
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    q = { min, max, len: m[0].length };
  } else return { min: 1, max: 1, len: 0 };
  if (src[i + q.len] === '?') q.len++;
  return q;
}

/** The body of the group opening at `i` (ending before `end`); undefined for forms not understood. */
function groupBody(src: string, i: number, end: number): { body: string; zeroWidth: boolean } | undefined {
  let open = i + 1;
  let zeroWidth = false;
  if (src.startsWith('?:', open)) open += 2;
  else if (src.startsWith('?=', open) || src.startsWith('?!', open)) {
    open += 2;
    zeroWidth = true;
  } else if (src.startsWith('?<=', open) || src.startsWith('?<!', open)) {
    open += 3;
    zeroWidth = true;
  } else if (src.startsWith('?<', open)) {
    const close = src.indexOf('>', open);
    if (close === -1 || close > end) return undefined;
    open = close + 1;
  } else if (src[open] === '?') return undefined;
  return { body: src.slice(open, end - 1), zeroWidth };
}

/** One atom at `i`: its width range and where it ends (quantifier not included); undefined when not understood. */
function atomAt(src: string, i: number): { min: number; max: number; next: number } | undefined {
  const c = src[i]!;
  if (c === '\\') {
    const n = src[i + 1];
    if (n === undefined) return undefined;
    if (n === 'b' || n === 'B') return { min: 0, max: 0, next: i + 2 };
    if ('dDwWsSntrfv0'.includes(n)) return { min: 1, max: 1, next: i + 2 };
    if (n === 'x') return { min: 1, max: 1, next: i + 4 };
    if (n === 'u') return { min: 1, max: 1, next: i + 6 };
    if (/[A-Za-z0-9]/.test(n)) return undefined; // backreferences, \k, \p, \c: not attempted
    return { min: 1, max: 1, next: i + 2 };
  }
  if (c === '[') {
    const end = skipBalanced(src, i);
    return end === -1 ? undefined : { min: 1, max: 1, next: end };
  }
  if (c === '(') {
    const end = skipBalanced(src, i);
    if (end === -1) return undefined;
    const g = groupBody(src, i, end);
    if (g === undefined) return undefined;
    if (g.zeroWidth) return { min: 0, max: 0, next: end };
    const w = widthOf(g.body);
    return w === undefined ? undefined : { ...w, next: end };
  }
  if (c === '^' || c === '$') return { min: 0, max: 0, next: i + 1 };
  if (c === '|' || c === ')' || c === '?' || c === '*' || c === '+' || c === '{') return undefined;
  return { min: 1, max: 1, next: i + 1 };
}

/** Width range of a regex fragment; undefined when unbounded or not understood. */
function widthOf(src: string): { min: number; max: number } | undefined {
  const alts = alternatives(src);
  if (alts === undefined) return undefined;
  let min = Infinity;
  let max = 0;
  for (const a of alts) {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < a.length; ) {
      const atom = atomAt(a, i);
      if (atom === undefined) return undefined;
      const q = quantifierAt(a, atom.next)!;
      if (q.max === Infinity) return undefined;
      lo += atom.min * q.min;
      hi += atom.max * q.max;
      i = atom.next + q.len;
    }
    min = Math.min(min, lo);
    max = Math.max(max, hi);
  }
  return { min, max };
}

/** Anchors of a regex source: one of them occurs in every match, within `back` of its start. */
export function anchorsOf(src: string, back = 0): Anchor[] | undefined {
  const top = alternatives(src);
  if (top === undefined) return undefined;
  if (top.length > 1) {
    const out: Anchor[] = [];
    for (const a of top) {
      const found = anchorsOf(a, back);
      if (found === undefined) return undefined;
      out.push(...found);
    }
    return out;
  }
  let i = 0;
  while (i < src.length) {
    if (back > MAX_BACK) return undefined;
    // A mandatory group whose every alternative has an anchor: those are the anchors.
    if (src[i] === '(') {
      const end = skipBalanced(src, i);
      if (end === -1) return undefined;
      const g = groupBody(src, i, end);
      const q = quantifierAt(src, end)!;
      if (g !== undefined && !g.zeroWidth && q.min >= 1) {
        const inner = anchorsOf(g.body, back);
        if (inner !== undefined) return inner;
      }
    }
    // A literal run of mandatory characters.
    let lit = '';
    let j = i;
    while (j < src.length) {
      let c = src[j]!;
      let width = 1;
      if (c === '\\') {
        const n = src[j + 1];
        if (n === undefined || /[A-Za-z0-9]/.test(n)) break;
        c = n;
        width = 2;
      } else if (META.has(c)) break;
      const q = quantifierAt(src, j + width)!;
      if (q.min === 0) break;
      lit += c;
      j += width;
      if (q.len > 0) break;
    }
    if (lit.length >= MIN_ANCHOR) return [{ literal: lit, back }];
    // Otherwise step over one atom of bounded width.
    const atom = atomAt(src, i);
    if (atom === undefined) return undefined;
    const q = quantifierAt(src, atom.next)!;
    if (q.max === Infinity) return undefined;
    back += atom.max * q.max;
    i = atom.next + q.len;
  }
  return undefined;
}

/** Anchors of a rule's regex, lower-cased; undefined when the regex must run over the whole text. */
export function ruleAnchors(regex: RegExp): Anchor[] | undefined {
  const fold = regex.flags.includes('i');
  if (fold && (regex.flags.includes('u') || regex.flags.includes('v'))) return undefined;
  const found = anchorsOf(regex.source);
  if (found === undefined) return undefined;
  // The keyword automaton folds ASCII only; a case-insensitive literal beyond ASCII could be missed.
  if (fold && found.some((a) => /[^\x00-\x7f]/.test(a.literal))) return undefined;
  const seen = new Map<string, number>();
  for (const a of found) {
    const k = a.literal.toLowerCase();
    seen.set(k, Math.max(seen.get(k) ?? 0, a.back));
  }
  return [...seen].map(([literal, back]) => ({ literal, back }));
}
