/**
 * YAML/JSON documents with source positions.
 *
 * js-yaml is used for speed (about 10× faster than a CST-based parser on manifests); its
 * parse-event listener gives us the offset where every key and sequence item starts, which we
 * keep beside the parsed object in a WeakMap. Line/column are computed only when asked.
 *
 * Hostile input guards live here: nesting depth, alias expansion (billion laughs) and
 * duplicate keys (rejected, as kubectl's strict decoder does).
 */
import jsyaml from 'js-yaml';

/**
 * Where the children of every collection start, for one file: `positions` maps a parsed
 * mapping or sequence to the index of its record in `records`. A record is its length n, then
 * for a sequence the n item offsets, for a mapping n pairs (key offset, key) in source order.
 * One flat array per file instead of an array per collection: almost nothing for the garbage
 * collector to copy while the whole manifest set stays in memory.
 */

export interface ParseLimits {
  /** Deepest nesting accepted; deeper input is rejected instead of overflowing the stack. */
  maxDepth: number;
  /** Most nodes a document may expand to once aliases are followed. */
  maxExpandedNodes: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = { maxDepth: 500, maxExpandedNodes: 2_000_000 };

export class YamlParseError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.name = 'YamlParseError';
    this.offset = offset;
  }
}

/** A parsed document plus the positions of every key/item in it. */
export interface SourceDoc {
  value: unknown;
  /** Offset of the document's root node in the file. */
  offset: number;
  /** Shared by all documents of one file: collection → index of its record in `records`. */
  positions: Map<object, number>;
  /** Shared by all documents of one file; absent when there are no positions (objects built in memory). */
  records?: unknown[];
}

/**
 * Kubernetes decodes YAML as JSON-compatible data: no timestamps or binary (they stay strings),
 * merge keys (`<<`) allowed. Skipping the timestamp resolver is also measurably faster.
 */
export const KUBERNETES_SCHEMA = jsyaml.CORE_SCHEMA.extend({ implicit: [(jsyaml as unknown as { types: { merge: jsyaml.Type } }).types.merge] });

/**
 * Parse every document of `text` (or of the slice `start`..`end`) with positions. Throws
 * YamlParseError (with the offset) at the first bad document.
 */
export function parseDocuments(text: string, limits: ParseLimits = DEFAULT_PARSE_LIMITS, start = 0, end = text.length): SourceDoc[] {
  // A Map, not a WeakMap: it lives exactly as long as the file, and WeakMap entries cost GC time.
  const positions = new Map<object, number>();
  const records: unknown[] = [];
  const docs: SourceDoc[] = [];
  // Typed-array stacks instead of a frame object per node: this listener runs twice per YAML node.
  const depthLimit = limits.maxDepth;
  const frameStart = new Int32Array(depthLimit + 1); // offset where each open node starts
  const frameBase = new Int32Array(depthLimit + 1); // index into `acc` where the node's children begin
  const frameSize = new Float64Array(depthLimit + 1); // expanded node count so far
  let sp = 0;
  const acc: unknown[] = []; // [offset, value, offset, value, …] of children of open nodes
  let accLen = 0; // live length of `acc` (cheaper than truncating the array)
  let anchoredSize = new Map<unknown, number>();
  let expanded = 0;
  const source = start === 0 && end === text.length ? text : text.slice(start, end);
  const listener = (event: string, state: jsyaml.State): void => {
    if (event === 'open') {
      if (sp >= depthLimit) throw new YamlParseError(`nesting deeper than ${depthLimit} levels`, start + state.position);
      frameStart[sp] = start + state.position;
      frameBase[sp] = accLen;
      frameSize[sp] = 1;
      sp++;
      return;
    }
    if (sp === 0) return;
    sp--;
    const nodeStart = frameStart[sp]!;
    const base = frameBase[sp]!;
    let size = frameSize[sp]!;
    const st = state as unknown as { result: unknown; kind: string | null; anchor: string | null };
    const result = st.result;
    if (result !== null && typeof result === 'object') {
      if (st.kind === null) {
        // An alias (js-yaml leaves `kind` unset for them): count what it expands to, so a
        // billion-laughs document is refused before anything walks it.
        size = anchoredSize.get(result) ?? size;
      } else {
        if (st.anchor !== null) anchoredSize.set(result, size);
        // js-yaml may wrap a node in an outer attempt (a flow mapping first read as a possible
        // block-mapping key): that frame's only child is the node itself; keep the inner one.
        const wrapper = accLen === base + 2 && acc[base + 1] === result;
        if (accLen > base && !wrapper) {
          const at = records.length;
          if (Array.isArray(result)) {
            records.push((accLen - base) >> 1);
            for (let i = base; i < accLen; i += 2) records.push(acc[i]);
          } else {
            records.push((accLen - base + 2) >> 2);
            for (let i = base; i + 1 < accLen; i += 4) records.push(acc[i], acc[i + 1]);
          }
          positions.set(result, at);
        }
      }
    }
    accLen = base;
    expanded += size;
    if (expanded > limits.maxExpandedNodes) {
      throw new YamlParseError(`document expands to more than ${limits.maxExpandedNodes} nodes through aliases (alias bomb?)`, start + state.position);
    }
    if (sp > 0) {
      acc[accLen++] = nodeStart;
      acc[accLen++] = result;
      frameSize[sp - 1]! += size;
    } else {
      // A document's root node closed: anchors and the expansion budget are per document.
      docs.push({ value: result, offset: nodeStart, positions, records });
      anchoredSize = new Map();
      expanded = 0;
    }
  };
  try {
    jsyaml.loadAll(source, () => {}, { listener, schema: KUBERNETES_SCHEMA, maxDepth: limits.maxDepth } as jsyaml.LoadOptions);
  } catch (err) {
    if (err instanceof YamlParseError) throw err;
    if (err instanceof RangeError) throw new YamlParseError('nesting too deep to parse', start);
    const e = err as { reason?: string; mark?: { position?: number }; message?: string };
    const reason = e.reason?.startsWith('nesting exceeded maxDepth') ? `nesting deeper than ${limits.maxDepth} levels` : (e.reason ?? e.message ?? String(err));
    throw new YamlParseError(reason, start + (e.mark?.position ?? 0));
  }
  for (const d of docs) d.offset = skipToContent(text, d.offset);
  return docs;
}

