/**
 * Source positions read back from the text when a finding needs them, instead of recorded for
 * every node while parsing (that recording cost a quarter of a scan, for positions most
 * nodes never use).
 *
 * Given a parsed collection and where its text starts, `TextReader.step` finds where one child's key
 * (or sequence item) starts and where the child's own text can be reached. It reads the block
 * and flow layouts that manifests use (kubectl JSON included) and checks what it read against
 * the parsed value: every key it found must be a key of the object and their number equal, every
 * item counted. Whatever it cannot read for certain (aliases, merge keys, complex keys, tabs,
 * unusual quoting) answers UNSURE, and the caller falls back to positions recorded by a full
 * parse of that document; both give the same offsets (a test compares them on every node).
 *
 * A "handle" is a text offset from which a node's content is reached by skipping separation
 * (spaces, line breaks, comments), anchors and tags: the offset after a key's `:`, an item's
 * start, or a document's start.
 */

export const NOT_FOUND = 0;
export const FOUND = 1;
export const UNSURE = 2;
export type StepResult = typeof NOT_FOUND | typeof FOUND | typeof UNSURE;

/** One collection's children as read from the text, in text order. */
export interface Scan {
  /** Mapping keys (undefined for a sequence). */
  keys: string[] | undefined;
  /** Where each key or item starts; -1 for an empty sequence item. */
  offsets: number[];
  /** Each child's handle; -1 when it has no text of its own (a key without a value, an empty item). */
  handles: number[];
  /** Keys to positions, for large mappings. */
  index?: Map<string, number>;
}

const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;
const HASH = 35;
const DASH = 45;
const COLON = 58;
const COMMA = 44;
const DQUOTE = 34;
const SQUOTE = 39;
const LBRACE = 123;
const RBRACE = 125;
const LBRACKET = 91;
const RBRACKET = 93;
const BACKSLASH = 92;

/** Thrown inside a scan when the text is not what the reader can vouch for. */
class Unsure {}
const UNSURE_SIGNAL = new Unsure();

/**
 * Reads positions from one document's text. Its table of content lines (where each starts and
 * where its content begins; blank and comment-only lines left out) is built on first use, so
 * block layouts are followed by indentation without reading their characters again.
 */
export class TextReader {
  readonly text: string;
  private readonly from: number;
  /** Per content line: its start offset, the offset of its first content character, and next[] (see buildLines). */
  private starts: number[] | undefined;
  private readonly firsts: number[] = [];
  private readonly next: number[] = [];
  /** A line is indented with a tab: block layouts are left to the parser. */
  private tabs = false;
  /** Collections read so far, by handle. */
  private readonly scans = new Map<number, Scan>();

  /** `from`: where the document's content starts. */
  constructor(text: string, from: number) {
    this.text = text;
    this.from = from;
  }

  /**
   * Where child `key` of `node` (whose text is reached from `handle`) starts: sets `step.offset`
   * (the key's or item's first character) and `step.record` (the child's handle, -1 when none).
   */
  step(node: object, handle: number, key: string | number, step: { offset: number; record: number }): StepResult {
    let index: number;
    if (Array.isArray(node)) {
      index = typeof key === 'number' ? key : Number(key);
      if (!Number.isInteger(index) || index < 0 || index >= node.length) return NOT_FOUND;
    } else {
      if (!Object.hasOwn(node, key)) return NOT_FOUND;
      index = -1;
    }
    let scan = this.scans.get(handle);
    if (scan === undefined) {
      try {
        scan = this.scan(node, handle);
      } catch (err) {
        if (err === UNSURE_SIGNAL) return UNSURE;
        throw err;
      }
      this.scans.set(handle, scan);
    }
    if (index < 0) index = keyIndex(scan, typeof key === 'string' ? key : String(key));
    if (index < 0) return UNSURE; // cannot happen after the key check: a verified scan holds every key
    const offset = scan.offsets[index]!;
    if (offset < 0) return NOT_FOUND; // an empty item: recorded positions have none either
    step.offset = offset;
    step.record = scan.handles[index]!;
    return FOUND;
  }

