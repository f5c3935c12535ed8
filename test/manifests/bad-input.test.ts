/** Hostile and broken input: each ends in a clear error or a correct scan, never a crash or a hang. */
import type { ResourceTarget } from '../../src/core/finding.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { scanManifests } from '../../src/scan.ts';
import { scanYaml, REPO_ROOT } from '../helpers.ts';

const tmp = await mkdtemp(join(tmpdir(), 'bosun-bad-'));

test('malformed YAML: one error naming file:line:column with the parser reason', async () => {
  const report = await scanYaml('apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n    bad: indent\n', { name: 'broken.yaml' });
  assert.equal(report.errors.length, 1);
  assert.deepEqual({ ...report.errors[0], message: undefined }, { code: 'E_PARSE', file: 'broken.yaml', line: 5, column: 8, message: undefined });
  assert.match(report.errors[0]!.message, /^broken\.yaml:5:8: bad indentation of a mapping entry$/);
});

test('a YAML alias bomb (billion laughs) is refused before anything expands it', async () => {
  const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) {
    const prev = String.fromCharCode(96 + i);
    const cur = String.fromCharCode(97 + i);
    levels.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  const bomb = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\n${levels.join('\n')}\n`;
  const t0 = Date.now();
  const report = await scanYaml(bomb, { name: 'bomb.yaml' });
  assert.equal(report.summary.resources, 0);
  assert.equal(report.errors.length, 1);
  assert.match(report.errors[0]!.message, /^bomb\.yaml:\d+:\d+: document expands to more than 2000000 nodes through aliases \(alias bomb\?\)$/);
  assert.ok(Date.now() - t0 < 30_000, 'must not hang');
});

test('modest alias use is fine (and merge keys work)', async () => {
  const report = await scanYaml('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m, labels: &l {app: x}}\ndata:\n  <<: {a: "1"}\n  b: "2"\nx: *l\n');
  assert.deepEqual(report.errors, []);
  assert.equal(report.summary.resources, 1);
});

test('10,000-deep nesting (block and flow) is an error, not a stack overflow', async () => {
  const flow = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`;
  let block = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n';
  for (let i = 0; i < 10_000; i++) block += `${' '.repeat(i + 1)}k${i}:\n`;
  for (const [name, text] of [['flow.yaml', flow], ['block.yaml', block]] as const) {
    const report = await scanYaml(text, { name });
    assert.equal(report.summary.resources, 0, name);
    assert.equal(report.errors.length, 1, name);
    assert.match(report.errors[0]!.message, new RegExp(`^${name.replace('.', '\\.')}:\\d+:\\d+: nesting deeper than 500 levels$`));
  }
});

test('a binary file is an error naming it', async () => {
  const file = join(tmp, 'image.yaml');
  await writeFile(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0xff, 0xfe]));
  const report = await scanManifests([file], { config: false });
  assert.deepEqual(report.errors, [{ code: 'E_BINARY', file, message: `${file}: binary file, not YAML or JSON` }]);
});

test('invalid UTF-8 is treated as binary', async () => {
  const file = join(tmp, 'latin1.yaml');
  await writeFile(file, Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf'), Buffer.from([0xe9]), Buffer.from('}\n')]));
  const report = await scanManifests([file], { config: false });
  assert.equal(report.errors[0]?.code, 'E_BINARY');
});

test('an empty file scans to nothing, without error', async () => {
  const file = join(tmp, 'empty.yaml');
  await writeFile(file, '');
  const report = await scanManifests([file], { config: false });
  assert.deepEqual([report.summary.resources, report.summary.skippedDocuments, report.errors.length, report.findings.length], [0, 0, 0, 0]);
});

test('duplicate keys are an error naming the line (as kubectl strict decoding refuses them)', async () => {
  const report = await scanYaml('apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n', { name: 'dup.yaml' });
  assert.equal(report.errors.length, 1);
  assert.match(report.errors[0]!.message, /^dup\.yaml:5:\d+: duplicated mapping key$/);
});

