/**
 * bosun's own install manifests: `bosun admission manifests` output passes `bosun scan --pss
 * restricted` with no finding of high severity or above, has the webhook settings the issue
 * requires, and the Helm chart references only values it defines (rendered and scanned too when
 * `helm` is installed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import jsyaml from 'js-yaml';
import { scanManifests } from '../../src/scan.ts';
import { admissionManifests, renderManifests } from '../../src/admission/manifests.ts';
import { generateWebhookCerts } from '../../src/admission/certs.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const CHART = join(ROOT, 'deploy/helm/bosun-admission');

function bosun(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'src/cli/main.ts'), ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function docs(text: string): Array<Record<string, any>> {
  return jsyaml.loadAll(text).filter((d): d is Record<string, any> => d !== null && typeof d === 'object');
}

/** Active findings only: the token automount is accepted in the manifests themselves (bosun.dev/ignore with a reason). */
async function scanRestricted(text: string): Promise<{ high: string[]; all: string[] }> {
  const report = await scanManifests([{ name: 'install.yaml', content: text }], { pss: 'restricted', config: false });
  const active = report.findings.filter((f) => f.suppressed === undefined);
  return { high: active.filter((f) => f.severity === 'high' || f.severity === 'critical').map((f) => `${f.ruleId}: ${f.message}`), all: active.map((f) => f.ruleId) };
}

for (const certManager of [false, true]) {
  test(`admission manifests ${certManager ? '--cert-manager' : '(generated certificates)'} pass scan --pss restricted with no high finding`, async () => {
    const render = (image?: string): string =>
      renderManifests(admissionManifests({ namespace: 'bosun-system', certManager, ...(!certManager && { certs: generateWebhookCerts({ service: 'bosun-admission', namespace: 'bosun-system' }) }), ...(image !== undefined && { image }) }));
    const { high, all } = await scanRestricted(render());
    assert.deepEqual(high, []);
    assert.deepEqual(all, ['K8S-IMAGE-NOT-PINNED-BY-DIGEST'], 'only the version tag (pin by digest with --image)');
    assert.deepEqual((await scanRestricted(render(`ghcr.io/bosun-dev/bosun@sha256:${'a'.repeat(64)}`))).all, []);
  });
}

