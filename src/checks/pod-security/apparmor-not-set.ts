/**
 * AppArmor confines file and capability use of a container on Linux nodes that support it.
 * Reads `appArmorProfile.type` (container, else pod) and the annotation
 * `container.apparmor.security.beta.kubernetes.io/<container>`; passes when either selects
 * RuntimeDefault / Localhost. Off by default (only kubesec asks for it; runtimes apply their
 * default profile on AppArmor nodes anyway). Windows pods are exempt.
 */
import { defineCheck } from '../types.ts';
import { hasAppArmorProfile } from './apparmor.ts';
import { isWindowsPod } from './linux.ts';

export default defineCheck({
  id: 'K8S-APPARMOR-NOT-SET',
  title: 'AppArmor profile not set',
  severity: 'low',
  category: 'pod-security',
  description: 'Without an explicit AppArmor profile the container depends on the node\'s runtime default being present and enforced.',
  remediation: 'Set `securityContext.appArmorProfile.type: RuntimeDefault` on the pod (or `Localhost` with a tailored profile).',
  fields: ['spec.securityContext.appArmorProfile.type', 'spec.containers[*].securityContext.appArmorProfile.type', 'metadata.annotations["container.apparmor.security.beta.kubernetes.io/*"]'],
  frameworks: { nsa: ['Linux hardening'], 'nist-800-190': ['4.4.3'] },
  aliases: ['ApparmorAny'],
  concepts: [18],
  kinds: 'workload',
  enabledByDefault: false,
  run(ctx) {
    const w = ctx.workload!;
    if (isWindowsPod(w)) return;
    for (const c of w.containers) {
      if (!hasAppArmorProfile(w, c)) ctx.report([...c.path, 'securityContext', 'appArmorProfile'], `container "${c.name}" has no AppArmor profile`);
    }
  },
});
