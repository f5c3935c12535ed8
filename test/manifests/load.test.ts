import type { ResourceTarget } from '../../src/core/finding.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, mkdir, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { loadManifests } from '../../src/manifests/load.ts';
import { locate } from '../../src/manifests/resource.ts';
import { scanYaml, summarize } from '../helpers.ts';
import privileged from '../../src/checks/pod-security/privileged.ts';

const DEPLOYMENT = `# leading comment
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      initContainers:
        - name: init
          image: busybox
      containers:
        - name: web
          image: nginx
          securityContext:
            privileged: true
`;

test('finding points at the offending field: line and column of the key', async () => {
  const report = await scanYaml(DEPLOYMENT, { only: privileged });
  assert.deepEqual(summarize(report.findings), ['K8S-PRIVILEGED spec.template.spec.containers[0].securityContext.privileged @17']);
  assert.deepEqual(report.findings[0]!.location, { file: 'test.yaml', line: 17, column: 13 });
  assert.deepEqual(report.findings[0]!.target, { type: 'resource', apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' });
});

test('a missing field is located at the object that should hold it', async () => {
  const { resources } = await loadManifests([{ name: 'd.yaml', content: DEPLOYMENT }]);
  const r = resources[0]!;
  assert.deepEqual(locate(r, ['spec', 'template', 'spec', 'initContainers', 0, 'securityContext', 'runAsNonRoot']), { file: 'd.yaml', line: 11, column: 11 });
  assert.deepEqual(locate(r, ['spec', 'template', 'spec', 'securityContext']), { file: 'd.yaml', line: 9, column: 5 });
  assert.deepEqual(locate(r, ['status']), { file: 'd.yaml', line: 2, column: 1 });
});

test('multi-document streams, List, kubectl -o json and CRLF line endings', async () => {
  const list = {
    apiVersion: 'v1',
    kind: 'List',
    items: [
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: { containers: [{ name: 'c', image: 'x', securityContext: { privileged: true } }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: {} },
    ],
  };
  const json = JSON.stringify(list, null, 2);
  const yaml = 'apiVersion: v1\r\nkind: PodList\r\nitems:\r\n- apiVersion: v1\r\n  kind: Pod\r\n  metadata: {name: b}\r\n  spec:\r\n    containers:\r\n    - name: c\r\n      image: x\r\n      securityContext:\r\n        privileged: true\r\n';
  const report = await scanYaml(`${DEPLOYMENT}---\n${yaml.replaceAll('\r\n', '\n')}`, { only: privileged });
  assert.deepEqual(summarize(report.findings), [
    'K8S-PRIVILEGED spec.template.spec.containers[0].securityContext.privileged @17',
    'K8S-PRIVILEGED spec.containers[0].securityContext.privileged @30',
  ]);
  const fromJson = await scanYaml(json, { only: privileged, name: 'dump.json' });
  assert.deepEqual(summarize(fromJson.findings), ['K8S-PRIVILEGED spec.containers[0].securityContext.privileged @17']);
  assert.equal(fromJson.summary.resources, 2);
  const crlf = await scanYaml(yaml, { only: privileged });
  assert.deepEqual(crlf.findings.map((f) => f.location), [{ file: 'test.yaml', line: 12, column: 9 }]);
});

test('lists as kubectl reads them: any object with an items list (the wrapper is not applied), kindless items of the list\'s kind; items that is no list is refused', async () => {
  // kubectl (apimachinery's unstructured decoder) reads every object with `items` as a list and
  // applies its items: a benign Pod wrapping a privileged one ran the privileged one, unseen.
  const wrapped = 'apiVersion: v1\nkind: Pod\nmetadata: {name: benign, namespace: d}\nspec:\n  containers: [{name: c, image: x}]\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: evil, namespace: d}\n  spec:\n    containers: [{name: c, image: x, securityContext: {privileged: true}}]\n';
  const report = await scanYaml(wrapped, { only: privileged });
  assert.deepEqual(summarize(report.findings), ['K8S-PRIVILEGED spec.containers[0].securityContext.privileged @11']);
  assert.deepEqual(report.findings.map((f) => (f.target as ResourceTarget).name), ['evil']);
  assert.equal(report.summary.resources, 1);
  // Items without kind and apiVersion are of the list's kind (less `List`) and apiVersion to kubectl.
  const kindless = await scanYaml('apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: evil, namespace: d}\n  spec:\n    containers: [{name: c, image: x, securityContext: {privileged: true}}]\n', { only: privileged });
  assert.deepEqual(summarize(kindless.findings), ['K8S-PRIVILEGED spec.containers[0].securityContext.privileged @6']);
  assert.deepEqual(kindless.findings.map((f) => [(f.target as ResourceTarget).kind, (f.target as ResourceTarget).apiVersion]), [['Pod', 'v1']]);
  const half = await scanYaml('apiVersion: v1\nkind: PodList\nitems:\n- {apiVersion: v1, metadata: {name: a}}\n', { only: privileged });
  assert.deepEqual([half.summary.resources, half.summary.skippedDocuments], [0, 1]);
  const notList = await scanYaml('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: x}]}\nitems: {a: 1}\n', { name: 'odd.yaml' });
  assert.deepEqual(notList.errors.map((e) => e.message), ['odd.yaml:1:1: items is not a list (kubectl reads every object with items as a list, and refuses this one)']);
  assert.equal(notList.summary.resources, 0);
  // `items: null` is scanned as the object itself (more than kubectl applies, never less).
  const nullItems = await scanYaml('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: x, securityContext: {privileged: true}}]}\nitems: null\n', { only: privileged });
  assert.equal(nullItems.findings.length, 1);
});

test('documents that are not Kubernetes objects are skipped and counted', async () => {
  const report = await scanYaml('foo: bar\n---\n- 1\n---\n42\n---\n# only a comment\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n', { only: privileged });
  assert.equal(report.summary.resources, 1);
  assert.equal(report.summary.skippedDocuments, 3);
  assert.deepEqual(report.errors, []);
});

test('a bad document is an error naming file:line; the other documents are still scanned', async () => {
  const text = `${DEPLOYMENT}---\nkind: [unclosed\n---\n${DEPLOYMENT.replace('name: web\n  namespace', 'name: web2\n  namespace')}`;
  const report = await scanYaml(text, { only: privileged, name: 'mixed.yaml' });
  assert.equal(report.summary.resources, 2);
  assert.equal(report.findings.length, 2);
  assert.equal(report.errors.length, 1);
  assert.equal(report.errors[0]!.code, 'E_PARSE');
  assert.equal(report.errors[0]!.line, 20);
  assert.match(report.errors[0]!.message, /^mixed\.yaml:20:\d+: .+/);
});

test('directories are walked recursively in sorted order; bosun.yaml and other files are not manifests', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bosun-load-'));
  await mkdir(join(dir, 'b', 'deep'), { recursive: true });
  await mkdir(join(dir, 'node_modules'));
  const cm = (n: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${n}}\n`;
  await writeFile(join(dir, 'b', 'deep', 'z.yml'), cm('z'));
  await writeFile(join(dir, 'a.yaml'), cm('a'));
  await writeFile(join(dir, 'c.JSON'), JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }));
  await writeFile(join(dir, 'notes.txt'), cm('ignored'));
  await writeFile(join(dir, 'bosun.yaml'), 'failOn: high\n');
  await writeFile(join(dir, 'node_modules', 'x.yaml'), cm('ignored'));
  await symlink(dir, join(dir, 'b', 'loop')); // a symlinked directory is not followed
  const { resources, files } = await loadManifests([dir]);
  assert.deepEqual(resources.map((r) => r.name), ['a', 'z', 'c']);
  assert.deepEqual(files.map((f) => f.path.slice(dir.length + 1)), ['a.yaml', 'b/deep/z.yml', 'c.JSON']);
});

test('stdin is read for -', async () => {
  const stdin = Readable.from([Buffer.from('apiVersion: v1\nkind: ConfigMap\n'), Buffer.from('metadata: {name: from-stdin}\n')]);
  const { resources, files } = await loadManifests(['-'], { stdin });
  assert.deepEqual(resources.map((r) => r.name), ['from-stdin']);
  assert.equal(files[0]!.path, '<stdin>');
});

test('pod specs are extracted from every pod-bearing kind', async () => {
  const pod = (indent: string): string => `${indent}containers:\n${indent}  - name: c\n${indent}    image: x\n${indent}    securityContext: {privileged: true}\n`;
  const kinds: Array<[string, string, string]> = [
    ['v1', 'Pod', `spec:\n${pod('  ')}`],
    ['v1', 'PodTemplate', `template:\n  spec:\n${pod('    ')}`],
    ['v1', 'ReplicationController', `spec:\n  template:\n    spec:\n${pod('      ')}`],
    ...['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].map((k): [string, string, string] => ['apps/v1', k, `spec:\n  template:\n    spec:\n${pod('      ')}`]),
    ['batch/v1', 'Job', `spec:\n  template:\n    spec:\n${pod('      ')}`],
    ['batch/v1', 'CronJob', `spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n${pod('          ')}`],
    ['apps.openshift.io/v1', 'DeploymentConfig', `spec:\n  template:\n    spec:\n${pod('      ')}`],
    ['argoproj.io/v1alpha1', 'Rollout', `spec:\n  template:\n    spec:\n${pod('      ')}`],
  ];
  const text = kinds.map(([v, k, body]) => `apiVersion: ${v}\nkind: ${k}\nmetadata: {name: x}\n${body}`).join('---\n');
  const report = await scanYaml(text, { only: privileged });
  assert.deepEqual(report.findings.map((f) => `${(f.target as ResourceTarget).kind} ${f.fieldPath}`), [
    'Pod spec.containers[0].securityContext.privileged',
    'PodTemplate template.spec.containers[0].securityContext.privileged',
    'ReplicationController spec.template.spec.containers[0].securityContext.privileged',
    'Deployment spec.template.spec.containers[0].securityContext.privileged',
    'StatefulSet spec.template.spec.containers[0].securityContext.privileged',
    'DaemonSet spec.template.spec.containers[0].securityContext.privileged',
    'ReplicaSet spec.template.spec.containers[0].securityContext.privileged',
    'Job spec.template.spec.containers[0].securityContext.privileged',
    'CronJob spec.jobTemplate.spec.template.spec.containers[0].securityContext.privileged',
    'DeploymentConfig spec.template.spec.containers[0].securityContext.privileged',
    'Rollout spec.template.spec.containers[0].securityContext.privileged',
  ]);
});

test('init and ephemeral containers are containers too', async () => {
  const report = await scanYaml(
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  initContainers: [{name: i, image: x, securityContext: {privileged: true}}]\n  containers: [{name: c, image: x}]\n  ephemeralContainers: [{name: e, image: x, securityContext: {privileged: true}}]\n',
    { only: privileged },
  );
  assert.deepEqual(report.findings.map((f) => f.fieldPath), ['spec.initContainers[0].securityContext.privileged', 'spec.ephemeralContainers[0].securityContext.privileged']);
});

test('an input that does not exist is a usage error naming it', async () => {
  await assert.rejects(loadManifests(['/nonexistent/bosun/x.yaml']), { code: 'E_INPUT_NOT_FOUND', message: '/nonexistent/bosun/x.yaml: no such file or directory' });
});
