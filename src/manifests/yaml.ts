/**
 * YAML/JSON documents with source positions.
 *
 * js-yaml is used for speed (about 10× faster than a CST-based parser on manifests); its
 * parse-event listener gives us the offset where every key and sequence item starts, which we
 * keep in one flat record array per file (see `SourceDoc`). Line/column are computed only when asked.
 *
 * Hostile input guards live here: nesting depth, alias expansion (billion laughs) and
 * duplicate keys (rejected, as kubectl's strict decoder does). Merge keys (`<<`) are applied as
 * Kubernetes' go-yaml v2 applies them (mergeAsKubernetes), not as js-yaml does.
 */
import jsyaml from 'js-yaml';
import type { TextReader } from './text-positions.ts';
import { KUBERNETES_SCHEMA } from './yaml-schema.ts';

/**
 * Where the children of every collection start, for one file, in one flat array `records`
 * (almost nothing for the garbage collector to copy while the whole manifest set stays in
 * memory, and no keyed lookups). A record is its size, then one entry per child:
 * - a mapping: n, then n × (key offset, key, record of the value or -1);
 * - a sequence: -n - 1, then n × (item offset, record of the item or -1).
 * A path is followed from the document's `root` record, one record per step. An empty sequence
 * item (`-` alone) has no parse events and gets offset -1; a key without a value gets record -1.
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

/** A parsed document plus, when recorded, the positions of every key/item in it. */
export interface SourceDoc {
  value: unknown;
  /** Offset of the document's root node in the file. */
  offset: number;
  /**
   * Shared by all documents of one parse; absent when positions were not recorded (they are then
   * read from the text on demand, see text-positions.ts) or there is no text (objects built in memory).
   */
  records?: unknown[];
  /** The root node's record in `records`; -1 or absent when none. */
  root?: number;
  /**
   * For a document parsed without records: `parseDocuments(text, limits, start, end)[index]` is
   * this document again, with records (what positions fall back to when the text reader is unsure).
   */
  reparse?: { start: number; end: number; index: number; limits: ParseLimits };
  /** A List's text reader, shared by the resources of the document (see Locator). */
  reader?: TextReader;
}

/**
 * Position records for a document parsed without them: its parse is run again with records.
 * `cache` (one per file) keeps each parse, for the other documents it produced.
 */
export function reparseWithRecords(text: string, doc: SourceDoc, cache: Map<number, SourceDoc[]>): SourceDoc | undefined {
  const again = doc.reparse;
  if (again === undefined) return undefined;
  let docs = cache.get(again.start);
  if (docs === undefined) {
    try {
      docs = parseDocuments(text, again.limits, again.start, again.end);
    } catch {
      docs = []; // parsed fine before; positions simply stay unknown
    }
    cache.set(again.start, docs);
  }
  return docs[again.index];
}

/**
 * A mapping with merge keys (`<<`), made what Kubernetes makes of it. kubectl and the API server
 * read YAML with go-yaml v2, which applies a merge where it is written: its keys replace those
 * before it (explicit or merged) and later keys replace its own; of a sequence of mappings the
 * first wins. js-yaml keeps keys written before a merge, so `{privileged: false, <<: {privileged:
 * true}}` would read false here and true in the cluster. `pairs`: keys and values as written.
 */
function mergeAsKubernetes(obj: Record<string, unknown>, pairs: ReadonlyArray<[unknown, unknown]>, offset: number): Map<string, number> {
  // A quoted "<<" is an ordinary key, but in `pairs` it looks like a merge: not worth guessing.
  if (Object.hasOwn(obj, '<<')) throw new YamlParseError('a mapping with both a merge key (<<) and a quoted "<<" key', offset);
  const out = new Map<string, unknown>();
  const from = new Map<string, number>(); // key → the pair its value came from
  pairs.forEach(([key, value], j) => {
    const assign = (source: unknown): void => {
      for (const k of Object.keys(source as object)) {
        out.set(k, (source as Record<string, unknown>)[k]);
        from.set(k, j);
      }
    };
    if (key === '<<') {
      if (Array.isArray(value)) for (let i = value.length - 1; i >= 0; i--) assign(value[i]);
      else assign(value);
    } else {
      if (key !== null && typeof key === 'object') throw new YamlParseError('a mapping with a merge key (<<) and a complex key', offset);
      // js-yaml reports an empty node for a `---`/`...` after a top-level mapping: no key. (A real
      // null key is refused by Kubernetes: no JSON for it.)
      if (key === null) return;
      out.set(String(key), value);
      from.set(String(key), j);
    }
  });
  for (const k of Object.keys(obj)) delete obj[k];
  for (const [k, v] of out) Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
  return from;
}

