/**
 * seccompProfile_baseline (baseline): an Unconfined seccomp profile lets a container make
 * every system call, including the rarely needed ones behind many kernel exploits.
 *
 * v1.0–v1.18 fields: metadata.annotations["seccomp.security.alpha.kubernetes.io/pod"] and
 * ["container.seccomp.security.alpha.kubernetes.io/<name>"] for the container names in the
 * spec. Allowed: annotation absent, or "runtime/default", "docker/default", "localhost/*"
 * ("" is not allowed). The fields are ignored.
 * v1.19+ fields: spec.securityContext.seccompProfile.type and
 * containers[*].securityContext.seccompProfile.type. Allowed: unset, "RuntimeDefault",
 * "Localhost". The annotations are ignored.
 * At restricted, seccompProfile_restricted replaces it from v1.19.
 */
import type { Path } from '../../manifests/path.ts';
import type { CheckFailure, PodContainer, PodView, PssCheck } from '../check.ts';
import { quote, quoteAll, settersPhrase, unique } from '../detail.ts';

const POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

function allowedAnnotation(value: unknown): boolean {
  return value === 'runtime/default' || value === 'docker/default' || (typeof value === 'string' && value.startsWith('localhost/'));
}

function evaluateAnnotations(pod: PodView): CheckFailure | undefined {
  const annotations = pod.annotations;
  if (annotations === undefined) return undefined;
  let parts: string[] | undefined;
  const paths: Path[] = [];
  const check = (key: string): void => {
    if (!(key in annotations) || annotations[key] === undefined) return;
    const value = annotations[key];
    if (allowedAnnotation(value)) return;
    (parts ??= []).push(`annotation ${key}=${quote(value ?? '')}`);
    paths.push(['metadata', 'annotations', key]);
  };
  check(POD_ANNOTATION);
  for (const c of pod.containers) check(CONTAINER_ANNOTATION_PREFIX + c.name);
  if (parts === undefined) return undefined;
  return { detail: `forbidden ${parts.join(', ')}`, paths };
}

/** `seccompProfile.type` under a securityContext, or undefined when no profile is set. */
export function seccompType(sc: Record<string, unknown> | undefined): unknown {
  const profile = sc?.seccompProfile as Record<string, unknown> | undefined | null;
  if (profile === null || typeof profile !== 'object') return undefined;
  return profile.type ?? undefined;
}

export function validSeccompType(type: unknown): boolean {
  return type === 'RuntimeDefault' || type === 'Localhost';
}

function evaluateFields(pod: PodView): CheckFailure | undefined {
  const podType = seccompType(pod.podSecurityContext);
  const podBad = podType !== undefined && !validSeccompType(podType);
  const bad: PodContainer[] = [];
  const values: unknown[] = podBad ? [podType] : [];
  const paths: Path[] = podBad ? [['spec', 'securityContext', 'seccompProfile', 'type']] : [];
  for (const c of pod.containers) {
    const type = seccompType(c.securityContext);
    if (type === undefined || validSeccompType(type)) continue;
    bad.push(c);
    values.push(type);
    paths.push([...c.path, 'securityContext', 'seccompProfile', 'type']);
  }
  if (!podBad && bad.length === 0) return undefined;
  return { detail: `${settersPhrase(podBad, bad)} must not set securityContext.seccompProfile.type to ${quoteAll(unique(values))}`, paths };
}

export const seccompProfile_baseline: PssCheck = {
  id: 'seccompProfile_baseline',
  level: 'baseline',
  reason: 'seccompProfile',
  variants: [
    { minVersion: 0, evaluate: evaluateAnnotations },
    { minVersion: 19, evaluate: evaluateFields },
  ],
  rule: {
    title: 'Seccomp profile disabled',
    severity: 'high',
    description: 'An Unconfined seccomp profile allows every system call, widening the kernel attack surface available to a compromised container.',
    remediation: 'Set securityContext.seccompProfile.type to RuntimeDefault or Localhost, or leave it unset (before v1.19: use the annotation value runtime/default, docker/default or localhost/<profile>).',
    fields: ['spec.securityContext.seccompProfile.type', 'spec.containers[*].securityContext.seccompProfile.type', 'spec.initContainers[*].securityContext.seccompProfile.type', 'spec.ephemeralContainers[*].securityContext.seccompProfile.type', 'metadata.annotations["seccomp.security.alpha.kubernetes.io/pod"]', 'metadata.annotations["container.seccomp.security.alpha.kubernetes.io/*"]'],
    frameworks: { pss: ['baseline'] },
    aliases: [],
  },
};
