/**
 * An autoscaler whose `maxReplicas` is not above `minReplicas` cannot scale: it only pins the
 * replica count. Reads `spec.minReplicas` (default 1) and `spec.maxReplicas`.
 */
import { asObject } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';
import { asInteger } from './workload-index.ts';

export default defineCheck({
  id: 'K8S-HPA-NO-SCALING-RANGE',
  title: 'HorizontalPodAutoscaler maxReplicas not above minReplicas',
  severity: 'low',
  category: 'reliability',
  description: 'With maxReplicas equal to (or below) minReplicas the autoscaler cannot add capacity under load.',
  remediation: 'Raise `spec.maxReplicas` above `spec.minReplicas`, or drop the autoscaler and set replicas directly.',
  fields: ['spec.minReplicas', 'spec.maxReplicas'],
  frameworks: {},
  aliases: ['hpaMaxAvailability'],
  concepts: [69],
  kinds: ['HorizontalPodAutoscaler'],
  enabledByDefault: false,
  run(ctx) {
    const spec = asObject(ctx.resource.object['spec']) ?? {};
    const max = asInteger(spec['maxReplicas']);
    const min = asInteger(spec['minReplicas']) ?? 1;
    if (max === undefined || max > min) return;
    ctx.report(['spec', 'maxReplicas'], `HorizontalPodAutoscaler "${ctx.resource.name}" maxReplicas ${max} is not above minReplicas ${min}`);
  },
});
