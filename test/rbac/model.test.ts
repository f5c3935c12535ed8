/** RBAC model and queries against test/rbac/fixtures/cluster.yaml: exact subjects and chains. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadManifests } from '../../src/manifests/load.ts';
import { ManifestIndex } from '../../src/manifests/index-set.ts';
import { buildRbacModel, canI, escalationPaths, parseSubject, rbacFindings, renderPaths, whoCan, type AccessQuery, type RbacModel } from '../../src/rbac/index.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/cluster.yaml', import.meta.url));

async function model(): Promise<RbacModel> {
  const loaded = await loadManifests([FIXTURE]);
  assert.deepEqual(loaded.errors, []);
  return buildRbacModel(new ManifestIndex(loaded.resources));
}

/** Subjects that can, leaving out the controllers' ServiceAccounts granted only by their default bindings (see defaults.test.ts). */
function who(m: RbacModel, q: AccessQuery): string[] {
  return whoCan(m, q)
    .subjects.filter((s) => !s.grants.every((g) => g.binding.origin === 'default' && g.binding.name.startsWith('system:controller:')))
    .map((s) => `${s.subject.kind}:${s.subject.namespace !== undefined ? `${s.subject.namespace}/` : ''}${s.subject.name}`);
}

test('who-can: namespaced verbs through RoleBindings to default ClusterRoles, ClusterRoleBindings and default bindings', async () => {
  const m = await model();
  assert.deepEqual(who(m, { verb: 'create', resource: 'pods', namespace: 'app' }), ['User:alice', 'Group:system:masters', 'ServiceAccount:kube-system/powerful']);
  // alice's RoleBinding is in app: nothing in ci.
  assert.deepEqual(who(m, { verb: 'create', resource: 'pods', namespace: 'ci' }), ['Group:system:masters', 'ServiceAccount:kube-system/powerful']);
  // Without a namespace every binding counts, each grant keeps its scope.
  const all = whoCan(m, { verb: 'get', resource: 'pods' });
  const alice = all.subjects.find((s) => s.subject.name === 'alice')!;
  assert.equal(alice.grants[0]!.namespace, 'app');
  assert.equal(alice.grants[0]!.chain, 'RoleBinding/app/alice-edit → ClusterRole/edit (Kubernetes default) rule: get,list,watch configmaps,endpoints,persistentvolumeclaims,persistentvolumeclaims/status,pods,replicationcontrollers,replicationcontrollers/scale,serviceaccounts,services,services/status (apiGroups core)');
  // The scheduler and the controller manager list pods everywhere (default bindings to their users).
  assert.deepEqual(who(m, { verb: 'list', resource: 'pods' }), ['User:alice', 'User:system:kube-controller-manager', 'User:system:kube-scheduler', 'Group:devs', 'Group:system:masters', 'ServiceAccount:kube-system/powerful']);
  // The pods that run as each ServiceAccount are named.
  assert.deepEqual(all.subjects.find((s) => s.subject.name === 'powerful')!.usedBy, ['Deployment/operator']);
});

test('who-can: subresources, */exec and */scale wildcards (pods/* is none), API groups', async () => {
  const m = await model();
  assert.deepEqual(who(m, { verb: 'create', resource: 'pods/exec', namespace: 'app' }), ['User:alice', 'User:execer', 'Group:system:masters', 'ServiceAccount:kube-system/powerful']);
  assert.deepEqual(who(m, { verb: 'update', resource: 'deployments.apps/scale', namespace: 'app' }), ['User:alice', 'User:execer', 'Group:system:masters', 'ServiceAccount:kube-system/powerful']);
  // */exec does not match pods itself, and pods/* matches nothing (not a wildcard in Kubernetes RBAC).
  assert.deepEqual(who(m, { verb: 'create', resource: 'pods', namespace: 'app' }).includes('User:execer'), false);
  assert.deepEqual(who(m, { verb: 'delete', resource: 'pods/exec', namespace: 'app' }).includes('User:execer'), false);
  // deployments in apps, not in the core group.
  assert.deepEqual(who(m, { verb: 'create', resource: 'deployments.apps', namespace: 'kube-system' }), ['Group:system:masters', 'ServiceAccount:ci/deployer', 'ServiceAccount:kube-system/powerful']);
  assert.deepEqual(who(m, { verb: 'create', resource: 'deployments.example.com', namespace: 'kube-system' }), ['Group:system:masters', 'ServiceAccount:kube-system/powerful']);
});

