/** Live-cluster collection through @kubernetes/client-node against the fake HTTPS API server. */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { collectCluster, clusterScan, loadCluster } from '../../src/cluster/index.ts';
import { BosunError } from '../../src/core/errors.ts';
import { TOKEN, startFakeApi, testCerts, testObjects, writeKubeconfig, type FakeApi } from './fake-api.ts';


let api: FakeApi;
let objects: Array<Record<string, unknown>>;

before(async () => {
  objects = await testObjects();
  api = await startFakeApi({ objects, token: TOKEN, forbidden: ['configmaps'], maxPage: 3 });
});
after(async () => api.close());

function count(kind: string): number {
  return objects.filter((o) => o['kind'] === kind).length;
}

test('token auth: every kind listed page by page; a 403 kind and an unserved group become notes', async () => {
  api.requests.length = 0;
  const snap = await collectCluster({ kubeconfig: writeKubeconfig(api.url, { token: TOKEN }), pageSize: 2 });
  const got = Object.fromEntries(snap.lists.map((l) => [l.kind.kind, l.items.length]));
  for (const kind of ['Namespace', 'Pod', 'ServiceAccount', 'Deployment', 'NetworkPolicy', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']) assert.equal(got[kind], count(kind), kind);
  assert.equal(got['Pod'], 10);
  assert.deepEqual(snap.notes.map((n) => `${n.code} ${n.kind}`), ['E_CLUSTER_FORBIDDEN ConfigMap', 'E_CLUSTER_NOT_SERVED AdminNetworkPolicy', 'E_CLUSTER_NOT_SERVED BaselineAdminNetworkPolicy']);
  assert.equal(snap.notes[0]!.message, 'ConfigMap: not readable with these credentials (403 Forbidden)');
  // Pagination: 10 pods in pages of 2 is five list calls, the later ones with continue tokens.
  const podCalls = api.requests.filter((r) => r.startsWith('GET /api/v1/pods?'));
  assert.equal(podCalls.length, 5);
  assert.match(podCalls[1]!, /^GET \/api\/v1\/pods\?limit=2&continue=/);
  // Read-only: only GETs, and never Secrets.
  assert.ok(api.requests.every((r) => r.startsWith('GET ')));
  assert.ok(!api.requests.some((r) => r.includes('/secrets')));
  // List items get their apiVersion and kind back.
  const pod = snap.lists.find((l) => l.kind.kind === 'Pod')!.items[0]!;
  assert.equal(pod['apiVersion'], 'v1');
  assert.equal(pod['kind'], 'Pod');
});

test('server-side page limits: continue tokens are followed until the list ends', async () => {
  const snap = await collectCluster({ kubeconfig: writeKubeconfig(api.url, { token: TOKEN }), pageSize: 500 });
  assert.equal(snap.lists.find((l) => l.kind.kind === 'ClusterRole')!.items.length, count('ClusterRole'));
});

test('client-certificate auth, and -n restricts namespaced kinds', async () => {
  const c = testCerts();
  const snap = await collectCluster({ kubeconfig: writeKubeconfig(api.url, { cert: c.clientCert, key: c.clientKey }), namespaces: ['app'] });
  assert.deepEqual(snap.lists.find((l) => l.kind.kind === 'Pod')!.items.map((p) => (p['metadata'] as { name: string }).name), ['web-0']);
  assert.equal(snap.lists.find((l) => l.kind.kind === 'ClusterRole')!.items.length, count('ClusterRole'));
});

test('exec credential plugin: the token it prints is used', async () => {
  const snap = await collectCluster({ kubeconfig: writeKubeconfig(api.url, { execToken: TOKEN }), kinds: [{ group: '', version: 'v1', kind: 'Namespace' }] });
  assert.equal(snap.lists[0]!.items.length, count('Namespace'));
  await assert.rejects(collectCluster({ kubeconfig: writeKubeconfig(api.url, { execToken: 'wrong' }) }), { code: 'E_CLUSTER_AUTH' });
});

test('rejected credentials: invalid token, untrusted client certificate → E_CLUSTER_AUTH', async () => {
  const c = testCerts();
  for (const user of [{ token: 'expired-token' }, { cert: c.strangerCert, key: c.strangerKey }]) {
    await assert.rejects(collectCluster({ kubeconfig: writeKubeconfig(api.url, user) }), (err: unknown) => {
      assert.ok(err instanceof BosunError);
      assert.equal(err.code, 'E_CLUSTER_AUTH');
      assert.match(err.message, /rejected the credentials \(401 Unauthorized\)/);
      assert.ok(!err.message.includes('expired-token'), 'never print the token');
      return true;
    });
  }
});

test('unreachable server and an untrusted server certificate fail with one clear error', async () => {
  const free = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
  await assert.rejects(collectCluster({ kubeconfig: writeKubeconfig(`https://127.0.0.1:${free}`, { token: TOKEN }) }), { code: 'E_CLUSTER_UNREACHABLE', message: new RegExp(`cannot reach the API server at https://127.0.0.1:${free} \\(ECONNREFUSED\\)`) });
  await assert.rejects(collectCluster({ kubeconfig: writeKubeconfig(api.url, { token: TOKEN }, { trustCa: false }) }), { code: 'E_CLUSTER_TLS' });
  await assert.rejects(collectCluster({ kubeconfig: writeKubeconfig(api.url, { token: TOKEN }), context: 'nope' }), { code: 'E_CLUSTER_CONFIG', message: '--context nope: no such context in the kubeconfig (test, other)' });
  await assert.rejects(collectCluster({ kubeconfig: '/nonexistent/kubeconfig' }), { code: 'E_CLUSTER_CONFIG' });
});

test('a kind answered with garbage is a note; the rest is still read', async () => {
  const bad = await startFakeApi({ objects, token: TOKEN, garbage: ['networkpolicies', 'roles'] });
  try {
    const snap = await collectCluster({ kubeconfig: writeKubeconfig(bad.url, { token: TOKEN }) });
    assert.deepEqual(snap.notes.filter((n) => n.code === 'E_CLUSTER_BAD_RESPONSE').map((n) => n.message), [
      'NetworkPolicy: the server\'s answer is not a Kubernetes list (starts with "<html><body>502 Bad Gateway</body></html")',
      'Role: the server\'s answer is not a Kubernetes list (starts with "<html><body>502 Bad Gateway</body></html")',
    ]);
    assert.equal(snap.lists.find((l) => l.kind.kind === 'Pod')!.items.length, 10);
  } finally {
    await bad.close();
  }
});

test('cluster scan: checks, RBAC and NetworkPolicy findings in one report; unreadable kinds are input errors', async () => {
  const report = await clusterScan({ kubeconfig: writeKubeconfig(api.url, { token: TOKEN }), failOn: 'high' });
  const ids = new Set(report.findings.map((f) => f.ruleId));
  for (const id of ['RBAC-SUBJECT-ADMIN', 'RBAC-SUBJECT-CREATE-PODS', 'RBAC-BINDING-MISSING-ROLE', 'RBAC-AGGREGATION-CYCLE', 'NETPOL-NAMESPACE-NO-DEFAULT-DENY', 'NETPOL-POD-NOT-ISOLATED-INGRESS', 'K8S-RBAC-WILDCARD']) assert.ok(ids.has(id), id);
  // One finding per unisolated pod: the NetworkPolicy analysis's, not also the manifest check's.
  assert.ok(!ids.has('K8S-POD-NO-NETWORKPOLICY'));
  const unisolated = report.findings.filter((f) => f.ruleId === 'NETPOL-POD-NOT-ISOLATED-INGRESS');
  assert.equal(new Set(unisolated.map((f) => JSON.stringify(f.target))).size, unisolated.length);
  assert.ok(unisolated[0]!.aliases!.includes('K8S-POD-NO-NETWORKPOLICY'));
  assert.deepEqual(report.errors.map((e) => `${e.code} ${e.file}`), ['E_CLUSTER_FORBIDDEN cluster/ConfigMap', 'E_CLUSTER_NOT_SERVED cluster/AdminNetworkPolicy', 'E_CLUSTER_NOT_SERVED cluster/BaselineAdminNetworkPolicy']);
  const admin = report.findings.find((f) => f.ruleId === 'RBAC-SUBJECT-ADMIN')!;
  assert.equal(admin.location?.file, 'cluster/ClusterRoleBinding.json');
  assert.equal(report.summary.gateFailed, true);
});

test('from a dump: kubectl get -o json output gives the same RBAC and NetworkPolicy findings as the live cluster', async () => {
  const live = await loadCluster({ kubeconfig: writeKubeconfig(api.url, { token: TOKEN }) });
  const { writeFile } = await import('node:fs/promises');
  const dump = join(testCerts().dir, 'dump.json');
  await writeFile(dump, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: live.snapshot!.lists.flatMap((l) => l.items) }));
  const fromDump = await clusterScan({ fromDump: [dump] });
  const fromLive = await clusterScan({ kubeconfig: writeKubeconfig(api.url, { token: TOKEN }) });
  const key = (r: typeof fromDump): string[] => r.findings.filter((f) => /^(RBAC|NETPOL)-/.test(f.ruleId)).map((f) => `${f.ruleId} ${f.fingerprint}`).sort();
  assert.deepEqual(key(fromDump), key(fromLive));
  assert.deepEqual(fromDump.errors, []);
});

