/**
 * `seccompProfile.type: Unconfined` explicitly turns system-call filtering off. Reads
 * `seccompProfile.type` at pod and container level (each place it is written); allowed: anything but Unconfined (PSS baseline).
 */
import { defineCheck } from '../types.ts';
import { declaredSettings, profileType } from './linux.ts';

export default defineCheck({
  id: 'K8S-SECCOMP-UNCONFINED',
  title: 'Seccomp explicitly unconfined',
  severity: 'medium',
  category: 'pod-security',
  description: 'An Unconfined seccomp profile disables system-call filtering, so kernel attack surface normally blocked by the runtime default (keyctl, unshare, bpf …) is reachable.',
  remediation: 'Change `seccompProfile.type` to `RuntimeDefault` (or `Localhost` with a tailored profile).',
  fields: ['spec.securityContext.seccompProfile.type', 'spec.containers[*].securityContext.seccompProfile.type', 'spec.initContainers[*].securityContext.seccompProfile.type', 'spec.ephemeralContainers[*].securityContext.seccompProfile.type'],
  frameworks: { cis: ['5.7.2', '5.7.3'], pss: ['baseline'], 'nist-800-190': ['4.4.3'] },
  aliases: ['KSV-0104', 'SeccompUnconfined'],
  concepts: [17],
  kinds: 'workload',
  run(ctx) {
    for (const s of declaredSettings(ctx.workload!, 'seccompProfile')) {
      if (profileType(s.value) === 'Unconfined') ctx.report([...s.path, 'type'], `${s.subject} sets seccompProfile.type: Unconfined`);
    }
  },
});