  /** Read the children of `node` from its text. Throws UNSURE_SIGNAL. */
  private scan(node: object, handle: number): Scan {
    if (handle < 0) throw UNSURE_SIGNAL;
    const text = this.text;
    const at = contentStart(text, handle);
    const c = text.charCodeAt(at);
    const isArray = Array.isArray(node);
    let scan: Scan;
    if (c === LBRACE) {
      if (isArray) throw UNSURE_SIGNAL;
      scan = scanFlowMapping(text, at, Object.keys(node));
    } else if (c === LBRACKET) {
      if (!isArray) throw UNSURE_SIGNAL;
      scan = scanFlowSequence(text, at);
    } else if (c === DASH && isBreakOrEnd(text, at + 1)) {
      if (!isArray) throw UNSURE_SIGNAL;
      scan = this.scanBlockSequence(at);
    } else {
      if (isArray) throw UNSURE_SIGNAL;
      scan = this.scanBlockMapping(at, Object.keys(node));
    }
    verify(node, scan);
    return scan;
  }

  /** The content line holding offset `at`. */
  private lineOf(at: number): number {
    const starts = (this.starts ??= this.buildLines());
    if (this.tabs) throw UNSURE_SIGNAL;
    let lo = 0;
    let hi = starts.length - 1;
    if (hi < 0 || at < starts[0]!) throw UNSURE_SIGNAL;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The content lines from the document's first line to its end (a `---`/`...` line, or the text's). */
  private buildLines(): number[] {
    const text = this.text;
    const n = text.length;
    const starts: number[] = [];
    const firsts = this.firsts;
    let start = text.lastIndexOf('\n', this.from - 1) + 1;
    for (;;) {
      let i = start;
      while (i < n && text.charCodeAt(i) === SPACE) i++;
      const c = text.charCodeAt(i);
      if (i === start && start > this.from && (c === DASH || c === 46) && isDocumentMarker(text, i)) break; // the next document
      if (c === TAB) this.tabs = true; // tabs cannot indent YAML: left to the parser
      else if (i < n && c !== LF && c !== HASH && !(c === CR && text.charCodeAt(i + 1) === LF)) {
        starts.push(start);
        firsts.push(i);
      }
      const nl = text.indexOf('\n', i);
      if (nl < 0) break;
      start = nl + 1;
    }
    // next[j]: the first later line indented no deeper than line j (the end of j's subtree).
    const next = this.next;
    const open: number[] = [];
    for (let j = 0; j < starts.length; j++) {
      const indent = firsts[j]! - starts[j]!;
      while (open.length > 0 && firsts[open[open.length - 1]!]! - starts[open[open.length - 1]!]! >= indent) next[open.pop()!] = j;
      open.push(j);
    }
    for (const j of open) next[j] = starts.length;
    return starts;
  }

  /**
   * The first line after `line` indented at most `column`. `fromLineStart`: the child at `line`
   * starts its line, so its subtree ends where the line's does.
   */
  private after(line: number, column: number, fromLineStart: boolean): number {
    const next = this.next;
    if (fromLineStart) return next[line]!;
    const starts = this.starts!;
    const firsts = this.firsts;
    let j = line + 1;
    while (j < starts.length && firsts[j]! - starts[j]! > column) j = next[j]!;
    return j;
  }

  /** Block mapping whose first key starts at `at`: keys are the lines whose content starts in its column. */
  private scanBlockMapping(at: number, order: readonly string[]): Scan {
    const text = this.text;
    let line = this.lineOf(at);
    const starts = this.starts!;
    const firsts = this.firsts;
    const column = at - starts[line]!;
    const keys: string[] = [];
    const offsets: number[] = [];
    const handles: number[] = [];
    let p = at;
    for (;;) {
      offsets.push(p);
      // Usually the key is the object's next key, written plain: compare in place.
      const expected = order[keys.length];
      const end = expected === undefined ? -1 : p + expected.length;
      if (end > 0 && text.charCodeAt(end) === COLON && isBreakOrEnd(text, end + 1) && text.startsWith(expected!, p)) {
        keys.push(expected!);
        handles.push(end + 1);
      } else handles.push(readBlockKey(text, p, keys));
      // The next key: the next line with content in this column. Deeper lines belong to the
      // value; a `-` line in this column is a sequence value written at its key's indentation.
      line = this.after(line, column, firsts[line] === p);
      for (;;) {
        if (line >= starts.length) return { keys, offsets, handles };
        const first = firsts[line]!;
        const col = first - starts[line]!;
        if (col < column) return { keys, offsets, handles };
        if (!(text.charCodeAt(first) === DASH && isBreakOrEnd(text, first + 1))) {
          p = first;
          break;
        }
        line = this.next[line]!;
      }
    }
  }

