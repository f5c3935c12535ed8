import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanYaml, summarize } from '../helpers.ts';
import type { Check } from '../../src/checks/types.ts';
import type { BosunConfig } from '../../src/config/types.ts';
import { resourceChecks } from '../../src/checks/resources/index.ts';
import { parseQuantity } from '../../src/checks/resources/quantity.ts';
import cpuRequests from '../../src/checks/resources/cpu-requests-missing.ts';
import cpuLimits from '../../src/checks/resources/cpu-limits-missing.ts';
import memoryRequests from '../../src/checks/resources/memory-requests-missing.ts';
import memoryLimits from '../../src/checks/resources/memory-limits-missing.ts';
import outOfRange from '../../src/checks/resources/resources-out-of-range.ts';
import notEqual from '../../src/checks/resources/requests-not-equal-limits.ts';
import ephemeral from '../../src/checks/resources/ephemeral-storage-missing.ts';
import noLimitRange from '../../src/checks/resources/namespace-without-limitrange.ts';
import noQuota from '../../src/checks/resources/namespace-without-resourcequota.ts';
import vct from '../../src/checks/resources/volume-claim-template-incomplete.ts';

function pod(resources: string, extra = ''): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  initContainers:
    - name: init
      image: busybox:1.36
  containers:
    - name: app
      image: nginx:1.27
      resources:
${resources}
${extra}`;
}

const FULL = `        requests:
          cpu: 100m
          memory: 64Mi
        limits:
          cpu: 500m
          memory: 128Mi`;

interface Case {
  name: string;
  check: Check;
  yaml: string;
  expected: string[];
  settings?: Record<string, unknown>;
}

const cases: Case[] = [
  { name: 'cpu request missing', check: cpuRequests, yaml: pod('        requests:\n          memory: 64Mi'), expected: ['K8S-CPU-REQUESTS-MISSING spec.containers[0].resources.requests.cpu @13'] },
  { name: 'cpu request defaulted from limit', check: cpuRequests, yaml: pod('        limits:\n          cpu: 1'), expected: [] },
  { name: 'cpu request set', check: cpuRequests, yaml: pod(FULL), expected: [] },
  { name: 'cpu limit missing', check: cpuLimits, yaml: pod('        requests:\n          cpu: 100m'), expected: ['K8S-CPU-LIMITS-MISSING spec.containers[0].resources.limits.cpu @12'] },
  { name: 'cpu limit set', check: cpuLimits, yaml: pod(FULL), expected: [] },
  { name: 'memory request missing (no resources at all)', check: memoryRequests, yaml: pod('        {}'), expected: ['K8S-MEMORY-REQUESTS-MISSING spec.containers[0].resources.requests.memory @12'] },
  { name: 'memory request set', check: memoryRequests, yaml: pod(FULL), expected: [] },
  { name: 'memory limit null', check: memoryLimits, yaml: pod('        limits:\n          memory: null'), expected: ['K8S-MEMORY-LIMITS-MISSING spec.containers[0].resources.limits.memory @14'] },
  { name: 'memory limit set', check: memoryLimits, yaml: pod(FULL), expected: [] },
  {
    name: 'out of range',
    check: outOfRange,
    yaml: pod(FULL),
    settings: { resourceRanges: { 'limits.memory': { max: '100Mi' }, 'requests.cpu': { min: '0.2' }, 'limits.cpu': { min: '100m', max: '1' } } },
    expected: ['K8S-RESOURCES-OUT-OF-RANGE spec.containers[0].resources.requests.cpu @14', 'K8S-RESOURCES-OUT-OF-RANGE spec.containers[0].resources.limits.memory @18'],
  },
  { name: 'out of range: not configured', check: outOfRange, yaml: pod(FULL), expected: [] },
  { name: 'requests differ from limits', check: notEqual, yaml: pod(FULL), expected: ['K8S-REQUESTS-NOT-EQUAL-LIMITS spec.containers[0].resources.requests.cpu @14', 'K8S-REQUESTS-NOT-EQUAL-LIMITS spec.containers[0].resources.requests.memory @15'] },
  { name: 'requests equal limits in other units', check: notEqual, yaml: pod('        requests:\n          cpu: "1"\n          memory: 1Gi\n        limits:\n          cpu: 1000m\n          memory: 1024Mi'), expected: [] },
  {
    name: 'ephemeral storage missing',
    check: ephemeral,
    yaml: pod(FULL),
    expected: ['K8S-EPHEMERAL-STORAGE-MISSING spec.containers[0].resources.requests.ephemeral-storage @13', 'K8S-EPHEMERAL-STORAGE-MISSING spec.containers[0].resources.limits.ephemeral-storage @16'],
  },
  { name: 'ephemeral storage limit only', check: ephemeral, yaml: pod('        limits:\n          ephemeral-storage: 1Gi'), expected: [] },
  {
    name: 'namespace without LimitRange',
    check: noLimitRange,
    yaml: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n---\napiVersion: v1\nkind: LimitRange\nmetadata:\n  name: lr\n  namespace: b\nspec:\n  limits: []\n',
    expected: ['K8S-NAMESPACE-NO-LIMITRANGE metadata.name @4'],
  },
  {
    name: 'namespace without ResourceQuota',
    check: noQuota,
    yaml: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: q\n  namespace: b\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n',
    expected: ['K8S-NAMESPACE-NO-RESOURCEQUOTA metadata.name @4'],
  },
  {
    name: 'volume claim template incomplete',
    check: vct,
    yaml: `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: "postgres:16"}]
  volumeClaimTemplates:
    - metadata: {name: data}
      spec:
        resources: {}
    - metadata: {name: ok}
      spec:
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 1Gi}}
`,
    expected: ['K8S-VOLUME-CLAIM-TEMPLATE-INCOMPLETE spec.volumeClaimTemplates[0].spec.accessModes @14', 'K8S-VOLUME-CLAIM-TEMPLATE-INCOMPLETE spec.volumeClaimTemplates[0].spec.resources.requests.storage @15'],
  },
];

for (const c of cases) {
  test(`${c.check.id}: ${c.name}`, async () => {
    const config: BosunConfig = { waivers: [], checks: { enable: ['*'], settings: c.settings ?? {} } };
    const report = await scanYaml(c.yaml, { only: c.check, config });
    assert.deepEqual(summarize(report.findings), c.expected);
  });
}

test('every resources check has a failing case', () => {
  const covered = new Set(cases.filter((c) => c.expected.length > 0).map((c) => c.check.id));
  assert.deepEqual(resourceChecks.filter((c) => !covered.has(c.id)).map((c) => c.id), []);
});

test('parseQuantity', () => {
  assert.equal(parseQuantity('500m'), 0.5);
  assert.equal(parseQuantity('1Gi'), 2 ** 30);
  assert.equal(parseQuantity('2e3'), 2000);
  assert.equal(parseQuantity(2), 2);
  assert.equal(parseQuantity('1.5k'), 1500);
  assert.equal(parseQuantity('abc'), undefined);
  assert.equal(parseQuantity('1Gb'), undefined);
});