test('bosun.yaml applies to RBAC and NetworkPolicy findings: waivers, checks.disable, checks.severity', async () => {
  const { loadManifests } = await import('../../src/manifests/load.ts');
  const { analyzeLoaded } = await import('../../src/cluster/index.ts');
  const loaded = await loadManifests([join(import.meta.dirname, '..', 'rbac', 'fixtures', 'cluster.yaml')]);
  const report = analyzeLoaded(loaded, {
    now: new Date('2026-06-01T00:00:00Z'),
    config: {
      waivers: [
        { rule: 'RBAC-SUBJECT-ADMIN', kind: 'ServiceAccount', namespace: 'kube-system', name: 'powerful', reason: 'break-glass account (SEC-7)' },
        { rule: 'RBAC-SUBJECT-EXEC', name: 'execer', reason: 'old', expires: '2026-01-01' },
      ],
      checks: { disable: ['NETPOL-*'], severity: { 'RBAC-SUBJECT-EXEC': 'low' } },
    },
  });
  const admin = report.findings.find((f) => f.ruleId === 'RBAC-SUBJECT-ADMIN')!;
  assert.deepEqual(admin.suppressed, { by: 'config', reason: 'break-glass account (SEC-7)' });
  assert.ok(!report.findings.some((f) => f.ruleId.startsWith('NETPOL-')));
  assert.deepEqual(report.findings.filter((f) => f.ruleId === 'RBAC-SUBJECT-EXEC').map((f) => `${f.severity} ${f.suppressed === undefined}`), ['low true', 'low true']);
});

