/**
 * bosun's own install manifests: `bosun admission manifests` output passes `bosun scan --pss
 * restricted` with no finding of high severity or above, has the webhook settings the issue
 * requires; the Helm chart references only values it defines, and rendered (no helm binary here:
 * test/admission/helm-render, Helm's template engine built from Debian's Go packages) it gives the
 * same objects as the manifests and scans the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import jsyaml from 'js-yaml';
import { scanManifests } from '../../src/scan.ts';
import { admissionManifests, renderManifests } from '../../src/admission/manifests.ts';
import { generateWebhookCerts, serviceNames } from '../../src/admission/certs.ts';
import { helmRenderSkip, helmTemplate } from './helm-render.ts';

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

const SKIP_HELM = helmRenderSkip() ?? false;
const PINNED = `0.1.0@sha256:${'a'.repeat(64)}`;

/** `kind/namespace/name` → object. */
function byKey(objects: Array<Record<string, any>>): Map<string, Record<string, any>> {
  return new Map(objects.map((o) => [`${o['kind']}/${o['metadata']?.namespace ?? ''}/${o['metadata']?.name}`, o]));
}

/** Renders the chart; the pod template's config checksum is Helm's own and is checked, then dropped. */
function renderChart(namespace: string, args: string[]): { text: string; objects: Map<string, Record<string, any>> } {
  const r = helmTemplate(CHART, ['--name', 'bosun', '--namespace', namespace, ...args]);
  assert.equal(r.status, 0, r.stderr);
  const objects = byKey(docs(r.stdout));
  const dep = objects.get(`Deployment/${namespace}/bosun-admission`)!;
  const config = objects.get(`ConfigMap/${namespace}/bosun-admission-config`)!['data']['bosun.yaml'];
  const annotations = dep['spec'].template.metadata.annotations;
  assert.equal(annotations['checksum/config'], createHash('sha256').update(config).digest('hex'), 'pods restart when the config changes');
  delete annotations['checksum/config'];
  if (Object.keys(annotations).length === 0) delete dep['spec'].template.metadata.annotations;
  return { text: r.stdout, objects };
}

/** Every object equal, but generated certificates (the chart's own are checked by assertChartCerts). */
function assertSameObjects(chart: Map<string, Record<string, any>>, manifests: Array<Record<string, any>>): void {
  const expected = byKey(manifests);
  assert.deepEqual([...chart.keys()].sort(), [...expected.keys()].sort());
  const strip = (o: Record<string, any>): Record<string, any> => {
    const c = structuredClone(o);
    if (c['kind'] === 'Secret') delete c['data'];
    if (c['kind'] === 'ValidatingWebhookConfiguration') for (const h of c['webhooks']) delete h.clientConfig.caBundle;
    return c;
  };
  for (const [key, o] of chart) assert.deepEqual(strip(o), strip(expected.get(key)!), key);
}

/** The chart's Secret: an ECDSA serving certificate for the same names as `bosun admission certs`, issued by the caBundle's CA, with its key. */
function assertChartCerts(chart: Map<string, Record<string, any>>, namespace: string): void {
  const data = chart.get(`Secret/${namespace}/bosun-admission-tls`)!['data'];
  const pemOf = (k: string): string => Buffer.from(data[k], 'base64').toString('utf8');
  const ca = new X509Certificate(pemOf('ca.crt'));
  const leaf = new X509Certificate(pemOf('tls.crt'));
  assert.equal(chart.get('ValidatingWebhookConfiguration//bosun-admission')!['webhooks'][0].clientConfig.caBundle, data['ca.crt']);
  assert.ok(ca.ca);
  assert.ok(leaf.verify(ca.publicKey));
  assert.equal(leaf.publicKey.asymmetricKeyType, 'ec');
  assert.equal(leaf.subjectAltName, serviceNames('bosun-admission', namespace).map((n) => `DNS:${n}`).join(', '));
  const pub = (k: KeyObject): string => k.export({ type: 'spki', format: 'pem' }) as string;
  assert.equal(pub(createPublicKey(createPrivateKey(pemOf('tls.key')))), pub(leaf.publicKey), 'tls.key is the certificate\'s key');
}

