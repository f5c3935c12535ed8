/** `bosun rbac`, `bosun netpol` and `bosun cluster` as a user runs them (async: the fake API server runs in this process). */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers.ts';
import { TOKEN, startFakeApi, testCerts, testObjects, writeKubeconfig, type FakeApi } from './fake-api.ts';

const MAIN = join(REPO_ROOT, 'src', 'cli', 'main.ts');
const RBAC = join(REPO_ROOT, 'test', 'rbac', 'fixtures', 'cluster.yaml');
const SHOP = join(REPO_ROOT, 'test', 'netpol', 'fixtures', 'shop.yaml');

function bosun(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

let api: FakeApi;
let kubeconfig: string;
before(async () => {
  api = await startFakeApi({ objects: await testObjects(), token: TOKEN, forbidden: ['configmaps'], maxPage: 4 });
  kubeconfig = writeKubeconfig(api.url, { token: TOKEN });
});
after(async () => api.close());

test('netpol reach: exit 0 allowed, 1 denied, with the deciding rules', async () => {
  const [yes, no, bad] = await Promise.all([
    bosun(['netpol', 'reach', '--from', 'shop/frontend', '--to', 'shop/api:9000/TCP', SHOP, '-f', 'table']),
    bosun(['netpol', 'reach', '--from', 'shop/frontend', '--to', 'shop/db:5432', SHOP, '-f', 'json']),
    bosun(['netpol', 'reach', '--from', 'shop/frontend', '--to', 'shop/db:99999', SHOP]),
  ]);
  assert.equal(yes.status, 0, yes.stderr);
  assert.equal(yes.stdout, 'allowed: shop/frontend -> shop/api 9000/TCP\n  egress  allow  egress of shop/frontend allowed by NetworkPolicy/shop/frontend-egress spec.egress[0]\n  ingress allow  ingress of shop/api allowed by NetworkPolicy/shop/frontend-to-api spec.ingress[0]\n');
  assert.match(yes.stderr, /warning: NetworkPolicy\/shop\/bad-selector/);
  assert.equal(no.status, 1);
  assert.equal(JSON.parse(no.stdout).allowed, false);
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr, 'bosun: "shop/db:99999": "99999" is not PORT[/TCP|UDP|SCTP]\n');
});

test('netpol matrix --format json|csv, netpol test --format junit, netpol probes', async () => {
  const m = await bosun(['netpol', 'matrix', SHOP, '--ports', '9000/TCP', '-f', 'json']);
  assert.equal(m.status, 0, m.stderr);
  assert.deepEqual(JSON.parse(m.stdout).matrix['shop/frontend']['shop/api'], { '9000/TCP': true });
  const csv = await bosun(['netpol', 'matrix', SHOP, '-n', 'monitoring', '-f', 'csv']);
  assert.equal(csv.stdout, 'from,to,5432/TCP,8080/TCP,9000/TCP,9100/TCP\nmonitoring/prometheus,monitoring/prometheus,true,true,true,true\n');
  const spec = join(testCerts().dir, 'spec.yaml');
  await writeFile(spec, 'allow:\n  - { from: shop/frontend, to: "shop/api:9000" }\ndeny:\n  - { from: shop/frontend, to: "shop/db:5432" }\n  - { from: shop/api, to: "shop/db:5432" }\n');
  const t = await bosun(['netpol', 'test', spec, SHOP, '-f', 'junit']);
  assert.equal(t.status, 1);
  assert.match(t.stdout, /<testsuite name="bosun netpol test" tests="3" failures="1">/);
  const p = await bosun(['netpol', 'probes', spec, SHOP]);
  assert.equal(p.status, 0);
  assert.equal(p.stdout.match(/^kind: Job$/gm)?.length, 3);
  const s = await bosun(['netpol', 'scan', SHOP, '-f', 'json', '--fail-on', 'critical']);
  assert.equal(s.status, 0);
  assert.equal(JSON.parse(s.stdout).findings.length, 10);
});

