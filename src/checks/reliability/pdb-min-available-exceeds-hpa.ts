/**
 * When a PodDisruptionBudget's `minAvailable` is at or above the `minReplicas` of the
 * HorizontalPodAutoscaler scaling the same pods, a scaled-down workload cannot lose a single
 * pod: drains block. Reads PDB `spec.minAvailable` (integer) and, for each selected controller
 * targeted by an HPA, the HPA's `spec.minReplicas` (default 1).
 */
import { asObject } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';
import { asInteger, hpasTargeting, workloadsSelectedByPdb } from './workload-index.ts';

export default defineCheck({
  id: 'K8S-PDB-MIN-AVAILABLE-EXCEEDS-HPA',
  title: 'PodDisruptionBudget minAvailable not below HPA minReplicas',
  severity: 'low',
  category: 'reliability',
  description: 'When the autoscaler scales down to minReplicas, a minAvailable at or above it allows no eviction and blocks node drains.',
  remediation: 'Lower `spec.minAvailable` below the HPA\'s `minReplicas`, use maxUnavailable instead, or raise minReplicas.',
  fields: ['spec.minAvailable', 'HorizontalPodAutoscaler spec.minReplicas'],
  frameworks: {},
  aliases: ['pdbMinAvailableGreaterThanHPAMinReplicas'],
  concepts: [67],
  kinds: ['PodDisruptionBudget'],
  enabledByDefault: false,
  run(ctx) {
    const min = asInteger(asObject(ctx.resource.object['spec'])?.['minAvailable']);
    if (min === undefined || min === 0) return;
    for (const w of workloadsSelectedByPdb(ctx.index, ctx.resource)) {
      for (const hpa of hpasTargeting(ctx.index, w)) {
        const minReplicas = asInteger(asObject(hpa.object['spec'])?.['minReplicas']) ?? 1;
        if (min < minReplicas) continue;
        ctx.report(['spec', 'minAvailable'], `minAvailable ${min} is not below minReplicas ${minReplicas} of HorizontalPodAutoscaler "${hpa.name}" scaling ${w.kind} "${w.name}"`, { key: hpa.name });
      }
    }
  },
});