test('bosun admission manifests (the CLI) prints the same objects and they scan clean of high findings', async () => {
  const r = bosun(['admission', 'manifests', '--namespace', 'bosun-system']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual((await scanRestricted(r.stdout)).high, []);
  assert.equal(docs(r.stdout).length, 11);
});

test('admission manifests: the objects and webhook settings the issue names', () => {
  const objects = docs(renderManifests(admissionManifests({ namespace: 'bosun-system', certs: generateWebhookCerts({ service: 'bosun-admission', namespace: 'bosun-system' }) })));
  assert.deepEqual(objects.map((o) => o['kind']), ['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'Secret', 'Deployment', 'PodDisruptionBudget', 'Service', 'NetworkPolicy', 'ValidatingWebhookConfiguration']);
  assert.deepEqual(objects[2]!['rules'], [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list'] }], 'the only API access: listing Namespaces');
  const dep = objects.find((o) => o['kind'] === 'Deployment')!;
  assert.equal(dep['spec'].replicas, 3);
  assert.ok(dep['spec'].template.spec.affinity.podAntiAffinity);
  const c = dep['spec'].template.spec.containers[0];
  assert.ok(c.args.includes('--namespace-labels'));
  assert.equal(c.securityContext.readOnlyRootFilesystem, true);
  assert.deepEqual(c.resources.requests, { cpu: '100m', memory: '128Mi' });
  assert.equal(objects[0]!['metadata'].labels['pod-security.kubernetes.io/enforce'], 'restricted');
  const vwc = objects.find((o) => o['kind'] === 'ValidatingWebhookConfiguration')!;
  const hook = vwc['webhooks'][0];
  assert.equal(hook.failurePolicy, 'Fail');
  assert.equal(hook.timeoutSeconds, 5);
  assert.equal(hook.sideEffects, 'None');
  assert.deepEqual(hook.admissionReviewVersions, ['v1']);
  assert.deepEqual(hook.namespaceSelector.matchExpressions[0].values, ['kube-system', 'bosun-system']);
  assert.equal(hook.matchConditions.length, 1);
  assert.ok(hook.rules[0].resources.includes('pods/ephemeralcontainers'));
  // The caBundle is the CA that issued the serving certificate in the Secret, for the Service name.
  const secret = objects.find((o) => o['kind'] === 'Secret')!;
  const ca = new X509Certificate(Buffer.from(hook.clientConfig.caBundle, 'base64'));
  const leaf = new X509Certificate(Buffer.from(secret['data']['tls.crt'], 'base64'));
  assert.ok(leaf.verify(ca.publicKey));
  assert.match(leaf.subjectAltName ?? '', /DNS:bosun-admission\.bosun-system\.svc/);
  const cm = docs(renderManifests(admissionManifests({ namespace: 'bosun-system', certManager: true })));
  assert.equal(cm.find((o) => o['kind'] === 'ValidatingWebhookConfiguration')!['metadata'].annotations['cert-manager.io/inject-ca-from'], 'bosun-system/bosun-admission');
  assert.ok(cm.some((o) => o['kind'] === 'Certificate'));
  assert.ok(!cm.some((o) => o['kind'] === 'Secret'));
});

test('admission certs writes a CA and a serving certificate for the Service names', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bosun-certs-'));
  const r = bosun(['admission', 'certs', '--namespace', 'team', '--out-dir', dir, '--name', 'localhost']);
  assert.equal(r.status, 0, r.stderr);
  const ca = new X509Certificate(readFileSync(join(dir, 'ca.crt')));
  const leaf = new X509Certificate(readFileSync(join(dir, 'tls.crt')));
  assert.ok(leaf.verify(ca.publicKey));
  assert.equal(leaf.subjectAltName, 'DNS:bosun-admission, DNS:bosun-admission.team, DNS:bosun-admission.team.svc, DNS:bosun-admission.team.svc.cluster.local, DNS:localhost');
  assert.match(r.stdout, /^caBundle: [A-Za-z0-9+/=]+$/m);
});

test('Helm chart: every .Values path used by a template is defined in values.yaml', () => {
  const values = jsyaml.load(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as Record<string, unknown>;
  const used = new Set<string>();
  for (const f of readdirSync(join(CHART, 'templates'))) for (const m of readFileSync(join(CHART, 'templates', f), 'utf8').matchAll(/\.Values\.([A-Za-z0-9_.]+)/g)) used.add(m[1]!);
  assert.ok(used.size >= 8);
  for (const path of used) {
    let node: unknown = values;
    for (const part of path.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
    assert.notEqual(node, undefined, `.Values.${path}`);
  }
  const chart = jsyaml.load(readFileSync(join(CHART, 'Chart.yaml'), 'utf8')) as Record<string, string>;
  assert.equal(chart['name'], 'bosun-admission');
});

const helm = spawnSync('helm', ['version'], { encoding: 'utf8' });
test('Helm chart renders the same kinds and passes scan --pss restricted (needs helm)', { skip: helm.status !== 0 ? 'helm is not installed' : false }, async () => {
  for (const set of [[], ['--set', 'tls.certManager.enabled=true']]) {
    const r = spawnSync('helm', ['template', 'bosun', CHART, '--namespace', 'bosun-system', ...set], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const dir = mkdtempSync(join(tmpdir(), 'bosun-helm-'));
    writeFileSync(join(dir, 'out.yaml'), r.stdout);
    const { high } = await scanRestricted(r.stdout);
    assert.deepEqual(high, []);
  }
});
