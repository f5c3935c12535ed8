/**
 * Topology spread constraints keep replicas balanced across zones and nodes. Reads
 * `topologySpreadConstraints` of long-running pods: flags its absence and entries the API
 * server would reject (maxSkew not a positive integer, empty topologyKey, whenUnsatisfiable
 * other than DoNotSchedule / ScheduleAnyway).
 */
import { asArray, asObject } from '../../manifests/path.ts';
import { LONG_RUNNING_KINDS } from '../../manifests/workload.ts';
import { defineCheck } from '../types.ts';

const WHEN_UNSATISFIABLE = new Set(['DoNotSchedule', 'ScheduleAnyway']);

function problemOf(constraint: Record<string, unknown> | undefined): string | undefined {
  if (constraint === undefined) return 'is not an object';
  const skew = constraint['maxSkew'];
  if (typeof skew !== 'number' || !Number.isInteger(skew) || skew < 1) return 'needs maxSkew >= 1';
  if (typeof constraint['topologyKey'] !== 'string' || constraint['topologyKey'] === '') return 'needs a topologyKey';
  if (!WHEN_UNSATISFIABLE.has(constraint['whenUnsatisfiable'] as string)) return 'needs whenUnsatisfiable DoNotSchedule or ScheduleAnyway';
  return undefined;
}

export default defineCheck({
  id: 'K8S-TOPOLOGY-SPREAD-MISSING',
  title: 'No valid topology spread constraints',
  severity: 'low',
  category: 'reliability',
  description: 'Without topology spread constraints replicas may concentrate in one zone or node and fail together.',
  remediation: 'Add `topologySpreadConstraints` with maxSkew 1, topologyKey `topology.kubernetes.io/zone` (and/or `kubernetes.io/hostname`) and a labelSelector matching the pods.',
  fields: ['spec.topologySpreadConstraints'],
  frameworks: {},
  aliases: ['topologySpreadConstraint', 'pod-topology-spread-constraints'],
  concepts: [73],
  kinds: 'workload',
  enabledByDefault: false,
  run(ctx) {
    const w = ctx.workload!;
    if (!LONG_RUNNING_KINDS.includes(ctx.resource.kind)) return;
    const constraints = asArray(w.podSpec['topologySpreadConstraints']);
    if (constraints.length === 0) {
      ctx.report([...w.specPath, 'topologySpreadConstraints'], `${ctx.resource.kind} "${ctx.resource.name}" has no topologySpreadConstraints`);
      return;
    }
    constraints.forEach((c, i) => {
      const problem = problemOf(asObject(c));
      if (problem !== undefined) ctx.report([...w.specPath, 'topologySpreadConstraints', i], `topologySpreadConstraints[${i}] ${problem}`);
    });
  },
});
