import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanYaml, summarize } from '../helpers.ts';
import type { Check } from '../../src/checks/types.ts';
import type { BosunConfig } from '../../src/config/types.ts';
import { reliabilityChecks } from '../../src/checks/reliability/index.ts';
import { REMOVED_APIS } from '../../src/checks/reliability/removed-api-versions.ts';

const check = (id: string): Check => {
  const found = reliabilityChecks.find((c) => c.id === id);
  if (found === undefined) throw new Error(`no check ${id}`);
  return found;
};

/** A Deployment; `podSpec` is indented under `spec.template.spec` (6 spaces), `spec` under `spec` (2 spaces). */
function deployment(podSpec: string, spec = '  replicas: 3\n', name = 'web'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
${spec}  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
${podSpec}`;
}

const APP = '      containers:\n        - name: app\n          image: nginx:1.27\n';
const PROBED = `      containers:
        - name: app
          image: nginx:1.27
          ports: [{name: http, containerPort: 80}]
          livenessProbe: {httpGet: {path: /live, port: http}}
          readinessProbe: {httpGet: {path: /ready, port: http}}
`;

const pdb = (spec: string, name = 'pdb'): string => `---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: ${name}}
spec:
  selector: {matchLabels: {app: web}}
${spec}`;

const hpa = (spec: string, target = 'web'): string => `---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: hpa}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${target}}
${spec}`;

interface Case {
  id: string;
  name: string;
  yaml: string;
  expected: string[];
  settings?: Record<string, unknown>;
}

const cases: Case[] = [
  { id: 'K8S-LIVENESS-PROBE-MISSING', name: 'no probe', yaml: deployment(APP), expected: ['K8S-LIVENESS-PROBE-MISSING spec.template.spec.containers[0].livenessProbe @12'] },
  { id: 'K8S-LIVENESS-PROBE-MISSING', name: 'probe set; Jobs skipped', yaml: `${deployment(PROBED)}---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n${APP}`, expected: [] },
  { id: 'K8S-READINESS-PROBE-MISSING', name: 'no probe', yaml: deployment(APP), expected: ['K8S-READINESS-PROBE-MISSING spec.template.spec.containers[0].readinessProbe @12'] },
  { id: 'K8S-READINESS-PROBE-MISSING', name: 'probe set', yaml: deployment(PROBED), expected: [] },
  {
    id: 'K8S-PROBES-IDENTICAL',
    name: 'same probe, keys reordered',
    yaml: deployment('      containers:\n        - name: app\n          image: nginx:1.27\n          livenessProbe: {httpGet: {port: 80, path: /h}}\n          readinessProbe: {httpGet: {path: /h, port: 80}}\n'),
    expected: ['K8S-PROBES-IDENTICAL spec.template.spec.containers[0].livenessProbe @14'],
  },
  { id: 'K8S-PROBES-IDENTICAL', name: 'different probes', yaml: deployment(PROBED), expected: [] },
  {
    id: 'K8S-PROBE-PORT-NOT-EXPOSED',
    name: 'undeclared named port',
    yaml: deployment('      containers:\n        - name: app\n          image: nginx:1.27\n          ports: [{name: http, containerPort: 80}]\n          livenessProbe: {tcpSocket: {port: admin}}\n          readinessProbe: {httpGet: {port: 8080}}\n'),
    expected: ['K8S-PROBE-PORT-NOT-EXPOSED spec.template.spec.containers[0].livenessProbe.tcpSocket.port @15'],
  },
  { id: 'K8S-PROBE-PORT-NOT-EXPOSED', name: 'declared named port', yaml: deployment(PROBED), expected: [] },
  { id: 'K8S-REPLICAS-TOO-FEW', name: 'one replica', yaml: deployment(APP, '  replicas: 1\n'), expected: ['K8S-REPLICAS-TOO-FEW spec.replicas @6'] },
  { id: 'K8S-REPLICAS-TOO-FEW', name: 'unset replicas', yaml: deployment(APP, ''), expected: ['K8S-REPLICAS-TOO-FEW spec.replicas @5'] },
  { id: 'K8S-REPLICAS-TOO-FEW', name: 'HPA-managed or enough', yaml: deployment(APP, '') + hpa('  minReplicas: 2\n  maxReplicas: 5\n') + '---\n' + deployment(APP, '  replicas: 2\n', 'api'), expected: [] },
  { id: 'K8S-PDB-MISSING', name: 'no PDB', yaml: deployment(APP) + pdb('  maxUnavailable: 1\n').replace('app: web', 'app: other'), expected: ['K8S-PDB-MISSING spec.template.metadata.labels @9'] },
  { id: 'K8S-PDB-MISSING', name: 'PDB selects pods; single replica skipped', yaml: deployment(APP) + pdb('  maxUnavailable: 1\n') + '---\n' + deployment(APP, '  replicas: 1\n', 'solo'), expected: [] },
  {
    id: 'K8S-PDB-BLOCKS-EVICTION',
    name: 'zero budget',
    yaml: deployment(APP) + pdb('  maxUnavailable: 0\n', 'a') + pdb('  minAvailable: 100%\n', 'b') + pdb('  minAvailable: 3\n', 'c'),
    expected: ['K8S-PDB-BLOCKS-EVICTION spec.maxUnavailable @20', 'K8S-PDB-BLOCKS-EVICTION spec.minAvailable @27', 'K8S-PDB-BLOCKS-EVICTION spec.minAvailable @34'],
  },
  { id: 'K8S-PDB-BLOCKS-EVICTION', name: 'room to evict', yaml: deployment(APP) + pdb('  minAvailable: 2\n') + pdb('  maxUnavailable: 25%\n', 'b'), expected: [] },
  { id: 'K8S-PDB-NO-POLICY', name: 'neither field', yaml: pdb(''), expected: ['K8S-PDB-NO-POLICY spec.maxUnavailable @5'] },
  { id: 'K8S-PDB-NO-POLICY', name: 'maxUnavailable', yaml: pdb('  maxUnavailable: 1\n'), expected: [] },
  { id: 'K8S-PDB-UNHEALTHY-EVICTION-POLICY', name: 'unset', yaml: pdb('  maxUnavailable: 1\n'), expected: ['K8S-PDB-UNHEALTHY-EVICTION-POLICY spec.unhealthyPodEvictionPolicy @5'] },
  { id: 'K8S-PDB-UNHEALTHY-EVICTION-POLICY', name: 'set', yaml: pdb('  maxUnavailable: 1\n  unhealthyPodEvictionPolicy: AlwaysAllow\n'), expected: [] },
  { id: 'K8S-PDB-MIN-AVAILABLE-EXCEEDS-HPA', name: 'minAvailable >= minReplicas', yaml: deployment(APP, '') + hpa('  minReplicas: 2\n  maxReplicas: 6\n') + pdb('  minAvailable: 2\n'), expected: ['K8S-PDB-MIN-AVAILABLE-EXCEEDS-HPA spec.minAvailable @27'] },
  { id: 'K8S-PDB-MIN-AVAILABLE-EXCEEDS-HPA', name: 'below', yaml: deployment(APP, '') + hpa('  minReplicas: 3\n  maxReplicas: 6\n') + pdb('  minAvailable: 2\n'), expected: [] },
  { id: 'K8S-HPA-MIN-REPLICAS-LOW', name: 'default 1', yaml: deployment(APP, '') + hpa('  maxReplicas: 5\n'), expected: ['K8S-HPA-MIN-REPLICAS-LOW spec.minReplicas @17'] },
  { id: 'K8S-HPA-MIN-REPLICAS-LOW', name: 'two', yaml: deployment(APP, '') + hpa('  minReplicas: 2\n  maxReplicas: 5\n'), expected: [] },
  { id: 'K8S-HPA-NO-SCALING-RANGE', name: 'max == min', yaml: hpa('  minReplicas: 3\n  maxReplicas: 3\n'), expected: ['K8S-HPA-NO-SCALING-RANGE spec.maxReplicas @8'] },
  { id: 'K8S-HPA-NO-SCALING-RANGE', name: 'range', yaml: hpa('  minReplicas: 3\n  maxReplicas: 4\n'), expected: [] },
  { id: 'K8S-HPA-TARGET-MISSING', name: 'dangling', yaml: deployment(APP) + hpa('  maxReplicas: 5\n', 'wbe'), expected: ['K8S-HPA-TARGET-MISSING spec.scaleTargetRef.name @19'] },
  { id: 'K8S-HPA-TARGET-MISSING', name: 'present', yaml: deployment(APP) + hpa('  maxReplicas: 5\n'), expected: [] },
  { id: 'K8S-HPA-TARGET-HAS-REPLICAS', name: 'hard-coded', yaml: deployment(APP) + hpa('  maxReplicas: 5\n'), expected: ['K8S-HPA-TARGET-HAS-REPLICAS spec.replicas @6'] },
  { id: 'K8S-HPA-TARGET-HAS-REPLICAS', name: 'left to HPA', yaml: deployment(APP, '') + hpa('  maxReplicas: 5\n'), expected: [] },
  { id: 'K8S-NO-POD-ANTI-AFFINITY', name: 'three replicas', yaml: deployment(APP), expected: ['K8S-NO-POD-ANTI-AFFINITY spec.template.spec.affinity.podAntiAffinity @10'] },
  {
    id: 'K8S-NO-POD-ANTI-AFFINITY',
    name: 'preferred anti-affinity',
    yaml: deployment(`${APP}      affinity:\n        podAntiAffinity:\n          preferredDuringSchedulingIgnoredDuringExecution:\n            - weight: 100\n              podAffinityTerm: {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: web}}}\n`),
    expected: [],
  },
  {
    id: 'K8S-TOPOLOGY-SPREAD-MISSING',
    name: 'missing and invalid',
    yaml: deployment(APP, '', 'a') + '---\n' + deployment(`${APP}      topologySpreadConstraints:\n        - {maxSkew: 0, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}\n`, '', 'b'),
    expected: ['K8S-TOPOLOGY-SPREAD-MISSING spec.template.spec.topologySpreadConstraints @9', 'K8S-TOPOLOGY-SPREAD-MISSING spec.template.spec.topologySpreadConstraints[0] @27'],
  },
  { id: 'K8S-TOPOLOGY-SPREAD-MISSING', name: 'valid', yaml: deployment(`${APP}      topologySpreadConstraints:\n        - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: ScheduleAnyway}\n`), expected: [] },
  { id: 'K8S-NO-NODE-AFFINITY', name: 'none', yaml: deployment(APP), expected: ['K8S-NO-NODE-AFFINITY spec.template.spec.affinity.nodeAffinity @10'] },
  { id: 'K8S-NO-NODE-AFFINITY', name: 'nodeSelector', yaml: deployment(`${APP}      nodeSelector: {pool: web}\n`), expected: [] },
  { id: 'K8S-PRIORITY-CLASS-NOT-SET', name: 'unset and not allowed', yaml: deployment(APP, '', 'a') + '---\n' + deployment(`${APP}      priorityClassName: low\n`, '', 'b'), settings: { allowedPriorityClasses: ['high'] }, expected: ['K8S-PRIORITY-CLASS-NOT-SET spec.template.spec.priorityClassName @9', 'K8S-PRIORITY-CLASS-NOT-SET spec.template.spec.priorityClassName @26'] },
  { id: 'K8S-PRIORITY-CLASS-NOT-SET', name: 'set', yaml: deployment(`${APP}      priorityClassName: low\n`), expected: [] },
  { id: 'K8S-ROLLOUT-STRATEGY-NOT-ROLLING', name: 'Recreate', yaml: deployment(APP, '  strategy: {type: Recreate}\n'), expected: ['K8S-ROLLOUT-STRATEGY-NOT-ROLLING spec.strategy.type @6'] },
  { id: 'K8S-ROLLOUT-STRATEGY-NOT-ROLLING', name: 'default', yaml: deployment(APP), expected: [] },
  {
    id: 'K8S-CRONJOB-NO-DEADLINE',
    name: 'no deadline',
    yaml: 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: "0 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers: [{name: a, image: "busybox:1.36"}]\n',
    expected: ['K8S-CRONJOB-NO-DEADLINE spec.startingDeadlineSeconds @4'],
  },
  { id: 'K8S-CRONJOB-NO-DEADLINE', name: 'deadline', yaml: 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  startingDeadlineSeconds: 200\n  schedule: "0 * * * *"\n', expected: [] },
  {
    id: 'K8S-RESTART-POLICY-INVALID',
    name: 'Job without, Deployment with Never',
    yaml: 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n      containers: [{name: a, image: "busybox:1.36"}]\n---\n' + deployment(`${APP}      restartPolicy: Never\n`),
    expected: ['K8S-RESTART-POLICY-INVALID spec.template.spec.restartPolicy @6', 'K8S-RESTART-POLICY-INVALID spec.template.spec.restartPolicy @22'],
  },
  { id: 'K8S-RESTART-POLICY-INVALID', name: 'valid', yaml: 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: a, image: "busybox:1.36"}]\n---\n' + deployment(APP), expected: [] },
  {
    id: 'K8S-JOB-TTL-MISUSE',
    name: 'standalone without, CronJob with',
    yaml: 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template: {spec: {restartPolicy: Never, containers: [{name: a, image: "b:1"}]}}\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  jobTemplate:\n    spec:\n      ttlSecondsAfterFinished: 60\n',
    expected: ['K8S-JOB-TTL-MISUSE spec.ttlSecondsAfterFinished @4', 'K8S-JOB-TTL-MISUSE spec.jobTemplate.spec.ttlSecondsAfterFinished @13'],
  },
  { id: 'K8S-JOB-TTL-MISUSE', name: 'owned by CronJob, or with TTL', yaml: 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j, ownerReferences: [{kind: CronJob, name: c}]}\nspec: {}\n---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: k}\nspec: {ttlSecondsAfterFinished: 100}\n', expected: [] },
  { id: 'K8S-DNSCONFIG-OPTIONS-MISSING', name: 'no ndots', yaml: deployment(`${APP}      dnsConfig: {options: [{name: timeout, value: "2"}]}\n`), expected: ['K8S-DNSCONFIG-OPTIONS-MISSING spec.template.spec.dnsConfig.options @14'] },
  { id: 'K8S-DNSCONFIG-OPTIONS-MISSING', name: 'ndots', yaml: deployment(`${APP}      dnsConfig: {options: [{name: ndots, value: "2"}]}\n`), expected: [] },
  {
    id: 'K8S-SELECTOR-MISMATCH',
    name: 'mismatch and missing',
    yaml: deployment(APP).replace('matchLabels: {app: web}', 'matchLabels: {app: api}') + '---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d}\nspec:\n  template:\n    metadata: {labels: {app: d}}\n    spec:\n' + APP,
    expected: ['K8S-SELECTOR-MISMATCH spec.selector @7', 'K8S-SELECTOR-MISMATCH spec.selector @18'],
  },
  { id: 'K8S-SELECTOR-MISMATCH', name: 'match; RC without selector', yaml: deployment(APP) + '---\napiVersion: v1\nkind: ReplicationController\nmetadata: {name: rc}\nspec:\n  template:\n    metadata: {labels: {app: rc}}\n    spec:\n' + APP, expected: [] },
  {
    id: 'K8S-STATEFULSET-SERVICE-INVALID',
    name: 'not headless',
    yaml: 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  serviceName: db\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec:\n' + APP + '---\napiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec: {selector: {app: db}, ports: [{port: 5432}]}\n',
    expected: ['K8S-STATEFULSET-SERVICE-INVALID spec.serviceName @5'],
  },
  {
    id: 'K8S-STATEFULSET-SERVICE-INVALID',
    name: 'headless and selecting',
    yaml: 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  serviceName: db\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec:\n' + APP + '---\napiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}\n',
    expected: [],
  },
  {
    id: 'K8S-DUPLICATE-ENV-VAR',
    name: 'duplicate',
    yaml: deployment('      containers:\n        - name: app\n          image: nginx:1.27\n          env:\n            - {name: A, value: "1"}\n            - {name: B, value: "2"}\n            - {name: A, value: "3"}\n'),
    expected: ['K8S-DUPLICATE-ENV-VAR spec.template.spec.containers[0].env[2].name @17'],
  },
  { id: 'K8S-DUPLICATE-ENV-VAR', name: 'unique per container', yaml: deployment('      containers:\n        - {name: a, image: "x:1", env: [{name: A}]}\n        - {name: b, image: "x:1", env: [{name: A}]}\n'), expected: [] },
  {
    id: 'K8S-PORT-DEFINITION-INVALID',
    name: 'bad names and targetPort',
    yaml: deployment('      containers:\n        - name: app\n          image: nginx:1.27\n          ports:\n            - {name: http, containerPort: 80}\n            - {name: HTTP_ALT, containerPort: 81}\n            - {name: a-very-long-port-name, containerPort: 82}\n        - name: side\n          image: envoy:1\n          ports: [{name: http, containerPort: 90}]\n') + '---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n    - {port: 80, targetPort: Web_Port}\n    - {port: 81, targetPort: 70000}\n',
    expected: [
      'K8S-PORT-DEFINITION-INVALID spec.template.spec.containers[0].ports[1].name @16',
      'K8S-PORT-DEFINITION-INVALID spec.template.spec.containers[0].ports[2].name @17',
      'K8S-PORT-DEFINITION-INVALID spec.template.spec.containers[1].ports[0].name @20',
      'K8S-PORT-DEFINITION-INVALID spec.ports[0].targetPort @27',
      'K8S-PORT-DEFINITION-INVALID spec.ports[1].targetPort @28',
    ],
  },
  { id: 'K8S-PORT-DEFINITION-INVALID', name: 'valid', yaml: deployment(PROBED) + '---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [{port: 80, targetPort: http}, {port: 81, targetPort: "8080"}]\n', expected: [] },
  { id: 'K8S-NAKED-POD', name: 'bare pod', yaml: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: [{name: a, image: "b:1"}]\n', expected: ['K8S-NAKED-POD metadata.ownerReferences @3'] },
  { id: 'K8S-NAKED-POD', name: 'owned pod', yaml: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  ownerReferences: [{kind: ReplicaSet, name: rs}]\nspec:\n  containers: [{name: a, image: "b:1"}]\n', expected: [] },
  { id: 'K8S-INSTANCE-LABEL-MISMATCH', name: 'copy-pasted', yaml: deployment(APP).replace('  name: web\n', '  name: web\n  labels: {app.kubernetes.io/instance: api}\n'), expected: ['K8S-INSTANCE-LABEL-MISMATCH metadata.labels["app.kubernetes.io/instance"] @5'] },
  { id: 'K8S-INSTANCE-LABEL-MISMATCH', name: 'equal', yaml: deployment(APP).replace('  name: web\n', '  name: web\n  labels: {app.kubernetes.io/instance: web}\n'), expected: [] },
  { id: 'K8S-REQUIRED-LABELS-MISSING', name: 'no owner', yaml: deployment(APP), expected: ['K8S-REQUIRED-LABELS-MISSING metadata.labels.owner @3'] },
  { id: 'K8S-REQUIRED-LABELS-MISSING', name: 'owner', yaml: deployment(APP).replace('  name: web\n', '  name: web\n  labels: {owner: team-a}\n'), expected: [] },
  {
    id: 'K8S-REQUIRED-ANNOTATIONS-MISSING',
    name: 'missing and malformed',
    yaml: deployment(APP, '', 'a') + '---\n' + deployment(APP, '', 'b').replace('  name: b\n', '  name: b\n  annotations: {email: nobody}\n'),
    expected: ['K8S-REQUIRED-ANNOTATIONS-MISSING metadata.annotations.email @3', 'K8S-REQUIRED-ANNOTATIONS-MISSING metadata.annotations.email @18'],
  },
  { id: 'K8S-REQUIRED-ANNOTATIONS-MISSING', name: 'email', yaml: deployment(APP).replace('  name: web\n', '  name: web\n  annotations: {email: team@example.com}\n'), expected: [] },
  {
    id: 'K8S-API-VERSION-REMOVED',
    name: 'removed APIs',
    yaml: 'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: i}\n---\napiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata: {name: p}\n---\napiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: c}\n',
    expected: ['K8S-API-VERSION-REMOVED apiVersion @1', 'K8S-API-VERSION-REMOVED apiVersion @5', 'K8S-API-VERSION-REMOVED apiVersion @9'],
  },
  {
    id: 'K8S-API-VERSION-REMOVED',
    name: 'current APIs, or removed after the target version',
    yaml: 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\n---\napiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\n',
    settings: { kubernetesVersion: '1.25' },
    expected: [],
  },
  {
    id: 'K8S-MANIFEST-INVALID',
    name: 'structural errors',
    yaml: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels: {version: 1.0, tier: "-bad", enabled: on}\n  namespace: n\nspec:\n  replicas: "3"\n  template:\n    spec:\n      containers:\n        - image: nginx:1.27\n          ports: [{containerPort: 0}]\n        - name: b\n',
    expected: [
      'K8S-MANIFEST-INVALID metadata.name @3',
      'K8S-MANIFEST-INVALID metadata.labels.version @4',
      'K8S-MANIFEST-INVALID metadata.labels.tier @4',
      'K8S-MANIFEST-INVALID metadata.labels.enabled @4', // `on` is a boolean to Kubernetes
      'K8S-MANIFEST-INVALID metadata.namespace @5', // `n` is false to Kubernetes
      'K8S-MANIFEST-INVALID spec.replicas @7',
      'K8S-MANIFEST-INVALID spec.template.spec.containers[0].name @11',
      'K8S-MANIFEST-INVALID spec.template.spec.containers[0].ports[0].containerPort @12',
      'K8S-MANIFEST-INVALID spec.template.spec.containers[1].image @13',
    ],
  },
  { id: 'K8S-MANIFEST-INVALID', name: 'valid', yaml: deployment(PROBED).replace('  name: web\n', '  name: web\n  labels: {version: "1.0"}\n'), expected: [] },
];

for (const c of cases) {
  test(`${c.id}: ${c.name}`, async () => {
    const config: BosunConfig = { waivers: [], checks: { enable: ['*'], settings: c.settings ?? {} } };
    const report = await scanYaml(c.yaml, { only: check(c.id), config });
    assert.deepEqual(summarize(report.findings), c.expected);
  });
}

test('every reliability check has a failing and a passing case', () => {
  const failing = new Set(cases.filter((c) => c.expected.length > 0).map((c) => c.id));
  const passing = new Set(cases.filter((c) => c.expected.length === 0).map((c) => c.id));
  assert.deepEqual(reliabilityChecks.filter((c) => !failing.has(c.id) || !passing.has(c.id)).map((c) => c.id), []);
});

test('removed API table covers the well-known removals', () => {
  assert.equal(REMOVED_APIS.get('extensions/v1beta1 Deployment')?.removedIn, '1.16');
  assert.equal(REMOVED_APIS.get('policy/v1beta1 PodDisruptionBudget')?.replacement, 'policy/v1');
  assert.equal(REMOVED_APIS.get('flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema')?.removedIn, '1.32');
  assert.equal(REMOVED_APIS.get('apps/v1 Deployment'), undefined);
});

test('reliability checks tolerate odd input', async () => {
  const yaml = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x, labels: null}\nspec:\n  replicas: null\n  selector: 5\n  strategy: []\n  template:\n    metadata: {labels: [1]}\n    spec:\n      containers: [null, 3, {name: a, env: 4, ports: "x", livenessProbe: {httpGet: 1}}]\n      topologySpreadConstraints: {a: 1}\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: p}\nspec: 7\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\nspec: {scaleTargetRef: null}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [null]}\n';
  const config: BosunConfig = { waivers: [], checks: { enable: ['*'] } };
  const report = await scanYaml(yaml, { only: reliabilityChecks, config });
  assert.ok(report.findings.length > 0);
});