  /** Block sequence whose first `-` is at `at`: items are the `-` lines in its column. */
  private scanBlockSequence(at: number): Scan {
    const text = this.text;
    let line = this.lineOf(at);
    const starts = this.starts!;
    const firsts = this.firsts;
    const column = at - starts[line]!;
    const offsets: number[] = [];
    const handles: number[] = [];
    let p = at;
    for (;;) {
      // The item's content follows the `-` on its line, or starts a deeper line below it.
      let i = p + 1;
      while (text.charCodeAt(i) === SPACE) i++;
      const c = text.charCodeAt(i);
      if (c === TAB) throw UNSURE_SIGNAL;
      if (i >= text.length || c === LF || c === CR || c === HASH) {
        const below = line + 1 < starts.length ? firsts[line + 1]! : -1;
        if (below >= 0 && below - starts[line + 1]! > column) {
          offsets.push(below);
          handles.push(below);
        } else {
          offsets.push(-1);
          handles.push(-1);
        }
      } else {
        offsets.push(i);
        handles.push(i);
      }
      line = this.after(line, column, firsts[line] === p);
      if (line >= starts.length) return { keys: undefined, offsets, handles };
      const first = firsts[line]!;
      if (first - starts[line]! < column || !(text.charCodeAt(first) === DASH && isBreakOrEnd(text, first + 1))) return { keys: undefined, offsets, handles };
      p = first;
    }
  }
}

/** Position of `key` in a mapping's scan; large mappings (a ConfigMap's data) get a Map, built once. */
function keyIndex(scan: Scan, key: string): number {
  const keys = scan.keys!;
  if (keys.length <= 16) return keys.indexOf(key);
  if (scan.index === undefined) {
    scan.index = new Map();
    for (let i = 0; i < keys.length; i++) scan.index.set(keys[i]!, i);
  }
  return scan.index.get(key) ?? -1;
}

/** The text read must account for exactly the parsed children. */
function verify(node: object, scan: Scan): void {
  if (Array.isArray(node)) {
    if (scan.offsets.length !== node.length) throw UNSURE_SIGNAL;
    return;
  }
  const keys = scan.keys!;
  const order = Object.keys(node);
  if (keys.length === order.length) {
    // Same keys in the same order (the usual case; integer-like keys are the exception, as
    // objects list them first): nothing more to check.
    let i = 0;
    while (i < keys.length && keys[i] === order[i]) i++;
    if (i === keys.length) return;
  }
  let own = 0;
  for (const k in node) if (Object.hasOwn(node, k)) own++;
  if (keys.length !== own) throw UNSURE_SIGNAL;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (!Object.hasOwn(node, k)) throw UNSURE_SIGNAL;
    // Distinct text keys, as many as the object's: the text keys are the object's keys.
    for (let j = 0; j < i; j++) if (keys[j] === k) throw UNSURE_SIGNAL;
  }
}

function isBreakOrEnd(text: string, i: number): boolean {
  if (i >= text.length) return true;
  const c = text.charCodeAt(i);
  return c === SPACE || c === LF || c === CR || c === TAB;
}

/**
 * From a handle to the node's first content character: skips spaces, line breaks, comments,
 * and one anchor and/or tag. An alias (the node's text is elsewhere) is UNSURE.
 */
