/**
 * Explicit SELinux options pin the label a container runs with instead of relying on the
 * runtime's default. Reads `seLinuxOptions` (container, else pod); flags containers with none.
 * Off by default (only kubescape asks for it; runtimes label containers container_t on SELinux
 * nodes anyway). Windows pods are exempt.
 */
import { asObject } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';
import { effectiveSettings, isWindowsPod } from './linux.ts';

export default defineCheck({
  id: 'K8S-SELINUX-NOT-SET',
  title: 'SELinux options not set',
  severity: 'low',
  category: 'pod-security',
  description: 'Without seLinuxOptions the container\'s SELinux label is whatever the runtime chooses; setting it makes the confinement explicit and reviewable.',
  remediation: 'Set `securityContext.seLinuxOptions` (for example `level: "s0:c123,c456"`) on the pod or container.',
  fields: ['spec.securityContext.seLinuxOptions', 'spec.containers[*].securityContext.seLinuxOptions', 'spec.initContainers[*].securityContext.seLinuxOptions', 'spec.ephemeralContainers[*].securityContext.seLinuxOptions'],
  frameworks: { cis: ['5.7.3'], nsa: ['Linux hardening'], 'nist-800-190': ['4.4.3'] },
  aliases: ['C-0211'],
  concepts: [20],
  kinds: 'workload',
  enabledByDefault: false,
  run(ctx) {
    const w = ctx.workload!;
    if (isWindowsPod(w)) return;
    for (const s of effectiveSettings(w, 'seLinuxOptions')) {
      if (asObject(s.value) === undefined) ctx.report(s.path, `container "${s.container.name}" has no seLinuxOptions`);
    }
  },
});
