/**
 * CAP_SYS_ADMIN is close to full root: mount, namespaces, BPF, device control; most container
 * escapes start from it. Reads `securityContext.capabilities.add` of every container; flags
 * SYS_ADMIN (any case, `CAP_` prefix ignored). ALL is reported by K8S-DANGEROUS-CAPABILITIES.
 */
import { defineCheck } from '../types.ts';
import { capabilityList } from '../helpers.ts';

export default defineCheck({
  id: 'K8S-CAP-SYS-ADMIN',
  title: 'SYS_ADMIN capability added',
  severity: 'high',
  category: 'pod-security',
  description: 'CAP_SYS_ADMIN grants most of root\'s kernel powers (mounting filesystems, creating namespaces, loading BPF) and is the usual first step of a container escape.',
  remediation: 'Remove SYS_ADMIN from `securityContext.capabilities.add`; grant a narrower capability or move the privileged operation out of the container.',
  fields: ['spec.containers[*].securityContext.capabilities.add', 'spec.initContainers[*].securityContext.capabilities.add', 'spec.ephemeralContainers[*].securityContext.capabilities.add'],
  frameworks: { cis: ['5.7.3'], nsa: ['Insecure capabilities'], pss: ['baseline'], 'nist-800-190': ['4.4.3'] },
  aliases: ['KSV-0005', 'CKV_K8S_39', 'C-0046', 'dangerousCapabilities', 'CapSysAdmin'],
  concepts: [13],
  kinds: 'workload',
  run(ctx) {
    for (const c of ctx.workload!.containers) {
      for (const cap of capabilityList(c, 'add')) {
        if (cap.name === 'SYS_ADMIN') ctx.report(cap.path, `container "${c.name}" adds capability SYS_ADMIN`);
      }
    }
  },
});
