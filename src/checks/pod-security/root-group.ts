/**
 * Group 0 owns many root-only files on the host and in images. Reads `runAsGroup` (container,
 * else pod), `spec.securityContext.fsGroup` and `spec.securityContext.supplementalGroups[*]`;
 * allowed: anything but 0.
 */
import { asArray } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';
import { effectiveSettings, firstAtPath, subjectOf } from './linux.ts';

export default defineCheck({
  id: 'K8S-ROOT-GROUP',
  title: 'Container runs with the root group',
  severity: 'medium',
  category: 'pod-security',
  description: 'A primary or supplementary GID of 0 gives the container the root group\'s access to files, including group-writable files owned by root on mounted volumes.',
  remediation: 'Use non-zero values for `runAsGroup`, `fsGroup` and `supplementalGroups`.',
  fields: ['spec.securityContext.runAsGroup', 'spec.containers[*].securityContext.runAsGroup', 'spec.securityContext.fsGroup', 'spec.securityContext.supplementalGroups'],
  frameworks: { nsa: ['1.6'], 'nist-800-190': ['4.4.3'] },
  aliases: ['KSV-0116', 'KSV-0029', 'run-as-non-root'],
  concepts: [7],
  kinds: 'workload',
  run(ctx) {
    const w = ctx.workload!;
    const first = firstAtPath();
    for (const s of effectiveSettings(w, 'runAsGroup')) {
      if (s.value === 0 && first(s.path)) ctx.report(s.path, `${subjectOf(s)} sets runAsGroup: 0`);
    }
    const podContext = [...w.specPath, 'securityContext'];
    if (w.podSecurityContext['fsGroup'] === 0) ctx.report([...podContext, 'fsGroup'], 'pod securityContext sets fsGroup: 0');
    asArray(w.podSecurityContext['supplementalGroups']).forEach((gid, i) => {
      if (gid === 0) ctx.report([...podContext, 'supplementalGroups', i], 'pod securityContext adds supplemental group 0');
    });
  },
});
