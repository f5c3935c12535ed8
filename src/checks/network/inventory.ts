/**
 * Per-namespace lists of workloads and Services, built once per manifest set so that joins
 * (Service → pods, NetworkPolicy → pods, Ingress → Service) stay linear in the input size.
 */
import { type ManifestIndex, IndexMemo } from '../../manifests/index-set.ts';
import { podLabels } from '../../manifests/index-set.ts';
import type { Resource } from '../../manifests/resource.ts';

export interface Labelled {
  resource: Resource;
  labels: Record<string, string>;
}

interface Inventory {
  workloads: Map<string, Labelled[]>;
  services: Map<string, Labelled[]>;
  workloadCount: number;
  serviceCount: number;
}

const cache = new IndexMemo<Inventory>();

export function inventory(index: ManifestIndex): Inventory {
  let inv = cache.get(index);
  if (inv !== undefined) return inv;
  inv = { workloads: new Map(), services: new Map(), workloadCount: 0, serviceCount: 0 };
  for (const r of index.all) {
    const ns = index.namespaceOf(r);
    if (ns === undefined) continue;
    if (r.workload !== undefined) {
      push(inv.workloads, ns, { resource: r, labels: podLabels(r) });
      inv.workloadCount++;
    } else if (r.kind === 'Service') {
      push(inv.services, ns, { resource: r, labels: r.labels });
      inv.serviceCount++;
    }
  }
  cache.set(index, inv);
  return inv;
}

function push(map: Map<string, Labelled[]>, key: string, value: Labelled): void {
  let list = map.get(key);
  if (list === undefined) map.set(key, (list = []));
  list.push(value);
}
