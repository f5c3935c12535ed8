/**
 * The ServiceAccount a pod runs as and whether its token is mounted. Kubernetes uses
 * `spec.serviceAccountName`, else the deprecated `spec.serviceAccount`, else `default`; the pod's
 * `automountServiceAccountToken` wins over the ServiceAccount's, and the default is to mount.
 */
import type { ManifestIndex } from '../../manifests/index-set.ts';
import type { Path } from '../../manifests/path.ts';
import { asString } from '../../manifests/path.ts';
import type { Resource } from '../../manifests/resource.ts';
import type { Workload } from '../../manifests/workload.ts';

export function serviceAccountName(w: Workload): string {
  const name = asString(w.podSpec['serviceAccountName']) || asString(w.podSpec['serviceAccount']);
  return name || 'default';
}

/** Path of the field naming the ServiceAccount (serviceAccountName when the pod uses it or names none). */
export function serviceAccountPath(w: Workload): Path {
  const field = !asString(w.podSpec['serviceAccountName']) && asString(w.podSpec['serviceAccount']) ? 'serviceAccount' : 'serviceAccountName';
  return [...w.specPath, field];
}

export function serviceAccountOf(index: ManifestIndex, r: Resource, w: Workload): Resource | undefined {
  return index.get('ServiceAccount', index.namespaceOf(r), serviceAccountName(w));
}

export interface AutomountState {
  mounted: boolean;
  /** Who decided: the pod, its ServiceAccount, or Kubernetes' default. */
  from: 'pod' | 'serviceAccount' | 'default';
}

export function tokenAutomount(index: ManifestIndex, r: Resource, w: Workload): AutomountState {
  const pod = w.podSpec['automountServiceAccountToken'];
  if (typeof pod === 'boolean') return { mounted: pod, from: 'pod' };
  const sa = serviceAccountOf(index, r, w)?.object['automountServiceAccountToken'];
  if (typeof sa === 'boolean') return { mounted: sa, from: 'serviceAccount' };
  return { mounted: true, from: 'default' };
}
