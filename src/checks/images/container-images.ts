/** The image of every container (init, regular, ephemeral), parsed once per container. */
import type { Path } from '../../manifests/path.ts';
import type { ContainerRef } from '../../manifests/workload.ts';
import type { CheckContext } from '../types.ts';
import { containerImage, parseImage, type ImageRef } from '../helpers.ts';

export interface ContainerImage {
  container: ContainerRef;
  image: string;
  ref: ImageRef;
  path: Path;
}

export function containerImages(ctx: CheckContext): ContainerImage[] {
  const out: ContainerImage[] = [];
  for (const c of ctx.workload?.containers ?? []) {
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

/** True when `repository` is `prefix` or lies under it, on a path boundary (`a.io/x` covers `a.io/x/y`, not `a.io/xy`). */
export function underPrefix(repository: string, prefix: string): boolean {
  const p = prefix.trim().replace(/\/+$/, '');
  if (p === '') return false;
  return repository === p || repository.startsWith(`${p}/`);
}