test('who-can: nonResourceURLs only through ClusterRoleBindings, aggregated roles, prefix matches', async () => {
  const m = await model();
  assert.deepEqual(who(m, { verb: 'get', resource: '/metrics' }), ['User:prom', 'Group:system:masters', 'Group:system:monitoring', 'ServiceAccount:kube-system/powerful']);
  assert.deepEqual(who(m, { verb: 'get', resource: '/debug/pprof/heap' }), ['User:prom', 'Group:system:masters', 'ServiceAccount:kube-system/powerful']);
  // The aggregated role took the nodes rule of monitoring-nodes; nodes are cluster-scoped.
  assert.deepEqual(who(m, { verb: 'list', resource: 'nodes' }), ['User:prom', 'User:system:kube-controller-manager', 'User:system:kube-proxy', 'User:system:kube-scheduler', 'Group:system:masters', 'ServiceAccount:kube-system/powerful']);
  // The RoleBinding of nsprom to monitoring-metrics grants no URL.
  assert.equal(who(m, { verb: 'get', resource: '/metrics', namespace: 'app' }).includes('User:nsprom'), false);
});

test('resourceNames restrict to named objects and never match unnamed requests', async () => {
  const m = await model();
  assert.deepEqual(who(m, { verb: 'create', resource: 'serviceaccounts/token', namespace: 'app', name: 'web' }), ['User:alice', 'User:system:kube-controller-manager', 'User:tokenmaker', 'Group:system:masters', 'ServiceAccount:kube-system/powerful']);
  assert.equal(who(m, { verb: 'create', resource: 'serviceaccounts/token', namespace: 'app', name: 'other' }).includes('User:tokenmaker'), false);
  assert.equal(who(m, { verb: 'create', resource: 'serviceaccounts/token', namespace: 'app' }).includes('User:tokenmaker'), false);
});

test('can: yes with the chain, no across namespaces, ServiceAccounts through their groups', async () => {
  const m = await model();
  const yes = canI(m, parseSubject('User:alice'), { verb: 'delete', resource: 'secrets', namespace: 'app' });
  assert.equal(yes.allowed, true);
  assert.deepEqual(yes.grants.map((g) => `${g.binding.kind}/${g.binding.name} ${g.role.kind}/${g.role.name}`), ['RoleBinding/alice-edit ClusterRole/edit']);
  assert.equal(canI(m, parseSubject('alice'), { verb: 'delete', resource: 'secrets', namespace: 'ci' }).allowed, false);
  assert.equal(canI(m, parseSubject('User:alice'), { verb: 'delete', resource: 'secrets' }).allowed, false);
  assert.equal(canI(m, parseSubject('system:serviceaccount:ci:deployer'), { verb: 'create', resource: 'deployments.apps', namespace: 'kube-system' }).allowed, true);
  assert.equal(canI(m, parseSubject('sa:ci/deployer'), { verb: 'delete', resource: 'deployments.apps', namespace: 'kube-system' }).allowed, false);
  // Every authenticated user may create selfsubjectaccessreviews (system:basic-user, a default binding).
  const basic = canI(m, parseSubject('User:nobody'), { verb: 'create', resource: 'selfsubjectaccessreviews' });
  assert.equal(basic.allowed, true);
  assert.equal(basic.grants[0]!.via.name, 'system:authenticated');
  assert.equal(canI(m, parseSubject('Group:system:masters'), { verb: '*', resource: '*' }).allowed, true);
  assert.equal(canI(m, parseSubject('User:alice'), { verb: '*', resource: '*', namespace: 'app' }).allowed, false);
});

