/**
 * Kubernetes' default RBAC policy as data (src/rbac/bootstrap-policy.ts, generated from the
 * bootstrap-policy fixtures, which are not in this repository): exact upstream facts checked by
 * hand, and how the defaults enter the model (filling in, overridden by inputs, never findings).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadManifests } from '../../src/manifests/load.ts';
import { ManifestIndex } from '../../src/manifests/index-set.ts';
import { buildRbacModel, canI, escalationPaths, parseSubject, rbacFindings, rbacIssueFindings, whoCan, type RbacModel, type RbacModelOptions } from '../../src/rbac/index.ts';
import { DEFAULT_CLUSTER_ROLE_BINDINGS, DEFAULT_CLUSTER_ROLES, DEFAULT_ROLE_BINDINGS, DEFAULT_ROLES } from '../../src/rbac/defaults.ts';
import { DEFAULT_CLUSTER_ROLES as DEFAULT_RULES, DEFAULT_NAMESPACED_ROLES } from '../../src/rbac/permissions.ts';
import { scanYaml } from '../helpers.ts';

const APP = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27}]
`;

async function modelOf(yaml: string, options: RbacModelOptions = {}): Promise<RbacModel> {
  const loaded = await loadManifests([{ name: 'in.yaml', content: yaml }]);
  assert.deepEqual(loaded.errors, []);
  return buildRbacModel(new ManifestIndex(loaded.resources), options);
}

function clusterRole(name: string) {
  const r = DEFAULT_CLUSTER_ROLES.find((x) => x.name === name);
  assert.ok(r !== undefined, name);
  return r;
}

function binding(name: string, namespace?: string) {
  const b = (namespace === undefined ? DEFAULT_CLUSTER_ROLE_BINDINGS : DEFAULT_ROLE_BINDINGS).find((x) => x.name === name && x.namespace === namespace);
  assert.ok(b !== undefined, name);
  return b;
}

test('who-can create pods with no RBAC in the inputs: system:masters and the upstream controller accounts, each with binding → role → rule', async () => {
  const m = await modelOf(APP);
  const result = whoCan(m, { verb: 'create', resource: 'pods', namespace: 'shop' });
  const names = result.subjects.map((s) => `${s.subject.kind}:${s.subject.namespace ?? ''}/${s.subject.name}`);
  assert.deepEqual(names, [
    'Group:/system:masters',
    'ServiceAccount:kube-system/daemon-set-controller',
    'ServiceAccount:kube-system/job-controller',
    'ServiceAccount:kube-system/persistent-volume-binder',
    'ServiceAccount:kube-system/replicaset-controller',
    'ServiceAccount:kube-system/replication-controller',
    'ServiceAccount:kube-system/statefulset-controller',
  ]);
  const rs = result.subjects.find((s) => s.subject.name === 'replicaset-controller')!;
  assert.equal(rs.grants.length, 1);
  const g = rs.grants[0]!;
  assert.deepEqual(g.binding, { kind: 'ClusterRoleBinding', name: 'system:controller:replicaset-controller', origin: 'default', builtIn: true });
  assert.deepEqual(g.role, { kind: 'ClusterRole', name: 'system:controller:replicaset-controller', origin: 'default' });
  assert.equal(g.namespace, undefined);
  assert.equal(g.chain, 'ClusterRoleBinding/system:controller:replicaset-controller (Kubernetes default) → ClusterRole/system:controller:replicaset-controller (Kubernetes default) rule: create,delete,list,patch,watch pods (apiGroups core)');
  // The deployment controller makes ReplicaSets, not pods.
  assert.deepEqual(whoCan(m, { verb: 'create', resource: 'replicasets.apps', namespace: 'shop' }).subjects.map((s) => s.subject.name), ['system:masters', 'deployment-controller']);
  assert.equal(canI(m, parseSubject('system:serviceaccount:kube-system:job-controller'), { verb: 'create', resource: 'pods', namespace: 'shop' }).allowed, true);
  assert.equal(canI(m, parseSubject('system:serviceaccount:kube-system:job-controller'), { verb: 'get', resource: 'secrets', namespace: 'shop' }).allowed, false);
});

test('default accounts are never risky-permission findings or escalation-path starts on user manifests', async () => {
  const m = await modelOf(APP);
  assert.deepEqual(rbacFindings(m), []);
  assert.deepEqual(rbacIssueFindings(m), []);
  assert.deepEqual(escalationPaths(m).paths, []);
  // The bosun scan RBAC checks see no RBAC objects at all.
  const { findings } = await scanYaml(APP);
  assert.deepEqual(findings.filter((f) => f.ruleId.startsWith('K8S-RBAC') || f.ruleId.startsWith('RBAC-')), []);
});

test('system:node: the kubelet rules, bound to no subject (the Node authorizer grants them)', async () => {
  const node = clusterRole('system:node');
  const has = (apiGroup: string, resource: string, verbs: string[]): boolean => node.rules.some((r) => (r.apiGroups ?? []).includes(apiGroup) && (r.resources ?? []).includes(resource) && verbs.every((v) => r.verbs.includes(v)));
  assert.ok(has('', 'nodes', ['create', 'get', 'list', 'watch']));
  assert.ok(has('', 'nodes', ['patch', 'update']));
  assert.ok(has('', 'nodes/status', ['patch', 'update']));
  assert.ok(has('', 'pods', ['get', 'list', 'watch']));
  assert.ok(has('', 'pods', ['create', 'delete']));
  assert.ok(has('', 'pods/status', ['patch', 'update']));
  assert.ok(has('', 'pods/eviction', ['create']));
  assert.ok(has('', 'configmaps', ['get', 'list', 'watch']) && has('', 'secrets', ['get', 'list', 'watch']));
  assert.ok(has('', 'serviceaccounts/token', ['create']));
  assert.ok(has('certificates.k8s.io', 'certificatesigningrequests', ['create', 'get', 'list', 'watch']));
  assert.ok(has('coordination.k8s.io', 'leases', ['create', 'delete', 'get', 'patch', 'update']));
  assert.ok(has('authentication.k8s.io', 'tokenreviews', ['create']));
  assert.ok(!node.rules.some((r) => (r.resources ?? []).includes('nodes/proxy')));
  assert.deepEqual(binding('system:node').subjects, []);
  const m = await modelOf(APP);
  assert.equal(canI(m, parseSubject('Group:system:nodes'), { verb: 'get', resource: 'secrets', namespace: 'shop' }).allowed, false);
  assert.equal(m.bindings.find((b) => b.name === 'system:node')?.role?.name, 'system:node');
});

test('exact upstream facts: controller roles, component roles and their bindings', () => {
  const gc = clusterRole('system:controller:generic-garbage-collector');
  assert.deepEqual(gc.rules[0], { apiGroups: ['*'], resources: ['*'], verbs: ['delete', 'get', 'list', 'patch', 'update', 'watch'] });
  assert.deepEqual(binding('system:controller:generic-garbage-collector').subjects, [{ kind: 'ServiceAccount', name: 'generic-garbage-collector', namespace: 'kube-system' }]);
  assert.deepEqual(clusterRole('system:controller:namespace-controller').rules[2], { apiGroups: ['*'], resources: ['*'], verbs: ['delete', 'deletecollection', 'get', 'list', 'watch'] });
  assert.deepEqual(clusterRole('system:controller:clusterrole-aggregation-controller').rules, [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate', 'get', 'list', 'patch', 'update', 'watch'] }]);
  assert.deepEqual(clusterRole('system:controller:certificate-controller').rules[1], { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval', 'certificatesigningrequests/status'], verbs: ['update'] });
  assert.deepEqual(binding('system:controller:deployment-controller'), { name: 'system:controller:deployment-controller', role: 'system:controller:deployment-controller', roleKind: 'ClusterRole', subjects: [{ kind: 'ServiceAccount', name: 'deployment-controller', namespace: 'kube-system' }] });
  // Every controller role is bound to its own account in kube-system.
  const controllers = DEFAULT_CLUSTER_ROLES.filter((r) => r.name.startsWith('system:controller:'));
  assert.ok(controllers.length >= 35, `${controllers.length}`);
  for (const r of controllers) assert.deepEqual(binding(r.name).subjects, [{ kind: 'ServiceAccount', name: r.name.slice('system:controller:'.length), namespace: 'kube-system' }], r.name);
  // Components.
  assert.deepEqual(binding('system:kube-scheduler').subjects, [{ kind: 'User', name: 'system:kube-scheduler' }]);
  assert.deepEqual(binding('system:volume-scheduler').subjects, [{ kind: 'User', name: 'system:kube-scheduler' }]);
  assert.deepEqual(binding('system:kube-controller-manager').subjects, [{ kind: 'User', name: 'system:kube-controller-manager' }]);
  assert.deepEqual(binding('system:kube-dns').subjects, [{ kind: 'ServiceAccount', name: 'kube-dns', namespace: 'kube-system' }]);
  assert.deepEqual(binding('system:node-proxier').subjects, [{ kind: 'User', name: 'system:kube-proxy' }]);
  assert.deepEqual(binding('cluster-admin').subjects, [{ kind: 'Group', name: 'system:masters' }]);
  assert.deepEqual(binding('system:basic-user').subjects, [{ kind: 'Group', name: 'system:authenticated' }]);
  assert.deepEqual(binding('system:public-info-viewer').subjects, [{ kind: 'Group', name: 'system:authenticated' }, { kind: 'Group', name: 'system:unauthenticated' }]);
  assert.deepEqual(binding('system:monitoring').subjects, [{ kind: 'Group', name: 'system:monitoring' }]);
  assert.deepEqual(binding('system:service-account-issuer-discovery').subjects, [{ kind: 'Group', name: 'system:serviceaccounts' }]);
  assert.deepEqual(clusterRole('system:service-account-issuer-discovery').rules, [{ nonResourceURLs: ['/.well-known/openid-configuration', '/openid/v1/jwks'], verbs: ['get'] }]);
  assert.deepEqual(clusterRole('system:kubelet-api-admin').rules[2], { apiGroups: [''], resources: ['nodes/log', 'nodes/metrics', 'nodes/proxy', 'nodes/stats'], verbs: ['*'] });
  assert.deepEqual(clusterRole('system:node-bootstrapper').rules, [{ apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'], verbs: ['create', 'get', 'list', 'watch'] }]);
  for (const name of ['system:kube-aggregator', 'system:persistent-volume-provisioner', 'system:node-problem-detector', 'system:heapster', 'system:auth-delegator']) clusterRole(name);
  // Every default object carries the rbac-defaults label; names are unique.
  for (const r of [...DEFAULT_CLUSTER_ROLES, ...DEFAULT_ROLES]) assert.equal(r.labels['kubernetes.io/bootstrapping'], 'rbac-defaults', r.name);
  assert.equal(new Set(DEFAULT_CLUSTER_ROLES.map((r) => r.name)).size, DEFAULT_CLUSTER_ROLES.length);
  assert.equal(new Set(DEFAULT_CLUSTER_ROLE_BINDINGS.map((b) => b.name)).size, DEFAULT_CLUSTER_ROLE_BINDINGS.length);
  // Every default binding names a default role.
  for (const b of DEFAULT_CLUSTER_ROLE_BINDINGS) clusterRole(b.role);
  for (const b of DEFAULT_ROLE_BINDINGS) assert.ok(DEFAULT_ROLES.some((r) => r.name === b.role && r.namespace === b.namespace), b.name);
});

test('default Roles and RoleBindings of kube-system and kube-public', async () => {
  const reader = DEFAULT_ROLES.find((r) => r.name === 'extension-apiserver-authentication-reader')!;
  assert.equal(reader.namespace, 'kube-system');
  assert.deepEqual(reader.rules, [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['extension-apiserver-authentication'], verbs: ['get', 'list', 'watch'] }]);
  assert.deepEqual(binding('system:controller:bootstrap-signer', 'kube-public').subjects, [{ kind: 'ServiceAccount', name: 'bootstrap-signer', namespace: 'kube-system' }]);
  assert.deepEqual(binding('system::leader-locking-kube-scheduler', 'kube-system').subjects, [{ kind: 'User', name: 'system:kube-scheduler' }, { kind: 'ServiceAccount', name: 'kube-scheduler', namespace: 'kube-system' }]);
  const m = await modelOf(APP);
  // Namespaced: the bootstrap signer may update the cluster-info ConfigMap in kube-public only.
  const signer = parseSubject('ServiceAccount:kube-system/bootstrap-signer');
  assert.equal(canI(m, signer, { verb: 'update', resource: 'configmaps', namespace: 'kube-public', name: 'cluster-info' }).allowed, true);
  assert.equal(canI(m, signer, { verb: 'update', resource: 'configmaps', namespace: 'kube-public', name: 'other' }).allowed, false);
  assert.equal(canI(m, signer, { verb: 'update', resource: 'configmaps', namespace: 'kube-system', name: 'cluster-info' }).allowed, false);
  assert.equal(canI(m, signer, { verb: 'get', resource: 'secrets', namespace: 'kube-system' }).allowed, true);
  const chain = canI(m, signer, { verb: 'get', resource: 'secrets', namespace: 'kube-system' }).grants[0]!.chain;
  assert.equal(chain, 'RoleBinding/kube-system/system:controller:bootstrap-signer (Kubernetes default) → Role/kube-system/system:controller:bootstrap-signer (Kubernetes default) rule: get,list,watch secrets (apiGroups core)');
  // A metrics-server style RoleBinding to the reader Role resolves (no missing-role issue) and grants only the named ConfigMap.
  const ms = await modelOf(`apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: metrics-server-auth-reader, namespace: kube-system}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: extension-apiserver-authentication-reader}
subjects: [{kind: ServiceAccount, name: metrics-server, namespace: kube-system}]
`);
  assert.deepEqual(ms.issues, []);
  const msa = parseSubject('ServiceAccount:kube-system/metrics-server');
  assert.equal(canI(ms, msa, { verb: 'get', resource: 'configmaps', namespace: 'kube-system', name: 'extension-apiserver-authentication' }).allowed, true);
  assert.equal(canI(ms, msa, { verb: 'get', resource: 'configmaps', namespace: 'kube-system', name: 'coredns' }).allowed, false);
  assert.deepEqual(rbacFindings(ms), []);
  assert.deepEqual(DEFAULT_NAMESPACED_ROLES['kube-system/extension-apiserver-authentication-reader']?.length, 1);
  // Options switch the namespaced defaults off with the cluster-wide ones.
  const bare = await modelOf(APP, { defaultRoles: false, defaultBindings: false });
  assert.equal(bare.roles.size, 0);
  assert.equal(bare.bindings.length, 0);
  const rolesOnly = await modelOf(APP, { defaultBindings: false });
  assert.ok(rolesOnly.roles.has('Role/kube-system/extension-apiserver-authentication-reader'));
  assert.equal(rolesOnly.bindings.length, 0);
});

test('input objects named like defaults override them: ClusterRole, ClusterRoleBinding, Role, RoleBinding', async () => {
  const m = await modelOf(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: system:controller:replicaset-controller}
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: system:controller:job-controller}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: other, namespace: kube-system}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: extension-apiserver-authentication-reader, namespace: kube-system}
rules: [{apiGroups: [""], resources: [configmaps], verbs: [list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: system:controller:token-cleaner, namespace: kube-system}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: system:controller:token-cleaner}
subjects: [{kind: ServiceAccount, name: cleaner2, namespace: kube-system}]
`);
  const rs = m.roles.get('ClusterRole/system:controller:replicaset-controller')!;
  assert.equal(rs.origin, 'input');
  assert.deepEqual(rs.rules.map((r) => r.verbs), [['get']]);
  const pods = whoCan(m, { verb: 'create', resource: 'pods', namespace: 'shop' }).subjects.map((s) => s.subject.name);
  // replicaset-controller's (default) binding now grants the input role, which cannot create pods;
  // job-controller's binding is the input one, naming another account.
  assert.ok(!pods.includes('replicaset-controller'));
  assert.ok(!pods.includes('job-controller'));
  assert.ok(pods.includes('daemon-set-controller'));
  const jc = m.bindings.filter((b) => b.name === 'system:controller:job-controller');
  assert.equal(jc.length, 1);
  assert.equal(jc[0]!.origin, 'input');
  assert.equal(m.roles.get('Role/kube-system/extension-apiserver-authentication-reader')!.origin, 'input');
  const tc = m.bindings.filter((b) => b.name === 'system:controller:token-cleaner');
  assert.deepEqual(tc.map((b) => `${b.origin} ${b.subjects.map((s) => s.name).join(',')}`), ['input cleaner2']);
  assert.equal(m.roles.get('Role/kube-system/system:controller:token-cleaner')!.origin, 'default');
});

test('aggregation: admin ⊇ edit ⊇ view through the default labels, extended by an input ClusterRole', async () => {
  const m = await modelOf(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: widgets-view, labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}}
rules: [{apiGroups: [example.com], resources: [widgets], verbs: [get, list]}]
`);
  const rules = (name: string): string[] => m.roles.get(`ClusterRole/${name}`)!.rules.map((r) => JSON.stringify([r.apiGroups, r.resources, r.verbs]));
  const view = rules('view');
  const edit = rules('edit');
  const admin = rules('admin');
  assert.ok(view.length > 0);
  for (const r of view) assert.ok(edit.includes(r), r);
  for (const r of edit) assert.ok(admin.includes(r), r);
  assert.ok(view.includes(JSON.stringify([['example.com'], ['widgets'], ['get', 'list']])));
  assert.ok(admin.includes(JSON.stringify([['rbac.authorization.k8s.io'], ['rolebindings', 'roles'], ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']])));
  assert.ok(!view.some((r) => r.includes('secrets')));
  // The scan checks' table of default ClusterRoles is aggregated the same way and holds ClusterRoles only.
  assert.equal(DEFAULT_RULES['admin']!.length, DEFAULT_RULES['system:aggregate-to-admin']!.length + DEFAULT_RULES['edit']!.length);
  assert.ok(DEFAULT_RULES['system:controller:generic-garbage-collector'] !== undefined);
  assert.equal(DEFAULT_RULES['extension-apiserver-authentication-reader'], undefined);
});

test('escalation paths run through the controller accounts: edit in kube-system reaches cluster-admin', async () => {
  const m = await modelOf(`apiVersion: v1
kind: Namespace
metadata: {name: kube-system}
---
apiVersion: v1
kind: Namespace
metadata: {name: app}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ops-edit, namespace: kube-system}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: User, name: ops}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: operator-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: operator, namespace: app}]
`);
  const ops = escalationPaths(m, { from: 'User:ops' }).paths;
  assert.equal(ops.length, 1);
  const [first, second, third] = ops[0]!.steps;
  assert.equal(first!.from, 'User:ops');
  assert.match(first!.to, /^ServiceAccount:kube-system\//);
  assert.match(second!.how, /\(Kubernetes default\)/);
  assert.equal(second!.to, 'ServiceAccount:app/operator');
  assert.equal(third!.to, 'cluster-admin');
  // The controller accounts are steps, never starts.
  assert.ok(escalationPaths(m).paths.every((p) => !p.from.startsWith('ServiceAccount:kube-system/')));
});
