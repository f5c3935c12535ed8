/**
 * privileged (baseline, v1.0): a privileged container gets every capability and all host
 * devices; it is root on the node in all but name.
 *
 * Fields: containers[*].securityContext.privileged (init, regular and ephemeral containers).
 * Allowed: unset or false. No version changes.
 */
import type { CheckFailure, PodContainer, PodView, PssCheck } from '../check.ts';
import { containersPhrase } from '../detail.ts';

function evaluate(pod: PodView): CheckFailure | undefined {
  let bad: PodContainer[] | undefined;
  for (const c of pod.containers) if (c.securityContext?.privileged === true) (bad ??= []).push(c);
  if (bad === undefined) return undefined;
  return {
    detail: `${containersPhrase(bad)} must not set securityContext.privileged=true`,
    paths: bad.map((c) => [...c.path, 'securityContext', 'privileged']),
  };
}

export const privileged: PssCheck = {
  id: 'privileged',
  level: 'baseline',
  reason: 'privileged',
  variants: [{ minVersion: 0, evaluate }],
  rule: {
    title: 'Privileged container',
    severity: 'high',
    description: 'A privileged container runs with all capabilities and access to all host devices, so a compromise of the container is a compromise of the node.',
    remediation: 'Remove securityContext.privileged or set it to false; grant only the specific capabilities the container needs.',
    fields: ['spec.containers[*].securityContext.privileged', 'spec.initContainers[*].securityContext.privileged', 'spec.ephemeralContainers[*].securityContext.privileged'],
    frameworks: { pss: ['baseline'], cis: ['5.2.2'] },
    aliases: ['KSV-0017'],
  },
};
