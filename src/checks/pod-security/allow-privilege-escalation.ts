/**
 * With allowPrivilegeEscalation left on, a process can gain more privileges than its parent
 * (setuid binaries, file capabilities): the no_new_privs flag is not set. Reads
 * `securityContext.allowPrivilegeEscalation` of every container; allowed: explicitly false
 * (PSS restricted requires it to be set). Windows pods are exempt (the field is Linux-only).
 */
import { defineCheck } from '../types.ts';
import { isWindowsPod } from './linux.ts';

export default defineCheck({
  id: 'K8S-ALLOW-PRIVILEGE-ESCALATION',
  title: 'Privilege escalation allowed',
  severity: 'medium',
  alsoReports: ['high'],
  category: 'pod-security',
  description: 'Unless allowPrivilegeEscalation is false, a process in the container can gain privileges through setuid binaries or file capabilities; an explicit true is a deliberate escalation path.',
  remediation: 'Set `securityContext.allowPrivilegeEscalation: false` on every container.',
  fields: ['spec.containers[*].securityContext.allowPrivilegeEscalation', 'spec.initContainers[*].securityContext.allowPrivilegeEscalation', 'spec.ephemeralContainers[*].securityContext.allowPrivilegeEscalation', 'spec.os.name'],
  frameworks: { cis: ['5.2.6'], nsa: ['1.7'], pss: ['restricted'], 'nist-800-190': ['4.4.3'] },
  aliases: ['KSV-0001', 'CKV_K8S_20', 'C-0016', 'privilegeEscalationAllowed', 'AllowPrivilegeEscalation', 'privilege-escalation-container'],
  concepts: [2],
  kinds: 'workload',
  run(ctx) {
    const w = ctx.workload!;
    if (isWindowsPod(w)) return;
    for (const c of w.containers) {
      const value = c.securityContext['allowPrivilegeEscalation'];
      if (value === false) continue;
      const path = [...c.path, 'securityContext', 'allowPrivilegeEscalation'];
      if (value === true) ctx.report(path, `container "${c.name}" sets allowPrivilegeEscalation: true`, { severity: 'high' });
      else ctx.report(path, `container "${c.name}" does not set allowPrivilegeEscalation: false`);
    }
  },
});