test('Helm chart (rendered by test/admission/helm-render) with default values: the objects of bosun admission manifests, scanning the same', { skip: SKIP_HELM }, async () => {
  const { text, objects } = renderChart('bosun-system', []);
  // What the CLI prints for `bosun admission manifests --namespace bosun-system`, less the
  // Namespace: `helm install --namespace` expects it to exist (namespace.create renders it).
  const manifests = docs(renderManifests(admissionManifests({ namespace: 'bosun-system', replicas: 3, failurePolicy: 'Fail', certManager: false, certs: generateWebhookCerts({ service: 'bosun-admission', namespace: 'bosun-system' }) })));
  assertSameObjects(objects, manifests.filter((o) => o['kind'] !== 'Namespace'));
  assertChartCerts(objects, 'bosun-system');
  // The settings the issue names, spelled out (assertSameObjects already compared them).
  const dep = objects.get('Deployment/bosun-system/bosun-admission')!;
  assert.equal(dep['spec'].replicas, 3);
  assert.ok(dep['spec'].template.spec.affinity.podAntiAffinity);
  assert.equal(dep['spec'].template.spec.containers[0].securityContext.readOnlyRootFilesystem, true);
  const hook = objects.get('ValidatingWebhookConfiguration//bosun-admission')!['webhooks'][0];
  assert.deepEqual([hook.failurePolicy, hook.timeoutSeconds, hook.sideEffects], ['Fail', 5, 'None']);
  assert.deepEqual(hook.namespaceSelector.matchExpressions[0].values, ['kube-system', 'bosun-system']);
  assert.equal(objects.get('PodDisruptionBudget/bosun-system/bosun-admission')!['spec'].maxUnavailable, 1);
  const scan = await scanRestricted(text);
  assert.deepEqual(scan.high, []);
  assert.deepEqual(scan.all, ['K8S-IMAGE-NOT-PINNED-BY-DIGEST'], 'as the manifests: only the version tag');
});

test('Helm chart overrides (--set, a values file) change what the same manifests options change', { skip: SKIP_HELM }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bosun-helm-'));
  const config = 'admission:\n  pss: restricted:latest\n';
  writeFileSync(join(dir, 'values.yaml'), jsyaml.dump({ config, image: { tag: PINNED } }));
  const set = 'replicas=5,webhook.failurePolicy=Ignore,webhook.timeoutSeconds=3,tls.certManager.enabled=true,namespace.create=true';
  const { text, objects } = renderChart('team-admission', ['-f', join(dir, 'values.yaml'), '--set', set]);
  const manifests = admissionManifests({ namespace: 'team-admission', replicas: 5, failurePolicy: 'Ignore', timeoutSeconds: 3, certManager: true, config, image: `ghcr.io/bosun-dev/bosun:${PINNED}` });
  assertSameObjects(objects, docs(renderManifests(manifests)));
  assert.equal(objects.get('Deployment/team-admission/bosun-admission')!['spec'].replicas, 5);
  assert.equal(objects.get('Namespace//team-admission')!['metadata'].labels['pod-security.kubernetes.io/enforce'], 'restricted');
  assert.ok(objects.has('Certificate/team-admission/bosun-admission') && !objects.has('Secret/team-admission/bosun-admission-tls'));
  const vwc = objects.get('ValidatingWebhookConfiguration//bosun-admission')!;
  assert.equal(vwc['metadata'].annotations['cert-manager.io/inject-ca-from'], 'team-admission/bosun-admission');
  assert.deepEqual(vwc['webhooks'][0].namespaceSelector.matchExpressions[0].values, ['kube-system', 'team-admission']);
  assert.deepEqual((await scanRestricted(text)).all, [], 'pinned by digest: no finding at all');
});

