import type { Location, ResourceTarget } from '../core/finding.ts';
import type { Path } from './path.ts';
import { asObject, asString, isObject } from './path.ts';
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
  const full = [...r.basePath, ...path];
  let node: unknown = r.doc.value;
  let offset = r.doc.offset;
  for (const part of full) {
    if (node === null || typeof node !== 'object') break;
    const at = positionOf(r.doc, node, part);
    if (at === undefined) break;
    offset = at;
    node = (node as Record<string | number, unknown>)[part];
  }
  const { line, column } = r.source.lines.locate(offset);
  return { file: r.source.path, line, column };
}

export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = v;
    else if (v !== null && v !== undefined && typeof v !== 'object') out[k] = String(v);
  }
  return out;
}

export function describeResource(r: Pick<Resource, 'kind' | 'name' | 'namespace'>): string {
  return `${r.kind}/${r.namespace !== undefined ? `${r.namespace}/` : ''}${r.name}`;
}

export function metadataOf(obj: Record<string, unknown>): { metadata: Record<string, unknown>; name: string; namespace: string | undefined } {
  const metadata = asObject(obj['metadata']) ?? {};
  return { metadata, name: asString(metadata['name']) ?? asString(metadata['generateName']) ?? '', namespace: asString(metadata['namespace']) };
}
