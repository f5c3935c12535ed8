/**
 * Kubernetes' default RBAC objects (the kube-apiserver bootstrap policy), in the shape the model
 * reads: every default ClusterRole (user-facing, component and `system:controller:*` roles), every
 * default ClusterRoleBinding (cluster-admin → group system:masters, system:kube-scheduler → user
 * system:kube-scheduler, system:controller:deployment-controller → ServiceAccount
 * kube-system/deployment-controller, system:node with no subjects since the Node authorizer …),
 * and the default Roles and RoleBindings of kube-system and kube-public
 * (extension-apiserver-authentication-reader, system:controller:bootstrap-signer …).
 *
 * The data is generated into bootstrap-policy.ts by scripts/gen-rbac-defaults.ts from the
 * bootstrap policy's test fixtures; that file's header names the kubernetes/kubernetes commit of
 * each fixture. Version, as best it can be told from the content: the controller roles and
 * bindings are from a recent development commit (they include resource-claim-controller,
 * volumeattributesclass-protection-controller and podcheckpoint-controller, so 1.34 or later);
 * the other ClusterRoles match Kubernetes 1.28–1.33 (selfsubjectreviews in system:basic-user;
 * no resource.k8s.io rules in edit/view, system:node or system:kube-scheduler, which the
 * DynamicResourceAllocation gate adds and which is on by default since 1.34); the ClusterRoleBindings fixture is older still (1.14–1.19), so the two
 * bindings added since (system:monitoring, system:service-account-issuer-discovery) are supplied
 * by the generator and marked in the header.
 *
 * They are used when the inputs lack an object of the same kind, namespace and name (an input
 * object of that name overrides the default). The user-facing roles aggregate as upstream does:
 * `admin` ⊇ `edit` ⊇ `view` through the `rbac.authorization.k8s.io/aggregate-to-*` labels, so a
 * CRD's ClusterRole labelled `aggregate-to-edit` in the inputs extends `edit` and `admin`.
 */
import { BOOTSTRAP_CLUSTER_ROLE_BINDINGS, BOOTSTRAP_CLUSTER_ROLES, BOOTSTRAP_ROLE_BINDINGS, BOOTSTRAP_ROLES, type BootstrapRole } from './bootstrap-policy.ts';

/** A default ClusterRole or Role (`namespace` set for Roles). */
export type DefaultClusterRole = BootstrapRole;
export type DefaultRole = BootstrapRole;

export interface DefaultBinding {
  name: string;
  /** RoleBindings only. */
  namespace?: string;
  /** The role's name; `roleKind` says whether it is a ClusterRole or (RoleBindings only) a Role of the binding's namespace. */
  role: string;
  roleKind: 'ClusterRole' | 'Role';
  subjects: Array<{ kind: 'User' | 'Group' | 'ServiceAccount'; name: string; /** ServiceAccounts only. */ namespace?: string }>;
}

export const DEFAULT_CLUSTER_ROLES: readonly DefaultClusterRole[] = BOOTSTRAP_CLUSTER_ROLES;

/** Default Roles in kube-system and kube-public. */
export const DEFAULT_ROLES: readonly DefaultRole[] = BOOTSTRAP_ROLES;

/** Every default ClusterRoleBinding, including the controllers' (ServiceAccounts in kube-system) and system:node's (no subjects). */
export const DEFAULT_CLUSTER_ROLE_BINDINGS: readonly DefaultBinding[] = BOOTSTRAP_CLUSTER_ROLE_BINDINGS.map((b) => ({ name: b.name, role: b.roleRef.name, roleKind: b.roleRef.kind, subjects: b.subjects }));

/** Default RoleBindings in kube-system and kube-public. */
export const DEFAULT_ROLE_BINDINGS: readonly DefaultBinding[] = BOOTSTRAP_ROLE_BINDINGS.map((b) => ({ name: b.name, ...(b.namespace !== undefined && { namespace: b.namespace }), role: b.roleRef.name, roleKind: b.roleRef.kind, subjects: b.subjects }));

/** A default ClusterRole (or, with a namespace, Role) as a manifest object. */
export function defaultClusterRoleObject(role: DefaultClusterRole): Record<string, unknown> {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: role.namespace === undefined ? 'ClusterRole' : 'Role',
    metadata: { name: role.name, ...(role.namespace !== undefined && { namespace: role.namespace }), labels: { ...role.labels } },
    ...(role.aggregationSelectors !== undefined && { aggregationRule: { clusterRoleSelectors: role.aggregationSelectors.map((matchLabels) => ({ matchLabels: { ...matchLabels } })) } }),
    rules: role.rules.map((x) => ({ ...x })),
  };
}