/**
 * Kubernetes decodes YAML as JSON-compatible data: no timestamps or binary (they stay strings),
 * merge keys (`<<`) allowed. Skipping the timestamp resolver is also measurably faster.
 */
export { KUBERNETES_SCHEMA } from './yaml-schema.ts';

/**
 * Parse every document of `text` (or of the slice `start`..`end`) with positions. Throws
 * YamlParseError (with the offset) at the first bad document.
 */
export function parseDocuments(text: string, limits: ParseLimits = DEFAULT_PARSE_LIMITS, start = 0, end = text.length): SourceDoc[] {
  return parse(text, limits, start, end, true);
}

/**
 * parseDocuments without position records: the same documents, checks and errors, about a
 * quarter cheaper. Positions are then read from the text when a finding needs them.
 */
export function parseDocumentsLazily(text: string, limits: ParseLimits = DEFAULT_PARSE_LIMITS, start = 0, end = text.length): SourceDoc[] {
  return parse(text, limits, start, end, false);
}

function parse(text: string, limits: ParseLimits, start: number, end: number, withRecords: boolean): SourceDoc[] {
  const records: unknown[] = [];
  const docs: SourceDoc[] = [];
  // Typed-array stacks instead of a frame object per node: this listener runs twice per YAML node.
  const depthLimit = limits.maxDepth;
  const frameStart = new Int32Array(depthLimit + 1); // offset where each open node starts
  const frameBase = new Int32Array(depthLimit + 1); // index into `acc` where the node's children begin
  const frameSize = new Float64Array(depthLimit + 1); // expanded node count so far
  let sp = 0;
  const acc: unknown[] = []; // [offset, value, record, offset, value, record, …] of children of open nodes
  let accLen = 0; // live length of `acc` (cheaper than truncating the array)
  const accEnd: number[] = []; // where each child in `acc` ends: accEnd[i / 3] for the child at acc[i]
  // Anchored nodes of the current document (created on the first anchor: most documents have none).
  let anchoredSize: Map<unknown, number> | undefined;
  let anchoredRecord: Map<unknown, number> | undefined;
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
    let record = -1;
    if (result !== null && typeof result === 'object') {
      if (st.kind === null) {
        // An alias (js-yaml leaves `kind` unset for them): count what it expands to, so a
        // billion-laughs document is refused before anything walks it. Its positions are the anchor's.
        size = anchoredSize?.get(result) ?? size;
        record = anchoredRecord?.get(result) ?? -1;
      } else {
        // js-yaml may wrap a node in an outer attempt (a flow mapping first read as a possible
        // block-mapping key): that frame's only child is the node itself; keep the inner one.
        if (accLen === base + 3 && acc[base + 1] === result) record = acc[base + 2] as number;
        else if (accLen > base) {
          record = records.length;
          const entries = (accLen - base) / 3;
          if (Array.isArray(result)) {
            records.push(-result.length - 1);
            if (entries === result.length) for (let i = base; i < accLen; i += 3) records.push(acc[i], acc[i + 2]);
            else placeItems(text, result as unknown[], acc, accEnd, base, accLen, nodeStart, records);
          } else {
            // Children alternate key, value, except a key without a value (`? k`, `{a, b: 1}`):
            // a key's value is the next entry only when the object holds that entry under the key.
            const obj = result as Record<string, unknown>;
            const head = records.length;
            records.push(0);
            let pairs = 0;
            let merges: Array<[unknown, unknown]> | undefined;
            for (let i = base; i < accLen; pairs++) {
              const key = acc[i + 1];
              const next = i + 3 < accLen ? acc[i + 4] : undefined;
              const value = obj[key as string];
              const paired = i + 3 < accLen && (key === '<<' || value === next || (value !== value && next !== next));
              if (key === '<<') merges ??= [];
              records.push(keyStart(text, acc[i] as number), key, paired ? acc[i + 5] : -1);
              i += paired ? 6 : 3;
            }
            records[head] = pairs;
            if (merges !== undefined) {
              // The same pairing again, now for the values (a key without one holds null).
              for (let i = base; i < accLen; ) {
                const key = acc[i + 1];
                const next = i + 3 < accLen ? acc[i + 4] : undefined;
                const value = obj[key as string];
                const paired = i + 3 < accLen && (key === '<<' || value === next || (value !== value && next !== next));
                merges.push([key, paired ? next : null]);
                i += paired ? 6 : 3;
              }
              // A key a later merge replaced is reported where that merge is written.
              const from = mergeAsKubernetes(obj, merges, nodeStart);
              merges.forEach(([key], j) => {
                const m = key === '<<' ? j : (from.get(String(key)) ?? j);
                if (m !== j) {
                  records[head + 1 + 3 * j] = records[head + 1 + 3 * m];
                  records[head + 3 + 3 * j] = -1;
                }
              });
            }
          }
        }
        if (st.anchor !== null) {
          (anchoredSize ??= new Map()).set(result, size);
          (anchoredRecord ??= new Map()).set(result, record);
        }
      }
    }
    accLen = base;
    expanded += size;
    if (expanded > limits.maxExpandedNodes) {
      throw new YamlParseError(`document expands to more than ${limits.maxExpandedNodes} nodes through aliases (alias bomb?)`, start + state.position);
    }
    if (sp > 0) {
      accEnd[accLen / 3] = start + state.position;
      acc[accLen++] = nodeStart;
      acc[accLen++] = result;
      acc[accLen++] = record;
      frameSize[sp - 1]! += size;
    } else {
      // A document's root node closed: anchors and the expansion budget are per document.
      docs.push({ value: result, offset: nodeStart, records, root: record });
      anchoredSize = undefined;
      anchoredRecord = undefined;
      expanded = 0;
    }
  };
  // Without records only the guards run: depth, and node counts through aliases.
  const lean = (event: string, state: jsyaml.State): void => {
    if (event === 'open') {
      if (sp >= depthLimit) throw new YamlParseError(`nesting deeper than ${depthLimit} levels`, start + state.position);
      frameStart[sp] = start + state.position;
      frameSize[sp] = 1;
      sp++;
      return;
    }
    if (sp === 0) return;
    sp--;
    let size = frameSize[sp]!;
    const st = state as unknown as { result: unknown; kind: string | null; anchor: string | null };
    const result = st.result;
    if (result !== null && typeof result === 'object') {
      if (st.kind === null) size = anchoredSize?.get(result) ?? size;
      else if (st.anchor !== null) (anchoredSize ??= new Map()).set(result, size);
    }
    expanded += size;
    if (expanded > limits.maxExpandedNodes) {
      throw new YamlParseError(`document expands to more than ${limits.maxExpandedNodes} nodes through aliases (alias bomb?)`, start + state.position);
    }
    if (sp > 0) frameSize[sp - 1]! += size;
    else {
      docs.push({ value: result, offset: frameStart[0]!, reparse: { start, end, index: docs.length, limits } });
      anchoredSize = undefined;
      expanded = 0;
    }
  };
  // Without anchors (no `&` anywhere) there are no aliases: every node counts once, no sizes needed.
  let rootStart = 0;
  const plain = (event: string, state: jsyaml.State): void => {
    if (event === 'open') {
      if (sp >= depthLimit) throw new YamlParseError(`nesting deeper than ${depthLimit} levels`, start + state.position);
      if (sp === 0) rootStart = start + state.position;
      sp++;
      return;
    }
    if (sp === 0) return;
    sp--;
    if (++expanded > limits.maxExpandedNodes) {
      throw new YamlParseError(`document expands to more than ${limits.maxExpandedNodes} nodes through aliases (alias bomb?)`, start + state.position);
    }
    if (sp === 0) {
      docs.push({ value: (state as unknown as { result: unknown }).result, offset: rootStart, reparse: { start, end, index: docs.length, limits } });
      expanded = 0;
    }
  };
  // Merge keys are read as Kubernetes reads them only on the recording path (it knows key order):
  // a lazy parse of text with `<<` records too, then keeps its documents as lazy ones.
  const lazyWithMerges = !withRecords && source.includes('<<');
  // Constructs js-yaml nests or splits otherwise than go-yaml are refused (rare: cheap text tests first).
  const emptyItemHint = EMPTY_ITEM_HINT.test(source);
  if (source.includes('&') && source.includes('!')) refuseAnchorsAfterTagLines(source, start);
  try {
    let chosen = withRecords || lazyWithMerges ? listener : source.includes('&') ? lean : plain;
    if (FLOW_COLON_HINT.test(source)) chosen = refusingPlainColons(chosen, source, start);
    jsyaml.loadAll(source, () => {}, { listener: chosen, schema: KUBERNETES_SCHEMA, maxDepth: limits.maxDepth } as jsyaml.LoadOptions);
  } catch (err) {
    if (err instanceof YamlParseError) throw err;
    if (err instanceof RangeError) throw new YamlParseError('nesting too deep to parse', start);
    const e = err as { reason?: string; mark?: { position?: number }; message?: string };
    const reason = e.reason?.startsWith('nesting exceeded maxDepth') ? `nesting deeper than ${limits.maxDepth} levels` : (e.reason ?? e.message ?? String(err));
    throw new YamlParseError(reason, start + (e.mark?.position ?? 0));
  }
  // The misnested item always sits beside the empty item's null: without a null item anywhere,
  // a matching line is text inside a block scalar (a Markdown list), not the construct.
  if (emptyItemHint && docs.some((d) => hasNullItem(d.value))) refuseEmptyItemsBeforeOuterItems(source, start);
  for (const d of docs) d.offset = skipToContent(text, d.offset);
  if (lazyWithMerges) return docs.map((d, index) => ({ value: d.value, offset: d.offset, reparse: { start, end, index, limits } }));
  return docs;
}

