/** `bosun scan --policy`: VAP and bosun Rule findings, policy file errors, and the CLI commands. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanManifests } from '../../src/scan.ts';
import { loadPolicySet } from '../../src/policy/policy-set.ts';
import { REPO_ROOT, examplesDir } from '../helpers.ts';

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: { app: web }
spec:
  replicas: 5
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      volumes:
      - name: logs
        hostPath: { path: /var/log }
      containers:
      - name: app
        image: registry.example.com/web:1.0
`;

const VAP = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: max-replicas
  annotations: { bosun.dev/severity: critical }
spec:
  matchConstraints:
    resourceRules:
    - apiGroups: ["apps"]
      apiVersions: ["v1"]
      operations: ["CREATE"]
      resources: ["deployments"]
  validations:
  - expression: "object.spec.replicas <= 3"
    messageExpression: "'replicas ' + string(object.spec.replicas) + ' > 3'"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: { name: max-replicas-warn }
spec:
  policyName: max-replicas
  validationActions: [Warn]
`;

const RULE = `apiVersion: bosun.dev/v1
kind: Rule
metadata: { name: no-hostpath-except-web }
spec:
  title: Only /web/html may be mounted from the host
  severity: high
  match: { kinds: [Pod, Deployment] }
  podSpec: true
  expression: "podSpec.volumes.all(v, !has(v.hostPath) || v.hostPath.path == '/web/html')"
  message: "hostPath volumes other than /web/html are forbidden"
  frameworks: { nist-800-190: ["4.4.1"] }
`;

async function scanWith(policy: string, manifests = DEPLOY) {
  const policySet = await loadPolicySet([{ name: 'policy.yaml', content: policy }]);
  return scanManifests([{ name: 'app.yaml', content: manifests }], { config: false, policySet, checks: [] });
}

test('a VAP violation is a finding vap/<policy> with the Kubernetes message, severity from bosun.dev/severity', async () => {
  const report = await scanWith(VAP);
  assert.deepEqual(report.errors, []);
  assert.deepEqual(
    report.findings.map((f) => [f.ruleId, f.severity, f.message, f.location?.line]),
    [['vap/max-replicas', 'critical', "Validation failed for ValidatingAdmissionPolicy 'max-replicas' with binding 'max-replicas-warn': replicas 5 > 3", 1]],
  );
});

test('resourceRules read "resource/subresource" as the apiserver does: deployments/* and */* cover the resource itself, * and subresources alone do not', async () => {
  const withResources = (resources: string, exclude = '') =>
    VAP.replace('resources: ["deployments"]', `resources: ${resources}`).replace('  validations:', `${exclude}  validations:`);
  const count = async (policy: string) => (await scanWith(policy)).findings.length;
  for (const [resources, found] of [['["deployments/*"]', 1], ['["*/*"]', 1], ['["*"]', 1], ['["deployments/scale"]', 0], ['["*/status"]', 0], ['["pods/*"]', 0]] as const) {
    assert.equal(await count(withResources(resources)), found, resources);
  }
  const excluding = (entry: string) => `    excludeResourceRules:\n    - { apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE"], resources: ["${entry}"] }\n`;
  assert.equal(await count(withResources('["*"]', excluding('deployments/*'))), 0);
  assert.equal(await count(withResources('["*"]', excluding('deployments/status'))), 1);
  // request.subResource is declared (empty for the object itself), not a missing field.
  assert.equal(await count(VAP.replace('object.spec.replicas <= 3', "request.subResource == '' && request.requestSubResource == ''")), 0);
});

test('severity defaults by action: Deny high, Warn medium, Audit low', async () => {
  const plain = VAP.replace('  annotations: { bosun.dev/severity: critical }\n', '');
  for (const [action, severity] of [['Deny', 'high'], ['Warn', 'medium'], ['Audit', 'low']] as const) {
    const report = await scanWith(plain.replace('[Warn]', `[${action}]`));
    assert.deepEqual(report.findings.map((f) => f.severity), [severity], action);
  }
});

test('a bosun Rule runs on the pod spec and points at it', async () => {
  const report = await scanWith(RULE);
  assert.deepEqual(
    report.findings.map((f) => [f.ruleId, f.severity, f.title, f.message, f.fieldPath, f.location?.line, f.frameworks]),
    [['rule/no-hostpath-except-web', 'high', 'Only /web/html may be mounted from the host', 'hostPath volumes other than /web/html are forbidden', 'spec.template.spec', 12, { 'nist-800-190': ['4.4.1'] }]],
  );
  assert.deepEqual((await scanWith(RULE, DEPLOY.replace('/var/log', '/web/html'))).findings, []);
});

