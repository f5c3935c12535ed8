/**
 * `bosun admission manifests --config`: the files bosun.yaml names (policies, signer keys, the
 * trusted root) travel in the ConfigMap, and bosun.yaml as mounted in the pod loads to the same
 * settings as on the machine that made the manifests; the webhook is registered for what the
 * policies match.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsyaml from 'js-yaml';
import { bundleConfig } from '../../src/admission/config-bundle.ts';
import { loadAdmissionSettings, pipelineFromSettings, type AdmissionSettings } from '../../src/admission/settings.ts';
import { decodeReview } from '../../src/admission/review.ts';
import type { PolicySet } from '../../src/policy/policy-set.ts';
import { review } from './helpers.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

function bosun(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'src/cli/main.ts'), ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const VAP_SERVICES = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: no-nodeport}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE, DELETE], resources: [services]}]
  validations: [{expression: "object.spec.type != 'NodePort'", message: NodePort Services are not allowed}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: no-nodeport}
spec: {policyName: no-nodeport, validationActions: [Deny]}
`;
const RULE_NAMESPACES = `apiVersion: bosun.dev/v1
kind: Rule
metadata: {name: namespace-owner}
spec:
  title: Namespaces name their owner
  severity: high
  match: {kinds: [Namespace]}
  expression: "has(object.metadata.labels) && 'owner' in object.metadata.labels"
  message: a Namespace needs an owner label
`;
const VAP_CONFIGMAPS = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: small-configmaps}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: ["*"], resources: [configmaps]}]
  validations: [{expression: "!has(object.data) || size(object.data) < 3", message: too many keys}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: small-configmaps}
spec: {policyName: small-configmaps, validationActions: [Deny]}
`;

function pem(): string {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
}

/** A checkout: bosun.yaml naming a policy directory, a policy file outside it, a key file, an inline key and a trusted root. */
function project(): { dir: string; config: string; keyFile: string; inlineKey: string } {
  const top = mkdtempSync(join(tmpdir(), 'bosun-bundle-'));
  const dir = join(top, 'repo');
  mkdirSync(join(dir, 'policies/rules'), { recursive: true });
  mkdirSync(join(dir, 'keys'));
  mkdirSync(join(top, 'shared'));
  writeFileSync(join(dir, 'policies/services.yaml'), VAP_SERVICES);
  writeFileSync(join(dir, 'policies/rules/namespace.yml'), RULE_NAMESPACES);
  writeFileSync(join(dir, 'policies/README.md'), '# not a policy\n');
  writeFileSync(join(dir, 'policies/bosun.yaml'), 'failOn: none\n'); // skipped by the loader in a directory
  writeFileSync(join(top, 'shared/configmaps.json'), JSON.stringify(jsyaml.loadAll(VAP_CONFIGMAPS)[0]) + '\n');
  writeFileSync(join(top, 'shared/configmaps-binding.yaml'), VAP_CONFIGMAPS.split('---\n')[1]!);
  const keyFile = pem();
  const inlineKey = pem();
  writeFileSync(join(dir, 'keys/cosign.pub'), keyFile);
  writeFileSync(join(dir, 'trusted_root.json'), '{"mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1"}\n');
  const config = join(dir, 'bosun.yaml');
  writeFileSync(
    config,
    `# team config
failOn: high
waivers: [{rule: K8S-LATEST-TAG, reason: dev images, expires: 2099-01-01}]
policies: [policies, ../shared/configmaps.json, ${join(top, 'shared/configmaps-binding.yaml')}]
admission:
  pss: restricted:latest
  images:
    signatures:
      - images: ["registry.example.com/*"]
        signers:
          - key: keys/cosign.pub
          - key: |
${inlineKey.trimEnd().split('\n').map((l) => `              ${l}`).join('\n')}
          - {identity: https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main, issuer: https://token.actions.githubusercontent.com}
    trustedRoot: trusted_root.json
`,
  );
  return { dir, config, keyFile, inlineKey };
}

type Obj = Record<string, any>;