test('Helm chart with configFiles and webhook.extraRules from bosun admission manifests --config: the same ConfigMap and webhook rules', { skip: SKIP_HELM }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'bosun-helm-'));
  mkdirSync(join(dir, 'policies'));
  writeFileSync(join(dir, 'policies/services.yaml'), `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: no-nodeport}
spec:
  matchConstraints: {resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [services]}]}
  validations: [{expression: "object.spec.type != 'NodePort'"}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: no-nodeport}
spec: {policyName: no-nodeport, validationActions: [Deny]}`); // no final newline: kept as it is
  writeFileSync(join(dir, 'cosign.pub'), '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n\n');
  writeFileSync(join(dir, 'bosun.yaml'), 'policies: [policies]\nadmission:\n  images: {signatures: [{images: ["*"], signers: [{key: cosign.pub}]}]}\n');
  const cli = bosun(['admission', 'manifests', '--namespace', 'bosun-system', '--cert-manager', '--config', join(dir, 'bosun.yaml')]);
  assert.equal(cli.status, 0, cli.stderr);
  const manifests = docs(cli.stdout);
  const { 'bosun.yaml': config, ...configFiles } = manifests.find((o) => o['kind'] === 'ConfigMap')!['data'];
  const extraRules = manifests.find((o) => o['kind'] === 'ValidatingWebhookConfiguration')!['webhooks'][0].rules.slice(3);
  assert.equal(extraRules.length, 1);
  writeFileSync(join(dir, 'values.yaml'), jsyaml.dump({ config, configFiles, webhook: { extraRules }, tls: { certManager: { enabled: true } } }));
  const r = helmTemplate(CHART, ['--name', 'bosun', '--namespace', 'bosun-system', '-f', join(dir, 'values.yaml')]);
  assert.equal(r.status, 0, r.stderr);
  const chart = byKey(docs(r.stdout));
  assert.deepEqual(chart.get('ConfigMap/bosun-system/bosun-admission-config')!['data'], { 'bosun.yaml': config, ...configFiles });
  assert.deepEqual(chart.get('ValidatingWebhookConfiguration//bosun-admission')!['webhooks'][0].rules, manifests.find((o) => o['kind'] === 'ValidatingWebhookConfiguration')!['webhooks'][0].rules);
  const annotations = chart.get('Deployment/bosun-system/bosun-admission')!['spec'].template.metadata.annotations;
  assert.equal(annotations['checksum/config-files'], createHash('sha256').update(JSON.stringify(Object.fromEntries(Object.entries(configFiles).sort()))).digest('hex'), 'pods restart when a bundled file changes');
});

test('helm-render: a kubeVersion the chart excludes, a bad --set and a template error fail as helm template does', { skip: SKIP_HELM }, () => {
  const old = helmTemplate(CHART, ['--kube-version', 'v1.29.0']);
  assert.notEqual(old.status, 0);
  assert.match(old.stderr, /chart requires kubeVersion: >=1\.30\.0-0 which is incompatible with Kubernetes v1\.29\.0/);
  const indexed = helmTemplate(CHART, ['--set', 'webhook.exemptNamespaces[0]=x']);
  assert.notEqual(indexed.status, 0);
  assert.match(indexed.stderr, /list indexes are not supported/);
  // A nil list for append is a template error, reported with the template's name.
  const broken = helmTemplate(CHART, ['--set', 'webhook.exemptNamespaces=null']);
  assert.notEqual(broken.status, 0);
  assert.match(broken.stderr, /bosun-admission\/templates\/webhook\.yaml/);
});

test('rendered manifests read back as the same objects under Kubernetes\' YAML scalars (strings like `on`, `1_000`, `0755` stay strings)', async () => {
  const { parseDocuments } = await import('../../src/manifests/yaml.ts');
  const tricky = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { enabled: 'on', legacy: 'y' } }, data: { count: '1_000', mode: '0755', n: '08', hex: '0x1F', exp: '1e3', half: '.5', no: 'no' } };
  const objects = [...admissionManifests({ namespace: 'bosun-system', certs: generateWebhookCerts({ service: 'bosun-admission', namespace: 'bosun-system' }) }), tricky];
  const text = renderManifests(objects);
  assert.deepEqual(parseDocuments(text).map((d) => d.value), JSON.parse(JSON.stringify(objects)));
});
