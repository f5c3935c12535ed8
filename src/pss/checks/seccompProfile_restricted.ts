/**
 * seccompProfile_restricted (restricted, from v1.19; replaces seccompProfile_baseline): every
 * container must run under a seccomp profile, the runtime default or a local one.
 *
 * Fields: spec.securityContext.seccompProfile.type,
 * containers[*].securityContext.seccompProfile.type; from v1.25 also spec.os.name.
 * Allowed: the pod sets RuntimeDefault or Localhost, or every container does; a container may
 * leave it unset when the pod level is valid. Any other explicit value fails.
 * v1.25: pods with spec.os.name "windows" are exempt.
 */
import type { Path } from '../../manifests/path.ts';
import type { CheckFailure, PodContainer, PodView, PssCheck } from '../check.ts';
import { containersPhrase, quoteAll, settersPhrase, unique } from '../detail.ts';
import { seccompType, validSeccompType } from './seccompProfile_baseline.ts';

function evaluate(pod: PodView): CheckFailure | undefined {
  const podType = seccompType(pod.podSecurityContext);
  const podValid = validSeccompType(podType);
  const podBad = podType !== undefined && !podValid;
  let explicit: PodContainer[] | undefined;
  let implicit: PodContainer[] | undefined;
  const values: unknown[] = podBad ? [podType] : [];
  for (const c of pod.containers) {
    const type = seccompType(c.securityContext);
    if (type === undefined) {
      if (!podValid) (implicit ??= []).push(c);
    } else if (!validSeccompType(type)) {
      (explicit ??= []).push(c);
      values.push(type);
    }
  }
  if (!podBad && explicit === undefined && implicit === undefined) return undefined;
  const parts: string[] = [];
  const paths: Path[] = [];
  if (podBad || explicit !== undefined) {
    parts.push(`${settersPhrase(podBad, explicit ?? [])} must not set securityContext.seccompProfile.type to ${quoteAll(unique(values))}`);
    if (podBad) paths.push(['spec', 'securityContext', 'seccompProfile', 'type']);
    for (const c of explicit ?? []) paths.push([...c.path, 'securityContext', 'seccompProfile', 'type']);
  }
  if (implicit !== undefined) {
    parts.push(`pod or ${containersPhrase(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`);
    if (podType === undefined) paths.push(['spec', 'securityContext', 'seccompProfile', 'type']);
    for (const c of implicit) paths.push([...c.path, 'securityContext', 'seccompProfile', 'type']);
  }
  return { detail: parts.join('; '), paths };
}

export const seccompProfile_restricted: PssCheck = {
  id: 'seccompProfile_restricted',
  level: 'restricted',
  reason: 'seccompProfile',
  overrides: { checkId: 'seccompProfile_baseline', fromVersion: 19 },
  variants: [
    { minVersion: 19, evaluate },
    { minVersion: 25, exemptions: ['windows'], evaluate },
  ],
  rule: {
    title: 'Seccomp profile not set',
    severity: 'medium',
    description: 'Restricted pods must run every container under the RuntimeDefault or a Localhost seccomp profile, limiting the system calls a compromised process can make.',
    remediation: 'Set spec.securityContext.seccompProfile.type: RuntimeDefault (or Localhost) and do not override it with another value on containers.',
    fields: ['spec.securityContext.seccompProfile.type', 'spec.containers[*].securityContext.seccompProfile.type', 'spec.initContainers[*].securityContext.seccompProfile.type', 'spec.ephemeralContainers[*].securityContext.seccompProfile.type', 'spec.os.name'],
    frameworks: { pss: ['restricted'] },
    aliases: ['KSV-0030'],
  },
};
