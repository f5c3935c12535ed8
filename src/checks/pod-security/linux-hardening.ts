/**
 * A container with none of the Linux confinement mechanisms: no seccomp profile (other than
 * Unconfined), no SELinux options, no AppArmor profile, and no dropped capability (adding ALL
 * cancels a drop). Reads those fields at container and pod level. Off by default:
 * K8S-SECCOMP-NOT-SET and K8S-CAPABILITIES-NOT-DROPPED already report the same containers more
 * precisely. Windows pods are exempt.
 */
import { asObject } from '../../manifests/path.ts';
import { effectiveSecurity, type ContainerRef, type Workload } from '../../manifests/workload.ts';
import { capabilityList } from '../helpers.ts';
import { defineCheck } from '../types.ts';
import { hasAppArmorProfile } from './apparmor.ts';
import { isWindowsPod, profileType } from './linux.ts';

function isHardened(w: Workload, c: ContainerRef): boolean {
  const seccomp = profileType(effectiveSecurity(w, c, 'seccompProfile').value);
  if (seccomp !== undefined && seccomp !== 'Unconfined') return true;
  if (asObject(effectiveSecurity(w, c, 'seLinuxOptions').value) !== undefined) return true;
  if (hasAppArmorProfile(w, c)) return true;
  const addsAll = capabilityList(c, 'add').some((cap) => cap.name === 'ALL');
  return !addsAll && capabilityList(c, 'drop').length > 0;
}

export default defineCheck({
  id: 'K8S-NO-LINUX-HARDENING',
  title: 'No Linux hardening',
  severity: 'medium',
  category: 'pod-security',
  description: 'The container uses none of seccomp, SELinux, AppArmor or capability dropping, so nothing beyond namespaces separates it from the kernel.',
  remediation: 'Set `seccompProfile.type: RuntimeDefault` and `capabilities.drop: ["ALL"]`, or configure SELinux / AppArmor options.',
  fields: ['spec.securityContext.seccompProfile', 'spec.securityContext.seLinuxOptions', 'spec.securityContext.appArmorProfile', 'spec.containers[*].securityContext.capabilities', 'spec.containers[*].securityContext.seccompProfile', 'metadata.annotations["container.apparmor.security.beta.kubernetes.io/*"]'],
  frameworks: { nsa: ['Linux hardening'], 'nist-800-190': ['4.4.3'] },
  aliases: ['C-0055', 'linuxHardening'],
  concepts: [22],
  kinds: 'workload',
  enabledByDefault: false,
  run(ctx) {
    const w = ctx.workload!;
    if (isWindowsPod(w)) return;
    for (const c of w.containers) {
      if (!isHardened(w, c)) ctx.report([...c.path, 'securityContext'], `container "${c.name}" has no seccomp, SELinux, AppArmor or capability-drop hardening`);
    }
  },
});