test('unknown kinds and objects missing metadata are scanned, not crashed on', async () => {
  const report = await scanYaml(
    'apiVersion: example.com/v1\nkind: Widget\nspec: {a: 1}\n---\napiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: nginx, securityContext: {privileged: true}}]\n---\napiVersion: v1\nkind: Pod\nmetadata: null\nspec: null\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: weird}\nspec:\n  template:\n    spec:\n      containers: [null, 42, {name: [1], image: {}, securityContext: "x", ports: "80", env: {a: 1}, resources: []}]\n      volumes: "nope"\n      securityContext: []\n',
  );
  assert.deepEqual(report.errors, []);
  assert.equal(report.summary.resources, 4);
  assert.ok(report.findings.some((f) => f.ruleId === 'K8S-PRIVILEGED' && (f.target as ResourceTarget).name === ''));
});

test('a number of millions of digits is read as Kubernetes reads it (a string: out of range), without a big-number parse', async () => {
  const { loadManifests } = await import('../../src/manifests/load.ts');
  const content = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\nspec: {replicas: 1${'7'.repeat(5_000_000)}, port: 0x${'0'.repeat(1_000_000)}1F}\n`;
  const { resources, errors } = await loadManifests([{ name: 'big.yaml', content }]);
  assert.deepEqual(errors, []);
  const spec = resources[0]!.object['spec'] as Record<string, unknown>;
  assert.equal(typeof spec['replicas'], 'string');
  assert.equal(spec['port'], 31);
});

test('a file over the size limit is an error naming it and its size', async () => {
  const file = join(tmp, 'big.yaml');
  await writeFile(file, 'a: 1\n'.repeat(1000));
  const report = await scanManifests([file], { config: false, maxFileBytes: 1024 });
  assert.deepEqual(report.errors, [{ code: 'E_TOO_LARGE', file, message: `${file}: 5000 bytes is larger than the 1024-byte limit` }]);
});

test('a 50 MB file scans completely within a bounded heap', async () => {
  const file = join(tmp, 'fifty.yaml');
  // Hardened Deployments (one finding for every other one), so the bound measured is the loader's.
  const doc = (i: number): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: app-${i}, namespace: ns}
spec:
  replicas: 3
  selector: {matchLabels: {app: app-${i}}}
  template:
    metadata: {labels: {app: app-${i}, tier: web}}
    spec:
      automountServiceAccountToken: false
      securityContext: {runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: {type: RuntimeDefault}}
      containers:
        - name: c
          image: registry.example.com/app:1.${i % 50}@sha256:${'a'.repeat(64)}
          imagePullPolicy: Always
          resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 200m, memory: 64Mi}}
          livenessProbe: {httpGet: {path: /, port: 8080}}
          readinessProbe: {httpGet: {path: /, port: 8080}}
          securityContext: {privileged: ${i % 2 === 0}, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
---
`;
  const fh = await open(file, 'w');
  await fh.write('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: ns}\nspec: {podSelector: {}, policyTypes: [Ingress, Egress]}\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web, namespace: ns}\nspec: {maxUnavailable: 1, unhealthyPodEvictionPolicy: AlwaysAllow, selector: {matchLabels: {tier: web}}}\n---\n');
  let size = 0;
  let n = 0;
  while (size < 50 * 1024 * 1024) {
    let chunk = '';
    for (let j = 0; j < 1000; j++) chunk += doc(n++);
    size += Buffer.byteLength(chunk);
    await fh.write(chunk);
  }
  await fh.close();
  // A separate process with a 1.5 GiB heap cap: the bound is enforced, not just hoped for.
  const script = `import { scanManifests } from ${JSON.stringify(join(REPO_ROOT, 'src/scan.ts'))};
const r = await scanManifests([${JSON.stringify(file)}], { config: false });
console.log(JSON.stringify({ resources: r.summary.resources, errors: r.errors.length, privileged: r.findings.filter((f) => f.ruleId === 'K8S-PRIVILEGED').length, others: r.findings.filter((f) => f.ruleId !== 'K8S-PRIVILEGED').map((f) => f.ruleId).slice(0, 5) }));`;
  const out = execFileSync(process.execPath, ['--max-old-space-size=1536', '--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 1 << 20 });
  assert.deepEqual(JSON.parse(out), { resources: n + 2, errors: 0, privileged: n / 2, others: [] });
});
