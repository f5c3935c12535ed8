/**
 * NET_RAW (in most runtimes' default set) allows raw and packet sockets: ARP and DNS spoofing of
 * neighbouring pods. Reads `securityContext.capabilities.add` and `.drop` of every container;
 * flags NET_RAW (or ALL) added (high), or neither NET_RAW nor ALL dropped. Windows pods are exempt.
 */
import { defineCheck } from '../types.ts';
import { capabilityList } from '../helpers.ts';
import { isWindowsPod } from './linux.ts';

export default defineCheck({
  id: 'K8S-NET-RAW',
  title: 'NET_RAW capability not dropped',
  severity: 'medium',
  alsoReports: ['high'],
  category: 'pod-security',
  description: 'With NET_RAW a compromised container can craft raw packets to spoof ARP or DNS answers and intercept traffic of other pods on the node.',
  remediation: 'Drop NET_RAW (or ALL) in `securityContext.capabilities.drop` and do not add it back.',
  fields: ['spec.containers[*].securityContext.capabilities.add', 'spec.containers[*].securityContext.capabilities.drop', 'spec.initContainers[*].securityContext.capabilities', 'spec.ephemeralContainers[*].securityContext.capabilities'],
  frameworks: { cis: ['5.2.8'], 'nist-800-190': ['4.4.3'] },
  aliases: ['KSV-0119', 'CKV_K8S_28', 'C-0211', 'drop-net-raw-capability'],
  concepts: [12],
  kinds: 'workload',
  run(ctx) {
    const w = ctx.workload!;
    if (isWindowsPod(w)) return;
    for (const c of w.containers) {
      const added = capabilityList(c, 'add').filter((cap) => cap.name === 'NET_RAW' || cap.name === 'ALL');
      for (const cap of added) ctx.report(cap.path, `container "${c.name}" adds capability ${cap.name}`, { severity: 'high' });
      if (added.length > 0) continue;
      if (capabilityList(c, 'drop').some((cap) => cap.name === 'NET_RAW' || cap.name === 'ALL')) continue;
      ctx.report([...c.path, 'securityContext', 'capabilities', 'drop'], `container "${c.name}" does not drop NET_RAW`);
    }
  },
});
