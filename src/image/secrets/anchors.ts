/**
 * Where a rule's matches can start. When a regex cannot match anywhere but at an occurrence of
 * one of a few literal strings (its "anchors": `ghp_` in `(ghp_[0-9a-zA-Z]{36})`, `aws`/`secret`
 * in a key=value rule, the schemes of the connection-URL rule), the scanner tries the regex only
 * at those occurrences instead of at every position of the file. A global regex search is the
 * sticky match tried at each position in turn, so trying only positions where a match can start,
 * in order, finds the same matches.
 *
 * Anchors are read from the regex source conservatively: after zero-width items (`\b`,
 * lookarounds), a literal run, or a group that is not optional whose every alternative starts
 * with one. Anything else (a class, `.`, `^`, an optional group, a one-character literal, a
 * case-insensitive literal beyond ASCII, the `u`/`v` flags with `i`) gives no anchors, and the
 * rule's regex runs over the whole text as before.
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

/** A quantifier at `i` that allows zero repetitions (`?`, `*`, `{0`), or none at all. */
function optionalAt(src: string, i: number): boolean {
  const c = src[i];
  return c === '?' || c === '*' || (c === '{' && /^\{0*(?:,|\})/.test(src.slice(i)));
}

function isQuantifier(src: string, i: number): boolean {
  const c = src[i];
  return c === '?' || c === '*' || c === '+' || (c === '{' && /^\{\d+(?:,\d*)?\}/.test(src.slice(i)));
}

/** Literal strings one of which starts every match of `src` (from its first position); undefined when unknown. */
export function leadingLiterals(src: string): string[] | undefined {
  const top = alternatives(src);
  if (top === undefined) return undefined;
  if (top.length > 1) {
    const out: string[] = [];
    for (const a of top) {
      const lits = leadingLiterals(a);
      if (lits === undefined) return undefined;
      out.push(...lits);
    }
    return out;
  }
  let i = 0;
  // Zero-width items first: they do not move the match start.
  for (;;) {
    if (src.startsWith('\\b', i)) i += 2;
    else if (src.startsWith('(?<!', i) || src.startsWith('(?<=', i) || src.startsWith('(?!', i) || src.startsWith('(?=', i)) {
      const end = skipBalanced(src, i);
      if (end === -1 || isQuantifier(src, end)) return undefined;
      i = end;
    } else break;
  }
  if (src[i] === '(') {
    const end = skipBalanced(src, i);
    if (end === -1 || optionalAt(src, end)) return undefined;
    let open = i + 1;
    if (src.startsWith('?:', open)) open += 2;
    else if (src.startsWith('?<', open)) {
      const close = src.indexOf('>', open);
      if (close === -1) return undefined;
      open = close + 1;
    } else if (src[open] === '?') return undefined;
    const alts = alternatives(src.slice(open, end - 1));
    if (alts === undefined) return undefined;
    const out: string[] = [];
    for (const a of alts) {
      const lits = leadingLiterals(a);
      if (lits === undefined) return undefined;
      out.push(...lits);
    }
    return out;
  }
  let lit = '';
  while (i < src.length) {
    let c = src[i]!;
    let width = 1;
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined || /[A-Za-z0-9]/.test(n)) break;
      c = n;
      width = 2;
    } else if (META.has(c)) break;
    if (optionalAt(src, i + width)) break;
    lit += c;
    i += width;
    if (isQuantifier(src, i)) break;
  }
  return lit.length >= MIN_ANCHOR ? [lit] : undefined;
}

/** Anchors for a rule's regex, lower-cased; undefined when the regex must run over the whole text. */
export function ruleAnchors(regex: RegExp): string[] | undefined {
  const fold = regex.flags.includes('i');
  if (fold && (regex.flags.includes('u') || regex.flags.includes('v'))) return undefined;
  const lits = leadingLiterals(regex.source);
  if (lits === undefined) return undefined;
  // The keyword automaton folds ASCII only; a case-insensitive literal beyond ASCII could be missed.
  if (fold && lits.some((l) => /[^\x00-\x7f]/.test(l))) return undefined;
  return [...new Set(lits.map((l) => l.toLowerCase()))];
}
