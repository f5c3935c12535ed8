/**
 * With the default `unhealthyPodEvictionPolicy: IfHealthyBudget`, pods stuck unready (crash
 * loop, bad config) can block node drains because the budget is never satisfied;
 * `AlwaysAllow` lets them be evicted. Reads `spec.unhealthyPodEvictionPolicy`; allowed: set.
 */
import { asObject } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  id: 'K8S-PDB-UNHEALTHY-EVICTION-POLICY',
  title: 'PodDisruptionBudget does not set unhealthyPodEvictionPolicy',
  severity: 'low',
  category: 'reliability',
  description: 'Under the default policy, unready pods covered by a PodDisruptionBudget can block node drains indefinitely.',
  remediation: 'Set `spec.unhealthyPodEvictionPolicy: AlwaysAllow` (or `IfHealthyBudget` deliberately).',
  fields: ['spec.unhealthyPodEvictionPolicy'],
  frameworks: {},
  aliases: ['pdb-unhealthy-pod-eviction-policy'],
  concepts: [66],
  kinds: ['PodDisruptionBudget'],
  enabledByDefault: false,
  run(ctx) {
    const policy = asObject(ctx.resource.object['spec'])?.['unhealthyPodEvictionPolicy'];
    if (typeof policy === 'string' && policy !== '') return;
    ctx.report(['spec', 'unhealthyPodEvictionPolicy'], `PodDisruptionBudget "${ctx.resource.name}" does not set unhealthyPodEvictionPolicy`);
  },
});