test('a rule that errors at runtime is a finding, never a silent pass', async () => {
  const report = await scanWith(RULE.replace('podSpec.volumes.all', 'podSpec.missing.all'));
  assert.equal(report.findings.length, 1);
  assert.match(report.findings[0]!.message, /^rule could not be evaluated: Rule "no-hostpath-except-web": expression .* resulted in error: no such key: missing/);
});

test('policy file errors name the file, line and object', async () => {
  const cases: Array<[string, RegExp]> = [
    [RULE.replace("podSpec.volumes.all(v, !has(v.hostPath) || v.hostPath.path == '/web/html')", 'podSpec.volumes.all(v, '), /^policy\.yaml:1:1: Rule "no-hostpath-except-web": spec\.expression: compilation failed/],
    [RULE.replace('severity: high', 'severity: urgent'), /^policy\.yaml:1:1: Rule "no-hostpath-except-web": spec\.severity: /],
    [RULE.replace('  title: Only /web/html may be mounted from the host\n', ''), /spec\.title/],
    [RULE.replace('expression:', 'expresion:'), /Rule "no-hostpath-except-web": spec\.expression: Invalid input/],
    [VAP.replace('object.spec.replicas <= 3', 'object.spec.replicas <= '), /^policy\.yaml:1:1: ValidatingAdmissionPolicy "max-replicas" spec\.validations\[0\]\.expression: compilation failed/],
    [VAP.replace('policyName: max-replicas', 'policyName: nope'), /^policy\.yaml:\d+:1: ValidatingAdmissionPolicyBinding "max-replicas-warn" spec\.policyName: policy "nope" not found/],
    [VAP.replace('[Warn]', '[]'), /validationActions: at least one/],
    ['apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n', /no ValidatingAdmissionPolicy or bosun\.dev\/v1 Rule found/],
    ['a: [1,\n', /policy\.yaml:/],
    [VAP.replace('  name: max-replicas\n', ''), /^policy\.yaml:1:1: ValidatingAdmissionPolicy "": metadata\.name is required/],
    [VAP.replace(/^spec:\n  matchConstraints:[\s\S]*?(?=---)/m, 'spec: [1, 2]\n'), /ValidatingAdmissionPolicy "max-replicas": spec must be an object/],
    [VAP.replace('admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\n', 'admissionregistration.k8s.io/v1beta1\nkind: ValidatingAdmissionPolicy\n'), /apiVersion admissionregistration\.k8s\.io\/v1beta1 is not supported/],
    [VAP.replace('validations:\n  - expression: "object.spec.replicas <= 3"', 'validations: "nope"\n  x:\n  - expression: "1"'), /validations or auditAnnotations must contain at least one item/],
    [VAP.replace('object.spec.replicas <= 3', 'object.spec.replicas <= undefinedFn()'), /compilation failed: .*undefinedFn/],
  ];
  for (const [policy, pattern] of cases) {
    const report = await scanWith(policy);
    assert.ok(report.errors.length > 0, `no error for ${pattern}`);
    assert.match(report.errors[0]!.message, pattern);
  }
});

test('a broken policy with failurePolicy Fail denies; with Ignore it is skipped', async () => {
  const broken = VAP.replace('object.spec.replicas <= 3', 'object.spec.nope <= 3');
  assert.match((await scanWith(broken)).findings[0]!.message, /expression 'object.spec.nope <= 3' resulted in error: no such key: nope/);
  assert.deepEqual((await scanWith(broken.replace('spec:\n  matchConstraints', 'spec:\n  failurePolicy: Ignore\n  matchConstraints'))).findings, []);
});

const CLI = join(REPO_ROOT, 'src', 'cli', 'main.ts');
function bosun(args: string[], input = ''): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('bosun scan --policy (repeatable) and bosun policy validate on the examples', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bosun-policy-'));
  await writeFile(join(dir, 'app.yaml'), DEPLOY);
  await writeFile(join(dir, 'vap.yaml'), VAP);
  await writeFile(join(dir, 'rule.yaml'), RULE);
  const r = bosun(['scan', join(dir, 'app.yaml'), '--no-config', '--policy', join(dir, 'vap.yaml'), '--policy', join(dir, 'rule.yaml'), '-f', 'json']);
  assert.equal(r.status, 1, r.stderr);
  const ids = (JSON.parse(r.stdout) as { findings: Array<{ ruleId: string }> }).findings.map((f) => f.ruleId).filter((id) => /^(vap|rule)\//.test(id));
  assert.deepEqual(ids.sort(), ['rule/no-hostpath-except-web', 'vap/max-replicas']);
  const v = bosun(['policy', 'validate', examplesDir('policies')]);
  assert.equal(v.status, 0, v.stderr);
  assert.equal(v.stdout, '19 ValidatingAdmissionPolicies, 19 bindings, 3 rules: ok\n');
  await writeFile(join(dir, 'bad.yaml'), RULE.replace('severity: high', 'severity: urgent'));
  const bad = bosun(['policy', 'validate', join(dir, 'bad.yaml')]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /bad\.yaml:1:1: Rule "no-hostpath-except-web": spec\.severity/);
  const missing = bosun(['scan', join(dir, 'app.yaml'), '--no-config', '--policy', join(dir, 'nope.yaml')]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /nope\.yaml: no such file or directory/);
});

