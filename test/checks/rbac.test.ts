import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanYaml, summarize } from '../helpers.ts';
import type { Check } from '../../src/checks/types.ts';
import type { BosunConfig } from '../../src/config/types.ts';
import { rbacChecks } from '../../src/checks/rbac/index.ts';
import { grantedBy, policyRules, resourceMatches } from '../../src/checks/rbac/policy.ts';
import { POD_EXEC, SECRETS_READ, IMPERSONATE } from '../../src/checks/rbac/permissions.ts';

/** Opt-in checks run too: the tests name the one check they exercise. */
const ENABLE_ALL: BosunConfig = { waivers: [], checks: { enable: ['*'] } };

function check(id: string): Check {
  const c = rbacChecks.find((x) => x.id === id);
  if (c === undefined) throw new Error(`no check ${id}`);
  return c;
}

/** A ClusterRole with the given rules (YAML flow sequences), starting at line 1. */
function clusterRole(name: string, ...rules: string[]): string {
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: ${name}
rules:
${rules.map((r) => `  - ${r}`).join('\n')}
`;
}

function role(namespace: string, name: string, ...rules: string[]): string {
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: ${name}
  namespace: ${namespace}
rules:
${rules.map((r) => `  - ${r}`).join('\n')}
`;
}

function binding(kind: 'RoleBinding' | 'ClusterRoleBinding', name: string, roleRef: string, subjects: string[], namespace = 'team'): string {
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata:
  name: ${name}
${kind === 'RoleBinding' ? `  namespace: ${namespace}\n` : ''}roleRef:
  apiGroup: rbac.authorization.k8s.io
  ${roleRef}
subjects:
${subjects.map((s) => `  - ${s}`).join('\n')}
`;
}

interface Case {
  id: string;
  fail: string;
  expected: string[];
  pass: string;
}

const CASES: Case[] = [
  {
    id: 'K8S-RBAC-CLUSTER-ADMIN-BINDING',
    fail: binding('ClusterRoleBinding', 'ops', 'kind: ClusterRole\n  name: cluster-admin', ['{kind: User, name: alice}', '{kind: Group, name: system:nodes}']),
    expected: ['K8S-RBAC-CLUSTER-ADMIN-BINDING roleRef.name @8'],
    pass: binding('ClusterRoleBinding', 'viewers', 'kind: ClusterRole\n  name: view', ['{kind: User, name: alice}']),
  },
  {
    id: 'K8S-RBAC-NAMESPACE-ADMIN-BINDING',
    fail: clusterRole('everything', '{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}') + '---\n' + binding('RoleBinding', 'devs', 'kind: ClusterRole\n  name: everything', ['{kind: Group, name: devs}']),
    expected: ['K8S-RBAC-NAMESPACE-ADMIN-BINDING roleRef.name @16'],
    pass: binding('RoleBinding', 'devs', 'kind: ClusterRole\n  name: edit', ['{kind: Group, name: devs}']),
  },
  {
    id: 'K8S-RBAC-WILDCARD',
    fail: clusterRole('wide', '{apiGroups: ["*"], resources: [pods], verbs: [get]}', '{apiGroups: [""], resources: ["*"], verbs: ["*"]}'),
    expected: ['K8S-RBAC-WILDCARD rules[0].apiGroups @6', 'K8S-RBAC-WILDCARD rules[1].resources @7', 'K8S-RBAC-WILDCARD rules[1].verbs @7'],
    pass: clusterRole('system:wide', '{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}') + '---\n' + clusterRole('narrow', '{apiGroups: [""], resources: [pods], verbs: [get, list]}'),
  },
  {
    id: 'K8S-RBAC-SECRETS-READ',
    fail: role('team', 'reader', '{apiGroups: [""], resources: [configmaps], verbs: [get]}', '{apiGroups: [""], resources: [secrets], verbs: [list]}'),
    expected: ['K8S-RBAC-SECRETS-READ rules[1].verbs @8'],
    pass: role('team', 'reader', '{apiGroups: [""], resources: [secrets], verbs: [get], resourceNames: [app-tls]}', '{apiGroups: [apps], resources: [secrets], verbs: [get]}'),
  },
  {
    id: 'K8S-RBAC-CREATE-PODS',
    fail: role('team', 'deployer', '{apiGroups: [apps], resources: [deployments], verbs: [create, update]}'),
    expected: ['K8S-RBAC-CREATE-PODS rules[0].verbs @7'],
    pass: role('team', 'deployer', '{apiGroups: [apps], resources: [deployments], verbs: [update, patch]}', '{apiGroups: [apps], resources: [pods], verbs: [create]}'),
  },
  {
    id: 'K8S-RBAC-POD-EXEC',
    fail: clusterRole('debug', '{apiGroups: [""], resources: ["*/exec"], verbs: [get]}'),
    expected: ['K8S-RBAC-POD-EXEC rules[0].verbs @6'],
    // `pods/*` is no wildcard in Kubernetes RBAC: it grants nothing
    pass: clusterRole('debug', '{apiGroups: [""], resources: [pods, pods/log, "pods/*"], verbs: [get, create]}'),
  },
  {
    id: 'K8S-RBAC-POD-ATTACH',
    fail: clusterRole('debug', '{apiGroups: [""], resources: [pods/attach], verbs: [create]}'),
    expected: ['K8S-RBAC-POD-ATTACH rules[0].verbs @6'],
    pass: clusterRole('debug', '{apiGroups: [""], resources: [pods/attach], verbs: [list]}'),
  },
  {
    id: 'K8S-RBAC-NODES-PROXY',
    fail: clusterRole('metrics', '{apiGroups: [""], resources: [nodes/proxy], verbs: [get]}'),
    expected: ['K8S-RBAC-NODES-PROXY rules[0].verbs @6'],
    pass: clusterRole('metrics', '{apiGroups: [""], resources: [nodes/metrics, nodes], verbs: [get]}'),
  },
  {
    id: 'K8S-RBAC-PORT-FORWARD',
    fail: role('team', 'pf', '{apiGroups: [""], resources: ["*/portforward"], verbs: [create]}'),
    expected: ['K8S-RBAC-PORT-FORWARD rules[0].verbs @7'],
    pass: role('team', 'pf', '{apiGroups: [""], resources: [pods], verbs: [create]}'),
  },
  {
    id: 'K8S-RBAC-IMPERSONATE',
    fail: clusterRole('sudo', '{apiGroups: [""], resources: [users, groups], verbs: [impersonate]}', '{apiGroups: [""], resources: [groups], verbs: [impersonate], resourceNames: [system:masters]}'),
    expected: ['K8S-RBAC-IMPERSONATE rules[0].verbs @6', 'K8S-RBAC-IMPERSONATE rules[1].verbs @7'],
    pass: clusterRole('sudo', '{apiGroups: [""], resources: [users], verbs: [impersonate], resourceNames: [deploy-bot]}'),
  },
  {
    id: 'K8S-RBAC-ESCALATE',
    fail: clusterRole('rbac-admin', '{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: ["*"]}'),
    expected: ['K8S-RBAC-ESCALATE rules[0].verbs @6'],
    pass: clusterRole('rbac-admin', '{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [get, create, update]}'),
  },
  {
    id: 'K8S-RBAC-BIND',
    fail: role('team', 'binder', '{apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [bind]}', '{apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create]}'),
    expected: ['K8S-RBAC-BIND rules[0].verbs @7', 'K8S-RBAC-BIND rules[1].verbs @8'],
    pass: role('team', 'binder', '{apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [bind], resourceNames: [view-only]}', '{apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [get, list]}'),
  },
  {
    id: 'K8S-RBAC-ADMISSION-WEBHOOKS',
    fail: clusterRole('hooks', '{apiGroups: [admissionregistration.k8s.io], resources: [mutatingwebhookconfigurations], verbs: [patch], resourceNames: [my-hook]}'),
    expected: ['K8S-RBAC-ADMISSION-WEBHOOKS rules[0].verbs @6'],
    pass: clusterRole('hooks', '{apiGroups: [admissionregistration.k8s.io], resources: [mutatingwebhookconfigurations], verbs: [get, list, watch]}'),
  },
  {
    id: 'K8S-RBAC-CSR-APPROVE',
    fail: clusterRole('approver', '{apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests/approval], verbs: [update]}'),
    expected: ['K8S-RBAC-CSR-APPROVE rules[0].verbs @6'],
    pass: clusterRole('approver', '{apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests], verbs: [create, get]}'),
  },
  {
    id: 'K8S-RBAC-SA-TOKEN-CREATE',
    fail: role('team', 'tokens', '{apiGroups: [""], resources: [serviceaccounts/token], verbs: [create]}'),
    expected: ['K8S-RBAC-SA-TOKEN-CREATE rules[0].verbs @7'],
    pass: role('team', 'tokens', '{apiGroups: [""], resources: [serviceaccounts], verbs: [create]}'),
  },
  {
    id: 'K8S-RBAC-PV-CREATE',
    fail: clusterRole('storage', '{apiGroups: [""], resources: [persistentvolumes], verbs: [create]}'),
    expected: ['K8S-RBAC-PV-CREATE rules[0].verbs @6'],
    pass: clusterRole('storage', '{apiGroups: [""], resources: [persistentvolumeclaims], verbs: [create]}'),
  },
  {
    id: 'K8S-RBAC-DELETE-CRITICAL',
    fail: role('team', 'cleaner', '{apiGroups: [apps], resources: [deployments], verbs: [deletecollection]}'),
    expected: ['K8S-RBAC-DELETE-CRITICAL rules[0].verbs @7'],
    pass: role('team', 'cleaner', '{apiGroups: [""], resources: [configmaps], verbs: [delete]}'),
  },
  {
    id: 'K8S-RBAC-DELETE-EVENTS',
    fail: clusterRole('janitor', '{apiGroups: [events.k8s.io], resources: [events], verbs: [delete]}'),
    expected: ['K8S-RBAC-DELETE-EVENTS rules[0].verbs @6'],
    pass: clusterRole('janitor', '{apiGroups: [""], resources: [events], verbs: [create, patch]}'),
  },
  {
    id: 'K8S-RBAC-CRITICAL-CONFIGMAP-WRITE',
    fail: role('kube-system', 'dns-editor', '{apiGroups: [""], resources: [configmaps], verbs: [patch], resourceNames: [coredns]}'),
    expected: ['K8S-RBAC-CRITICAL-CONFIGMAP-WRITE rules[0].verbs @7'],
    pass: role('team', 'cm-editor', '{apiGroups: [""], resources: [configmaps], verbs: [update]}') + '---\n' + role('kube-system', 'other', '{apiGroups: [""], resources: [configmaps], verbs: [update], resourceNames: [my-settings]}'),
  },
  {
    id: 'K8S-RBAC-TRAFFIC-REDIRECT',
    fail: clusterRole('lb', '{apiGroups: [""], resources: [services/status], verbs: [patch]}'),
    expected: ['K8S-RBAC-TRAFFIC-REDIRECT rules[0].verbs @6'],
    pass: clusterRole('lb', '{apiGroups: [""], resources: [services, endpoints], verbs: [get, list, watch]}'),
  },
  {
    id: 'K8S-RBAC-ANONYMOUS-BINDING',
    fail: binding('ClusterRoleBinding', 'open', 'kind: ClusterRole\n  name: view', ['{kind: User, name: alice}', '{kind: Group, name: system:unauthenticated}', '{kind: User, name: system:anonymous}']),
    expected: ['K8S-RBAC-ANONYMOUS-BINDING subjects[1] @11', 'K8S-RBAC-ANONYMOUS-BINDING subjects[2] @12'],
    pass: binding('ClusterRoleBinding', 'system:public-info-viewer', 'kind: ClusterRole\n  name: system:public-info-viewer', ['{kind: Group, name: system:unauthenticated}']),
  },
  {
    id: 'K8S-RBAC-AUTHENTICATED-BINDING',
    fail: binding('RoleBinding', 'everyone', 'kind: ClusterRole\n  name: edit', ['{kind: Group, name: system:authenticated}']),
    expected: ['K8S-RBAC-AUTHENTICATED-BINDING subjects[0] @11'],
    pass: binding('RoleBinding', 'everyone', 'kind: ClusterRole\n  name: edit', ['{kind: Group, name: developers}']),
  },
  {
    id: 'K8S-RBAC-MASTERS-BINDING',
    fail: binding('ClusterRoleBinding', 'admins', 'kind: ClusterRole\n  name: cluster-admin', ['{kind: Group, name: system:masters}']),
    expected: ['K8S-RBAC-MASTERS-BINDING subjects[0] @10'],
    pass: binding('ClusterRoleBinding', 'admins', 'kind: ClusterRole\n  name: cluster-admin', ['{kind: Group, name: platform-admins}']),
  },
  {
    id: 'K8S-DASHBOARD-DEPLOYED',
    fail: `apiVersion: apps/v1
kind: Deployment
metadata: {name: kubernetes-dashboard, namespace: kubernetes-dashboard}
spec:
  template:
    metadata: {labels: {k8s-app: kubernetes-dashboard}}
    spec:
      containers:
        - name: dashboard
          image: docker.io/kubernetesui/dashboard:v2.7.0
        - name: proxy
          image: nginx:1.27
---
apiVersion: v1
kind: Pod
metadata:
  name: dash
  labels: {app: kubernetes-dashboard}
spec:
  containers: [{name: web, image: example.com/dash:1}]
`,
    expected: ['K8S-DASHBOARD-DEPLOYED spec.template.spec.containers[0].image @10', 'K8S-DASHBOARD-DEPLOYED metadata.labels.app @18'],
    pass: `apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: dashboard-frontend}}
spec:
  containers: [{name: web, image: grafana/grafana:11.0.0}]
`,
  },
  {
    id: 'K8S-RBAC-DASHBOARD-ACCESS',
    fail: binding('ClusterRoleBinding', 'dash', 'kind: ClusterRole\n  name: kubernetes-dashboard', ['{kind: ServiceAccount, name: kubernetes-dashboard, namespace: kubernetes-dashboard}', '{kind: User, name: bob}']),
    expected: ['K8S-RBAC-DASHBOARD-ACCESS subjects[1] @11'],
    pass: binding('ClusterRoleBinding', 'dash', 'kind: ClusterRole\n  name: kubernetes-dashboard', ['{kind: ServiceAccount, name: kubernetes-dashboard, namespace: kubernetes-dashboard}']),
  },
];

