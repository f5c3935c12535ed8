/**
 * A pod that no NetworkPolicy selects accepts traffic from, and sends traffic to, every pod in
 * the cluster: one compromised pod can reach it. Reads every NetworkPolicy's
 * `spec.podSelector` in the pod's namespace against the pod template labels; passes when at
 * least one policy selects the pod.
 */
import { defineCheck } from '../types.ts';
import { policiesSelecting } from './policy-index.ts';

export default defineCheck({
  id: 'K8S-POD-NO-NETWORKPOLICY',
  title: 'Pod not selected by any NetworkPolicy',
  severity: 'medium',
  category: 'network',
  description: 'Pods that no NetworkPolicy selects are non-isolated: any pod in the cluster can connect to them and they can connect anywhere, so a single compromise spreads laterally.',
  remediation: 'Add a NetworkPolicy in the namespace whose `podSelector` matches these pods (a default-deny policy with `podSelector: {}` plus explicit allow rules).',
  fields: ['spec.template.metadata.labels', 'NetworkPolicy.spec.podSelector'],
  frameworks: { 'nist-800-190': ['4.4.2'] },
  aliases: ['missingNetworkPolicy', 'CKV2_K8S_6', 'C-0260', 'non-isolated-pod', 'pod-networkpolicy'],
  concepts: [126],
  kinds: 'workload',
  run(ctx) {
    if (policiesSelecting(ctx.index, ctx.resource).length > 0) return;
    const ns = ctx.index.namespaceOf(ctx.resource);
    ctx.report([...ctx.workload!.podMetaPath, 'labels'], `no NetworkPolicy in namespace "${ns}" selects the pods of ${ctx.resource.kind} "${ctx.resource.name}"`);
  },
});
