/** Which namespaces of a manifest set hold an object of a given kind (computed once per set and kind). */
import { type ManifestIndex, IndexMemo } from '../../manifests/index-set.ts';

const cache = new IndexMemo<Map<string, Set<string>>>();

export function namespacesHolding(index: ManifestIndex, kind: string): Set<string> {
  let byKind = cache.get(index);
  if (byKind === undefined) cache.set(index, (byKind = new Map()));
  let set = byKind.get(kind);
  if (set === undefined) {
    set = new Set();
    for (const r of index.ofKind(kind)) {
      const ns = index.namespaceOf(r);
      if (ns !== undefined) set.add(ns);
    }
    byKind.set(kind, set);
  }
  return set;
}
