/**
 * A GID inside the host's usual range (<= 10000) may match a real group on the node. Reads
 * `runAsGroup` (container, else pod); flags explicit GIDs from 1 to `minGid - 1` (GID 0 is
 * K8S-ROOT-GROUP). Windows pods are exempt (runAsGroup is Linux-only).
 */
import { defineCheck } from '../types.ts';
import { effectiveSettings, firstAtPath, isInteger, isWindowsPod, subjectOf } from './linux.ts';

export default defineCheck({
  id: 'K8S-LOW-GID',
  title: 'Container runs with a low GID',
  severity: 'low',
  category: 'pod-security',
  description: 'GIDs up to 10000 are commonly used by host groups; a container running with one shares group file access with them if it escapes or mounts host paths.',
  remediation: 'Set `runAsGroup` to a GID above 10000 (for example 10001).',
  fields: ['spec.securityContext.runAsGroup', 'spec.containers[*].securityContext.runAsGroup', 'spec.initContainers[*].securityContext.runAsGroup', 'spec.ephemeralContainers[*].securityContext.runAsGroup'],
  frameworks: { cis: ['5.7.3'], 'nist-800-190': ['4.4.3'] },
  aliases: ['KSV-0021', 'RunAsGroup', 'container-security-context-user-group-id'],
  concepts: [6],
  kinds: 'workload',
  settings: { minGid: 10001 },
  run(ctx) {
    const w = ctx.workload!;
    if (isWindowsPod(w)) return;
    const min = ctx.setting<number>('minGid');
    const first = firstAtPath();
    for (const s of effectiveSettings(w, 'runAsGroup')) {
      if (isInteger(s.value) && s.value > 0 && s.value < min && first(s.path)) ctx.report(s.path, `${subjectOf(s)} sets runAsGroup: ${s.value} (below ${min})`);
    }
  },
});
