/**
 * Where a namespace-level finding attaches: the Namespace object when it is in the inputs, else
 * the first pod-bearing resource in that namespace. Computed once per manifest set, so a
 * namespace is reported exactly once.
 */
import { type ManifestIndex, IndexMemo } from '../../manifests/index-set.ts';
import type { Resource } from '../../manifests/resource.ts';

const cache = new IndexMemo<Map<string, Resource>>();

export function namespaceAnchors(index: ManifestIndex): Map<string, Resource> {
  let anchors = cache.get(index);
  if (anchors !== undefined) return anchors;
  anchors = new Map();
  for (const ns of index.ofKind('Namespace')) if (!anchors.has(ns.name)) anchors.set(ns.name, ns);
  for (const r of index.all) {
    if (r.workload === undefined) continue;
    const ns = index.namespaceOf(r);
    if (ns !== undefined && !anchors.has(ns)) anchors.set(ns, r);
  }
  cache.set(index, anchors);
  return anchors;
}

/** The namespace `r` anchors findings for, if any. */
export function anchoredNamespace(index: ManifestIndex, r: Resource): string | undefined {
  const ns = r.kind === 'Namespace' ? r.name : index.namespaceOf(r);
  if (ns === undefined) return undefined;
  return namespaceAnchors(index).get(ns) === r ? ns : undefined;
}
