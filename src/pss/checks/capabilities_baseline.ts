/**
 * capabilities_baseline (baseline, v1.0): capabilities beyond the container runtime's default
 * set (NET_RAW, SYS_ADMIN, ALL, …) widen what a compromised process can do to the node.
 *
 * Fields: containers[*].securityContext.capabilities.add.
 * Allowed: AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE,
 * SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT: exact, case-sensitive, no CAP_ prefix stripping.
 * `drop` is not checked. No version changes; at restricted, capabilities_restricted replaces it
 * from v1.22.
 */
import type { Path } from '../../manifests/path.ts';
import type { CheckFailure, PodContainer, PodView, PssCheck } from '../check.ts';
import { containersPhrase, quoteAll } from '../detail.ts';

const DEFAULT_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);

/** Containers adding capabilities outside `allowed`, the forbidden values, and their paths. */
export function forbiddenAdds(pod: PodView, allowed: ReadonlySet<string>): { containers: PodContainer[]; values: string[]; paths: Path[] } | undefined {
  let out: { containers: PodContainer[]; values: string[]; paths: Path[] } | undefined;
  for (const c of pod.containers) {
    const caps = c.securityContext?.capabilities as Record<string, unknown> | undefined;
    const add = caps?.add;
    if (!Array.isArray(add)) continue;
    let counted = false;
    for (let i = 0; i < add.length; i++) {
      const cap: unknown = add[i];
      if (typeof cap === 'string' && allowed.has(cap)) continue;
      out ??= { containers: [], values: [], paths: [] };
      if (!counted) out.containers.push(c);
      counted = true;
      const value = String(cap);
      if (!out.values.includes(value)) out.values.push(value);
      out.paths.push([...c.path, 'securityContext', 'capabilities', 'add', i]);
    }
  }
  out?.values.sort();
  return out;
}

function evaluate(pod: PodView): CheckFailure | undefined {
  const bad = forbiddenAdds(pod, DEFAULT_CAPABILITIES);
  if (bad === undefined) return undefined;
  return { detail: `${containersPhrase(bad.containers)} must not include ${quoteAll(bad.values)} in securityContext.capabilities.add`, paths: bad.paths };
}

export const capabilities_baseline: PssCheck = {
  id: 'capabilities_baseline',
  level: 'baseline',
  reason: 'non-default capabilities',
  variants: [{ minVersion: 0, evaluate }],
  rule: {
    title: 'Container adds non-default capabilities',
    severity: 'high',
    description: 'Capabilities outside the runtime default set (such as NET_RAW, SYS_ADMIN or ALL) give a container powers over the network stack, kernel or host that ordinary workloads do not need.',
    remediation: 'Remove the capability from securityContext.capabilities.add; only AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID and SYS_CHROOT may be added.',
    fields: ['spec.containers[*].securityContext.capabilities.add', 'spec.initContainers[*].securityContext.capabilities.add', 'spec.ephemeralContainers[*].securityContext.capabilities.add'],
    frameworks: { pss: ['baseline'], cis: ['5.2.8', '5.2.9'] },
    aliases: ['KSV-0022'],
  },
};
