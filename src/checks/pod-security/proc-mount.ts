/**
 * `procMount: Unmasked` exposes the host's /proc paths the runtime normally masks (for example
 * /proc/kcore, /proc/sys). Reads `securityContext.procMount` of every container; allowed: unset
 * or Default. In a user namespace (`spec.hostUsers: false`, the only place Kubernetes v1.35+
 * accepts Unmasked) the exposure is far smaller, so the finding drops to low there
 * (PSS baseline allows it, restricted does not).
 */
import { defineCheck } from '../types.ts';

export default defineCheck({
  id: 'K8S-PROC-MOUNT',
  title: 'Unmasked /proc mount',
  severity: 'medium',
  alsoReports: ['low'],
  category: 'pod-security',
  description: 'An Unmasked /proc mount removes the masking of sensitive /proc entries, exposing kernel information and writable kernel parameters to the container.',
  remediation: 'Remove `securityContext.procMount` or set it to `Default`.',
  fields: ['spec.containers[*].securityContext.procMount', 'spec.initContainers[*].securityContext.procMount', 'spec.ephemeralContainers[*].securityContext.procMount', 'spec.hostUsers'],
  frameworks: { cis: ['5.7.3'], pss: ['baseline', 'restricted'], 'nist-800-190': ['4.4.3'] },
  aliases: ['KSV-0027', 'C-0211', 'procMount', 'unsafe-proc-mount'],
  concepts: [23],
  kinds: 'workload',
  run(ctx) {
    const w = ctx.workload!;
    const inUserNamespace = w.podSpec['hostUsers'] === false;
    for (const c of w.containers) {
      const value = c.securityContext['procMount'];
      if (value === undefined || value === null || value === 'Default') continue;
      const options = inUserNamespace ? { severity: 'low' as const } : undefined;
      ctx.report([...c.path, 'securityContext', 'procMount'], `container "${c.name}" sets procMount: ${String(value)}`, options);
    }
  },
});
