import type { Location, ResourceTarget } from '../core/finding.ts';
import type { Path } from './path.ts';
import { appendPath, asObject, asString } from './path.ts';
export { stringMap } from './path.ts';
import { LineIndex, positionOf, type SourceDoc } from './yaml.ts';
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
  let node: unknown = r.doc.value;
  let offset = r.doc.offset;
  let found = true;
  const step = (part: string | number): void => {
    if (!found || node === null || typeof node !== 'object') {
      found = false;
      return;
    }
    const at = positionOf(r.doc, node, part);
    if (at === undefined) {
      found = false;
      return;
    }
    offset = at;
    node = (node as Record<string | number, unknown>)[part];
  };
  for (const part of r.basePath) step(part);
  for (const part of path) step(part);
  const { line, column } = r.source.lines.locate(offset);
  return { file: r.source.path, line, column };
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
  /** nodes[i] / offsets[i]: the value and its key's offset after i steps, for i <= found. */
  private readonly nodes: unknown[] = [];
  private readonly offsets: number[] = [];
  /** Steps of the last path found in the position records. */
  private found = 0;
  /** Steps of the last path known to be missing: found < length means step `found` is missing. */
  private length = 0;

  constructor(r: Resource) {
    this.r = r;
    let node: unknown = r.doc.value;
    let offset = r.doc.offset;
    let ok = true;
    for (const part of r.basePath) {
      const at = node !== null && typeof node === 'object' ? positionOf(r.doc, node, part) : undefined;
      if (at === undefined) {
        ok = false;
        break;
      }
      offset = at;
      node = (node as Record<string | number, unknown>)[part];
    }
    this.nodes.push(ok ? node : undefined);
    this.offsets.push(offset);
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
    let found = this.found < same ? this.found : same;
    const nodes = this.nodes;
    const offsets = this.offsets;
    const doc = this.r.doc;
    // found < same means the shared prefix already failed at step `found`: nothing more to walk.
    if (found === same) {
      for (; found < n; found++) {
        const node = nodes[found];
        if (node === null || typeof node !== 'object') break;
        const part = path[found]!;
        const at = positionOf(doc, node, part);
        if (at === undefined) break;
        offsets[found + 1] = at;
        nodes[found + 1] = (node as Record<string | number, unknown>)[part];
      }
    }
    this.found = found;
  }

  /** Location of the field at the current path, or of the deepest object on the way that exists. */
  location(): Location {
    const offset = this.offsets[this.found < 0 ? 0 : this.found]!;
    const source = this.r.source;
    const line = source.lines.lineOf(offset);
    return { file: source.path, line: line + 1, column: offset - source.lines.lineStart(line) + 1 };
  }

  /** formatPath of the current path. */
  fieldPath(): string {
    return this.texts[this.length]!;
  }
}