/** Whether a sequence anywhere in `v` holds a null item. Each node is walked once: aliases share nodes, and a walk of every path through them could take exponential time. */
function hasNullItem(v: unknown, seen: Set<object> = new Set()): boolean {
  if (v === null || typeof v !== 'object' || seen.has(v)) return false;
  seen.add(v);
  if (Array.isArray(v)) return v.some((x) => x === null || hasNullItem(x, seen));
  for (const k in v as Record<string, unknown>) if (hasNullItem((v as Record<string, unknown>)[k], seen)) return true;
  return false;
}

/** A `-` with nothing after it but a comment: perhaps an empty block sequence item. */
const EMPTY_ITEM_HINT = /(?:^|[ \t\uFEFF])-[ \t]*(?:#|\r|$)/m;
/** A line ending with an empty item: indentation, items of compact sequences (`- - `), then the `-`. */
const EMPTY_ITEM_LINE = /^\uFEFF?([ \t]*(?:-[ \t]+)*)-[ \t]*(?:#.*)?\r?$/gm;

/**
 * An empty block sequence item followed by an item of an outer sequence (`- - x\n  -\n- y`):
 * js-yaml puts that item (`y`) in the inner sequence, go-yaml in the outer one, where Kubernetes
 * sees it. A container written there would be a volume mount to bosun and run in the cluster.
 * (Lines inside block scalars may look the same: refused too, never misread.)
 */
function refuseEmptyItemsBeforeOuterItems(source: string, start: number): void {
  EMPTY_ITEM_LINE.lastIndex = 0;
  for (let m = EMPTY_ITEM_LINE.exec(source); m !== null; m = EMPTY_ITEM_LINE.exec(source)) {
    const column = m[1]!.length;
    const dash = m.index + (m[0].charCodeAt(0) === 0xfeff ? 1 : 0) + column;
    // the next line with content, past blank and comment lines
    let i = m.index + m[0].length;
    for (;;) {
      if (i >= source.length) break;
      i++; // the line break
      let j = i;
      while (source.charCodeAt(j) === 32) j++;
      const c = source.charCodeAt(j);
      if (c === 9 || c === 13 || c === 10 || c === 35 /* # */ || j >= source.length) {
        const nl = source.indexOf('\n', j);
        if (nl < 0) break;
        i = nl;
        continue;
      }
      if (j - i < column && c === 45 /* - */ && (j + 1 >= source.length || isSpaceOrBreak(source.charCodeAt(j + 1)))) {
        throw new YamlParseError('an empty sequence item (`-` alone) followed by an item of an outer sequence: Kubernetes nests them otherwise', start + dash);
      }
      break;
    }
    if (EMPTY_ITEM_LINE.lastIndex === m.index) EMPTY_ITEM_LINE.lastIndex++;
  }
}

/**
 * A line ending with a node's tag (after `key: `, `- `, `? ` or alone; perhaps an anchor before it
 * and a comment after it): an empty node with a tag. (`a && !b` in a scalar is no tag.)
 */
const TAG_LINE_END = /(?:^[ \t\uFEFF]*|[:?-][ \t]+)(?:&\S+[ \t]+)?![^\s]*[ \t]*(?:#.*)?\r?$/gm;

/**
 * A tag ending its line, then a line starting with an anchor (`a: !!str\n&x b: 1`): js-yaml gives
 * the anchor to the tagged empty node (`*x` is ""), go-yaml to the node it precedes (`*x` is "b").
 */
function refuseAnchorsAfterTagLines(source: string, start: number): void {
  TAG_LINE_END.lastIndex = 0;
  for (let m = TAG_LINE_END.exec(source); m !== null; m = TAG_LINE_END.exec(source)) {
    const next = nextContent(source, m.index + m[0].length);
    // (`&&` continuing a CEL expression is no anchor)
    if (next >= 0 && source.charCodeAt(next) === 38 /* & */ && source.charCodeAt(next + 1) !== 38 && !isSpaceOrBreak(source.charCodeAt(next + 1))) {
      throw new YamlParseError('an anchor (&) starting the line after a tag that ends its line: Kubernetes gives the anchor to another node', start + next);
    }
    if (TAG_LINE_END.lastIndex === m.index) TAG_LINE_END.lastIndex++;
  }
}

/** The first character of the next line with content after the line ending at `end` (past blank and comment lines), or -1. */
function nextContent(source: string, end: number): number {
  let i = end;
  while (i < source.length) {
    i++; // the line break
    while (source.charCodeAt(i) === 32 || source.charCodeAt(i) === 9) i++;
    const c = source.charCodeAt(i);
    if (c === 13 || c === 10 || c === 35 /* # */) {
      const nl = source.indexOf('\n', i);
      if (nl < 0) return -1;
      i = nl;
      continue;
    }
    return i < source.length ? i : -1;
  }
  return -1;
}

/** `:` then `,`, `]` or `}`: in a flow collection, perhaps a plain scalar's colon to go-yaml. */
const FLOW_COLON_HINT = /:[,\]}]/;

/**
 * `listener`, refusing a plain scalar that ends where `:` is followed by `,`, `]` or `}`: in a flow
 * collection js-yaml reads that colon as the value indicator (`{a:}` is a: null), go-yaml as part
 * of the scalar (`{"a:": null}`, `{a :}` is `{"a :": null}`, `[a:]` is ["a:"]).
 */
function refusingPlainColons(listener: (event: string, state: jsyaml.State) => void, source: string, start: number): (event: string, state: jsyaml.State) => void {
  const opened: number[] = [];
  const bom = source.charCodeAt(0) === 0xfeff ? 1 : 0; // js-yaml drops it and counts without it
  return (event, state) => {
    const st = state as unknown as { position: number; kind: string | null };
    if (event === 'open') opened.push(st.position + bom);
    else {
      const from = opened.pop() ?? 0;
      const p = st.position + bom;
      const next = source.charCodeAt(p + 1);
      if (st.kind === 'scalar' && source.charCodeAt(p) === 58 /* : */ && (next === 44 || next === 93 || next === 125) && startsPlain(source, from, p)) {
        throw new YamlParseError('a plain scalar followed by ":" and "," "]" or "}" in a flow collection ({a:}): Kubernetes reads the colon as part of the scalar', start + p);
      }
    }
    listener(event, state);
  };
}

/** Whether the node written from `from` (properties first) up to `to` is a plain scalar: not quoted, not an alias. */
function startsPlain(source: string, from: number, to: number): boolean {
  let i = from;
  while (i < to) {
    const c = source.charCodeAt(i);
    if (isSpaceOrBreak(c)) i++;
    else if (c === 33 /* ! */ || c === 38 /* & */) {
      while (i < to && !isSpaceOrBreak(source.charCodeAt(i))) i++;
    } else return c !== 34 /* " */ && c !== 39 /* ' */ && c !== 42; /* * */
  }
  return true;
}

/**
 * Records of a block sequence with empty items (`-` alone: js-yaml emits no parse events for
 * them, and makes them null). Matching the children to the items by value alone would give an
 * empty item the position of a later `- null`; instead the item indicators in the text between
 * two children (outside comments) say how many empty items lie between them.
 */
function placeItems(text: string, items: unknown[], acc: unknown[], accEnd: number[], base: number, accLen: number, seqStart: number, records: unknown[]): void {
  let item = 0;
  let from = seqStart;
  for (let i = base; i < accLen; i += 3) {
    const own = acc[i] as number;
    // the indicators before this child: its own, and one per empty item before it
    const empty = Math.max(0, countItemIndicators(text, from, own) - 1);
    for (let e = 0; e < empty && item < items.length; e++, item++) records.push(-1, -1);
    const value = acc[i + 1];
    if (item >= items.length || !(items[item] === value || (value !== value && items[item] !== items[item]))) {
      break; // the text did not line up with the parsed items: no position is better than a wrong one
    }
    records.push(own, acc[i + 2]);
    item++;
    from = accEnd[i / 3]!;
  }
  for (; item < items.length; item++) records.push(-1, -1);
}

/** A key's first character: for `? key` js-yaml reports the key from the space after the `?`. */
function keyStart(text: string, offset: number): number {
  let i = offset;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) i++;
    else if (c === 35 /* # */ && i > offset) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return offset;
      i = nl + 1;
    } else return i;
  }
}