/** js-yaml reports a node's start before its leading whitespace, comments and `---`. */
function skipToContent(text: string, offset: number): number {
  let i = offset;
  for (;;) {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
    if (text[i] === '#') {
      const nl = text.indexOf('\n', i);
      if (nl === -1) return text.length;
      i = nl + 1;
      continue;
    }
    if (text.startsWith('---', i)) {
      i += 3;
      continue;
    }
    return i;
  }
}

/** Offset where `key` (or item `key`) of `container` starts, if known. */
export function positionOf(doc: SourceDoc, container: object, key: string | number): number | undefined {
  const records = doc.records;
  const at = doc.positions.get(container);
  if (at === undefined || records === undefined) return undefined;
  const n = records[at] as number;
  if (Array.isArray(container)) {
    const i = typeof key === 'number' ? key : Number(key);
    return Number.isInteger(i) && i >= 0 && i < n ? (records[at + 1 + i] as number) : undefined;
  }
  const wanted = typeof key === 'string' ? key : String(key);
  const end = at + 1 + 2 * n;
  for (let i = at + 2; i < end; i += 2) {
    const k = records[i];
    if (k === wanted || (typeof k !== 'string' && String(k) === wanted)) return records[i - 1] as number;
  }
  return undefined;
}

/** Documents in a multi-document stream, split at `---` markers so one bad document spoils only itself. */
export interface DocSlice {
  start: number;
  end: number;
}

const DOC_MARKER = /^(?:---|\.\.\.)(?=[ \t]|\r?$)/gm;

/** Split at document markers. In YAML a `---`/`...` at column 0 always ends the document, even inside block scalars. */
export function splitDocuments(text: string): DocSlice[] {
  const slices: DocSlice[] = [];
  let start = 0;
  DOC_MARKER.lastIndex = 0;
  for (let m = DOC_MARKER.exec(text); m !== null; m = DOC_MARKER.exec(text)) {
    if (m[0] === '---') {
      if (m.index > start) slices.push({ start, end: m.index });
      start = m.index; // keep the marker: it may carry content (`--- {a: 1}`)
    } else {
      slices.push({ start, end: m.index });
      start = m.index + 3;
    }
  }
  if (start < text.length) slices.push({ start, end: text.length });
  return slices.filter((s) => !isBlank(text, s));
}

function isBlank(text: string, s: DocSlice): boolean {
  const body = text.slice(s.start, s.end).replace(/^---/, '');
  return /^(?:\s|#[^\n]*)*$/.test(body);
}

/** Lazily-built index from offsets to 1-based line/column. */
export class LineIndex {
  private starts: number[] | undefined;
  private readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  /** The line an offset was last found on: findings of one object are looked up close together. */
  private last = 0;
  locate(offset: number): { line: number; column: number } {
    const line = this.lineOf(offset);
    return { line: line + 1, column: offset - this.lineStart(line) + 1 };
  }
  /** 0-based line of `offset`. */
  lineOf(offset: number): number {
    const starts = (this.starts ??= lineStarts(this.text));
    const last = this.last;
    if (starts[last]! <= offset && (last + 1 === starts.length || starts[last + 1]! > offset)) return last;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    this.last = lo;
    return lo;
  }
  /** Offset where 0-based `line` starts. */
  lineStart(line: number): number {
    return (this.starts ??= lineStarts(this.text))[line]!;
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
