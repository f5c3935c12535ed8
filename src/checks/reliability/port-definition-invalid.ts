/**
 * Port names are IANA service names: at most 15 characters of `a-z`, `0-9` and `-`, at least one
 * letter, no leading, trailing or doubled `-`; container port names are unique within a pod.
 * A bad name makes the object invalid or a Service `targetPort` that never resolves. Reads
 * `ports[*].name` of every container and `spec.ports[*].targetPort` of Services (a name, or a
 * number from 1 to 65535).
 */
import type { Path } from '../../manifests/path.ts';
import { asArray, asObject } from '../../manifests/path.ts';
import { WORKLOAD_KINDS } from '../../manifests/workload.ts';
import type { CheckContext } from '../types.ts';
import { defineCheck } from '../types.ts';

/** Why `name` is not an IANA service name, or undefined when it is one. */
export function portNameProblem(name: string): string | undefined {
  if (name.length > 15) return 'is longer than 15 characters';
  if (!/^[a-z0-9-]+$/.test(name)) return 'may only contain a-z, 0-9 and "-"';
  if (!/[a-z]/.test(name)) return 'needs at least one letter';
  if (name.startsWith('-') || name.endsWith('-') || name.includes('--')) return 'may not start or end with "-" or contain "--"';
  return undefined;
}

function checkContainerPorts(ctx: CheckContext): void {
  const seen = new Set<string>();
  for (const c of ctx.workload!.containers) {
    asArray(c.container['ports']).forEach((p, i) => {
      const name = asObject(p)?.['name'];
      if (typeof name !== 'string') return;
      const path: Path = [...c.path, 'ports', i, 'name'];
      const problem = name === '' ? 'is empty' : portNameProblem(name);
      if (problem !== undefined) ctx.report(path, `container "${c.name}" port name "${name}" ${problem}`);
      else if (seen.has(name)) ctx.report(path, `container "${c.name}" port name "${name}" is already used in this pod`);
      seen.add(name);
    });
  }
}

function checkServiceTargetPorts(ctx: CheckContext): void {
  asArray(asObject(ctx.resource.object['spec'])?.['ports']).forEach((p, i) => {
    const target = asObject(p)?.['targetPort'];
    const path: Path = ['spec', 'ports', i, 'targetPort'];
    if (typeof target === 'number') {
      if (!Number.isInteger(target) || target < 1 || target > 65535) ctx.report(path, `targetPort ${target} is not a port number (1-65535)`);
    } else if (typeof target === 'string' && !/^\d+$/.test(target)) {
      const problem = portNameProblem(target);
      if (problem !== undefined) ctx.report(path, `targetPort name "${target}" ${problem}`);
    }
  });
}

export default defineCheck({
  id: 'K8S-PORT-DEFINITION-INVALID',
  title: 'Invalid or duplicate port name, or invalid Service targetPort',
  severity: 'low',
  category: 'reliability',
  description: 'Invalid or duplicate port names make the object fail validation, and a Service targetPort that is not a valid name or number never reaches the pods.',
  remediation: 'Use unique lowercase port names of at most 15 characters (e.g. `http`, `metrics`) and refer to them exactly in Service `targetPort`.',
  fields: ['spec.containers[*].ports[*].name', 'Service spec.ports[*].targetPort'],
  frameworks: {},
  aliases: ['invalid-target-ports', 'container-ports-check'],
  concepts: [84],
  kinds: [...WORKLOAD_KINDS, 'Service'],
  run(ctx) {
    if (ctx.resource.kind === 'Service') checkServiceTargetPorts(ctx);
    else if (ctx.workload !== undefined) checkContainerPorts(ctx);
  },
});
