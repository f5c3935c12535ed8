/**
 * seLinuxOptions (baseline): a custom SELinux user, role or type can lift the confinement
 * SELinux gives containers.
 *
 * Fields: spec.securityContext.seLinuxOptions.{type,user,role} and the same under
 * containers[*].securityContext. `level` is not checked.
 * Allowed: type unset, "", container_t, container_init_t, container_kvm_t (and, from v1.31,
 * container_engine_t); user and role unset or "".
 */
import type { Path } from '../../manifests/path.ts';
import type { CheckFailure, PodContainer, PodView, PssCheck } from '../check.ts';
import { quoteAll, settersPhrase, unique } from '../detail.ts';

const TYPES_V1_0: ReadonlySet<string> = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const TYPES_V1_31: ReadonlySet<string> = new Set([...TYPES_V1_0, 'container_engine_t']);

interface Collected {
  types: unknown[];
  users: unknown[];
  roles: unknown[];
  paths: Path[];
}

/** Records the forbidden options at `sc.seLinuxOptions`; true when there was one. */
function collect(sc: Record<string, unknown> | undefined, at: Path, allowedTypes: ReadonlySet<string>, out: Collected): boolean {
  const opts = sc?.seLinuxOptions as Record<string, unknown> | undefined | null;
  if (opts === null || typeof opts !== 'object') return false;
  let bad = false;
  const { type, user, role } = opts;
  if (type !== undefined && type !== null && !(typeof type === 'string' && allowedTypes.has(type))) {
    out.types.push(type);
    out.paths.push([...at, 'seLinuxOptions', 'type']);
    bad = true;
  }
  if (user !== undefined && user !== null && user !== '') {
    out.users.push(user);
    out.paths.push([...at, 'seLinuxOptions', 'user']);
    bad = true;
  }
  if (role !== undefined && role !== null && role !== '') {
    out.roles.push(role);
    out.paths.push([...at, 'seLinuxOptions', 'role']);
    bad = true;
  }
  return bad;
}

function evaluateWith(allowedTypes: ReadonlySet<string>): (pod: PodView) => CheckFailure | undefined {
  return (pod) => {
    const out: Collected = { types: [], users: [], roles: [], paths: [] };
    const podBad = collect(pod.podSecurityContext, ['spec', 'securityContext'], allowedTypes, out);
    const bad: PodContainer[] = [];
    for (const c of pod.containers) if (collect(c.securityContext, [...c.path, 'securityContext'], allowedTypes, out)) bad.push(c);
    if (!podBad && bad.length === 0) return undefined;
    const values: string[] = [];
    if (out.types.length > 0) values.push(`type ${quoteAll(unique(out.types))}`);
    if (out.users.length > 0) values.push(`user ${quoteAll(unique(out.users))}`);
    if (out.roles.length > 0) values.push(`role ${quoteAll(unique(out.roles))}`);
    return { detail: `${settersPhrase(podBad, bad)} set forbidden securityContext.seLinuxOptions: ${values.join('; ')}`, paths: out.paths };
  };
}

export const seLinuxOptions: PssCheck = {
  id: 'seLinuxOptions',
  level: 'baseline',
  reason: 'seLinuxOptions',
  variants: [
    { minVersion: 0, evaluate: evaluateWith(TYPES_V1_0) },
    { minVersion: 31, evaluate: evaluateWith(TYPES_V1_31) },
  ],
  rule: {
    title: 'Custom SELinux options',
    severity: 'high',
    description: 'Setting a custom SELinux user or role, or a type other than the container types, can escape the SELinux confinement of containers.',
    remediation: 'Remove seLinuxOptions.user and seLinuxOptions.role, and use type container_t, container_init_t, container_kvm_t or container_engine_t (v1.31+), or leave it unset.',
    fields: ['spec.securityContext.seLinuxOptions.{type,user,role}', 'spec.containers[*].securityContext.seLinuxOptions.{type,user,role}', 'spec.initContainers[*].securityContext.seLinuxOptions.{type,user,role}', 'spec.ephemeralContainers[*].securityContext.seLinuxOptions.{type,user,role}'],
    frameworks: { pss: ['baseline'] },
    aliases: ['KSV-0025'],
  },
};
