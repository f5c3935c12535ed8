/** Builds the PodView the checks read: one pass over the pod's containers. */
import { CONTAINER_GROUPS } from '../manifests/workload.ts';
import { asObject } from '../manifests/path.ts';
import type { PodContainer, PodView } from './check.ts';
import type { PssPod } from './types.ts';

export function podView(pod: PssPod): PodView {
  const spec = pod.spec;
  const containers: PodContainer[] = [];
  for (const group of CONTAINER_GROUPS) {
    const list = spec[group];
    if (!Array.isArray(list)) continue;
    for (let index = 0; index < list.length; index++) {
      const container = asObject(list[index]);
      if (container === undefined) continue;
      const name = typeof container.name === 'string' ? container.name : '';
      containers.push({ name, group, index, path: ['spec', group, index], container, securityContext: asObject(container.securityContext) });
    }
  }
  return {
    annotations: asObject(asObject(pod.metadata)?.annotations),
    spec,
    podSecurityContext: asObject(spec.securityContext),
    containers,
    windows: asObject(spec.os)?.name === 'windows',
    userNamespace: spec.hostUsers === false,
  };
}
