/**
 * Kubernetes' default ClusterRoles and ClusterRoleBindings (kube-apiserver bootstrap policy,
 * plugin/pkg/auth/authorizer/rbac/bootstrappolicy), as data in manifest shape so they go through
 * the same reading as the inputs. They are used when a binding names one of them and the inputs
 * do not contain it. The user-facing roles aggregate as upstream does: `admin` ⊇ `edit` ⊇ `view`
 * through the `rbac.authorization.k8s.io/aggregate-to-*` labels, so a CRD's ClusterRole labelled
 * `aggregate-to-edit` in the inputs extends `edit` and `admin`.
 * Controller roles (`system:controller:*`) and node/component roles are not modelled.
 */

type Rule = { apiGroups?: string[]; resources?: string[]; verbs: string[]; nonResourceURLs?: string[] };
export interface DefaultClusterRole {
  name: string;
  labels: Record<string, string>;
  aggregationLabels?: string[];
  rules: Rule[];
}

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const RW = [...READ, ...WRITE];
const AGG = 'rbac.authorization.k8s.io/aggregate-to-';
const DEFAULTS_LABEL = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const r = (apiGroups: string[], resources: string[], verbs: string[]): Rule => ({ apiGroups, resources, verbs });
const urls = (nonResourceURLs: string[], verbs: string[]): Rule => ({ nonResourceURLs, verbs });

