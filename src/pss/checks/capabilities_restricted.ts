/**
 * capabilities_restricted (restricted, from v1.22; replaces capabilities_baseline): containers
 * must drop every capability and may add back only NET_BIND_SERVICE.
 *
 * Fields: containers[*].securityContext.capabilities.drop and .add; from v1.25 also
 * spec.os.name.
 * Allowed: drop contains exactly the string "ALL"; add contains only "NET_BIND_SERVICE".
 * v1.25: pods with spec.os.name "windows" are exempt.
 */
import type { Path } from '../../manifests/path.ts';
import type { CheckFailure, PodContainer, PodView, PssCheck } from '../check.ts';
import { containersPhrase, quoteAll } from '../detail.ts';
import { forbiddenAdds } from './capabilities_baseline.ts';

const ALLOWED_ADD: ReadonlySet<string> = new Set(['NET_BIND_SERVICE']);

function evaluate(pod: PodView): CheckFailure | undefined {
  let noDrop: PodContainer[] | undefined;
  for (const c of pod.containers) {
    const caps = c.securityContext?.capabilities as Record<string, unknown> | undefined | null;
    const drop = caps !== null && typeof caps === 'object' ? caps.drop : undefined;
    if (!Array.isArray(drop) || !drop.includes('ALL')) (noDrop ??= []).push(c);
  }
  const adds = forbiddenAdds(pod, ALLOWED_ADD);
  if (noDrop === undefined && adds === undefined) return undefined;
  const parts: string[] = [];
  const paths: Path[] = [];
  if (noDrop !== undefined) {
    parts.push(`${containersPhrase(noDrop)} must set securityContext.capabilities.drop=["ALL"]`);
    for (const c of noDrop) paths.push([...c.path, 'securityContext', 'capabilities', 'drop']);
  }
  if (adds !== undefined) {
    parts.push(`${containersPhrase(adds.containers)} must not include ${quoteAll(adds.values)} in securityContext.capabilities.add`);
    paths.push(...adds.paths);
  }
  return { detail: parts.join('; '), paths };
}

export const capabilities_restricted: PssCheck = {
  id: 'capabilities_restricted',
  level: 'restricted',
  reason: 'unrestricted capabilities',
  overrides: { checkId: 'capabilities_baseline', fromVersion: 22 },
  variants: [
    { minVersion: 22, evaluate },
    { minVersion: 25, exemptions: ['windows'], evaluate },
  ],
  rule: {
    title: 'Capabilities not dropped',
    severity: 'medium',
    description: 'Restricted containers must drop ALL capabilities and may add back only NET_BIND_SERVICE, so a compromised process holds no kernel privileges it does not need.',
    remediation: 'Set securityContext.capabilities.drop: ["ALL"] on every container and add back only NET_BIND_SERVICE if needed.',
    fields: ['spec.containers[*].securityContext.capabilities.{drop,add}', 'spec.initContainers[*].securityContext.capabilities.{drop,add}', 'spec.ephemeralContainers[*].securityContext.capabilities.{drop,add}', 'spec.os.name'],
    frameworks: { pss: ['restricted'], cis: ['5.2.8', '5.2.9', '5.2.10'] },
    aliases: ['KSV-0003'],
  },
};
