import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanYaml, summarize } from '../helpers.ts';
import type { Check } from '../../src/checks/types.ts';
import type { BosunConfig } from '../../src/config/types.ts';
import { imageChecks } from '../../src/checks/images/index.ts';
import tagLatest from '../../src/checks/images/image-tag-latest.ts';
import notPinned from '../../src/checks/images/image-not-pinned-by-digest.ts';
import pullPolicy from '../../src/checks/images/image-pull-policy-not-always.ts';
import registry from '../../src/checks/images/image-registry-not-allowed.ts';
import deprecatedRegistry from '../../src/checks/images/image-deprecated-registry.ts';
import openEnded from '../../src/checks/images/gatekeeper-open-ended-repo.ts';

const DIGEST = 'sha256:' + 'a'.repeat(64);

/** A Deployment whose containers use `images` (one line each: `image` or `image|pullPolicy`). */
function deployment(...images: string[]): string {
  const containers = images
    .map((spec, i) => {
      const [image, policy] = spec.split('|');
      return `        - name: c${i}\n          image: "${image}"${policy === undefined ? '' : `\n          imagePullPolicy: ${policy}`}`;
    })
    .join('\n');
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
${containers}
`;
}

interface Case {
  name: string;
  check: Check;
  yaml: string;
  expected: string[];
  settings?: Record<string, unknown>;
}

const cases: Case[] = [
  {
    name: 'latest and untagged',
    check: tagLatest,
    yaml: deployment('nginx', 'nginx:latest', 'registry.local:5000/app', 'nginx:1.27', `nginx@${DIGEST}`),
    expected: ['K8S-IMAGE-TAG-LATEST spec.template.spec.containers[0].image @12', 'K8S-IMAGE-TAG-LATEST spec.template.spec.containers[1].image @14', 'K8S-IMAGE-TAG-LATEST spec.template.spec.containers[2].image @16'],
  },
  { name: 'fixed tags', check: tagLatest, yaml: deployment('nginx:1.27', 'registry.local:5000/app:v2'), expected: [] },
  { name: 'tag without digest', check: notPinned, yaml: deployment('nginx:1.27', `nginx:1.27@${DIGEST}`), expected: ['K8S-IMAGE-NOT-PINNED-BY-DIGEST spec.template.spec.containers[0].image @12'] },
  { name: 'digest', check: notPinned, yaml: deployment(`gcr.io/p/app@${DIGEST}`), expected: [] },
  {
    name: 'pull policy explicit and defaulted',
    check: pullPolicy,
    yaml: deployment('nginx:1.27|IfNotPresent', 'nginx:1.27', 'nginx:latest', 'nginx|Never', `nginx@${DIGEST}`),
    expected: [
      'K8S-IMAGE-PULL-POLICY-NOT-ALWAYS spec.template.spec.containers[0].imagePullPolicy @13',
      'K8S-IMAGE-PULL-POLICY-NOT-ALWAYS spec.template.spec.containers[1].imagePullPolicy @14',
      'K8S-IMAGE-PULL-POLICY-NOT-ALWAYS spec.template.spec.containers[3].imagePullPolicy @20',
      'K8S-IMAGE-PULL-POLICY-NOT-ALWAYS spec.template.spec.containers[4].imagePullPolicy @21',
    ],
  },
  { name: 'pull policy Always', check: pullPolicy, yaml: deployment('nginx:1.27|Always', 'nginx'), expected: [] },
  {
    name: 'registry allow-list and block-list',
    check: registry,
    yaml: deployment('nginx:1.27', 'registry.example.com/team/app:1', 'registry.example.com.evil.io/app:1', 'quay.io/bad/tool:1'),
    settings: { allowedRegistries: ['registry.example.com', 'quay.io/'], blockedRegistries: ['quay.io/bad'] },
    expected: ['K8S-IMAGE-REGISTRY-NOT-ALLOWED spec.template.spec.containers[0].image @12', 'K8S-IMAGE-REGISTRY-NOT-ALLOWED spec.template.spec.containers[2].image @16', 'K8S-IMAGE-REGISTRY-NOT-ALLOWED spec.template.spec.containers[3].image @18'],
  },
  { name: 'registry: not configured', check: registry, yaml: deployment('nginx:1.27'), expected: [] },
  { name: 'registry: docker.io allowed', check: registry, yaml: deployment('nginx:1.27', 'docker.io/bitnami/redis:7'), settings: { allowedRegistries: ['docker.io'] }, expected: [] },
  { name: 'k8s.gcr.io', check: deprecatedRegistry, yaml: deployment('k8s.gcr.io/pause:3.2', 'registry.k8s.io/pause:3.9', 'eu.k8s.gcr.io/x:1'), expected: ['K8S-IMAGE-DEPRECATED-REGISTRY spec.template.spec.containers[0].image @12', 'K8S-IMAGE-DEPRECATED-REGISTRY spec.template.spec.containers[2].image @16'] },
  { name: 'registry.k8s.io', check: deprecatedRegistry, yaml: deployment('registry.k8s.io/pause:3.9'), expected: [] },
  {
    name: 'open-ended Gatekeeper repos',
    check: openEnded,
    yaml: `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sAllowedRepos
metadata:
  name: repos
spec:
  parameters:
    repos:
      - myregistry.io
      - myregistry.io/team/
      - "docker.io/library/nginx@${DIGEST}"
      - org/app
`,
    expected: ['K8S-GATEKEEPER-OPEN-ENDED-REPO spec.parameters.repos[0] @8', 'K8S-GATEKEEPER-OPEN-ENDED-REPO spec.parameters.repos[3] @11'],
  },
  { name: 'closed Gatekeeper repos', check: openEnded, yaml: 'kind: K8sAllowedRepos\napiVersion: constraints.gatekeeper.sh/v1beta1\nmetadata: {name: r}\nspec: {parameters: {repos: ["a.io/"]}}\n', expected: [] },
];

for (const c of cases) {
  test(`${c.check.id}: ${c.name}`, async () => {
    const config: BosunConfig = { waivers: [], checks: { enable: ['*'], settings: c.settings ?? {} } };
    const report = await scanYaml(c.yaml, { only: c.check, config });
    assert.deepEqual(summarize(report.findings), c.expected);
  });
}

test('every image check has a failing case', () => {
  const covered = new Set(cases.filter((c) => c.expected.length > 0).map((c) => c.check.id));
  assert.deepEqual(imageChecks.filter((c) => !covered.has(c.id)).map((c) => c.id), []);
});

test('image checks tolerate odd input', async () => {
  const report = await scanYaml('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: a\n      image: 42\n    - null\n    - name: b\n', { only: imageChecks });
  assert.deepEqual(summarize(report.findings), []);
});
