/**
 * The dangerous permissions the RBAC checks and `bosun rbac` look for, as data, and what the
 * Kubernetes default ClusterRoles grant (so a binding to `admin` resolves when the role is not in the inputs).
 */
import { ManifestIndex } from '../manifests/index-set.ts';
import { buildRbacModel } from './model.ts';
import type { Permission, PolicyRule } from './policy-rule.ts';

const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const ALL_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

export const SECRETS_READ: Permission = { label: 'read secrets', verbs: ['get', 'list', 'watch'], targets: [['', 'secrets']] };

/** Creating any pod-bearing object creates pods (with any service account and host access the namespace allows). */
export const CREATE_WORKLOADS: Permission = {
  label: 'create pods',
  verbs: ['create'],
  targets: [['', 'pods'], ['', 'replicationcontrollers'], ['apps', 'deployments'], ['apps', 'daemonsets'], ['apps', 'statefulsets'], ['apps', 'replicasets'], ['batch', 'jobs'], ['batch', 'cronjobs']],
};

/** exec/attach open a WebSocket with GET before Kubernetes 1.35 enforced `create`, so both verbs count. */
export const POD_EXEC: Permission = { label: 'exec into pods', verbs: ['create', 'get'], targets: [['', 'pods/exec']], names: 'any' };
export const POD_ATTACH: Permission = { label: 'attach to pods', verbs: ['create', 'get'], targets: [['', 'pods/attach']], names: 'any' };
export const POD_PORT_FORWARD: Permission = { label: 'port-forward to pods', verbs: ['create', 'get'], targets: [['', 'pods/portforward']], names: 'any' };

/** Any verb on nodes/proxy reaches the kubelet API (GET alone is enough to run commands through it). */
export const NODES_PROXY: Permission = { label: 'use nodes/proxy', verbs: ALL_VERBS, targets: [['', 'nodes/proxy']], names: 'any' };

/** Impersonation limited by resourceNames is the documented safe form, unless it names system:masters. */
export const IMPERSONATE: Permission = {
  label: 'impersonate',
  verbs: ['impersonate'],
  targets: [['', 'users'], ['', 'groups'], ['', 'serviceaccounts'], ['authentication.k8s.io', 'uids'], ['authentication.k8s.io', 'userextras']],
  names: ['system:masters'],
};

export const ESCALATE: Permission = { label: 'escalate roles', verbs: ['escalate'], targets: [['rbac.authorization.k8s.io', 'roles'], ['rbac.authorization.k8s.io', 'clusterroles']], names: 'any' };
export const BIND: Permission = { label: 'bind roles', verbs: ['bind'], targets: [['rbac.authorization.k8s.io', 'roles'], ['rbac.authorization.k8s.io', 'clusterroles']] };
export const MANAGE_BINDINGS: Permission = {
  label: 'create or change role bindings',
  verbs: ['create', 'update', 'patch'],
  targets: [['rbac.authorization.k8s.io', 'rolebindings'], ['rbac.authorization.k8s.io', 'clusterrolebindings']],
};

export const ADMISSION_CONFIG_WRITE: Permission = {
  label: 'change admission webhooks or policies',
  verbs: WRITE,
  targets: ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings'].map((r) => ['admissionregistration.k8s.io', r] as const),
  names: 'any',
};

export const CSR_APPROVE: Permission = { label: 'approve certificate signing requests', verbs: ['update', 'patch'], targets: [['certificates.k8s.io', 'certificatesigningrequests/approval']], names: 'any' };
export const SA_TOKEN_CREATE: Permission = { label: 'create service account tokens', verbs: ['create'], targets: [['', 'serviceaccounts/token']], names: 'any' };
export const PV_CREATE: Permission = { label: 'create persistent volumes', verbs: ['create'], targets: [['', 'persistentvolumes']] };

export const DELETE_CRITICAL: Permission = {
  label: 'delete critical resources',
  verbs: ['delete', 'deletecollection'],
  targets: [['', 'secrets'], ['', 'pods'], ['', 'services'], ['', 'namespaces'], ['apps', 'deployments'], ['apps', 'replicasets'], ['apps', 'daemonsets'], ['apps', 'statefulsets'], ['batch', 'jobs'], ['batch', 'cronjobs']],
};

export const DELETE_EVIDENCE: Permission = { label: 'delete events or pod logs', verbs: ['delete', 'deletecollection'], targets: [['', 'events'], ['events.k8s.io', 'events'], ['', 'pods/log']], names: 'any' };

/** CoreDNS (`coredns`) and EKS IAM mapping (`aws-auth`) live in kube-system ConfigMaps. */
export const CRITICAL_CONFIGMAP_WRITE: Permission = { label: 'change kube-system ConfigMaps coredns/aws-auth', verbs: ['update', 'patch'], targets: [['', 'configmaps']], names: ['coredns', 'aws-auth'] };

/** services/status sets load-balancer IPs (CVE-2020-8554); endpoints redirect a Service's traffic. */
export const TRAFFIC_REDIRECT: Permission = {
  label: 'redirect Service traffic',
  verbs: ['create', 'update', 'patch'],
  targets: [['', 'services/status'], ['', 'endpoints'], ['discovery.k8s.io', 'endpointslices']],
};

/** Permissions that let the holder take over the cluster or other identities (used by the workload join). */
export const TAKEOVER_PERMISSIONS: readonly Permission[] = [SECRETS_READ, CREATE_WORKLOADS, POD_EXEC, POD_ATTACH, NODES_PROXY, IMPERSONATE, ESCALATE, BIND, ADMISSION_CONFIG_WRITE, CSR_APPROVE, SA_TOKEN_CREATE];

const DEFAULT_ROLE_MODELS = [...buildRbacModel(new ManifestIndex([]), { defaultBindings: false }).roles.values()];

/** What the default ClusterRoles grant after aggregation (admin ⊇ edit ⊇ view), by name: see defaults.ts. */
export const DEFAULT_CLUSTER_ROLES: Readonly<Record<string, readonly PolicyRule[]>> = Object.fromEntries(
  DEFAULT_ROLE_MODELS.filter((r) => r.kind === 'ClusterRole').map((r) => [r.name, r.rules]),
);

/** What the default Roles of kube-system and kube-public grant, by `<namespace>/<name>`. */
export const DEFAULT_NAMESPACED_ROLES: Readonly<Record<string, readonly PolicyRule[]>> = Object.fromEntries(
  DEFAULT_ROLE_MODELS.filter((r) => r.kind === 'Role').map((r) => [`${r.namespace}/${r.name}`, r.rules]),
);

/** Default ClusterRoles that administer whatever scope they are bound in. */
export const ADMIN_ROLE_NAMES: readonly string[] = ['cluster-admin', 'admin'];
