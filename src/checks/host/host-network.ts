/**
 * hostNetwork puts the pod in the node's network namespace: it can bind node ports, sniff node
 * traffic, reach node-local services (kubelet, metadata endpoints) and bypasses NetworkPolicy.
 * Reads `spec.hostNetwork`; allowed: unset or false.
 */
import { defineCheck } from '../types.ts';

export default defineCheck({
  id: 'K8S-HOST-NETWORK',
  title: 'Host network namespace shared',
  severity: 'high',
  category: 'host',
  description: 'A pod on the host network sees all node interfaces, can listen on any node port and reach services bound to localhost on the node, and is not subject to NetworkPolicy.',
  remediation: 'Remove `spec.hostNetwork: true`; expose the workload through a Service instead.',
  fields: ['spec.hostNetwork'],
  frameworks: { cis: ['5.2.5'], nsa: ['1.4'], pss: ['baseline'], 'nist-800-190': ['4.4.2', '4.4.3'] },
  aliases: ['KSV-0009', 'CKV_K8S_19', 'C-0041', 'hostNetworkSet', 'HostNetwork', 'host-network'],
  concepts: [32],
  kinds: 'workload',
  run(ctx) {
    const w = ctx.workload!;
    if (w.podSpec['hostNetwork'] === true) ctx.report([...w.specPath, 'hostNetwork'], 'pod shares the host network namespace (hostNetwork: true)');
  },
});
