/**
 * NetworkPolicies of the inputs grouped by namespace, built once per manifest set.
 *
 * `spec.policyTypes` defaults as the API server applies them (shared with src/netpol):
 * `Ingress` always, plus `Egress` when `egress` is a non-empty list. A missing `podSelector`
 * decodes to the empty selector, which selects every pod in the namespace.
 */
import { type ManifestIndex, IndexMemo } from '../../manifests/index-set.ts';
import { podLabels } from '../../manifests/index-set.ts';
import { asObject } from '../../manifests/path.ts';
import { policyTypesOf } from '../../netpol/model.ts';
import type { Resource } from '../../manifests/resource.ts';
import { SelectorIndex } from '../../manifests/label-index.ts';

export interface PolicyInfo {
  resource: Resource;
  podSelector: Record<string, unknown>;
  ingress: boolean;
  egress: boolean;
}

const cache = new IndexMemo<Map<string, PolicyInfo[]>>();

export function policiesByNamespace(index: ManifestIndex): Map<string, PolicyInfo[]> {
  let byNs = cache.get(index);
  if (byNs !== undefined) return byNs;
  byNs = new Map();
  for (const r of index.ofKind('NetworkPolicy')) {
    const ns = index.namespaceOf(r) ?? index.defaultNamespace;
    let list = byNs.get(ns);
    if (list === undefined) byNs.set(ns, (list = []));
    list.push(describePolicy(r));
  }
  cache.set(index, byNs);
  return byNs;
}

function describePolicy(r: Resource): PolicyInfo {
  const spec = asObject(r.object['spec']) ?? {};
  const types = policyTypesOf(spec);
  return { resource: r, podSelector: asObject(spec['podSelector']) ?? {}, ingress: types.ingress, egress: types.egress };
}

const selecting = new IndexMemo<Map<string, SelectorIndex<PolicyInfo>>>();

/** The NetworkPolicies in the workload's namespace whose podSelector selects its pods. */
export function policiesSelecting(index: ManifestIndex, workload: Resource): PolicyInfo[] {
  let byNs = selecting.get(index);
  if (byNs === undefined) {
    byNs = new Map();
    for (const [ns, policies] of policiesByNamespace(index)) {
      const idx = new SelectorIndex<PolicyInfo>();
      for (const p of policies) idx.add(p, p.podSelector);
      byNs.set(ns, idx);
    }
    selecting.set(index, byNs);
  }
  const ns = index.namespaceOf(workload) ?? index.defaultNamespace;
  return byNs.get(ns)?.matching(podLabels(workload)) ?? [];
}
