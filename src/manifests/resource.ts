import type { Location, ResourceTarget } from '../core/finding.ts';
import type { Path } from './path.ts';
import { PathTexts, asObject, asString, type PathText } from './path.ts';
export { stringMap } from './path.ts';
import { LineIndex, reparseWithRecords, stepRecord, type SourceDoc } from './yaml.ts';
import { FOUND, NOT_FOUND, UNSURE, TextReader, type StepResult } from './text-positions.ts';
import type { Workload } from './workload.ts';

/** A file (or stdin) the manifests came from; line numbers are computed only when a finding needs them. */
export interface SourceFile {
  /** As given by the user (relative paths stay relative), `<stdin>` for `-`. */
  path: string;
  text: string;
  lines: LineIndex;
  /** Parses run again with position records (see reparseWithRecords), by start offset. */
  reparsed?: Map<number, SourceDoc[]>;
}

/** One Kubernetes object from the inputs, with a way back to its source. */
export interface Resource {
  apiVersion: string;
  kind: string;
  name: string;
  /** metadata.namespace as written; undefined when omitted. */
  namespace: string | undefined;
  object: Record<string, unknown>;
  metadata: Record<string, unknown>;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  source: SourceFile;
  doc: SourceDoc;
  /** Where the object sits inside its document: [] normally, ['items', 3] inside a List. */
  basePath: Path;
  /** Set for every pod-bearing kind. */
  workload: Workload | undefined;
}

export function resourceTarget(r: Resource): ResourceTarget {
  const t: ResourceTarget = { type: 'resource', apiVersion: r.apiVersion, kind: r.kind, name: r.name };
  if (r.namespace !== undefined) t.namespace = r.namespace;
  return t;
}

/**
 * Location of the field at `path` (relative to the resource). When the field is missing, the
 * location of the deepest object on the way that exists: the object that should hold it.
 */
export function locate(r: Resource, path: Path): Location {
  const locator = new Locator(r);
  locator.go(path);
  return locator.location();
}

export function describeResource(r: Pick<Resource, 'kind' | 'name' | 'namespace'>): string {
  return `${r.kind}/${r.namespace !== undefined ? `${r.namespace}/` : ''}${r.name}`;
}

export function metadataOf(obj: Record<string, unknown>): { metadata: Record<string, unknown>; name: string; namespace: string | undefined } {
  const metadata = asObject(obj['metadata']) ?? {};
  return { metadata, name: asString(metadata['name']) ?? asString(metadata['generateName']) ?? '', namespace: asString(metadata['namespace']) };
}

/**
 * Locations and field paths for many findings of one resource. Findings of a resource share
 * long path prefixes (`spec.template.spec.containers[0].securityContext`), so the walk to the
 * last path and its formatted prefix are kept and reused.
 * After `go(path)`, `location()` and `fieldPath()` are what `locate(r, path)` and
 * `formatPath(path)` give.
 *
 * Positions come from the text (text-positions.ts) when the document was parsed without position
 * records; where that reader is unsure, the document is parsed again with records and the walk
 * starts over on them. Both give the same offsets.
 */
export class Locator {
  private readonly r: Resource;
  /** keys[i]: step i of the last path. */
  private readonly keys: Array<string | number> = [];
  /** texts[i]: formatPath of the first i steps. */
  private readonly texts: PathText[];
  private readonly paths: PathTexts;
  /** The last location made, reused by findings at the same offset. */
  private lastOffset = -1;
  private lastLocation: Location | undefined;
  /** After i steps, for i <= found: the value, its key's offset, and its handle (position record, or text handle). */
  private readonly nodes: unknown[] = [];
  private readonly offsets: number[] = [];
  private readonly handles: number[] = [];
  /** Steps of the last path found (-1: the base path itself was not). */
  private found = 0;
  /** Steps of the last path. */
  private length = 0;
  private readonly step = { offset: 0, record: -1 };
  /** Position records, or undefined while positions are read from the text. */
  private records: readonly unknown[] | undefined;
  /** Reads positions from the text (for a List, shared by the resources of its document). */
  private reader: TextReader | undefined;

