/**
 * Recreate (Deployment) and OnDelete (StatefulSet, DaemonSet) take all pods down before new
 * ones start, or never replace them at all: every rollout is an outage or a no-op. Reads
 * `spec.strategy.type` of Deployments and `spec.updateStrategy.type` of StatefulSets and
 * DaemonSets; allowed: unset (defaults to RollingUpdate) or RollingUpdate.
 */
import { asObject } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  id: 'K8S-ROLLOUT-STRATEGY-NOT-ROLLING',
  title: 'Update strategy is not RollingUpdate',
  severity: 'low',
  category: 'reliability',
  description: 'A Recreate or OnDelete strategy stops all old pods before starting new ones (or leaves old pods running), so updates cause downtime or do not roll out.',
  remediation: 'Use `type: RollingUpdate` (the default) unless the workload cannot run two versions at once.',
  fields: ['spec.strategy.type', 'spec.updateStrategy.type'],
  frameworks: {},
  aliases: ['C-0305', 'no-rolling-update-strategy', 'deployment-strategy'],
  concepts: [76],
  kinds: ['Deployment', 'StatefulSet', 'DaemonSet'],
  run(ctx) {
    const field = ctx.resource.kind === 'Deployment' ? 'strategy' : 'updateStrategy';
    const type = asObject(asObject(ctx.resource.object['spec'])?.[field])?.['type'];
    if (typeof type !== 'string' || type === '' || type === 'RollingUpdate') return;
    ctx.report(['spec', field, 'type'], `${ctx.resource.kind} "${ctx.resource.name}" uses the ${type} update strategy`);
  },
});
