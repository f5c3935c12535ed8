/**
 * Pod Security "restricted" allows a container to add only NET_BIND_SERVICE. Reads
 * `securityContext.capabilities.add` of every container; flags every other name (the
 * `allowedCapabilities` setting replaces the list). Windows pods are exempt.
 */
import { defineCheck } from '../types.ts';
import { capabilityList, capabilitySet } from '../helpers.ts';
import { isWindowsPod } from './linux.ts';

export default defineCheck({
  id: 'K8S-ADDED-CAPABILITIES',
  title: 'Capability added',
  severity: 'medium',
  category: 'pod-security',
  description: 'Every added capability widens what a compromised process may do in the kernel; the restricted Pod Security Standard permits only NET_BIND_SERVICE.',
  remediation: 'Remove the capability from `securityContext.capabilities.add`, or allow it explicitly in the check settings if the workload needs it.',
  fields: ['spec.containers[*].securityContext.capabilities.add', 'spec.initContainers[*].securityContext.capabilities.add', 'spec.ephemeralContainers[*].securityContext.capabilities.add'],
  frameworks: { cis: ['5.2.8', '5.2.9'], pss: ['baseline', 'restricted'], 'nist-800-190': ['4.4.3'] },
  aliases: ['KSV-0022', 'KSV-0106', 'CKV_K8S_25'],
  concepts: [15],
  kinds: 'workload',
  settings: { allowedCapabilities: ['NET_BIND_SERVICE'] },
  run(ctx) {
    const w = ctx.workload!;
    if (isWindowsPod(w)) return;
    const allowed = capabilitySet(ctx.setting<unknown>('allowedCapabilities'));
    for (const c of w.containers) {
      for (const cap of capabilityList(c, 'add')) {
        if (!allowed.has(cap.name)) ctx.report(cap.path, `container "${c.name}" adds capability ${cap.name}`);
      }
    }
  },
});
