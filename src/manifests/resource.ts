import type { Location, ResourceTarget } from '../core/finding.ts';
import type { Path } from './path.ts';
import { asObject, asString } from './path.ts';
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