/** `-` item indicators in text[from, to): a dash after a line start, space or tab, before a space, tab or line break; comments skipped. */
function countItemIndicators(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 35 /* # */ && (i === 0 || isSpaceOrBreak(text.charCodeAt(i - 1)))) {
      const nl = text.indexOf('\n', i);
      if (nl < 0 || nl >= to) break;
      i = nl;
    } else if (c === 45 /* - */ && (i === 0 || isSpaceOrBreak(text.charCodeAt(i - 1))) && (i + 1 >= text.length || isSpaceOrBreak(text.charCodeAt(i + 1)))) count++;
  }
  return count;
}

function isSpaceOrBreak(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
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

/**
 * Where child `key` of the collection with record `record` starts: sets `step.offset` and
 * `step.record` (the child's own record, -1 when none) and returns true, or returns false when
 * the record does not hold that key or item.
 */
export function stepRecord(records: readonly unknown[], record: number, key: string | number, step: { offset: number; record: number }): boolean {
  if (record < 0) return false;
  const head = records[record] as number;
  if (head < 0) {
    const n = -head - 1;
    const i = typeof key === 'number' ? key : Number(key);
    if (!Number.isInteger(i) || i < 0 || i >= n) return false;
    const offset = records[record + 1 + 2 * i] as number;
    if (offset < 0) return false; // an empty item
    step.offset = offset;
    step.record = records[record + 2 + 2 * i] as number;
    return true;
  }
  const wanted = typeof key === 'string' ? key : String(key);
  const end = record + 1 + 3 * head;
  for (let i = record + 2; i < end; i += 3) {
    const k = records[i];
    if (k === wanted || (typeof k !== 'string' && String(k) === wanted)) {
      step.offset = records[i - 1] as number;
      step.record = records[i + 1] as number;
      return true;
    }
  }
  return false;
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
