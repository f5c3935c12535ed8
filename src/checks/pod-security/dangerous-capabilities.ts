/**
 * Capabilities that let a container act on the kernel or other processes of the node. Reads
 * `securityContext.capabilities.add` of every container; flags names in the `dangerousCapabilities`
 * setting (any case, `CAP_` prefix ignored). SYS_ADMIN has its own check (K8S-CAP-SYS-ADMIN),
 * NET_RAW too (K8S-NET-RAW).
 */
import { defineCheck } from '../types.ts';
import { capabilityList, capabilitySet } from '../helpers.ts';

export default defineCheck({
  id: 'K8S-DANGEROUS-CAPABILITIES',
  title: 'Dangerous capability added',
  severity: 'high',
  category: 'pod-security',
  description: 'Capabilities such as ALL, SYS_MODULE (load kernel modules), SYS_PTRACE (inspect other processes), NET_ADMIN (reconfigure networking), SYS_RAWIO or BPF give a compromised container direct ways to reach the kernel or neighbouring workloads.',
  remediation: 'Remove the capability from `securityContext.capabilities.add`; if the workload truly needs it, isolate it on dedicated nodes and waive the finding with a reason.',
  fields: ['spec.containers[*].securityContext.capabilities.add', 'spec.initContainers[*].securityContext.capabilities.add', 'spec.ephemeralContainers[*].securityContext.capabilities.add'],
  frameworks: { nsa: ['Insecure capabilities'], pss: ['baseline'], 'nist-800-190': ['4.4.3'] },
  aliases: ['KSV-0120', 'C-0046', 'dangerousCapabilities'],
  concepts: [14],
  kinds: 'workload',
  settings: {
    dangerousCapabilities: ['ALL', 'NET_ADMIN', 'SYS_MODULE', 'SYS_PTRACE', 'SYS_RAWIO', 'SYS_BOOT', 'SYS_TIME', 'BPF', 'PERFMON', 'DAC_READ_SEARCH', 'MAC_ADMIN', 'MAC_OVERRIDE', 'SYSLOG', 'LINUX_IMMUTABLE'],
  },
  run(ctx) {
    const dangerous = capabilitySet(ctx.setting<unknown>('dangerousCapabilities'));
    for (const c of ctx.workload!.containers) {
      for (const cap of capabilityList(c, 'add')) {
        if (dangerous.has(cap.name)) ctx.report(cap.path, `container "${c.name}" adds capability ${cap.name}`);
      }
    }
  },
});