const VIEW_RULES: Rule[] = [
  r([''], ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status'], READ),
  r([''], ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status'], READ),
  r([''], ['namespaces'], READ),
  r(['discovery.k8s.io'], ['endpointslices'], READ),
  r(['apps'], ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status'], READ),
  r(['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], READ),
  r(['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], READ),
  r(['extensions'], ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses', 'ingresses/status', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale'], READ),
  r(['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status'], READ),
  r(['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies'], READ),
];

const EDIT_RULES: Rule[] = [
  r([''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], READ),
  r([''], ['serviceaccounts'], ['impersonate']),
  r([''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], WRITE),
  r([''], ['pods/eviction'], ['create']),
  r([''], ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy'], WRITE),
  r([''], ['serviceaccounts/token'], ['create']),
  r(['apps'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale'], WRITE),
  r(['autoscaling'], ['horizontalpodautoscalers'], WRITE),
  r(['batch'], ['cronjobs', 'jobs'], WRITE),
  r(['extensions'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'ingresses', 'networkpolicies', 'replicasets', 'replicasets/scale', 'replicationcontrollers/scale'], WRITE),
  r(['policy'], ['poddisruptionbudgets'], WRITE),
  r(['networking.k8s.io'], ['ingresses', 'networkpolicies'], WRITE),
  r(['coordination.k8s.io'], ['leases'], RW),
];

const ADMIN_RULES: Rule[] = [
  r(['authorization.k8s.io'], ['localsubjectaccessreviews'], ['create']),
  r(['rbac.authorization.k8s.io'], ['rolebindings', 'roles'], RW),
];

export const DEFAULT_CLUSTER_ROLES: readonly DefaultClusterRole[] = [
  { name: 'cluster-admin', labels: DEFAULTS_LABEL, rules: [r(['*'], ['*'], ['*']), urls(['*'], ['*'])] },
  { name: 'admin', labels: DEFAULTS_LABEL, aggregationLabels: [`${AGG}admin`], rules: [] },
  { name: 'edit', labels: { ...DEFAULTS_LABEL, [`${AGG}admin`]: 'true' }, aggregationLabels: [`${AGG}edit`], rules: [] },
  { name: 'view', labels: { ...DEFAULTS_LABEL, [`${AGG}edit`]: 'true' }, aggregationLabels: [`${AGG}view`], rules: [] },
  { name: 'system:aggregate-to-admin', labels: { ...DEFAULTS_LABEL, [`${AGG}admin`]: 'true' }, rules: ADMIN_RULES },
  { name: 'system:aggregate-to-edit', labels: { ...DEFAULTS_LABEL, [`${AGG}edit`]: 'true' }, rules: EDIT_RULES },
  { name: 'system:aggregate-to-view', labels: { ...DEFAULTS_LABEL, [`${AGG}view`]: 'true' }, rules: VIEW_RULES },
  { name: 'system:basic-user', labels: DEFAULTS_LABEL, rules: [r(['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], ['create']), r(['authentication.k8s.io'], ['selfsubjectreviews'], ['create'])] },
  { name: 'system:discovery', labels: DEFAULTS_LABEL, rules: [urls(['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'], ['get'])] },
  { name: 'system:public-info-viewer', labels: DEFAULTS_LABEL, rules: [urls(['/healthz', '/livez', '/readyz', '/version', '/version/'], ['get'])] },
  { name: 'system:monitoring', labels: DEFAULTS_LABEL, rules: [urls(['/healthz', '/healthz/*', '/livez', '/livez/*', '/metrics', '/metrics/slis', '/readyz', '/readyz/*'], ['get'])] },
  { name: 'system:auth-delegator', labels: DEFAULTS_LABEL, rules: [r(['authentication.k8s.io'], ['tokenreviews'], ['create']), r(['authorization.k8s.io'], ['subjectaccessreviews'], ['create'])] },
  { name: 'system:heapster', labels: DEFAULTS_LABEL, rules: [r([''], ['events', 'namespaces', 'nodes', 'pods'], READ), r(['extensions', 'apps'], ['deployments'], READ)] },
  { name: 'system:node-proxier', labels: DEFAULTS_LABEL, rules: [r([''], ['endpoints', 'services'], ['list', 'watch']), r([''], ['nodes'], READ), r(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']), r(['discovery.k8s.io'], ['endpointslices'], ['list', 'watch'])] },
  { name: 'system:kube-dns', labels: DEFAULTS_LABEL, rules: [r([''], ['endpoints', 'services'], ['list', 'watch'])] },
  { name: 'system:certificates.k8s.io:certificatesigningrequests:nodeclient', labels: DEFAULTS_LABEL, rules: [r(['certificates.k8s.io'], ['certificatesigningrequests/nodeclient'], ['create'])] },
  { name: 'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', labels: DEFAULTS_LABEL, rules: [r(['certificates.k8s.io'], ['certificatesigningrequests/selfnodeclient'], ['create'])] },
  { name: 'system:volume-scheduler', labels: DEFAULTS_LABEL, rules: [r([''], ['persistentvolumes'], ['get', 'list', 'patch', 'update', 'watch']), r(['storage.k8s.io'], ['storageclasses'], READ), r([''], ['persistentvolumeclaims'], ['get', 'list', 'patch', 'update', 'watch'])] },
];

export interface DefaultBinding {
  name: string;
  role: string;
  subjects: Array<{ kind: 'User' | 'Group'; name: string }>;
}

/** The default ClusterRoleBindings that bind default roles to users and groups (not controllers). */
export const DEFAULT_CLUSTER_ROLE_BINDINGS: readonly DefaultBinding[] = [
  { name: 'cluster-admin', role: 'cluster-admin', subjects: [{ kind: 'Group', name: 'system:masters' }] },
  { name: 'system:basic-user', role: 'system:basic-user', subjects: [{ kind: 'Group', name: 'system:authenticated' }] },
  { name: 'system:discovery', role: 'system:discovery', subjects: [{ kind: 'Group', name: 'system:authenticated' }] },
  { name: 'system:public-info-viewer', role: 'system:public-info-viewer', subjects: [{ kind: 'Group', name: 'system:authenticated' }, { kind: 'Group', name: 'system:unauthenticated' }] },
  { name: 'system:monitoring', role: 'system:monitoring', subjects: [{ kind: 'Group', name: 'system:monitoring' }] },
  { name: 'system:node-proxier', role: 'system:node-proxier', subjects: [{ kind: 'User', name: 'system:kube-proxy' }] },
];

/** A default ClusterRole as a manifest object. */
export function defaultClusterRoleObject(role: DefaultClusterRole): Record<string, unknown> {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: role.name, labels: role.labels },
    ...(role.aggregationLabels !== undefined && { aggregationRule: { clusterRoleSelectors: role.aggregationLabels.map((l) => ({ matchLabels: { [l]: 'true' } })) } }),
    rules: role.rules.map((x) => ({ ...x })),
  };
}