test('in a pod: the service account token and CA under KUBERNETES_SERVICE_HOST/PORT; nothing configured is one clear error', async () => {
  const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const saved = { KUBECONFIG: process.env['KUBECONFIG'], HOME: process.env['HOME'], KUBERNETES_SERVICE_HOST: process.env['KUBERNETES_SERVICE_HOST'], KUBERNETES_SERVICE_PORT: process.env['KUBERNETES_SERVICE_PORT'] };
  const root = mkdtempSync(join(tmpdir(), 'bosun-incluster-'));
  try {
    delete process.env['KUBECONFIG'];
    process.env['HOME'] = root; // no ~/.kube/config
    delete process.env['KUBERNETES_SERVICE_HOST'];
    await assert.rejects(collectCluster({ serviceAccountRoot: root }), { code: 'E_CLUSTER_CONFIG', message: 'no cluster configured: pass --kubeconfig or --context, set KUBECONFIG, or run in a pod with a service account' });
    const sa = join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
    mkdirSync(sa, { recursive: true });
    writeFileSync(join(sa, 'token'), TOKEN);
    writeFileSync(join(sa, 'ca.crt'), testCerts().ca);
    writeFileSync(join(sa, 'namespace'), 'bosun-system');
    const url = new URL(api.url);
    process.env['KUBERNETES_SERVICE_HOST'] = url.hostname;
    process.env['KUBERNETES_SERVICE_PORT'] = url.port;
    api.requests.length = 0;
    const snap = await collectCluster({ serviceAccountRoot: root });
    assert.equal(snap.lists.find((l) => l.kind.kind === 'Pod')!.items.length, 10);
    assert.ok(api.requests.length > 0);
    // A wrong token in the mounted file is rejected by the server: one clear error.
    writeFileSync(join(sa, 'token'), 'not-the-token');
    await assert.rejects(collectCluster({ serviceAccountRoot: root }), { code: 'E_CLUSTER_AUTH' });
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});
