/**
 * A Windows HostProcess container runs directly on the node, outside any container isolation,
 * with access to the host's network, filesystem and processes. Reads
 * `windowsOptions.hostProcess` at pod and container level; allowed: unset or false.
 */
import { asObject } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  id: 'K8S-HOST-PROCESS',
  title: 'Windows HostProcess container',
  severity: 'critical',
  category: 'pod-security',
  description: 'HostProcess containers are processes on the Windows node with the host\'s privileges; a compromise of one is a compromise of the node.',
  remediation: 'Remove `securityContext.windowsOptions.hostProcess: true` unless the pod is a vetted node agent; isolate and waive it with a reason if so.',
  fields: ['spec.securityContext.windowsOptions.hostProcess', 'spec.containers[*].securityContext.windowsOptions.hostProcess', 'spec.initContainers[*].securityContext.windowsOptions.hostProcess', 'spec.ephemeralContainers[*].securityContext.windowsOptions.hostProcess'],
  frameworks: { cis: ['5.2.11'], pss: ['baseline'], 'nist-800-190': ['4.4.3'] },
  aliases: ['KSV-0103', 'C-0211', 'hostProcess'],
  concepts: [25],
  kinds: 'workload',
  run(ctx) {
    const w = ctx.workload!;
    if (asObject(w.podSecurityContext['windowsOptions'])?.['hostProcess'] === true) {
      ctx.report([...w.specPath, 'securityContext', 'windowsOptions', 'hostProcess'], 'pod securityContext sets windowsOptions.hostProcess: true');
    }
    for (const c of w.containers) {
      if (asObject(c.securityContext['windowsOptions'])?.['hostProcess'] === true) {
        ctx.report([...c.path, 'securityContext', 'windowsOptions', 'hostProcess'], `container "${c.name}" sets windowsOptions.hostProcess: true`);
      }
    }
  },
});
