/**
 * A Pod created directly (no Deployment, Job … owning it) is not recreated when its node fails
 * or it is evicted. Reads `metadata.ownerReferences` of Pods; allowed: at least one owner.
 */
import { asArray } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  id: 'K8S-NAKED-POD',
  title: 'Pod without an owning controller',
  severity: 'low',
  category: 'reliability',
  description: 'A bare Pod is not rescheduled after a node failure, eviction or deletion; nothing brings it back.',
  remediation: 'Run the pod through a controller: a Deployment (long-running), a Job (run to completion) or a DaemonSet.',
  fields: ['metadata.ownerReferences'],
  frameworks: {},
  aliases: ['nakedPod', 'C-0073'],
  concepts: [85],
  kinds: ['Pod'],
  enabledByDefault: false,
  run(ctx) {
    if (asArray(ctx.resource.metadata['ownerReferences']).length > 0) return;
    ctx.report(['metadata', 'ownerReferences'], `Pod "${ctx.resource.name}" has no owning controller`);
  },
});
