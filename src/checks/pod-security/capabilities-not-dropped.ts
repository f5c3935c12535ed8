/**
 * Containers start with the runtime's default capability set (CHOWN, DAC_OVERRIDE, NET_RAW,
 * SETUID, …); dropping ALL and adding back only what is needed removes that attack surface.
 * Reads `securityContext.capabilities.drop` of every container; passes when it contains ALL
 * (any case, `CAP_` prefix ignored, as runtimes read it). Windows pods are exempt.
 */
import { defineCheck } from '../types.ts';
import { capabilityList } from '../helpers.ts';
import { isWindowsPod } from './linux.ts';

export default defineCheck({
  id: 'K8S-CAPABILITIES-NOT-DROPPED',
  title: 'Capabilities not dropped',
  severity: 'medium',
  category: 'pod-security',
  description: 'Without `capabilities.drop: [ALL]` a container keeps the runtime\'s default capabilities, several of which (NET_RAW, DAC_OVERRIDE, SETUID) help an attacker after a compromise.',
  remediation: 'Set `securityContext.capabilities.drop: ["ALL"]` and add back only the capabilities the workload needs.',
  fields: ['spec.containers[*].securityContext.capabilities.drop', 'spec.initContainers[*].securityContext.capabilities.drop', 'spec.ephemeralContainers[*].securityContext.capabilities.drop'],
  frameworks: { cis: ['5.2.10'], pss: ['restricted'], 'nist-800-190': ['4.4.3'] },
  aliases: ['KSV-0003', 'KSV-0106', 'CKV_K8S_37', 'insecureCapabilities', 'CapDropAll'],
  concepts: [10],
  kinds: 'workload',
  run(ctx) {
    const w = ctx.workload!;
    if (isWindowsPod(w)) return;
    for (const c of w.containers) {
      if (capabilityList(c, 'drop').some((cap) => cap.name === 'ALL')) continue;
      ctx.report([...c.path, 'securityContext', 'capabilities', 'drop'], `container "${c.name}" does not drop ALL capabilities`);
    }
  },
});
