/**
 * allowPrivilegeEscalation (restricted, from v1.8): unless it is explicitly false, a process
 * can gain more privileges than its parent (setuid binaries, file capabilities).
 *
 * Fields: containers[*].securityContext.allowPrivilegeEscalation; from v1.25 also spec.os.name.
 * Allowed: false, set explicitly (unset fails). v1.25: pods with spec.os.name "windows" are
 * exempt.
 */
import type { CheckFailure, PodContainer, PodView, PssCheck } from '../check.ts';
import { containersPhrase } from '../detail.ts';

function evaluate(pod: PodView): CheckFailure | undefined {
  let bad: PodContainer[] | undefined;
  for (const c of pod.containers) if (c.securityContext?.allowPrivilegeEscalation !== false) (bad ??= []).push(c);
  if (bad === undefined) return undefined;
  return {
    detail: `${containersPhrase(bad)} must set securityContext.allowPrivilegeEscalation=false`,
    paths: bad.map((c) => [...c.path, 'securityContext', 'allowPrivilegeEscalation']),
  };
}

export const allowPrivilegeEscalation: PssCheck = {
  id: 'allowPrivilegeEscalation',
  level: 'restricted',
  reason: 'allowPrivilegeEscalation != false',
  variants: [
    { minVersion: 8, evaluate },
    { minVersion: 25, exemptions: ['windows'], evaluate },
  ],
  rule: {
    title: 'Privilege escalation allowed',
    severity: 'medium',
    description: 'Unless allowPrivilegeEscalation is explicitly false, processes in the container can gain privileges through setuid binaries or file capabilities.',
    remediation: 'Set securityContext.allowPrivilegeEscalation: false on every container.',
    fields: ['spec.containers[*].securityContext.allowPrivilegeEscalation', 'spec.initContainers[*].securityContext.allowPrivilegeEscalation', 'spec.ephemeralContainers[*].securityContext.allowPrivilegeEscalation', 'spec.os.name'],
    frameworks: { pss: ['restricted'], cis: ['5.2.6'] },
    aliases: ['KSV-0001'],
  },
};
