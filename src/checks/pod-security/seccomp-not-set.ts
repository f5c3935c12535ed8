/**
 * Without a seccomp profile the container can make every system call the kernel offers
 * (Kubernetes runs pods Unconfined unless the kubelet default is changed). Reads
 * `seccompProfile.type` (container, else pod); allowed: RuntimeDefault or Localhost (PSS
 * restricted, v1.19+; the legacy annotations are ignored there too). Unconfined is reported by
 * K8S-SECCOMP-UNCONFINED. Windows pods are exempt.
 */
import { defineCheck } from '../types.ts';
import { effectiveSettings, firstAtPath, isWindowsPod, profileType, subjectOf } from './linux.ts';

export default defineCheck({
  id: 'K8S-SECCOMP-NOT-SET',
  title: 'Seccomp profile not set',
  severity: 'medium',
  category: 'pod-security',
  description: 'Kubernetes runs containers without seccomp filtering unless a profile is set, leaving the whole kernel system-call surface reachable from a compromised process.',
  remediation: 'Set `securityContext.seccompProfile.type: RuntimeDefault` on the pod (or `Localhost` with a tailored profile).',
  fields: ['spec.securityContext.seccompProfile.type', 'spec.containers[*].securityContext.seccompProfile.type', 'spec.initContainers[*].securityContext.seccompProfile.type', 'spec.ephemeralContainers[*].securityContext.seccompProfile.type'],
  frameworks: { cis: ['5.7.2', '5.7.3'], nsa: ['1.10'], pss: ['restricted'], 'nist-800-190': ['4.4.3'] },
  aliases: ['KSV-0030', 'CKV_K8S_31', 'C-0210', 'SeccompAny', 'container-seccomp-profile'],
  concepts: [16],
  kinds: 'workload',
  run(ctx) {
    const w = ctx.workload!;
    if (isWindowsPod(w)) return;
    const first = firstAtPath();
    for (const s of effectiveSettings(w, 'seccompProfile')) {
      const type = profileType(s.value);
      if (type === 'RuntimeDefault' || type === 'Localhost' || type === 'Unconfined') continue;
      if (type === undefined) {
        if (first(s.path)) ctx.report(s.path, `container "${s.container.name}" has no seccomp profile`);
      } else {
        const path = [...s.path, 'type'];
        if (first(path)) ctx.report(path, `${subjectOf(s)} sets seccompProfile.type: ${type} (expected RuntimeDefault or Localhost)`);
      }
    }
  },
});
