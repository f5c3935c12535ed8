/**
 * An autoscaler allowed to scale down to one pod recreates the single-replica outage risk at
 * every quiet period. Reads `spec.minReplicas` (default 1) of HorizontalPodAutoscalers;
 * allowed: at least the `minHpaReplicas` setting (default 2).
 */
import { asObject } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';
import { asInteger } from './workload-index.ts';

export default defineCheck({
  id: 'K8S-HPA-MIN-REPLICAS-LOW',
  title: 'HorizontalPodAutoscaler minReplicas too low',
  severity: 'low',
  category: 'reliability',
  description: 'An autoscaler with minReplicas below 2 scales the workload down to a single pod, which makes any disruption an outage.',
  remediation: 'Set `spec.minReplicas` to at least 2.',
  fields: ['spec.minReplicas'],
  frameworks: {},
  aliases: ['hpaMinAvailability', 'hpa-minimum-three-replicas', 'horizontalpodautoscaler-replicas'],
  concepts: [68],
  kinds: ['HorizontalPodAutoscaler'],
  settings: { minHpaReplicas: 2 },
  run(ctx) {
    const want = ctx.setting<number>('minHpaReplicas');
    const raw = asObject(ctx.resource.object['spec'])?.['minReplicas'];
    const min = asInteger(raw) ?? 1;
    if (min === 0 || min >= want) return; // 0 = scale-to-zero (HPAScaleToZero), a deliberate choice
    const how = raw === undefined ? 'defaults to 1' : `is ${min}`;
    ctx.report(['spec', 'minReplicas'], `HorizontalPodAutoscaler "${ctx.resource.name}" minReplicas ${how}; at least ${want} expected`);
  },
});
