/** Reading `resources.requests` / `resources.limits` of a container. */
import type { CheckContext } from '../types.ts';
import type { Path } from '../../manifests/path.ts';
import { asObject } from '../../manifests/path.ts';
import type { ContainerRef } from '../../manifests/workload.ts';
import { containersOf } from '../../manifests/workload.ts';

export type ResourceSection = 'requests' | 'limits';

export interface ResourceEntry {
  value: unknown;
  path: Path;
}

/** `resources.<section>.<name>` of a container; value undefined when absent, null or empty. */
export function resourceEntry(c: ContainerRef, section: ResourceSection, name: string): ResourceEntry {
  const raw = asObject(asObject(c.container['resources'])?.[section])?.[name];
  const value = raw === null || raw === '' ? undefined : raw;
  return { value, path: [...c.path, 'resources', section, name] };
}

/** Regular containers only: init and ephemeral containers do not count toward steady-state usage checks. */
export function regularContainers(ctx: CheckContext): ContainerRef[] {
  return ctx.workload === undefined ? [] : containersOf(ctx.workload, 'containers');
}

/**
 * Reports containers without a limit for `name`. A limit is the ceiling; without one the
 * container may use all of the node's `name`.
 */
export function reportMissingLimit(ctx: CheckContext, name: string): void {
  for (const c of regularContainers(ctx)) {
    const limit = resourceEntry(c, 'limits', name);
    if (limit.value === undefined) ctx.report(limit.path, `container "${c.name}" has no ${name} limit`);
  }
}

/**
 * Reports containers without a request for `name`. The API server copies a limit into an unset
 * request, so a container with a limit has a request.
 */
export function reportMissingRequest(ctx: CheckContext, name: string): void {
  for (const c of regularContainers(ctx)) {
    const request = resourceEntry(c, 'requests', name);
    if (request.value !== undefined || resourceEntry(c, 'limits', name).value !== undefined) continue;
    ctx.report(request.path, `container "${c.name}" has no ${name} request`);
  }
}
