/**
 * `runAsUser: 0` runs the container explicitly as root. Reads `runAsUser` at pod and container
 * level; allowed: unset or non-zero (PSS restricted "Running as Non-root user", v1.23+).
 */
import { defineCheck } from '../types.ts';
import { effectiveSettings, firstAtPath, subjectOf } from './linux.ts';

export default defineCheck({
  id: 'K8S-RUN-AS-ROOT-UID',
  title: 'Container runs as UID 0',
  severity: 'medium',
  category: 'pod-security',
  description: 'runAsUser: 0 runs the container processes as root, which turns any container escape or writable host mount into root on the node.',
  remediation: 'Set `runAsUser` to a non-zero UID (for example 10001) and `runAsNonRoot: true`.',
  fields: ['spec.securityContext.runAsUser', 'spec.containers[*].securityContext.runAsUser', 'spec.initContainers[*].securityContext.runAsUser', 'spec.ephemeralContainers[*].securityContext.runAsUser'],
  frameworks: { pss: ['restricted'], 'nist-800-190': ['4.4.3'] },
  aliases: ['KSV-0105', 'CKV_K8S_23', 'C-0013', 'run-as-non-root'],
  concepts: [4],
  kinds: 'workload',
  run(ctx) {
    const first = firstAtPath();
    for (const s of effectiveSettings(ctx.workload!, 'runAsUser')) {
      if (s.value === 0 && first(s.path)) ctx.report(s.path, `${subjectOf(s)} sets runAsUser: 0`);
    }
  },
});