function contentStart(text: string, from: number): number {
  let i = from;
  const n = text.length;
  for (;;) {
    if (i >= n) throw UNSURE_SIGNAL;
    const c = text.charCodeAt(i);
    if (c === SPACE || c === TAB || c === LF || c === CR) {
      i++;
      continue;
    }
    if (c === HASH) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) throw UNSURE_SIGNAL;
      i = nl + 1;
      continue;
    }
    if (c === 38 /* & */ || c === 33 /* ! */) {
      // An anchor or tag before the content: skip the token.
      while (i < n && !isBreakOrEnd(text, i)) i++;
      continue;
    }
    if (c === 42 /* * */ || c === 63 /* ? */ || c === 37 /* % */) throw UNSURE_SIGNAL;
    if ((i === 0 || text.charCodeAt(i - 1) === LF) && isDocumentMarker(text, i)) throw UNSURE_SIGNAL;
    return i;
  }
}

function isDocumentMarker(text: string, i: number): boolean {
  return (text.startsWith('---', i) || text.startsWith('...', i)) && isBreakOrEnd(text, i + 3);
}

/** Reads a block mapping key at `p` into `keys`; returns the offset after its `:`. */
function readBlockKey(text: string, p: number, keys: string[]): number {
  const c = text.charCodeAt(p);
  let end: number;
  if (c === DQUOTE || c === SQUOTE) {
    end = readQuoted(text, p, keys);
    while (text.charCodeAt(end) === SPACE) end++;
    if (text.charCodeAt(end) !== COLON || !isBreakOrEnd(text, end + 1)) throw UNSURE_SIGNAL;
    return end + 1;
  }
  if (!isPlainStart(c)) throw UNSURE_SIGNAL;
  const n = text.length;
  let i = p;
  for (; i < n; i++) {
    const ch = text.charCodeAt(i);
    if (ch === LF || ch === CR) throw UNSURE_SIGNAL; // no `:` on the line: not a simple key
    if (ch === COLON && isBreakOrEnd(text, i + 1)) break;
    if (ch === HASH && (text.charCodeAt(i - 1) === SPACE || text.charCodeAt(i - 1) === TAB)) throw UNSURE_SIGNAL;
  }
  if (i >= n) throw UNSURE_SIGNAL;
  end = i;
  while (end > p && (text.charCodeAt(end - 1) === SPACE || text.charCodeAt(end - 1) === TAB)) end--;
  const key = text.slice(p, end);
  if (key === '<<') throw UNSURE_SIGNAL; // a merge key: its keys live elsewhere
  keys.push(key);
  return i + 1;
}

/** Plain scalars cannot start with an indicator (a `-`, `?` or `:` followed by a space aside). */
function isPlainStart(c: number): boolean {
  switch (c) {
    case 63: // ?
    case 38: // &
    case 33: // !
    case 42: // *
    case 124: // |
    case 62: // >
    case 37: // %
    case 64: // @
    case 96: // `
    case LBRACE:
    case RBRACE:
    case LBRACKET:
    case RBRACKET:
    case COMMA:
    case HASH:
    case COLON:
    case DASH:
    case SPACE:
    case TAB:
    case LF:
    case CR:
      return false;
    default:
      return !Number.isNaN(c);
  }
}

/** A quoted scalar at `p` (its value pushed to `out`); returns the offset after the closing quote. */
function readQuoted(text: string, p: number, out: string[]): number {
  const quote = text.charCodeAt(p);
  const n = text.length;
  let escaped = false;
  let i = p + 1;
  for (; i < n; i++) {
    const ch = text.charCodeAt(i);
    if (ch === LF || ch === CR) throw UNSURE_SIGNAL; // folded across lines: leave it to the parser
    if (quote === DQUOTE && ch === BACKSLASH) {
      escaped = true;
      i++;
      continue;
    }
    if (ch === quote) {
      if (quote === SQUOTE && text.charCodeAt(i + 1) === SQUOTE) {
        escaped = true;
        i++;
        continue;
      }
      break;
    }
  }
  if (i >= n) throw UNSURE_SIGNAL;
  const raw = text.slice(p + 1, i);
  if (!escaped) out.push(raw);
  else if (quote === SQUOTE) out.push(raw.replaceAll("''", "'"));
  else {
    // JSON's escapes are YAML's common ones; anything else (\x41, \e, \N …) is left to the parser.
    try {
      out.push(JSON.parse(`"${raw}"`) as string);
    } catch {
      throw UNSURE_SIGNAL;
    }
  }
  return i + 1;
}

