/**
 * kubescape's "Apply Security Context" control (CIS 5.7.3) also asks for pod-level fields that
 * set file ownership explicitly. Reads, on Linux pods, `spec.securityContext.fsGroup`,
 * `.fsGroupChangePolicy` and `.supplementalGroups`; on Windows pods (`spec.os.name: windows`)
 * `windowsOptions.runAsUserName` (container, else pod). Flags each one that is unset.
 * Off by default: only one peer asks for it and most workloads need none of them.
 */
import { asObject } from '../../manifests/path.ts';
import { effectiveSecurity } from '../../manifests/workload.ts';
import { defineCheck } from '../types.ts';
import { isWindowsPod } from './linux.ts';

const LINUX_POD_FIELDS = ['fsGroup', 'fsGroupChangePolicy', 'supplementalGroups'] as const;

export default defineCheck({
  id: 'K8S-POD-SECURITY-FIELDS-UNSET',
  title: 'Pod security fields not set',
  severity: 'low',
  category: 'pod-security',
  description: 'Without fsGroup / supplementalGroups (Linux) or runAsUserName (Windows) the identity that owns mounted files is left to image and runtime defaults.',
  remediation: 'Set `spec.securityContext.fsGroup`, `fsGroupChangePolicy: OnRootMismatch` and `supplementalGroups` (Linux), or `windowsOptions.runAsUserName` (Windows).',
  fields: ['spec.securityContext.fsGroup', 'spec.securityContext.fsGroupChangePolicy', 'spec.securityContext.supplementalGroups', 'spec.securityContext.windowsOptions.runAsUserName', 'spec.containers[*].securityContext.windowsOptions.runAsUserName'],
  frameworks: { cis: ['5.7.3'] },
  aliases: ['C-0211'],
  concepts: [26],
  kinds: 'workload',
  enabledByDefault: false,
  run(ctx) {
    const w = ctx.workload!;
    if (isWindowsPod(w)) {
      for (const c of w.containers) {
        const options = effectiveSecurity(w, c, 'windowsOptions');
        if (asObject(options.value)?.['runAsUserName'] !== undefined) continue;
        ctx.report([...options.path, 'runAsUserName'], `container "${c.name}" does not set windowsOptions.runAsUserName`);
      }
      return;
    }
    for (const field of LINUX_POD_FIELDS) {
      if (w.podSecurityContext[field] === undefined || w.podSecurityContext[field] === null) {
        ctx.report([...w.specPath, 'securityContext', field], `pod securityContext does not set ${field}`);
      }
    }
  },
});
