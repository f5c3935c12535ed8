/**
 * When an autoscaler manages a controller, a hard-coded `spec.replicas` fights it: every
 * `kubectl apply` resets the replica count to the manifest's value, momentarily scaling a busy
 * workload down. Reads `spec.replicas` of controllers named by an HPA's scaleTargetRef.
 */
import { defineCheck } from '../types.ts';
import { declaredReplicas, hpasTargeting, REPLICATED_KINDS } from './workload-index.ts';

export default defineCheck({
  id: 'K8S-HPA-TARGET-HAS-REPLICAS',
  title: 'Autoscaled workload also sets spec.replicas',
  severity: 'low',
  category: 'reliability',
  description: 'A fixed replica count in an autoscaled workload is re-applied on every deployment and overrides the autoscaler until it reacts.',
  remediation: 'Remove `spec.replicas` from the manifest and let the HorizontalPodAutoscaler own it.',
  fields: ['spec.replicas'],
  frameworks: {},
  aliases: ['deployment-targeted-by-hpa-does-not-have-replicas-configured'],
  concepts: [71],
  kinds: REPLICATED_KINDS,
  enabledByDefault: false,
  run(ctx) {
    if (declaredReplicas(ctx.resource) === undefined) return;
    const hpa = hpasTargeting(ctx.index, ctx.resource)[0];
    if (hpa !== undefined) ctx.report(['spec', 'replicas'], `${ctx.resource.kind} "${ctx.resource.name}" sets replicas although HorizontalPodAutoscaler "${hpa.name}" manages them`);
  },
});
