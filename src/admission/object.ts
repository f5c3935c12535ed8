/**
 * An admitted object as the scanner's LoadResult, built straight from the decoded JSON: no
 * re-serialising and re-parsing per request. There is no source text, so findings point at
 * `admission:<uid>` line 1; the field path is what names the offending field.
 */
import { asObject, asString, stringMap } from '../manifests/path.ts';
import type { LoadResult } from '../manifests/load.ts';
import type { Resource, SourceFile } from '../manifests/resource.ts';
import { metadataOf } from '../manifests/resource.ts';
import { extractWorkload, type Workload } from '../manifests/workload.ts';
import { LineIndex } from '../manifests/yaml.ts';

/** `workload`: the object's, when the caller has it already (extractWorkload of this object and kind). */
export function loadedFromObject(name: string, object: Record<string, unknown>, workload?: Workload): LoadResult {
  const source: SourceFile = { path: name, text: '', lines: new LineIndex('') };
  const kind = asString(object['kind']) ?? '';
  const { metadata, name: objectName, namespace } = metadataOf(object);
  const resource: Resource = {
    apiVersion: asString(object['apiVersion']) ?? '',
    kind,
    name: objectName,
    namespace,
    object,
    metadata,
    labels: stringMap(metadata['labels']),
    annotations: stringMap(metadata['annotations']),
    source,
    doc: { value: object, offset: 0 },
    basePath: [],
    workload: workload ?? extractWorkload(kind, object),
  };
  return { files: [source], resources: [resource], errors: [], skippedDocuments: 0 };
}

/** Pod annotations that set a security profile: seccomp (before fields existed) and AppArmor. */
const SECURITY_ANNOTATION = /^(seccomp\.security\.alpha\.kubernetes\.io\/pod$|container\.seccomp\.security\.alpha\.kubernetes\.io\/|container\.apparmor\.security\.beta\.kubernetes\.io\/)/;

/**
 * What the built-in pod checks judge of a pod-bearing object, for comparing old and new on
 * UPDATE: its pod spec and the pod annotations that set seccomp or AppArmor profiles (Pod
 * Security Admission re-judges seccomp annotation changes too). Undefined for other kinds.
 */
export function podSecurityView(object: Record<string, unknown> | undefined): { spec: Record<string, unknown>; annotations: Record<string, string> } | undefined {
  if (object === undefined) return undefined;
  const workload = extractWorkload(asString(object['kind']) ?? '', object);
  if (workload === undefined) return undefined;
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(stringMap(workload.podMeta['annotations']))) if (SECURITY_ANNOTATION.test(k)) annotations[k] = v;
  return { spec: workload.podSpec, annotations };
}

export function hasDeletionTimestamp(object: Record<string, unknown> | undefined): boolean {
  return asObject(object?.['metadata'])?.['deletionTimestamp'] != null;
}

/** Structural equality of JSON values (objects from JSON.parse: no cycles, no prototypes). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
