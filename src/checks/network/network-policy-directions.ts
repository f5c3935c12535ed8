/**
 * A pod covered by NetworkPolicies only for ingress (or only egress) still has the other
 * direction wide open: egress lets a compromised pod exfiltrate data or reach the cloud metadata
 * service. Reads `spec.policyTypes` (defaults: Ingress, plus Egress when `egress` is non-empty) of
 * the policies selecting the pod; passes when both directions are restricted. Pods that no policy
 * selects are reported by K8S-POD-NO-NETWORKPOLICY instead.
 */
import { defineCheck } from '../types.ts';
import { policiesSelecting } from './policy-index.ts';

export default defineCheck({
  id: 'K8S-POD-NETWORKPOLICY-ONE-DIRECTION',
  title: 'Pod traffic restricted in one direction only',
  severity: 'medium',
  category: 'network',
  description: 'The NetworkPolicies that select this pod restrict only ingress or only egress; the other direction is unrestricted.',
  remediation: 'Add a NetworkPolicy selecting the pod with `policyTypes: [Ingress, Egress]` (a default-deny for both directions, then explicit allow rules).',
  fields: ['NetworkPolicy.spec.policyTypes', 'NetworkPolicy.spec.egress', 'NetworkPolicy.spec.podSelector'],
  frameworks: { nsa: ['Ingress and Egress blocked'], 'nist-800-190': ['4.4.2'] },
  aliases: ['missingNetworkPolicy', 'C-0030'],
  concepts: [127],
  kinds: 'workload',
  run(ctx) {
    const policies = policiesSelecting(ctx.index, ctx.resource);
    if (policies.length === 0) return;
    const ingress = policies.some((p) => p.ingress);
    const egress = policies.some((p) => p.egress);
    if (ingress && egress) return;
    const open = ingress ? 'egress' : 'ingress';
    const names = policies.map((p) => p.resource.name).join(', ');
    ctx.report([...ctx.workload!.podMetaPath, 'labels'], `${open} of the pods of ${ctx.resource.kind} "${ctx.resource.name}" is unrestricted (selecting policies: ${names})`);
  },
});
