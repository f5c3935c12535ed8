/**
 * A container with no securityContext at either level runs with every runtime default: root
 * user, default capabilities, writable root filesystem, privilege escalation allowed. Reads
 * `spec.securityContext` and `securityContext` of every container; flags a container when both
 * are absent or empty. (Individual weaknesses are reported by the specific checks.)
 */
import { defineCheck } from '../types.ts';

export default defineCheck({
  id: 'K8S-NO-SECURITY-CONTEXT',
  title: 'No security context',
  severity: 'medium',
  category: 'pod-security',
  description: 'Neither the pod nor the container declares a securityContext, so nothing about the container\'s user, capabilities or filesystem has been hardened.',
  remediation: 'Add a `securityContext` to the pod (runAsNonRoot, seccompProfile) and to each container (allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities.drop: [ALL]).',
  fields: ['spec.securityContext', 'spec.containers[*].securityContext', 'spec.initContainers[*].securityContext', 'spec.ephemeralContainers[*].securityContext'],
  frameworks: { cis: ['5.7.3'], 'nist-800-190': ['4.4.3'] },
  aliases: ['KSV-0118', 'CKV_K8S_29', 'CKV_K8S_30', 'C-0211'],
  concepts: [9],
  kinds: 'workload',
  run(ctx) {
    const w = ctx.workload!;
    if (Object.keys(w.podSecurityContext).length > 0) return;
    for (const c of w.containers) {
      if (Object.keys(c.securityContext).length === 0) ctx.report([...c.path, 'securityContext'], `container "${c.name}" has no securityContext, and neither has the pod`);
    }
  },
});