test('bad RBAC input: cyclic aggregation and bindings to missing roles are issues; the rest is analysed', async () => {
  const m = await model();
  assert.deepEqual(m.issues.map((i) => `${i.code} ${i.object}`), ['E_RBAC_AGGREGATION_CYCLE ClusterRole/loop-a', 'E_RBAC_MISSING_ROLE RoleBinding/app/dangling']);
  // The cycle still resolves: loop-a holds loop-b's rule.
  assert.deepEqual(who(m, { verb: 'create', resource: 'configmaps', namespace: 'x' }), ['User:cyc', 'Group:system:masters', 'ServiceAccount:kube-system/powerful']);
  assert.equal(canI(m, parseSubject('User:ghost'), { verb: 'get', resource: 'pods', namespace: 'app' }).allowed, false);
  const odd = await loadManifests([{ name: 'odd.yaml', content: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: x}\nroleRef: {kind: Role, name: r}\nsubjects: [{kind: ServiceAccount, name: s}, {kind: Robot, name: r2}]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: y}\nroleRef: {kind: ClusterRole, name: view}\nsubjects: [{kind: ServiceAccount, name: s}, {kind: Robot, name: r2}, {kind: User, name: u}]\n' }]);
  const om = buildRbacModel(new ManifestIndex(odd.resources));
  assert.deepEqual(om.issues.map((i) => i.code), ['E_RBAC_INVALID', 'E_RBAC_INVALID', 'E_RBAC_INVALID']);
  assert.deepEqual(who(om, { verb: 'get', resource: 'pods', namespace: 'a' }).filter((s) => !s.startsWith('Group:system:')), ['User:system:kube-scheduler', 'User:u']);
});

test('risky-permission findings per subject, system built-ins left out, wildcard holders reported once', async () => {
  const m = await model();
  const got = rbacFindings(m).map((f) => `${f.ruleId} ${f.severity} ${f.target.type === 'subject' ? `${f.target.kind}:${f.target.namespace ?? ''}/${f.target.name}` : ''} ${f.location?.line ?? '-'}`);
  assert.deepEqual(got, [
    'RBAC-SUBJECT-SECRETS-READ high User:/alice 56',
    'RBAC-SUBJECT-CREATE-PODS high User:/alice 56',
    'RBAC-SUBJECT-EXEC high User:/alice 56',
    'RBAC-SUBJECT-IMPERSONATE critical User:/alice 56',
    'RBAC-SUBJECT-TOKEN-CREATE high User:/alice 56',
    'RBAC-SUBJECT-CREATE-PODS high ServiceAccount:ci/deployer 83',
    'RBAC-SUBJECT-TOKEN-CREATE high User:/tokenmaker 179',
    'RBAC-SUBJECT-EXEC high User:/execer 194',
    'RBAC-SUBJECT-ADMIN critical ServiceAccount:kube-system/powerful 49',
    'RBAC-SUBJECT-IMPERSONATE critical User:/impersonator 166',
  ]);
  const admin = rbacFindings(m).find((f) => f.ruleId === 'RBAC-SUBJECT-ADMIN')!;
  assert.equal(admin.message, 'ServiceAccount kube-system/powerful holds every permission cluster-wide (* on *) via ClusterRoleBinding/powerful-admin → ClusterRole/cluster-admin (Kubernetes default) rule: * * (apiGroups *)');
});

test('escalation paths to cluster-admin, step by step; --to a subject; dot and json', async () => {
  const m = await model();
  const r = escalationPaths(m);
  assert.deepEqual(r.paths.map((p) => [p.from, ...p.steps.map((s) => s.to)].join(' → ')), [
    'ServiceAccount:ci/deployer → ServiceAccount:kube-system/powerful → cluster-admin',
    'ServiceAccount:kube-system/powerful → cluster-admin',
    'User:impersonator → Group:system:masters → cluster-admin',
    'User:patcher → ServiceAccount:kube-system/powerful → cluster-admin',
  ]);
  assert.match(r.paths[0]!.steps[0]!.how, /^can create pods in namespace kube-system running as ServiceAccount kube-system\/powerful via RoleBinding\/kube-system\/ci-deploys-kube-system → Role\/kube-system\/deployer rule 0/);
  const toWeb = escalationPaths(m, { to: 'ServiceAccount:app/web' });
  assert.deepEqual(toWeb.paths.map((p) => `${p.from} ${p.steps.length}`), ['ServiceAccount:ci/deployer 2', 'ServiceAccount:kube-system/powerful 1', 'User:alice 1', 'User:debugger 1', 'User:execer 1', 'User:impersonator 2', 'User:patcher 2', 'User:tokenmaker 1']);
  assert.match(r.paths[3]!.steps[0]!.how, /^can change a workload's pod template in namespace kube-system to run as ServiceAccount kube-system\/powerful via RoleBinding\/kube-system\/patcher/);
  const dot = renderPaths(r, 'dot');
  assert.match(dot, /^digraph escalation \{/);
  assert.match(dot, /"ServiceAccount:ci\/deployer" -> "ServiceAccount:kube-system\/powerful" \[label="can create pods in namespace kube-system running as ServiceAccount kube-system\/powerful"/);
  assert.deepEqual(JSON.parse(renderPaths(r, 'json')).paths.length, 4);
  assert.match(renderPaths(r, 'table'), /4 paths to cluster-admin\n$/);
});
