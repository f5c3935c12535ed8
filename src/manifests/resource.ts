import type { Location, ResourceTarget } from '../core/finding.ts';
import type { Path } from './path.ts';
import { appendPath, asObject, asString } from './path.ts';
export { stringMap } from './path.ts';
import { LineIndex, stepRecord, type SourceDoc } from './yaml.ts';
import type { Workload } from './workload.ts';

/** A file (or stdin) the manifests came from; line numbers are computed only when a finding needs them. */
export interface SourceFile {
  /** As given by the user (relative paths stay relative), `<stdin>` for `-`. */
  path: string;
  text: string;
  lines: LineIndex;
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
 * long path prefixes (`spec.template.spec.containers[0].securityContext`), so the walk through
 * the position records and the formatted prefix of the last path are kept and reused.
 * After `go(path)`, `location()` and `fieldPath()` are what `locate(r, path)` and
 * `formatPath(path)` give.
 */
export class Locator {
  private readonly r: Resource;
  /** keys[i]: step i of the last path. */
  private readonly keys: Array<string | number> = [];
  /** texts[i]: formatPath of the first i steps. */
  private readonly texts: string[] = [''];
  /** After i steps, for i <= found: the value, its key's offset, and its position record. */
  private readonly nodes: unknown[] = [];
  private readonly offsets: number[] = [];
  private readonly records: number[] = [];
  /** Steps of the last path found in the position records (-1: the base path itself was not). */
  private found = 0;
  /** Steps of the last path. */
  private length = 0;
  private readonly step = { offset: 0, record: -1 };

  constructor(r: Resource) {
    this.r = r;
    const all = r.doc.records ?? [];
    let node: unknown = r.doc.value;
    let offset = r.doc.offset;
    let record = r.doc.root ?? -1;
    let ok = true;
    for (const part of r.basePath) {
      if (node === null || typeof node !== 'object' || !stepRecord(all, record, part, this.step)) {
        ok = false;
        break;
      }
      offset = this.step.offset;
      node = (node as Record<string | number, unknown>)[part];
      record = this.step.record;
    }
    this.nodes.push(node);
    this.offsets.push(offset);
    this.records.push(record);
    // With the base path unresolved, nothing below it is either: every location is the last offset found.
    if (!ok) this.found = -1;
  }

  /** Walk to `path`, reusing the prefix it shares with the last path. */
  go(path: Path): void {
    const keys = this.keys;
    let same = 0;
    const n = path.length;
    const max = n < this.length ? n : this.length;
    while (same < max && keys[same] === path[same]) same++;
    const texts = this.texts;
    for (let i = same; i < n; i++) {
      const part = path[i]!;
      keys[i] = part;
      texts[i + 1] = appendPath(texts[i]!, part);
    }
    this.length = n;
    if (this.found < 0) return;
    // found < same: the shared prefix already stopped at step `found`, and so does this path.
    let found = this.found < same ? this.found : same;
    if (found === same) {
      const all = this.r.doc.records ?? [];
      const { nodes, offsets, records, step } = this;
      for (; found < n; found++) {
        const node = nodes[found];
        const part = path[found]!;
        if (node === null || typeof node !== 'object' || !stepRecord(all, records[found]!, part, step)) break;
        const child = (node as Record<string | number, unknown>)[part];
        offsets[found + 1] = step.offset;
        records[found + 1] = step.record;
        nodes[found + 1] = child;
      }
    }
    this.found = found;
  }

  /** Location of the field at the current path, or of the deepest object on the way that exists. */
  location(): Location {
    const offset = this.offset();
    const source = this.r.source;
    const line = source.lines.lineOf(offset);
    return { file: source.path, line: line + 1, column: offset - source.lines.lineStart(line) + 1 };
  }

  /** Text offset of the current location. */
  offset(): number {
    return this.offsets[this.found < 0 ? 0 : this.found]!;
  }

  /** formatPath of the current path. */
  fieldPath(): string {
    return this.texts[this.length]!;
  }
}
