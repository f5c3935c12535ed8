/**
 * runAsNonRoot (restricted, v1.0): containers must be required to run as a non-root user, so
 * the kubelet refuses to start an image that runs as root.
 *
 * Fields: spec.securityContext.runAsNonRoot, containers[*].securityContext.runAsNonRoot; from
 * v1.35 also spec.hostUsers.
 * Allowed: pod level not false; every container sets true, or leaves it unset while the pod
 * level is true (a container's false fails even then). Windows pods are not exempt.
 * v1.35: pods with spec.hostUsers false are exempt (root in a user namespace is not host root).
 */
import type { Path } from '../../manifests/path.ts';
import type { CheckFailure, PodContainer, PodView, PssCheck } from '../check.ts';
import { containersPhrase } from '../detail.ts';

function evaluate(pod: PodView): CheckFailure | undefined {
  const podValue = pod.podSecurityContext?.runAsNonRoot;
  const parts: string[] = [];
  const paths: Path[] = [];
  if (podValue === false) {
    parts.push('pod must not set securityContext.runAsNonRoot=false');
    paths.push(['spec', 'securityContext', 'runAsNonRoot']);
  }
  let explicit: PodContainer[] | undefined;
  let implicit: PodContainer[] | undefined;
  for (const c of pod.containers) {
    const value = c.securityContext?.runAsNonRoot;
    if (value === true) continue;
    if (value === false) (explicit ??= []).push(c);
    else if (podValue !== true) (implicit ??= []).push(c);
  }
  if (explicit !== undefined) {
    parts.push(`${containersPhrase(explicit)} must not set securityContext.runAsNonRoot=false`);
    for (const c of explicit) paths.push([...c.path, 'securityContext', 'runAsNonRoot']);
  }
  if (implicit !== undefined) {
    parts.push(`pod or ${containersPhrase(implicit)} must set securityContext.runAsNonRoot=true`);
    if (podValue === undefined) paths.push(['spec', 'securityContext', 'runAsNonRoot']);
    for (const c of implicit) paths.push([...c.path, 'securityContext', 'runAsNonRoot']);
  }
  if (parts.length === 0) return undefined;
  return { detail: parts.join('; '), paths };
}

export const runAsNonRoot: PssCheck = {
  id: 'runAsNonRoot',
  level: 'restricted',
  reason: 'runAsNonRoot != true',
  variants: [
    { minVersion: 0, evaluate },
    { minVersion: 35, exemptions: ['userNamespace'], evaluate },
  ],
  rule: {
    title: 'Containers not required to run as non-root',
    severity: 'medium',
    description: 'Without runAsNonRoot: true the container may run as UID 0, so any escape from the container starts as root.',
    remediation: 'Set spec.securityContext.runAsNonRoot: true (and do not set false on any container), and run the image as a non-zero UID.',
    fields: ['spec.securityContext.runAsNonRoot', 'spec.containers[*].securityContext.runAsNonRoot', 'spec.initContainers[*].securityContext.runAsNonRoot', 'spec.ephemeralContainers[*].securityContext.runAsNonRoot', 'spec.hostUsers'],
    frameworks: { pss: ['restricted'], cis: ['5.2.7'] },
    aliases: ['KSV-0012'],
  },
};