for (const c of CASES) {
  test(`${c.id}: flags the failing manifest`, async () => {
    const report = await scanYaml(c.fail, { only: check(c.id), config: ENABLE_ALL });
    assert.deepEqual(summarize(report.findings), c.expected);
  });
  test(`${c.id}: passes the compliant manifest`, async () => {
    const report = await scanYaml(c.pass, { only: check(c.id), config: ENABLE_ALL });
    assert.deepEqual(summarize(report.findings.filter((f) => f.ruleId === c.id)), []);
  });
}

const WORKLOADS = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: team}
spec:
  template:
    spec:
      serviceAccountName: api
      containers: [{name: api, image: example.com/api:1}]
---
apiVersion: v1
kind: Pod
metadata: {name: quiet, namespace: team}
spec:
  automountServiceAccountToken: false
  serviceAccountName: api
  containers: [{name: c, image: example.com/c:1}]
---
apiVersion: v1
kind: Pod
metadata: {name: plain, namespace: other}
spec:
  containers: [{name: c, image: example.com/c:1}]
---
`;

test('K8S-RBAC-WORKLOAD-SA-TAKEOVER: joins workload → ServiceAccount → bindings → roles', async () => {
  const yaml = WORKLOADS +
    binding('ClusterRoleBinding', 'api-admin', 'kind: ClusterRole\n  name: cluster-admin', ['{kind: ServiceAccount, name: api, namespace: team}']) + '---\n' +
    role('team', 'secret-reader', '{apiGroups: [""], resources: [secrets], verbs: [get, list]}') + '---\n' +
    binding('RoleBinding', 'api-secrets', 'kind: Role\n  name: secret-reader', ['{kind: ServiceAccount, name: api}']) + '---\n' +
    binding('RoleBinding', 'viewers', 'kind: ClusterRole\n  name: view', ['{kind: Group, name: system:serviceaccounts}']);
  const report = await scanYaml(yaml, { only: check('K8S-RBAC-WORKLOAD-SA-TAKEOVER'), config: ENABLE_ALL });
  assert.deepEqual(summarize(report.findings), ['K8S-RBAC-WORKLOAD-SA-TAKEOVER spec.template.spec.serviceAccountName @7', 'K8S-RBAC-WORKLOAD-SA-TAKEOVER spec.template.spec.serviceAccountName @7']);
  assert.deepEqual(report.findings.map((f) => [f.severity, f.message]), [
    ['critical', 'ServiceAccount "api" has cluster-admin permissions cluster-wide through ClusterRoleBinding "api-admin" → ClusterRole "cluster-admin"'],
    ['high', 'ServiceAccount "api" has permissions to read secrets in namespace "team" through RoleBinding "api-secrets" → Role "secret-reader"'],
  ]);
});

test('K8S-RBAC-WORKLOAD-SA-TAKEOVER: default ServiceAccount via namespace group and the default edit role', async () => {
  const yaml = WORKLOADS + binding('RoleBinding', 'all-edit', 'kind: ClusterRole\n  name: edit', ['{kind: Group, name: "system:serviceaccounts:other"}'], 'other');
  const report = await scanYaml(yaml, { only: check('K8S-RBAC-WORKLOAD-SA-TAKEOVER'), config: ENABLE_ALL });
  assert.deepEqual(summarize(report.findings), ['K8S-RBAC-WORKLOAD-SA-TAKEOVER spec.serviceAccountName @21']);
  assert.match(report.findings[0]!.message, /ServiceAccount "default" has permissions to read secrets, create pods, exec into pods, attach to pods, impersonate, create service account tokens in namespace "other"/);
});

test('K8S-RBAC-WORKLOAD-SA-TAKEOVER: off by default, silent without bindings', async () => {
  const yaml = WORKLOADS + binding('ClusterRoleBinding', 'x', 'kind: ClusterRole\n  name: cluster-admin', ['{kind: ServiceAccount, name: api, namespace: team}']);
  assert.deepEqual((await scanYaml(yaml, { only: check('K8S-RBAC-WORKLOAD-SA-TAKEOVER') })).findings, []);
  assert.deepEqual((await scanYaml(WORKLOADS, { only: check('K8S-RBAC-WORKLOAD-SA-TAKEOVER'), config: ENABLE_ALL })).findings, []);
});

test('binding checks resolve default ClusterRoles and name the subjects', async () => {
  const yaml = binding('ClusterRoleBinding', 'ns-admins', 'kind: ClusterRole\n  name: admin', ['{kind: ServiceAccount, name: ci, namespace: build}', '{kind: Group, name: system:serviceaccounts:kube-system}']);
  const report = await scanYaml(yaml, { only: check('K8S-RBAC-CLUSTER-ADMIN-BINDING') });
  assert.deepEqual(report.findings.map((f) => f.message), ['ClusterRoleBinding "ns-admins" grants ClusterRole "admin" cluster-wide to ServiceAccount "build/ci"']);
});

test('bindings of only system: subjects and Kubernetes-managed bindings are skipped', async () => {
  const yaml = binding('ClusterRoleBinding', 'controllers', 'kind: ClusterRole\n  name: cluster-admin', ['{kind: Group, name: system:nodes}']) + '---\n' +
    `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: cluster-admin
  labels: {kubernetes.io/bootstrapping: rbac-defaults}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: Group, name: system:masters}]
