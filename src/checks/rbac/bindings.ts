/** RoleBinding / ClusterRoleBinding reading: subjects, and the rules of the role they grant. */
import type { ManifestIndex } from '../../manifests/index-set.ts';
import { asArray, asObject, asString } from '../../manifests/path.ts';
import type { Resource } from '../../manifests/resource.ts';
import { ADMIN_ROLE_NAMES, DEFAULT_CLUSTER_ROLES, DEFAULT_NAMESPACED_ROLES } from './permissions.ts';
import type { CheckContext } from '../types.ts';
import { isBuiltInRbacObject, isFullWildcard, policyRules, type PolicyRule } from './policy.ts';

export interface Subject {
  kind: string;
  name: string;
  /** For ServiceAccounts: their namespace (a RoleBinding's own namespace when omitted). */
  namespace: string | undefined;
  index: number;
}

/** Groups and users that stand for "everyone" or "all-powerful": the RBAC checks flag these even though they start with `system:`. */
export const SPECIAL_PRINCIPALS: ReadonlySet<string> = new Set(['system:anonymous', 'system:unauthenticated', 'system:authenticated', 'system:masters']);

export function bindingSubjects(binding: Resource, index: ManifestIndex): Subject[] {
  return asArray(binding.object['subjects']).flatMap((raw, i) => {
    const s = asObject(raw);
    const kind = asString(s?.['kind']);
    const name = asString(s?.['name']);
    if (kind === undefined || name === undefined) return [];
    const namespace = kind === 'ServiceAccount' ? (asString(s!['namespace']) ?? index.namespaceOf(binding)) : undefined;
    return [{ kind, name, namespace, index: i }];
  });
}

/** Kubernetes' own identities (`system:` users and groups other than the special principals). */
export function isSystemSubject(s: Subject): boolean {
  return s.kind !== 'ServiceAccount' && s.name.startsWith('system:') && !SPECIAL_PRINCIPALS.has(s.name);
}

export function describeSubject(s: Subject): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount "${s.namespace ?? ''}/${s.name}"` : `${s.kind} "${s.name}"`;
}

export interface RoleRef {
  kind: string;
  name: string;
}

export function roleRefOf(binding: Resource): RoleRef | undefined {
  const ref = asObject(binding.object['roleRef']);
  const kind = asString(ref?.['kind']);
  const name = asString(ref?.['name']);
  return kind === undefined || name === undefined ? undefined : { kind, name };
}

export interface ResolvedRole {
  ref: RoleRef;
  /** Undefined when the role is neither in the inputs nor a known default (ClusterRole, or Role of kube-system/kube-public). */
  rules: readonly PolicyRule[] | undefined;
}

export function resolveRole(binding: Resource, index: ManifestIndex): ResolvedRole | undefined {
  const ref = roleRefOf(binding);
  if (ref === undefined) return undefined;
  if (ref.kind === 'ClusterRole') {
    const role = index.get('ClusterRole', undefined, ref.name);
    return { ref, rules: role !== undefined ? policyRules(role.object) : DEFAULT_CLUSTER_ROLES[ref.name] };
  }
  if (ref.kind === 'Role' && binding.kind === 'RoleBinding') {
    const namespace = index.namespaceOf(binding);
    const role = index.get('Role', namespace, ref.name);
    return { ref, rules: role !== undefined ? policyRules(role.object) : DEFAULT_NAMESPACED_ROLES[`${namespace}/${ref.name}`] };
  }
  return { ref, rules: undefined };
}

/** cluster-admin, or a role whose rules include `*` on apiGroups, resources and verbs. */
export function isClusterAdminEquivalent(role: ResolvedRole): boolean {
  return (role.ref.kind === 'ClusterRole' && role.ref.name === 'cluster-admin') || (role.rules ?? []).some(isFullWildcard);
}

/** cluster-admin, admin or a full-wildcard role: administrators of whatever scope the binding covers. */
export function isAdministrativeRole(role: ResolvedRole): boolean {
  return isClusterAdminEquivalent(role) || (role.ref.kind === 'ClusterRole' && ADMIN_ROLE_NAMES.includes(role.ref.name));
}

/**
 * For a user-made binding to an administrative role: the role and the non-system subjects it
 * empowers; undefined when there is nothing to report.
 */
export function administrativeGrant(binding: Resource, index: ManifestIndex): { role: ResolvedRole; subjects: Subject[] } | undefined {
  if (isBuiltInRbacObject(binding)) return undefined;
  const role = resolveRole(binding, index);
  if (role === undefined || !isAdministrativeRole(role)) return undefined;
  const subjects = bindingSubjects(binding, index).filter((s) => !isSystemSubject(s));
  return subjects.length === 0 ? undefined : { role, subjects };
}

export function describeRoleRef(ref: RoleRef): string {
  return `${ref.kind} "${ref.name}"`;
}

/** One finding per subject of a (non built-in) binding whose name is one of `names`. */
export function reportSubjectsNamed(ctx: CheckContext, names: readonly string[], why: string): void {
  const binding = ctx.resource;
  if (isBuiltInRbacObject(binding)) return;
  const ref = roleRefOf(binding);
  for (const s of bindingSubjects(binding, ctx.index)) {
    if (s.kind === 'ServiceAccount' || !names.includes(s.name)) continue;
    ctx.report(['subjects', s.index], `${binding.kind} "${binding.name}" binds ${describeSubject(s)} (${why}) to ${ref === undefined ? 'a role' : describeRoleRef(ref)}`);
  }
}
