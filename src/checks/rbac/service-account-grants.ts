/**
 * Which ServiceAccounts hold administrative or takeover permissions, computed once per manifest
 * set: every (non built-in) binding is resolved to its role, classified, and filed under the
 * ServiceAccounts it names (directly, or through the system:serviceaccounts[:<ns>] groups).
 */
import { type ManifestIndex, IndexMemo } from '../../manifests/index-set.ts';
import type { Resource } from '../../manifests/resource.ts';
import { bindingSubjects, isAdministrativeRole, isClusterAdminEquivalent, resolveRole, type ResolvedRole } from './bindings.ts';
import { TAKEOVER_PERMISSIONS } from './permissions.ts';
import { BINDING_KINDS, grantedBy, isBuiltInRbacObject } from './policy.ts';

export interface ServiceAccountGrant {
  binding: Resource;
  role: ResolvedRole;
  /** `cluster-admin permissions`, `administrative permissions`, or `permissions to read secrets, exec into pods …`. */
  what: string;
  /** A ClusterRoleBinding to an administrative role: the whole cluster. */
  clusterWideAdmin: boolean;
}

type GrantsByAccount = Map<string, ServiceAccountGrant[]>;
const cache = new IndexMemo<GrantsByAccount>();

function classify(role: ResolvedRole): string | undefined {
  if (isClusterAdminEquivalent(role)) return 'cluster-admin permissions';
  if (isAdministrativeRole(role)) return 'administrative permissions';
  const labels = TAKEOVER_PERMISSIONS.filter((p) => (role.rules ?? []).some((r) => grantedBy(r, p) !== undefined)).map((p) => p.label);
  return labels.length === 0 ? undefined : `permissions to ${labels.join(', ')}`;
}

/** `ns/name` for one ServiceAccount, `ns/*` for a namespace's group, `*` for all ServiceAccounts. */
function accountKeys(binding: Resource, index: ManifestIndex): string[] {
  return bindingSubjects(binding, index).flatMap((s) => {
    if (s.kind === 'ServiceAccount') return [`${s.namespace ?? ''}/${s.name}`];
    if (s.kind !== 'Group') return [];
    if (s.name === 'system:serviceaccounts') return ['*'];
    if (s.name.startsWith('system:serviceaccounts:')) return [`${s.name.slice('system:serviceaccounts:'.length)}/*`];
    return [];
  });
}

function build(index: ManifestIndex): GrantsByAccount {
  const out: GrantsByAccount = new Map();
  for (const binding of index.ofKind(...BINDING_KINDS)) {
    if (isBuiltInRbacObject(binding)) continue;
    const role = resolveRole(binding, index);
    const what = role === undefined ? undefined : classify(role);
    if (what === undefined) continue;
    const grant: ServiceAccountGrant = { binding, role: role!, what, clusterWideAdmin: binding.kind === 'ClusterRoleBinding' && isAdministrativeRole(role!) };
    for (const key of accountKeys(binding, index)) {
      let list = out.get(key);
      if (list === undefined) out.set(key, (list = []));
      list.push(grant);
    }
  }
  return out;
}

export function grantsToServiceAccount(index: ManifestIndex, namespace: string, name: string): ServiceAccountGrant[] {
  let byAccount = cache.get(index);
  if (byAccount === undefined) cache.set(index, (byAccount = build(index)));
  return [`${namespace}/${name}`, `${namespace}/*`, '*'].flatMap((k) => byAccount!.get(k) ?? []);
}