/** Skips spaces, line breaks and comments inside a flow collection. */
function skipFlowSpace(text: string, from: number): number {
  let i = from;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === SPACE || c === TAB || c === LF || c === CR) i++;
    else if (c === HASH) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) throw UNSURE_SIGNAL;
      i = nl + 1;
    } else return i;
  }
  throw UNSURE_SIGNAL;
}

function scanFlowMapping(text: string, at: number, order: readonly string[]): Scan {
  const keys: string[] = [];
  const offsets: number[] = [];
  const handles: number[] = [];
  let p = skipFlowSpace(text, at + 1);
  if (text.charCodeAt(p) === RBRACE) return { keys, offsets, handles };
  for (;;) {
    const c = text.charCodeAt(p);
    offsets.push(p);
    let q: number;
    const expected = order[keys.length];
    if ((c === DQUOTE || c === SQUOTE) && expected !== undefined && text.charCodeAt(p + 1 + expected.length) === c && text.startsWith(expected, p + 1) && !expected.includes(String.fromCharCode(c)) && !expected.includes('\\')) {
      // JSON's usual case: the object's next key, quoted, nothing escaped.
      keys.push(expected);
      q = p + 2 + expected.length;
    } else if (c === DQUOTE || c === SQUOTE) q = readQuoted(text, p, keys);
    else if (isPlainStart(c) || (c === DASH && !isFlowBreak(text, p + 1))) {
      q = p;
      for (;;) {
        const ch = text.charCodeAt(q);
        if (Number.isNaN(ch)) throw UNSURE_SIGNAL;
        if (ch === COMMA || ch === RBRACE || ch === RBRACKET || ch === LBRACE || ch === LBRACKET || ch === LF || ch === CR) break;
        if (ch === COLON && isFlowBreak(text, q + 1)) break;
        if (ch === HASH && (text.charCodeAt(q - 1) === SPACE || text.charCodeAt(q - 1) === TAB)) break;
        q++;
      }
      let end = q;
      while (end > p && (text.charCodeAt(end - 1) === SPACE || text.charCodeAt(end - 1) === TAB)) end--;
      const key = text.slice(p, end);
      if (key === '<<') throw UNSURE_SIGNAL;
      keys.push(key);
    } else throw UNSURE_SIGNAL;
    q = skipFlowSpace(text, q);
    const sep = text.charCodeAt(q);
    if (sep === COLON) {
      handles.push(q + 1);
      q = skipFlowValue(text, q + 1);
    } else if (sep === COMMA || sep === RBRACE) {
      handles.push(-1); // a key without a value
    } else throw UNSURE_SIGNAL;
    q = skipFlowSpace(text, q);
    const after = text.charCodeAt(q);
    if (after === RBRACE) return { keys, offsets, handles };
    if (after !== COMMA) throw UNSURE_SIGNAL;
    p = skipFlowSpace(text, q + 1);
    if (text.charCodeAt(p) === RBRACE) return { keys, offsets, handles }; // a trailing comma
  }
}

function scanFlowSequence(text: string, at: number): Scan {
  const offsets: number[] = [];
  const handles: number[] = [];
  let p = skipFlowSpace(text, at + 1);
  if (text.charCodeAt(p) === RBRACKET) return { keys: undefined, offsets, handles };
  for (;;) {
    const c = text.charCodeAt(p);
    if (c === COMMA || c === 63 /* ? */) throw UNSURE_SIGNAL;
    offsets.push(p);
    handles.push(p);
    let q = skipFlowSpace(text, skipFlowValue(text, p));
    if (text.charCodeAt(q) === COLON) throw UNSURE_SIGNAL; // a single-pair mapping item (`[a: 1]`)
    const after = text.charCodeAt(q);
    if (after === RBRACKET) return { keys: undefined, offsets, handles };
    if (after !== COMMA) throw UNSURE_SIGNAL;
    q = skipFlowSpace(text, q + 1);
    if (text.charCodeAt(q) === RBRACKET) return { keys: undefined, offsets, handles };
    p = q;
  }
}