function manifestsFor(config: string): { objects: Obj[]; stderr: string } {
  const r = bosun(['admission', 'manifests', '--config', config]);
  assert.equal(r.status, 0, r.stderr);
  return { objects: jsyaml.loadAll(r.stdout) as Obj[], stderr: r.stderr };
}

/** The ConfigMap's entries as files, as the Deployment's volume mounts them. */
function mount(objects: Obj[]): string {
  const dep = objects.find((o) => o['kind'] === 'Deployment')!;
  const volume = dep['spec'].template.spec.volumes.find((v: Obj) => v['configMap'] !== undefined);
  const cm = objects.find((o) => o['kind'] === 'ConfigMap' && o['metadata'].name === volume.configMap.name)!;
  const container = dep['spec'].template.spec.containers[0];
  const mountPath = container.volumeMounts.find((m: Obj) => m['name'] === volume.name).mountPath;
  assert.equal(container.args[container.args.indexOf('--config') + 1], `${mountPath}/bosun.yaml`);
  const dir = mkdtempSync(join(tmpdir(), 'bosun-etc-config-'));
  for (const [key, value] of Object.entries(cm['data'] as Record<string, string>)) {
    assert.match(key, /^[-._a-zA-Z0-9]+$/, 'a valid ConfigMap key');
    assert.ok(key.length <= 253 && !key.startsWith('..'));
    writeFileSync(join(dir, key), value);
  }
  return dir;
}

function policyNames(s: AdmissionSettings): string[] {
  const set = (s.policies[0] as unknown as { policySet: PolicySet }).policySet;
  return [...set.policies.map((p) => `vap/${p.name}`), ...set.bindings.map((b) => `binding/${b.name}`), ...set.rules.map((r) => `rule/${r.rule.name}`)];
}

const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'team' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } };
const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-b' } };
const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'team' }, data: { a: '1', b: '2', c: '3' } };

test('the mounted ConfigMap loads to the same settings as bosun.yaml and the files it names', async () => {
  const p = project();
  const { objects } = manifestsFor(p.config);
  const mounted = mount(objects);
  const here = await loadAdmissionSettings(p.config);
  const there = await loadAdmissionSettings(join(mounted, 'bosun.yaml'));
  assert.deepEqual(policyNames(there), policyNames(here));
  assert.deepEqual(policyNames(here), ['vap/no-nodeport', 'vap/small-configmaps', 'binding/no-nodeport', 'binding/small-configmaps', 'rule/namespace-owner']);
  assert.deepEqual(there.admission, { ...here.admission, images: { ...here.admission.images, trustedRoot: 'trusted-root.trusted_root.json' } });
  assert.deepEqual(there.admission.images.signatures![0]!.signers.map((s) => s.key), [p.keyFile, p.inlineKey.trimEnd() + '\n', undefined]);
  assert.deepEqual({ ...there.config, source: '' }, { ...here.config, source: '', policies: there.config.policies });
  assert.ok(there.verifier !== undefined);
  // The same decisions on the same requests.
  for (const [object, over] of [[service, {}], [namespace, { namespace: '' }], [configMap, {}]] as const) {
    const decide = (s: AdmissionSettings) => pipelineFromSettings(s).decide(decodeReview(review(object, over)).request);
    const [a, b] = [await decide(here), await decide(there)];
    assert.equal(a.response.allowed, false, `${object.kind} denied`);
    assert.deepEqual(b, a);
  }
});

test('the ConfigMap keys name the files; bosun.yaml names them relative to itself', () => {
  const p = project();
  const mounted = manifestsFor(p.config).objects.find((o) => o['kind'] === 'ConfigMap')!['data'];
  assert.deepEqual(Object.keys(mounted), [
    'bosun.yaml',
    // In the loader's order: a directory's entries sorted by name.
    'policy.policies_rules_namespace.yml',
    'policy.policies_services.yaml',
    'policy.shared_configmaps.json',
    'policy.shared_configmaps-binding.yaml',
    'key.keys_cosign.pub',
    'trusted-root.trusted_root.json',
  ]);
  const config = jsyaml.load(mounted['bosun.yaml']) as Obj;
  assert.deepEqual(config['policies'], Object.keys(mounted).filter((k) => k.startsWith('policy.')));
  assert.equal(config['waivers'][0].expires, '2099-01-01');
  assert.equal(config['admission'].images.trustedRoot, 'trusted-root.trusted_root.json');
});

