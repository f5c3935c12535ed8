/**
 * Without a PodDisruptionBudget a node drain may evict every replica at once. Looks for a
 * PodDisruptionBudget in the workload's namespace whose `spec.selector` matches the pod
 * template labels. Only judged for Deployments and StatefulSets that run (or may scale to)
 * more than one replica: a budget cannot protect a single pod without blocking drains.
 */
import { defineCheck } from '../types.ts';
import { effectiveReplicas, hpasTargeting, pdbsSelecting } from './workload-index.ts';

export default defineCheck({
  id: 'K8S-PDB-MISSING',
  title: 'No PodDisruptionBudget covers the workload',
  severity: 'low',
  category: 'reliability',
  description: 'Voluntary disruptions (node drains, cluster upgrades, autoscaler scale-down) may take down all replicas at once when no PodDisruptionBudget limits them.',
  remediation: 'Add a PodDisruptionBudget whose selector matches the pod labels, with `maxUnavailable: 1` (or a suitable minAvailable).',
  fields: ['spec.template.metadata.labels', 'PodDisruptionBudget spec.selector'],
  frameworks: {},
  aliases: ['missingPodDisruptionBudget', 'deployment-has-poddisruptionbudget', 'statefulset-has-poddisruptionbudget'],
  concepts: [63],
  kinds: ['Deployment', 'StatefulSet'],
  run(ctx) {
    const r = ctx.resource;
    if (effectiveReplicas(r) < 2 && hpasTargeting(ctx.index, r).length === 0) return;
    if (pdbsSelecting(ctx.index, r).length > 0) return;
    ctx.report(['spec', 'template', 'metadata', 'labels'], `no PodDisruptionBudget selects the pods of ${r.kind} "${r.name}"`);
  },
});