test('rbac who-can / can / paths / scan on files', async () => {
  const [w, yes, no, paths, scan, usage] = await Promise.all([
    bosun(['rbac', 'who-can', 'create', 'pods', '-n', 'app', RBAC, '-f', 'table']),
    bosun(['rbac', 'can', 'ServiceAccount:ci/deployer', 'create', 'deployments.apps', '-n', 'kube-system', RBAC, '-f', 'table']),
    bosun(['rbac', 'can', 'User:alice', 'get', 'secrets', RBAC, '-f', 'json']),
    bosun(['rbac', 'paths', RBAC, '--format', 'dot']),
    bosun(['rbac', 'scan', RBAC, '-f', 'sarif']),
    bosun(['rbac', 'who-can', 'get', RBAC]),
  ]);
  assert.equal(w.status, 0, w.stderr);
  assert.match(w.stdout, /^who can create pods in namespace app:\n {2}User alice\n {6}namespace app: RoleBinding\/app\/alice-edit → ClusterRole\/edit \(Kubernetes default\)/);
  assert.equal(yes.status, 0);
  assert.match(yes.stdout, /^yes: ServiceAccount ci\/deployer can create deployments.apps in namespace kube-system\n/);
  assert.equal(no.status, 1);
  assert.equal(JSON.parse(no.stdout).allowed, false);
  assert.equal(paths.status, 1);
  assert.match(paths.stdout, /^digraph escalation \{/);
  assert.equal(scan.status, 1);
  assert.ok(JSON.parse(scan.stdout).runs[0].tool.driver.rules.some((r: { id: string }) => r.id === 'RBAC-SUBJECT-ADMIN'));
  assert.equal(usage.status, 2);
});

test('--cluster: rbac and netpol read the live cluster through the kubeconfig', async () => {
  const w = await bosun(['rbac', 'who-can', 'create', 'deployments.apps', '-n', 'kube-system', '--cluster', '--kubeconfig', kubeconfig, '-f', 'json']);
  assert.equal(w.status, 2, 'the 403 on configmaps makes the answer partial');
  assert.deepEqual(JSON.parse(w.stdout).subjects.map((s: { subject: { name: string } }) => s.subject.name), ['system:masters', 'deployer', 'powerful']);
  assert.equal(w.stderr.trim().split('\n').filter((l) => !l.includes('warning')).join('\n'), 'bosun: ConfigMap: not readable with these credentials (403 Forbidden)\nbosun: AdminNetworkPolicy: policy.networking.k8s.io/v1alpha1 is not served by this cluster\nbosun: BaselineAdminNetworkPolicy: policy.networking.k8s.io/v1alpha1 is not served by this cluster');
  const r = await bosun(['netpol', 'reach', '--from', 'x/a', '--to', 'x/b:81/TCP', '--cluster', '--kubeconfig', kubeconfig, '-f', 'json']);
  assert.equal(JSON.parse(r.stdout).allowed, true);
  const both = await bosun(['rbac', 'who-can', 'get', 'pods', RBAC, '--cluster']);
  assert.equal(both.status, 2);
  assert.equal(both.stderr, 'bosun: rbac who-can: give input files or --cluster, not both\n');
});

test('cluster scan: live, from a dump, expired token, unreachable server', async () => {
  const [live, dump, expired, down] = await Promise.all([
    bosun(['cluster', 'scan', '--kubeconfig', kubeconfig, '-f', 'json']),
    bosun(['cluster', 'scan', '--from-dump', RBAC, '-f', 'json', '--fail-on', 'none']),
    bosun(['cluster', 'scan', '--kubeconfig', writeKubeconfig(api.url, { token: 'expired-token-value' })]),
    bosun(['cluster', 'scan', '--kubeconfig', writeKubeconfig('https://127.0.0.1:1', { token: TOKEN })]),
  ]);
  assert.equal(live.status, 2);
  const report = JSON.parse(live.stdout);
  assert.ok(report.findings.some((f: { ruleId: string }) => f.ruleId === 'RBAC-SUBJECT-ADMIN'));
  assert.deepEqual(report.errors.map((e: { code: string }) => e.code), ['E_CLUSTER_FORBIDDEN', 'E_CLUSTER_NOT_SERVED', 'E_CLUSTER_NOT_SERVED']);
  assert.equal(dump.status, 0, dump.stderr);
  assert.ok(JSON.parse(dump.stdout).findings.some((f: { ruleId: string }) => f.ruleId === 'RBAC-SUBJECT-ESCALATE' || f.ruleId === 'RBAC-SUBJECT-ADMIN'));
  assert.equal(expired.status, 2);
  assert.equal(expired.stderr, `bosun: the API server at ${api.url} rejected the credentials (401 Unauthorized): the token or client certificate is missing, invalid or expired\n`);
  assert.ok(!expired.stderr.includes('expired-token-value') && !expired.stdout.includes('expired-token-value'));
  assert.equal(down.status, 2);
  assert.equal(down.stderr, 'bosun: cannot reach the API server at https://127.0.0.1:1 (ECONNREFUSED)\n');
});
