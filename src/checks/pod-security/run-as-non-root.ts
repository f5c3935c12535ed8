/**
 * A container whose user is not pinned to non-root runs as whatever the image says, often root.
 * Reads `runAsNonRoot` and `runAsUser` (container, else pod). Passes when the effective
 * runAsNonRoot is true, or when the effective runAsUser is a non-zero UID (the kubelet then
 * never runs it as root; checkov and kube-linter accept this too). An explicit UID 0 is
 * K8S-RUN-AS-ROOT-UID. Windows pods are not exempt (PSS applies runAsNonRoot to them).
 */
import { effectiveSecurity } from '../../manifests/workload.ts';
import { defineCheck } from '../types.ts';
import { effectiveSettings, firstAtPath, isInteger, subjectOf } from './linux.ts';

export default defineCheck({
  id: 'K8S-RUN-AS-NON-ROOT',
  title: 'Container may run as root',
  severity: 'medium',
  category: 'pod-security',
  description: 'Without runAsNonRoot: true (or a non-zero runAsUser) the container runs as the image user, commonly root; root in a container is one kernel bug or misconfiguration away from root on the node.',
  remediation: 'Set `securityContext.runAsNonRoot: true` on the pod (or every container) and build the image with a non-root USER.',
  fields: ['spec.securityContext.runAsNonRoot', 'spec.containers[*].securityContext.runAsNonRoot', 'spec.securityContext.runAsUser', 'spec.containers[*].securityContext.runAsUser'],
  frameworks: { cis: ['5.2.7'], nsa: ['1.0'], pss: ['restricted'], 'nist-800-190': ['4.4.3'] },
  aliases: ['KSV-0012', 'CKV_K8S_23', 'C-0013', 'runAsRootAllowed', 'RunAsNonRoot', 'run-as-non-root'],
  concepts: [3],
  kinds: 'workload',
  run(ctx) {
    const w = ctx.workload!;
    const first = firstAtPath();
    for (const s of effectiveSettings(w, 'runAsNonRoot')) {
      if (s.value === true) continue;
      const user = effectiveSecurity(w, s.container, 'runAsUser').value;
      if (isInteger(user) && user !== 0) continue;
      if (user === 0) continue; // reported by K8S-RUN-AS-ROOT-UID
      if (!first(s.path)) continue;
      const message = s.value === false ? `${subjectOf(s)} sets runAsNonRoot: false` : `container "${s.container.name}" does not set runAsNonRoot: true`;
      ctx.report(s.path, message);
    }
  },
});
