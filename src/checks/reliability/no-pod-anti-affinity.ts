/**
 * Replicas that may all land on one node are lost together when that node fails. Reads
 * `affinity.podAntiAffinity` (required or preferred terms) and `topologySpreadConstraints` of
 * the pod template of replicated controllers with more than one replica (or an autoscaler);
 * allowed: either one present.
 */
import { asArray, asObject } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';
import { effectiveReplicas, hpasTargeting, REPLICATED_KINDS } from './workload-index.ts';

export default defineCheck({
  id: 'K8S-NO-POD-ANTI-AFFINITY',
  title: 'Replicas are not spread with pod anti-affinity',
  severity: 'low',
  category: 'reliability',
  description: 'Without pod anti-affinity (or topology spread constraints) the scheduler may place all replicas on one node, which then is a single point of failure.',
  remediation: 'Add `affinity.podAntiAffinity` (preferred, topologyKey `kubernetes.io/hostname`) or `topologySpreadConstraints` to the pod template.',
  fields: ['spec.template.spec.affinity.podAntiAffinity', 'spec.template.spec.topologySpreadConstraints'],
  frameworks: {},
  aliases: ['no-anti-affinity', 'deployment-has-host-podantiaffinity', 'statefulset-has-host-podantiaffinity'],
  concepts: [72],
  kinds: REPLICATED_KINDS,
  enabledByDefault: false,
  run(ctx) {
    const w = ctx.workload;
    if (w === undefined) return;
    if (effectiveReplicas(ctx.resource) < 2 && hpasTargeting(ctx.index, ctx.resource).length === 0) return;
    const anti = asObject(asObject(w.podSpec['affinity'])?.['podAntiAffinity']);
    const terms = [...asArray(anti?.['requiredDuringSchedulingIgnoredDuringExecution']), ...asArray(anti?.['preferredDuringSchedulingIgnoredDuringExecution'])];
    if (terms.length > 0 || asArray(w.podSpec['topologySpreadConstraints']).length > 0) return;
    ctx.report([...w.specPath, 'affinity', 'podAntiAffinity'], `${ctx.resource.kind} "${ctx.resource.name}" runs several replicas without pod anti-affinity`);
  },
});
