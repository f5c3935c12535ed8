/**
 * appArmorProfile (baseline, v1.0): running unconfined switches off the AppArmor profile that
 * the runtime applies by default.
 *
 * Fields: metadata.annotations["container.apparmor.security.beta.kubernetes.io/*"] (every key
 * with that prefix, whether or not a container has that name);
 * spec.securityContext.appArmorProfile.type; containers[*].securityContext.appArmorProfile.type.
 * Allowed: annotation values "", "runtime/default", "localhost/*"; field type unset,
 * "RuntimeDefault" or "Localhost". One variant covers annotations and fields.
 */
import type { Path } from '../../manifests/path.ts';
import type { CheckFailure, PodContainer, PodView, PssCheck } from '../check.ts';
import { quote, settersPhrase, unique } from '../detail.ts';

const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function allowedAnnotation(value: string): boolean {
  return value === '' || value === 'runtime/default' || value.startsWith('localhost/');
}

function profileType(sc: Record<string, unknown> | undefined): unknown {
  const profile = sc?.appArmorProfile as Record<string, unknown> | undefined | null;
  return profile === null || typeof profile !== 'object' ? undefined : profile.type;
}

function allowedType(type: unknown): boolean {
  return type === undefined || type === null || type === 'RuntimeDefault' || type === 'Localhost';
}

function evaluate(pod: PodView): CheckFailure | undefined {
  const parts: string[] = [];
  const paths: Path[] = [];
  let count = 0;
  if (pod.annotations !== undefined) {
    for (const key in pod.annotations) {
      if (!key.startsWith(ANNOTATION_PREFIX)) continue;
      const raw = pod.annotations[key];
      const value = raw === null || raw === undefined ? '' : String(raw);
      if (allowedAnnotation(value)) continue;
      parts.push(`annotation ${key}=${quote(value)}`);
      paths.push(['metadata', 'annotations', key]);
      count++;
    }
  }
  const podType = profileType(pod.podSecurityContext);
  const podBad = !allowedType(podType);
  const badContainers: PodContainer[] = [];
  const types: unknown[] = podBad ? [podType] : [];
  if (podBad) paths.push(['spec', 'securityContext', 'appArmorProfile', 'type']);
  for (const c of pod.containers) {
    const type = profileType(c.securityContext);
    if (allowedType(type)) continue;
    badContainers.push(c);
    types.push(type);
    paths.push([...c.path, 'securityContext', 'appArmorProfile', 'type']);
  }
  if (podBad || badContainers.length > 0) {
    parts.push(`${settersPhrase(podBad, badContainers)} must not set securityContext.appArmorProfile.type to ${unique(types).map(quote).join(', ')}`);
    count += types.length;
  }
  if (count === 0) return undefined;
  return { reason: count === 1 ? 'forbidden AppArmor profile' : 'forbidden AppArmor profiles', detail: parts.join('; '), paths };
}

export const appArmorProfile: PssCheck = {
  id: 'appArmorProfile',
  level: 'baseline',
  reason: 'forbidden AppArmor profiles',
  variants: [{ minVersion: 0, evaluate }],
  rule: {
    title: 'AppArmor profile disabled',
    severity: 'high',
    description: 'An Unconfined AppArmor profile removes the mandatory access control the runtime applies to containers by default.',
    remediation: 'Remove the override, or set appArmorProfile.type to RuntimeDefault or Localhost (annotation value runtime/default or localhost/<profile>).',
    fields: ['metadata.annotations["container.apparmor.security.beta.kubernetes.io/*"]', 'spec.securityContext.appArmorProfile.type', 'spec.containers[*].securityContext.appArmorProfile.type', 'spec.initContainers[*].securityContext.appArmorProfile.type', 'spec.ephemeralContainers[*].securityContext.appArmorProfile.type'],
    frameworks: { pss: ['baseline'] },
    aliases: ['KSV-0002'],
  },
};
