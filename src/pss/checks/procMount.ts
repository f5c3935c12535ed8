/**
 * procMount (baseline): an Unmasked /proc exposes host kernel information and knobs that the
 * default mask hides.
 *
 * Fields: containers[*].securityContext.procMount; from v1.35 also spec.hostUsers.
 * Allowed: unset or "Default". v1.35: any value when spec.hostUsers is false (the pod runs in
 * its own user namespace). At restricted, procMount_restricted replaces it from v1.35.
 */
import type { CheckFailure, PodContainer, PodView, PssCheck } from '../check.ts';
import { containersPhrase, quoteAll, unique } from '../detail.ts';

/** Shared with procMount_restricted, which keeps the rule without the user-namespace relaxation. */
export function evaluateProcMount(pod: PodView): CheckFailure | undefined {
  let bad: PodContainer[] | undefined;
  const values: unknown[] = [];
  for (const c of pod.containers) {
    const value = c.securityContext?.procMount;
    if (value === undefined || value === null || value === 'Default') continue;
    (bad ??= []).push(c);
    values.push(value);
  }
  if (bad === undefined) return undefined;
  return {
    detail: `${containersPhrase(bad)} must not set securityContext.procMount to ${quoteAll(unique(values))}`,
    paths: bad.map((c) => [...c.path, 'securityContext', 'procMount']),
  };
}

export const procMount: PssCheck = {
  id: 'procMount',
  level: 'baseline',
  reason: 'procMount',
  variants: [
    { minVersion: 0, evaluate: evaluateProcMount },
    { minVersion: 35, exemptions: ['userNamespace'], evaluate: evaluateProcMount },
  ],
  rule: {
    title: 'Container unmasks /proc',
    severity: 'high',
    description: 'procMount: Unmasked disables the masking of sensitive /proc paths, exposing host kernel information and settings to the container.',
    remediation: 'Remove securityContext.procMount or set it to Default (from v1.35 baseline allows other values when spec.hostUsers is false).',
    fields: ['spec.containers[*].securityContext.procMount', 'spec.initContainers[*].securityContext.procMount', 'spec.ephemeralContainers[*].securityContext.procMount', 'spec.hostUsers'],
    frameworks: { pss: ['baseline'] },
    aliases: ['KSV-0027'],
  },
};
