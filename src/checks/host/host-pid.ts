/**
 * hostPID puts the pod in the node's process namespace: it can see, signal and (with ptrace or
 * root) enter every process on the node, including other pods' and the kubelet. Reads
 * `spec.hostPID`; allowed: unset or false.
 */
import { defineCheck } from '../types.ts';

export default defineCheck({
  id: 'K8S-HOST-PID',
  title: 'Host PID namespace shared',
  severity: 'critical',
  category: 'host',
  description: 'A pod in the host PID namespace sees every process on the node and, running as root, can read their memory and environment or enter their namespaces via /proc/<pid>/root.',
  remediation: 'Remove `spec.hostPID: true`.',
  fields: ['spec.hostPID'],
  frameworks: { cis: ['5.2.3'], nsa: ['1.5'], pss: ['baseline'], 'nist-800-190': ['4.4.3'] },
  aliases: ['KSV-0010', 'CKV_K8S_17', 'C-0038', 'C-0275', 'hostPIDSet', 'HostPID', 'host-pid'],
  concepts: [30],
  kinds: 'workload',
  run(ctx) {
    const w = ctx.workload!;
    if (w.podSpec['hostPID'] === true) ctx.report([...w.specPath, 'hostPID'], 'pod shares the host PID namespace (hostPID: true)');
  },
});
