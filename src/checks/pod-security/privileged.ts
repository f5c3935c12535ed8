/**
 * A privileged container runs with every capability and with access to the host's devices: it
 * is root on the node. Reads `securityContext.privileged` of every container (init, regular,
 * ephemeral); allowed: unset or false.
 */
import { defineCheck } from '../types.ts';

export default defineCheck({
  id: 'K8S-PRIVILEGED',
  title: 'Privileged container',
  severity: 'critical',
  category: 'pod-security',
  description: 'A privileged container has all Linux capabilities and unrestricted access to the host devices; a compromise of it is a compromise of the node.',
  remediation: 'Remove `securityContext.privileged: true` (or set it to false); grant only the specific capabilities the workload needs.',
  fields: ['spec.containers[*].securityContext.privileged', 'spec.initContainers[*].securityContext.privileged', 'spec.ephemeralContainers[*].securityContext.privileged'],
  frameworks: { cis: ['5.2.2'], nsa: ['1.2'], pss: ['baseline'], mitre: ['Privilege escalation'], 'nist-800-190': ['4.4.3'] },
  aliases: ['KSV-0017', 'CKV_K8S_16', 'C-0057', 'runAsPrivileged', 'privileged-container', 'container-security-context-privileged', 'Privileged'],
  concepts: [1],
  kinds: 'workload',
  run(ctx) {
    for (const c of ctx.workload!.containers) {
      if (c.securityContext['privileged'] === true) {
        ctx.report([...c.path, 'securityContext', 'privileged'], `container "${c.name}" runs privileged`);
      }
    }
  },
});