test('keys stay unique when two paths spell the same name', async () => {
  const p = project();
  mkdirSync(join(p.dir, 'a'));
  writeFileSync(join(p.dir, 'a/b.yaml'), VAP_SERVICES);
  writeFileSync(join(p.dir, 'a_b.yaml'), VAP_CONFIGMAPS);
  writeFileSync(p.config, 'policies: [a, a_b.yaml, a/b.yaml]\n');
  const { data } = await bundleConfig(p.config);
  assert.deepEqual(Object.keys(data), ['bosun.yaml', 'policy.a_b.yaml', 'policy-2.a_b.yaml']);
  // A file named twice is shipped once and loaded twice, as it was.
  assert.deepEqual((jsyaml.load(data['bosun.yaml']!) as Obj)['policies'], ['policy.a_b.yaml', 'policy-2.a_b.yaml', 'policy.a_b.yaml']);
});

test('the webhook is registered for what the policies match, after the pod-bearing kinds', () => {
  const { objects, stderr } = manifestsFor(project().config);
  const rules = objects.find((o) => o['kind'] === 'ValidatingWebhookConfiguration')!['webhooks'][0].rules as Obj[];
  assert.deepEqual(rules.slice(0, 3).map((r) => r['resources'][0]), ['pods', 'deployments', 'jobs']);
  assert.deepEqual(rules.slice(3), [
    { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE', 'DELETE'], resources: ['services'], scope: '*' },
    { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'], resources: ['configmaps'], scope: '*' },
    { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['namespaces'], scope: 'Cluster' },
  ]);
  assert.equal(stderr, '');
});

test('without --config the manifests are as before: the default bosun.yaml and the pod-bearing kinds only', () => {
  const objects = jsyaml.loadAll(bosun(['admission', 'manifests']).stdout) as Obj[];
  assert.deepEqual(Object.keys(objects.find((o) => o['kind'] === 'ConfigMap')!['data']), ['bosun.yaml']);
  assert.equal(objects.find((o) => o['kind'] === 'ValidatingWebhookConfiguration')!['webhooks'][0].rules.length, 3);
});

test('a bosun.yaml that names no file is shipped as written, comments and all', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bosun-bundle-'));
  const text = '# ours\nadmission:\n  pss: restricted:latest\n  images: {signatures: [{images: ["*"], signers: [{key: "-----BEGIN PUBLIC KEY-----\\nAAAA\\n-----END PUBLIC KEY-----\\n"}]}]}\n';
  writeFileSync(join(dir, 'bosun.yaml'), text);
  assert.deepEqual((await bundleConfig(join(dir, 'bosun.yaml'))).data, { 'bosun.yaml': text });
});

test('a file bosun.yaml names that does not exist is a one-line config error naming it, exit 2', () => {
  for (const [field, edit] of [
    ['policies[1]', (t: string) => t.replace('../shared/configmaps.json', 'missing/')],
    ['signers[0].key', (t: string) => t.replace('keys/cosign.pub', 'keys/missing.pub')],
    ['trustedRoot', (t: string) => t.replace('trustedRoot: trusted_root.json', 'trustedRoot: nowhere.json')],
  ] as const) {
    const p = project();
    writeFileSync(p.config, edit(readFileSync(p.config, 'utf8')));
    const r = bosun(['admission', 'manifests', '--config', p.config]);
    assert.equal(r.status, 2, field);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.ok(r.stderr.includes(field) && /missing|nowhere/.test(r.stderr), r.stderr);
  }
});

test('bosun.yaml and its files over what a ConfigMap holds is a clear error', async () => {
  const p = project();
  writeFileSync(join(p.dir, 'policies/big.yaml'), `${'# padding\n'.repeat(110_000)}${VAP_SERVICES.replaceAll('no-nodeport', 'big')}`);
  await assert.rejects(bundleConfig(p.config), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'E_CONFIG');
    assert.match(err.message, /more than a ConfigMap holds .*the largest is .*big\.yaml/);
    return true;
  });
});
