/** Probe checks share one scope: regular containers of pods meant to keep running (not Jobs/CronJobs). */
import { LONG_RUNNING_KINDS, containersOf, type ContainerRef } from '../../manifests/workload.ts';
import type { CheckContext } from '../types.ts';

export function probedContainers(ctx: CheckContext): ContainerRef[] {
  if (ctx.workload === undefined || !LONG_RUNNING_KINDS.includes(ctx.resource.kind)) return [];
  return containersOf(ctx.workload, 'containers');
}

export function hasProbe(c: ContainerRef, probe: 'livenessProbe' | 'readinessProbe' | 'startupProbe'): boolean {
  const p = c.container[probe];
  return p !== null && typeof p === 'object' && Object.keys(p).length > 0;
}
