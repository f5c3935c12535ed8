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
  return { value: resourceValue(c, section, name), path: [...c.path, 'resources', section, name] };
}

/** The value of `resourceEntry`, without building its path. */
export function resourceValue(c: ContainerRef, section: ResourceSection, name: string): unknown {
  const raw = asObject(asObject(c.container['resources'])?.[section])?.[name];
  return raw === null || raw === '' ? undefined : raw;
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
    if (resourceValue(c, 'limits', name) === undefined) ctx.report(resourceEntry(c, 'limits', name).path, `container "${c.name}" has no ${name} limit`);
  }
}

/**
 * Reports containers without a request for `name`. The API server copies a limit into an unset
 * request, so a container with a limit has a request.
 */
export function reportMissingRequest(ctx: CheckContext, name: string): void {
  for (const c of regularContainers(ctx)) {
    if (resourceValue(c, 'requests', name) !== undefined || resourceValue(c, 'limits', name) !== undefined) continue;
    ctx.report(resourceEntry(c, 'requests', name).path, `container "${c.name}" has no ${name} request`);
  }
}
