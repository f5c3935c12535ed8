/**
 * An autoscaler whose `spec.scaleTargetRef` names no object in the manifest set scales nothing
 * (a renamed Deployment, a typo in kind or name). Reads `spec.scaleTargetRef.kind` and
 * `.name`, looked up in the autoscaler's namespace.
 */
import { defineCheck } from '../types.ts';
import { scaleTargetRef } from './workload-index.ts';

export default defineCheck({
  id: 'K8S-HPA-TARGET-MISSING',
  title: 'HorizontalPodAutoscaler targets a missing object',
  severity: 'low',
  category: 'reliability',
  description: 'An autoscaler pointing at an object that does not exist does nothing, so the intended workload is never scaled.',
  remediation: 'Fix `spec.scaleTargetRef` (kind, name, apiVersion) to name the workload, or delete the autoscaler.',
  fields: ['spec.scaleTargetRef.kind', 'spec.scaleTargetRef.name'],
  frameworks: {},
  aliases: ['C-0300', 'dangling-horizontalpodautoscaler', 'horizontalpodautoscaler-has-target'],
  concepts: [70],
  kinds: ['HorizontalPodAutoscaler'],
  run(ctx) {
    const ref = scaleTargetRef(ctx.resource);
    if (ref === undefined) {
      ctx.report(['spec', 'scaleTargetRef'], `HorizontalPodAutoscaler "${ctx.resource.name}" has no complete scaleTargetRef`);
      return;
    }
    if (ctx.index.get(ref.kind, ctx.resource.namespace, ref.name) !== undefined) return;
    ctx.report(['spec', 'scaleTargetRef', 'name'], `scaleTargetRef ${ref.kind} "${ref.name}" is not in the manifests`);
  },
});