test('bosun policy eval prints JSON; errors exit 2 with one line', () => {
  assert.deepEqual(bosun(['policy', 'eval', '--expr', "quantity('1Gi').isGreaterThan(quantity('1000Mi'))"]), { status: 0, stdout: 'true\n', stderr: '' });
  const withInput = bosun(['policy', 'eval', '--expr', 'object.spec.containers.map(c, {"name": c.name, "image": c.image})', '--input', '-'], 'spec:\n  containers: [{name: a, image: nginx}]\n');
  assert.deepEqual(JSON.parse(withInput.stdout), [{ name: 'a', image: 'nginx' }]);
  assert.equal(bosun(['policy', 'eval', '--expr', 'x + 1', '--var', 'x=41']).stdout, '42\n');
  const compile = bosun(['policy', 'eval', '--expr', '1 +']);
  assert.equal(compile.status, 2);
  assert.match(compile.stderr, /^bosun: --expr: compile error: .+\n$/);
  const runtime = bosun(['policy', 'eval', '--expr', 'object.nope', '--input', '-'], '{}');
  assert.equal(runtime.status, 2);
  assert.equal(runtime.stderr, 'bosun: --expr: evaluation error: no such key: nope\n');
  assert.equal(bosun(['policy', 'eval']).status, 2);
  assert.equal(bosun(['policy', 'eval', '--expr', 'x', '--var', 'x=notjson']).status, 2);
  const badInput = bosun(['policy', 'eval', '--expr', 'object', '--input', '-'], 'a: [1,\n');
  assert.equal(badInput.status, 2);
  assert.match(badInput.stderr, /^bosun: <stdin>: /);
});

const AUTHZ_VAP = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: { name: only-deployers }
spec:
  matchConstraints:
    resourceRules:
    - { apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE"], resources: ["deployments"] }
  validations:
  - expression: "authorizer.group('apps').resource('deployments').namespace(object.metadata.namespace).check('delete').allowed()"
    message: "the requester may not delete deployments here"
  - expression: "!authorizer.serviceAccount('shop', 'ci').group('').resource('secrets').namespace('shop').check('get').allowed()"
    message: "the ci service account must not read secrets"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: { name: only-deployers }
spec: { policyName: only-deployers, validationActions: [Deny] }
`;

const RBAC = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: deployer, namespace: shop }
rules:
- { apiGroups: ["apps"], resources: ["deployments"], verbs: ["create", "delete"] }
- { apiGroups: [""], resources: ["secrets"], verbs: ["get"] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: deployer, namespace: shop }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: deployer }
subjects:
- { kind: User, name: bosun }
- { kind: ServiceAccount, name: ci, namespace: shop }
`;

test('authorizer: answered from RBAC objects in the inputs; not evaluable (never silently allowed) without them', async () => {
  const withRbac = await scanWith(AUTHZ_VAP, `${DEPLOY}---\n${RBAC}`);
  assert.deepEqual(withRbac.findings.map((f) => f.message), ["ValidatingAdmissionPolicy 'only-deployers' with binding 'only-deployers' denied request: the ci service account must not read secrets"]);
  const without = await scanWith(AUTHZ_VAP);
  assert.deepEqual(without.findings.map((f) => f.message), [
    "ValidatingAdmissionPolicy 'only-deployers' with binding 'only-deployers' denied request: expression 'authorizer.group('apps').resource('deployments').namespace(object.metadata.namespace).check('delete').allowed()' resulted in error: authorizer check not evaluable offline: no RBAC objects in the inputs to answer it",
    "ValidatingAdmissionPolicy 'only-deployers' with binding 'only-deployers' denied request: expression '!authorizer.serviceAccount('shop', 'ci').group('').resource('secrets').namespace('shop').check('get').allowed()' resulted in error: authorizer check not evaluable offline: no RBAC objects in the inputs to answer it",
  ]);
});

test('bosun.yaml policies: are loaded relative to the config file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bosun-policy-config-'));
  await writeFile(join(dir, 'app.yaml'), DEPLOY);
  await writeFile(join(dir, 'vap.yaml'), VAP);
  await writeFile(join(dir, 'bosun.yaml'), 'policies: [vap.yaml]\n');
  const report = await scanManifests([join(dir, 'app.yaml')], { checks: [] });
  assert.deepEqual(report.findings.map((f) => f.ruleId), ['vap/max-replicas']);
});