  /** `paths`: formatted paths shared with other Locators of the scan. */
  constructor(r: Resource, paths: PathTexts = new PathTexts()) {
    this.r = r;
    this.paths = paths;
    this.texts = [paths.root];
    const doc = r.doc;
    this.records = doc.records ?? (doc.reparse === undefined ? [] : undefined);
    this.walkBase();
  }

  /** Resolves the resource's base path (inside a List) as step 0. */
  private walkBase(): void {
    const doc = this.r.doc;
    let node: unknown = doc.value;
    let offset = doc.offset;
    let handle = this.records === undefined ? doc.offset : (doc.root ?? -1);
    let ok = true;
    for (const part of this.r.basePath) {
      const result = node === null || typeof node !== 'object' ? NOT_FOUND : this.stepOnce(node, handle, part);
      if (result === UNSURE) return this.useRecords();
      if (result === NOT_FOUND) {
        ok = false;
        break;
      }
      offset = this.step.offset;
      node = (node as Record<string | number, unknown>)[part];
      handle = this.step.record;
    }
    this.nodes[0] = node;
    this.offsets[0] = offset;
    this.handles[0] = handle;
    // With the base path unresolved, nothing below it is either: every location is the last offset found.
    this.found = ok ? 0 : -1;
  }

  private stepOnce(node: object, handle: number, part: string | number): StepResult {
    if (this.records !== undefined) return stepRecord(this.records, handle, part, this.step) ? FOUND : NOT_FOUND;
    this.reader ??= this.r.basePath.length > 0 ? (this.r.doc.reader ??= new TextReader(this.r.source.text, this.r.doc.offset)) : new TextReader(this.r.source.text, this.r.doc.offset);
    return this.reader.step(node, handle, part, this.step);
  }

  /** The text reader was unsure: parse the document again with position records and walk those. */
  private useRecords(): void {
    const doc = this.r.doc;
    if (doc.records === undefined) {
      const source = this.r.source;
      const again = reparseWithRecords(source.text, doc, (source.reparsed ??= new Map()));
      doc.records = again?.records ?? [];
      doc.root = again?.root ?? -1;
    }
    this.records = doc.records;
    this.reader = undefined;
    this.walkBase();
  }

  /** Walk to `path`, reusing the prefix it shares with the last path. */
  go(path: Path): void {
    const keys = this.keys;
    let same = 0;
    const n = path.length;
    const max = n < this.length ? n : this.length;
    while (same < max && keys[same] === path[same]) same++;
    const texts = this.texts;
    const paths = this.paths;
    for (let i = same; i < n; i++) {
      const part = path[i]!;
      keys[i] = part;
      texts[i + 1] = paths.child(texts[i]!, part);
    }
    this.length = n;
    this.walk(path, same);
  }

  private walk(path: Path, same: number): void {
    if (this.found < 0) return;
    // found < same: the shared prefix already stopped at step `found`, and so does this path.
    let found = this.found < same ? this.found : same;
    const n = path.length;
    if (found === same) {
      const { nodes, offsets, handles, step } = this;
      for (; found < n; found++) {
        const node = nodes[found];
        const part = path[found]!;
        if (node === null || typeof node !== 'object') break;
        const result = this.stepOnce(node, handles[found]!, part);
        if (result === UNSURE) {
          this.useRecords();
          this.walk(path, 0);
          return;
        }
        if (result === NOT_FOUND) break;
        offsets[found + 1] = step.offset;
        handles[found + 1] = step.record;
        nodes[found + 1] = (node as Record<string | number, unknown>)[part];
      }
    }
    this.found = found;
  }

  /** Location of the field at the current path, or of the deepest object on the way that exists. */
  location(): Location {
    const offset = this.offset();
    // Findings of one field share a location: never modified once made.
    if (offset === this.lastOffset) return this.lastLocation!;
    const source = this.r.source;
    const line = source.lines.lineOf(offset);
    this.lastOffset = offset;
    return (this.lastLocation = { file: source.path, line: line + 1, column: offset - source.lines.lineStart(line) + 1 });
  }

  /** Text offset of the current location. */
  offset(): number {
    return this.offsets[this.found < 0 ? 0 : this.found]!;
  }

  /** formatPath of the current path. */
  fieldPath(): string {
    return this.texts[this.length]!.text;
  }
}
