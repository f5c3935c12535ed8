/**
 * A PodDisruptionBudget that allows no disruption blocks every node drain: cluster upgrades
 * stall until someone deletes the budget. Reads `spec.maxUnavailable` (flags 0 and 0%) and
 * `spec.minAvailable` (flags 100%, and an integer at or above the `spec.replicas` of a
 * selected controller whose replica count is not managed by an autoscaler).
 */
import { asObject } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';
import { asInteger, asPercent, declaredReplicas, hpasTargeting, workloadsSelectedByPdb } from './workload-index.ts';

export default defineCheck({
  id: 'K8S-PDB-BLOCKS-EVICTION',
  title: 'PodDisruptionBudget allows no voluntary disruption',
  severity: 'low',
  category: 'reliability',
  description: 'With maxUnavailable 0 or minAvailable equal to all replicas, no pod can ever be evicted voluntarily: node drains and cluster upgrades hang.',
  remediation: 'Use `maxUnavailable: 1` (or a minAvailable below the replica count).',
  fields: ['spec.maxUnavailable', 'spec.minAvailable'],
  frameworks: {},
  aliases: ['pdbDisruptionsIsZero', 'pdb-max-unavailable', 'pdb-min-available'],
  concepts: [64],
  kinds: ['PodDisruptionBudget'],
  run(ctx) {
    const spec = asObject(ctx.resource.object['spec']) ?? {};
    const maxUnavailable = spec['maxUnavailable'];
    if (asInteger(maxUnavailable) === 0 || asPercent(maxUnavailable) === 0) {
      ctx.report(['spec', 'maxUnavailable'], `maxUnavailable ${String(maxUnavailable)} allows no eviction`);
      return;
    }
    const minAvailable = spec['minAvailable'];
    if ((asPercent(minAvailable) ?? 0) >= 100) {
      ctx.report(['spec', 'minAvailable'], `minAvailable ${String(minAvailable)} allows no eviction`);
      return;
    }
    const min = asInteger(minAvailable);
    if (min === undefined || min === 0) return;
    for (const w of workloadsSelectedByPdb(ctx.index, ctx.resource)) {
      const replicas = declaredReplicas(w);
      if (replicas === undefined || replicas === 0 || replicas > min || hpasTargeting(ctx.index, w).length > 0) continue;
      ctx.report(['spec', 'minAvailable'], `minAvailable ${min} leaves no eviction for ${w.kind} "${w.name}" with ${replicas} replica${replicas === 1 ? '' : 's'}`, { key: `${w.kind}/${w.name}` });
    }
  },
});
