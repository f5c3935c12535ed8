/**
 * A single replica means every node drain, eviction or crash is an outage. Reads `spec.replicas`
 * of Deployments (and DeploymentConfigs, Argo Rollouts); allowed: at least the `minReplicas`
 * setting (default 2). Unset means 1. Skipped when a HorizontalPodAutoscaler manages the
 * replica count, and for `replicas: 0` (deliberately scaled down).
 */
import { defineCheck } from '../types.ts';
import { declaredReplicas, effectiveReplicas, hpasTargeting } from './workload-index.ts';

export default defineCheck({
  id: 'K8S-REPLICAS-TOO-FEW',
  title: 'Too few replicas',
  severity: 'low',
  category: 'reliability',
  description: 'With fewer than two replicas the workload is unavailable whenever its only pod is rescheduled, evicted or crashes.',
  remediation: 'Set `spec.replicas` to at least 2 (or let a HorizontalPodAutoscaler with minReplicas >= 2 manage it).',
  fields: ['spec.replicas'],
  frameworks: {},
  aliases: ['deploymentMissingReplicas', 'minimum-three-replicas', 'deployment-replicas'],
  concepts: [62],
  kinds: ['Deployment', 'DeploymentConfig', 'Rollout'],
  settings: { minReplicas: 2 },
  run(ctx) {
    const min = ctx.setting<number>('minReplicas');
    const replicas = effectiveReplicas(ctx.resource);
    if (replicas === 0 || replicas >= min || hpasTargeting(ctx.index, ctx.resource).length > 0) return;
    const how = declaredReplicas(ctx.resource) === undefined ? 'defaults to 1 replica' : `has ${replicas} replica${replicas === 1 ? '' : 's'}`;
    ctx.report(['spec', 'replicas'], `${ctx.resource.kind} "${ctx.resource.name}" ${how}; at least ${min} expected`);
  },
});
