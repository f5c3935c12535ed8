/**
 * A UID inside the host's usual range (<= 10000) may collide with a real user on the node, so a
 * container escape lands with that user's file access. Reads `runAsUser` (container, else pod);
 * flags explicit UIDs from 1 to `minUid - 1` (UID 0 is K8S-RUN-AS-ROOT-UID; unset is
 * K8S-RUN-AS-NON-ROOT's concern). Windows pods are exempt (runAsUser is Linux-only).
 */
import { defineCheck } from '../types.ts';
import { effectiveSettings, firstAtPath, isInteger, isWindowsPod, subjectOf } from './linux.ts';

export default defineCheck({
  id: 'K8S-LOW-UID',
  title: 'Container runs with a low UID',
  severity: 'low',
  category: 'pod-security',
  description: 'UIDs up to 10000 are commonly used by host accounts; a container running with one shares file ownership with that account if it escapes or mounts host paths.',
  remediation: 'Set `runAsUser` to a UID above 10000 (for example 10001).',
  fields: ['spec.securityContext.runAsUser', 'spec.containers[*].securityContext.runAsUser', 'spec.initContainers[*].securityContext.runAsUser', 'spec.ephemeralContainers[*].securityContext.runAsUser'],
  frameworks: { cis: ['5.7.3'], 'nist-800-190': ['4.4.3'] },
  aliases: ['KSV-0020', 'CKV_K8S_40', 'RunAsUser', 'container-security-context-user-group-id'],
  concepts: [5],
  kinds: 'workload',
  settings: { minUid: 10001 },
  run(ctx) {
    const w = ctx.workload!;
    if (isWindowsPod(w)) return;
    const min = ctx.setting<number>('minUid');
    const first = firstAtPath();
    for (const s of effectiveSettings(w, 'runAsUser')) {
      if (isInteger(s.value) && s.value > 0 && s.value < min && first(s.path)) ctx.report(s.path, `${subjectOf(s)} sets runAsUser: ${s.value} (below ${min})`);
    }
  },
});
