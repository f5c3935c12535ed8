/**
 * procMount_restricted (restricted, from v1.35; replaces procMount): restricted keeps the
 * pre-1.35 procMount rule, without baseline's relaxation for pods in a user namespace.
 *
 * Fields: containers[*].securityContext.procMount.
 * Allowed: unset or "Default", whatever spec.hostUsers says.
 */
import type { PssCheck } from '../check.ts';
import { evaluateProcMount } from './procMount.ts';

export const procMount_restricted: PssCheck = {
  id: 'procMount_restricted',
  level: 'restricted',
  reason: 'procMount',
  overrides: { checkId: 'procMount', fromVersion: 35 },
  variants: [{ minVersion: 35, evaluate: evaluateProcMount }],
  rule: {
    title: 'Container unmasks /proc (restricted)',
    severity: 'medium',
    description: 'Restricted pods may not unmask /proc, even when they run in their own user namespace.',
    remediation: 'Remove securityContext.procMount or set it to Default.',
    fields: ['spec.containers[*].securityContext.procMount', 'spec.initContainers[*].securityContext.procMount', 'spec.ephemeralContainers[*].securityContext.procMount'],
    frameworks: { pss: ['restricted'] },
    aliases: ['KSV-0027'],
  },
};
