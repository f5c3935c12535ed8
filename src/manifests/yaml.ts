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

/** Key (or item index) → offset in the file, flattened as [key0, off0, key1, off1, …]. */
type Positions = Array<string | number>;

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
  /** Offset of the document's first content character in the file. */
  offset: number;
  positions: WeakMap<object, Positions>;
}

interface Frame {
  start: number;
  /** [offset, value, offset, value, …] of direct children, in source order. */
  children: unknown[];
  size: number;
}

const sizeOf = new WeakMap<object, number>();

/** Parse one YAML document (a slice of `text` from `start` to `end`). */
export function parseDocument(text: string, start: number, end: number, limits: ParseLimits = DEFAULT_PARSE_LIMITS): SourceDoc {
  const positions = new WeakMap<object, Positions>();
  const stack: Frame[] = [];
  let expanded = 0;
  // js-yaml reports positions relative to the string it was given; we parse a slice, so add `start`.
  const source = start === 0 && end === text.length ? text : text.slice(start, end);
  const listener = (event: string, state: jsyaml.State): void => {
    if (event === 'open') {
      if (stack.length >= limits.maxDepth) {
        throw new YamlParseError(`nesting deeper than ${limits.maxDepth} levels`, start + state.position);
      }
      stack.push({ start: start + state.position, children: [], size: 1 });
      return;
    }
    const frame = stack.pop();
    if (frame === undefined) return;
    const result = (state as unknown as { result: unknown }).result;
    let size = frame.size;
    if (result !== null && typeof result === 'object') {
      const known = sizeOf.get(result);
      if (known !== undefined && frame.children.length === 0) {
        // An alias: the same object again. Count what it expands to, so a billion-laughs
        // document is refused before anything walks it.
        size = known;
      } else {
        sizeOf.set(result, size);
        if (frame.children.length > 0) positions.set(result, childPositions(result, frame.children));
      }
    }
    expanded += size;
    if (expanded > limits.maxExpandedNodes) {
      throw new YamlParseError(`document expands to more than ${limits.maxExpandedNodes} nodes through aliases (alias bomb?)`, start + state.position);
    }
    const parent = stack[stack.length - 1];
    if (parent !== undefined) {
      parent.children.push(frame.start, result);
      parent.size += size;
    }
  };
  let value: unknown;
  try {
    value = jsyaml.load(source, { listener, json: false });
  } catch (err) {
    if (err instanceof YamlParseError) throw err;
    if (err instanceof RangeError) throw new YamlParseError('nesting too deep to parse', start);
    const e = err as { reason?: string; mark?: { position?: number }; message?: string };
    throw new YamlParseError(e.reason ?? e.message ?? String(err), start + (e.mark?.position ?? 0));
  }
  return { value, offset: start + firstContent(source), positions };
}

function childPositions(result: object, children: unknown[]): Positions {
  const out: Positions = [];
  if (Array.isArray(result)) {
    for (let i = 0; i < children.length; i += 2) out.push(i / 2, children[i] as number);
    return out;
  }
  // Mapping: children alternate key node, value node.
  for (let i = 0; i + 1 < children.length; i += 4) {
    const key = children[i + 1];
    out.push(typeof key === 'string' ? key : String(key), children[i] as number);
  }
  return out;
}

function firstContent(source: string): number {
  const re = /^(?!\s*(?:#.*)?$)/m;
  const m = re.exec(source);
  if (m === null) return 0;
  let i = m.index;
  while (i < source.length && (source[i] === ' ' || source[i] === '\t')) i++;
  return i;
}

/** Offset where `key` (or item `key`) of `container` starts, if known. */
export function positionOf(doc: SourceDoc, container: object, key: string | number): number | undefined {
  const pos = doc.positions.get(container);
  if (pos === undefined) return undefined;
  for (let i = 0; i < pos.length; i += 2) if (pos[i] === key) return pos[i + 1] as number;
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
  locate(offset: number): { line: number; column: number } {
    const starts = (this.starts ??= lineStarts(this.text));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
