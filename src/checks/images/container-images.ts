/** The image of every container (init, regular, ephemeral), parsed once per container. */
import type { Path } from '../../manifests/path.ts';
import type { ContainerRef, Workload } from '../../manifests/workload.ts';
import type { CheckContext } from '../types.ts';
import { RecentCache, canonicalRegistry, containerImage, parseImage, type ImageRef } from '../helpers.ts';

export interface ContainerImage {
  container: ContainerRef;
  image: string;
  ref: ImageRef;
  path: Path;
}

/** Six image checks read the images of the workload being checked. */
const cache = new RecentCache<Workload, 'images', readonly ContainerImage[]>();
const NONE: readonly ContainerImage[] = Object.freeze([]);

/** Images of the workload's containers (shared, read-only). */
export function containerImages(ctx: CheckContext): readonly ContainerImage[] {
  const w = ctx.workload;
  if (w === undefined) return NONE;
  return cache.get(w, 'images') ?? cache.set(w, 'images', Object.freeze(listImages(w)));
}

function listImages(w: Workload): ContainerImage[] {
  const out: ContainerImage[] = [];
  for (const c of w.containers) {
    const image = containerImage(c);
    if (image === undefined || image.trim() === '') continue;
    out.push({ container: c, image, ref: parseImage(image), path: [...c.path, 'image'] });
  }
  return out;
}

/** `registry/repository` with Docker Hub spelled out (`docker.io/library/nginx`). */
export function fullRepository(ref: ImageRef): string {
  return `${ref.registry}/${ref.repository}`;
}

/**
 * True when `repository` is `prefix` or lies under it, on a path boundary (`a.io/x` covers
 * `a.io/x/y`, not `a.io/xy`). Registry hosts compare as DNS does, without case, and Docker Hub's
 * other hosts (index.docker.io, registry-1.docker.io) are docker.io: a blocked registry must stay
 * blocked under every spelling that reaches it (see canonicalRegistry).
 */
export function underPrefix(repository: string, prefix: string): boolean {
  const p = canonicalHost(prefix.trim().replace(/\/+$/, ''));
  if (p === '') return false;
  const r = canonicalHost(repository);
  return r === p || r.startsWith(`${p}/`);
}

function canonicalHost(repository: string): string {
  const slash = repository.indexOf('/');
  const host = canonicalRegistry(slash === -1 ? repository : repository.slice(0, slash));
  return slash === -1 ? host : `${host}${repository.slice(slash)}`;
}
