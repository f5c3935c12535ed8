/** hostPath volumes of a pod and the host locations they expose. */
import type { Path } from '../../manifests/path.ts';
import { asArray, asObject, asString } from '../../manifests/path.ts';
import type { Workload } from '../../manifests/workload.ts';

export interface HostPathVolume {
  /** Volume name, as referenced by volumeMounts. */
  name: string;
  /** The path as written. */
  rawPath: string;
  /** Absolute, without duplicate or trailing slashes and `.` segments (`/var/run/` → `/var/run`). */
  path: string;
  /** Resource-relative path of `hostPath.path`. */
  fieldPath: Path;
  /** Resource-relative path of the volume entry. */
  volumePath: Path;
}

export function hostPathVolumes(w: Workload): HostPathVolume[] {
  const out: HostPathVolume[] = [];
  asArray(w.podSpec['volumes']).forEach((v, i) => {
    const volume = asObject(v);
    const hostPath = asObject(volume?.['hostPath']);
    if (volume === undefined || hostPath === undefined) return;
    const rawPath = asString(hostPath['path']) ?? '';
    const volumePath = [...w.specPath, 'volumes', i];
    out.push({ name: asString(volume['name']) ?? `volumes[${i}]`, rawPath, path: normalizeHostPath(rawPath), fieldPath: [...volumePath, 'hostPath', 'path'], volumePath });
  });
  return out;
}

/** Resolves `.` and `..` and strips duplicate and trailing slashes; the kubelet mounts the resolved location. */
export function normalizeHostPath(raw: string): string {
  const parts: string[] = [];
  for (const part of raw.trim().split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/** True when `path` is `dir`, lies under it, or is one of its ancestors (mounting `/var` exposes `/var/run`). */
export function overlaps(path: string, dir: string): boolean {
  if (path === dir) return true;
  if (dir === '/') return false; // only an exact `/` mount exposes the whole root
  return path.startsWith(`${dir}/`) || path === '/' || dir.startsWith(`${path}/`);
}
