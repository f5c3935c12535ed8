/**
 * runAsUser (restricted, from v1.23): an explicit UID 0 runs the container as root, whatever
 * the image says.
 *
 * Fields: spec.securityContext.runAsUser, containers[*].securityContext.runAsUser; from v1.35
 * also spec.hostUsers.
 * Allowed: unset or non-zero. v1.35: pods with spec.hostUsers false are exempt.
 */
import type { Path } from '../../manifests/path.ts';
import type { CheckFailure, PodContainer, PodView, PssCheck } from '../check.ts';
import { settersPhrase } from '../detail.ts';

function evaluate(pod: PodView): CheckFailure | undefined {
  const podBad = pod.podSecurityContext?.runAsUser === 0;
  let bad: PodContainer[] | undefined;
  for (const c of pod.containers) if (c.securityContext?.runAsUser === 0) (bad ??= []).push(c);
  if (!podBad && bad === undefined) return undefined;
  const paths: Path[] = podBad ? [['spec', 'securityContext', 'runAsUser']] : [];
  for (const c of bad ?? []) paths.push([...c.path, 'securityContext', 'runAsUser']);
  return { detail: `${settersPhrase(podBad, bad ?? [])} must not set runAsUser=0`, paths };
}

export const runAsUser: PssCheck = {
  id: 'runAsUser',
  level: 'restricted',
  reason: 'runAsUser=0',
  variants: [
    { minVersion: 23, evaluate },
    { minVersion: 35, exemptions: ['userNamespace'], evaluate },
  ],
  rule: {
    title: 'Container runs as UID 0',
    severity: 'medium',
    description: 'runAsUser: 0 runs the container processes as root.',
    remediation: 'Remove runAsUser: 0 (pod and containers) or set a non-zero UID.',
    fields: ['spec.securityContext.runAsUser', 'spec.containers[*].securityContext.runAsUser', 'spec.initContainers[*].securityContext.runAsUser', 'spec.ephemeralContainers[*].securityContext.runAsUser', 'spec.hostUsers'],
    frameworks: { pss: ['restricted'], cis: ['5.2.7'] },
    aliases: [],
  },
};