`;
  const report = await scanYaml(yaml, { only: rbacChecks });
  assert.deepEqual(summarize(report.findings), []);
});

test('role checks name the role, rule and grant', async () => {
  const report = await scanYaml(role('team', 'ops', '{apiGroups: [""], resources: ["*"], verbs: [get], resourceNames: [x]}', '{apiGroups: ["*"], resources: [pods/exec], verbs: [create]}'), { only: check('K8S-RBAC-POD-EXEC') });
  assert.deepEqual(report.findings.map((f) => f.message), ['Role "ops" rule 0 can exec into pods: get on pods/exec (resourceNames x)', 'Role "ops" rule 1 can exec into pods: create on pods/exec']);
});

test('odd RBAC input never throws', async () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: odd}
rules: [null, 3, {verbs: "*", resources: [1, null]}, {apiGroups: [""], resources: [secrets], verbs: [GET]}, {apiGroups: [""], resources: [secrets], verbs: [watch]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: odd, namespace: a}
roleRef: 7
subjects: [null, {kind: User}, "x", {kind: Group, name: system:anonymous}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: odd2}
roleRef: {kind: Role, name: missing}
subjects: {kind: User, name: a}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec: {serviceAccountName: 5, automountServiceAccountToken: "no", containers: [null]}
`;
  const report = await scanYaml(yaml, { only: rbacChecks, config: ENABLE_ALL });
  assert.deepEqual(summarize(report.findings), ['K8S-RBAC-INEFFECTIVE-RULE rules[3].verbs[0] @4', 'K8S-RBAC-SECRETS-READ rules[4].verbs @4', 'K8S-RBAC-ANONYMOUS-BINDING subjects[3] @10']);
});