/** A `:` ends a flow key when a space, line break, or flow indicator follows it. */
function isFlowBreak(text: string, i: number): boolean {
  if (i >= text.length) return true;
  const c = text.charCodeAt(i);
  return c === SPACE || c === TAB || c === LF || c === CR || c === COMMA || c === RBRACE || c === RBRACKET || c === LBRACE || c === LBRACKET;
}

/** Skips one flow value from `from` (spaces first); returns the offset after it. */
function skipFlowValue(text: string, from: number): number {
  let p = skipFlowSpace(text, from);
  for (;;) {
    const c = text.charCodeAt(p);
    if (c === 38 /* & */ || c === 33 /* ! */ || c === 42 /* * */) {
      // An anchor, tag or alias token; an alias is the whole value.
      let q = p + 1;
      while (q < text.length && !isFlowBreak(text, q)) q++;
      if (c === 42) return q;
      p = skipFlowSpace(text, q);
      continue;
    }
    if (c === LBRACE || c === LBRACKET) return skipBalanced(text, p);
    if (c === DQUOTE || c === SQUOTE) return skipQuotedFlow(text, p);
    if (c === COMMA || c === RBRACE || c === RBRACKET) return p; // an empty value
    let q = p;
    const n = text.length;
    while (q < n) {
      const ch = text.charCodeAt(q);
      if (ch === COMMA || ch === RBRACE || ch === RBRACKET) break;
      if (ch === HASH && (text.charCodeAt(q - 1) === SPACE || text.charCodeAt(q - 1) === TAB)) break;
      if (ch === LBRACE || ch === LBRACKET) throw UNSURE_SIGNAL;
      if (ch === COLON && isFlowBreak(text, q + 1)) throw UNSURE_SIGNAL; // `a: b: c`
      q++;
    }
    if (q >= n) throw UNSURE_SIGNAL;
    return q;
  }
}

/** A quoted scalar in flow context, where it may be folded across lines. */
function skipQuotedFlow(text: string, p: number): number {
  const quote = text.charCodeAt(p);
  const n = text.length;
  for (let i = p + 1; i < n; i++) {
    const ch = text.charCodeAt(i);
    if (quote === DQUOTE && ch === BACKSLASH) {
      i++;
      continue;
    }
    if (ch === quote) {
      if (quote === SQUOTE && text.charCodeAt(i + 1) === SQUOTE) {
        i++;
        continue;
      }
      return i + 1;
    }
  }
  throw UNSURE_SIGNAL;
}

/** A whole flow collection from its opening bracket; returns the offset after the closing one. */
function skipBalanced(text: string, p: number): number {
  let depth = 0;
  const n = text.length;
  for (let i = p; i < n; i++) {
    const ch = text.charCodeAt(i);
    if (ch === LBRACE || ch === LBRACKET) depth++;
    else if (ch === RBRACE || ch === RBRACKET) {
      depth--;
      if (depth === 0) return i + 1;
    } else if (ch === DQUOTE || ch === SQUOTE) {
      // A quote starts a quoted scalar only where a scalar can start (not inside `it's`).
      const prev = text.charCodeAt(i - 1);
      if (prev === SPACE || prev === TAB || prev === LF || prev === CR || prev === COMMA || prev === LBRACE || prev === LBRACKET || prev === COLON) i = skipQuotedFlow(text, i) - 1;
    } else if (ch === HASH) {
      const prev = text.charCodeAt(i - 1);
      if (prev === SPACE || prev === TAB || prev === LF || prev === CR) {
        const nl = text.indexOf('\n', i);
        if (nl < 0) throw UNSURE_SIGNAL;
        i = nl;
      }
    }
  }
  throw UNSURE_SIGNAL;
}
