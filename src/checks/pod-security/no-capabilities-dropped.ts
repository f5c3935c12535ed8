/**
 * The weaker form of K8S-CAPABILITIES-NOT-DROPPED: the container drops no capability at all.
 * Reads `securityContext.capabilities.drop`; flags an absent or empty list. Off by default
 * because K8S-CAPABILITIES-NOT-DROPPED already reports every such container.
 */
import { defineCheck } from '../types.ts';
import { capabilityList } from '../helpers.ts';
import { isWindowsPod } from './linux.ts';

export default defineCheck({
  id: 'K8S-NO-CAPABILITIES-DROPPED',
  title: 'No capability dropped',
  severity: 'low',
  category: 'pod-security',
  description: 'The container keeps every default capability of the runtime; dropping at least the unneeded ones narrows what a compromised process can do.',
  remediation: 'Set `securityContext.capabilities.drop` (ideally `["ALL"]`).',
  fields: ['spec.containers[*].securityContext.capabilities.drop', 'spec.initContainers[*].securityContext.capabilities.drop', 'spec.ephemeralContainers[*].securityContext.capabilities.drop'],
  frameworks: { cis: ['5.2.9'], 'nist-800-190': ['4.4.3'] },
  aliases: ['KSV-0004', 'CapDropAny'],
  concepts: [11],
  kinds: 'workload',
  enabledByDefault: false,
  run(ctx) {
    const w = ctx.workload!;
    if (isWindowsPod(w)) return;
    for (const c of w.containers) {
      if (capabilityList(c, 'drop').length === 0) ctx.report([...c.path, 'securityContext', 'capabilities', 'drop'], `container "${c.name}" drops no capabilities`);
    }
  },
});