test('rule entries the authorizer never matches are reported where they are written', async () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: sloppy}
rules:
  - apiGroups: ["", apps, "apps/v1", v1, core, "*"]
    resources: [pods, Pods, "pods/*", "*/scale", "*", deployments/scale]
    verbs: [get, GET, List, "*"]
`;
  const report = await scanYaml(yaml, { only: rbacChecks, config: ENABLE_ALL });
  const ineffective = report.findings.filter((f) => f.ruleId === 'K8S-RBAC-INEFFECTIVE-RULE');
  assert.deepEqual(ineffective.map((f) => f.fieldPath), [
    'rules[0].apiGroups[2]', 'rules[0].apiGroups[3]', 'rules[0].apiGroups[4]',
    'rules[0].resources[1]', 'rules[0].resources[2]',
    'rules[0].verbs[1]', 'rules[0].verbs[2]',
  ]);
  assert.match(ineffective.find((f) => f.fieldPath === 'rules[0].resources[2]')!.message, /"pods\/\*" matches nothing: RBAC has no `resource\/\*` wildcard/);
  assert.equal(new Set(ineffective.map((f) => f.fingerprint)).size, ineffective.length);
  // What the authorizer does match is not reported.
  assert.ok(!ineffective.some((f) => /\[(0|1|5)\]$/.test(f.fieldPath ?? '') && f.fieldPath!.includes('apiGroups')));
});

test('resource matching follows Kubernetes RBAC', () => {
  assert.equal(resourceMatches('*', 'pods/exec'), true);
  assert.equal(resourceMatches('pods/*', 'pods/exec'), false); // not a wildcard (ResourceMatches in k8s.io/kubernetes)
  assert.equal(resourceMatches('*/exec', 'pods/exec'), true);
  assert.equal(resourceMatches('pods', 'pods/exec'), false);
  assert.equal(resourceMatches('pods/*', 'pods'), false);
  assert.equal(resourceMatches('*/scale', 'deployments'), false);
  const [rule] = policyRules({ rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'], resourceNames: ['one'] }] });
  assert.deepEqual(grantedBy(rule!, POD_EXEC), { verbs: ['create', 'get'], resources: ['pods/exec'] });
  assert.equal(grantedBy(rule!, SECRETS_READ), undefined);
  assert.equal(grantedBy(rule!, IMPERSONATE), undefined);
});

/** RBAC checks of bosun's own, beyond the peers' union table. */
const BOSUN_ONLY = new Set(['K8S-RBAC-INEFFECTIVE-RULE']);

test('every RBAC check has metadata for its union rows', () => {
  const ids = new Set<string>();
  for (const c of rbacChecks) {
    assert.ok(!ids.has(c.id), c.id);
    ids.add(c.id);
    assert.match(c.id, /^K8S-[A-Z0-9-]+$/);
    if (BOSUN_ONLY.has(c.id)) {
      // No peer checks this: no union row, no aliases.
      assert.ok(c.concepts.length === 0 && c.aliases.length === 0 && c.fields.length > 0, c.id);
      continue;
    }
    assert.ok(c.concepts.length > 0 && c.concepts.every((n) => n >= 101 && n <= 125), c.id);
    assert.ok(c.aliases.length > 0 && c.fields.length > 0, c.id);
  }
  const covered = new Set(rbacChecks.flatMap((c) => c.concepts));
  assert.deepEqual([...covered].sort((a, b) => a - b), Array.from({ length: 25 }, (_, i) => 101 + i));
});
