import type { ResourceTarget } from '../../src/core/finding.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanYaml, summarize } from '../helpers.ts';
import type { Check } from '../../src/checks/types.ts';
import type { BosunConfig } from '../../src/config/types.ts';
import { accessChecks } from '../../src/checks/access/index.ts';

/** Opt-in checks run too: the tests name the one check they exercise. */
const ENABLE_ALL: BosunConfig = { waivers: [], checks: { enable: ['*'] } };

function check(id: string): Check {
  const c = accessChecks.find((x) => x.id === id);
  if (c === undefined) throw new Error(`no check ${id}`);
  return c;
}

/** A Pod in namespace `team` whose spec lines (indented two spaces) start at line 5. */
function pod(spec: string, name = 'p'): string {
  return `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: team}
spec:
${spec}`;
}

const SERVICE_ACCOUNT = (name: string, extra = ''): string => `apiVersion: v1
kind: ServiceAccount
metadata: {name: ${name}, namespace: team}
${extra}`;

interface Case {
  id: string;
  fail: string;
  expected: string[];
  pass: string;
}

const CASES: Case[] = [
  {
    id: 'K8S-SA-TOKEN-AUTOMOUNT',
    fail: pod('  serviceAccountName: app\n  containers: [{name: c, image: x}]\n') + '---\n' + pod('  automountServiceAccountToken: true\n  containers: [{name: c, image: x}]\n', 'q'),
    expected: ['K8S-SA-TOKEN-AUTOMOUNT spec.automountServiceAccountToken @4', 'K8S-SA-TOKEN-AUTOMOUNT spec.automountServiceAccountToken @12'],
    pass: pod('  automountServiceAccountToken: false\n  containers: [{name: c, image: x}]\n') + '---\n' + pod('  serviceAccountName: quiet\n  containers: [{name: c, image: x}]\n', 'q') + '---\n' + SERVICE_ACCOUNT('quiet', 'automountServiceAccountToken: false\n'),
  },
  {
    id: 'K8S-DEFAULT-SA-AUTOMOUNT',
    fail: SERVICE_ACCOUNT('default'),
    expected: ['K8S-DEFAULT-SA-AUTOMOUNT automountServiceAccountToken @1'],
    pass: SERVICE_ACCOUNT('default', 'automountServiceAccountToken: false\n') + '---\n' + SERVICE_ACCOUNT('app'),
  },
  {
    id: 'K8S-DEFAULT-SA-BOUND',
    fail: `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b, namespace: team}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects:
  - {kind: ServiceAccount, name: app}
  - {kind: ServiceAccount, name: default}
`,
    expected: ['K8S-DEFAULT-SA-BOUND subjects[1] @7'],
    pass: `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b, namespace: team}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: User, name: default}, {kind: ServiceAccount, name: app}]
`,
  },
  {
    id: 'K8S-DEFAULT-SA-USED',
    fail: pod('  containers: [{name: c, image: x}]\n') + '---\n' + pod('  serviceAccountName: default\n  containers: [{name: c, image: x}]\n', 'q'),
    expected: ['K8S-DEFAULT-SA-USED spec.serviceAccountName @4', 'K8S-DEFAULT-SA-USED spec.serviceAccountName @11'],
    pass: pod('  serviceAccountName: app\n  containers: [{name: c, image: x}]\n'),
  },
  {
    id: 'K8S-SA-MISSING',
    fail: pod('  serviceAccountName: ghost\n  containers: [{name: c, image: x}]\n') + '---\n' + SERVICE_ACCOUNT('ghost').replace('team', 'elsewhere'),
    expected: ['K8S-SA-MISSING spec.serviceAccountName @5'],
    pass: pod('  serviceAccountName: app\n  containers: [{name: c, image: x}]\n') + '---\n' + SERVICE_ACCOUNT('app') + '---\n' + pod('  containers: [{name: c, image: x}]\n', 'q'),
  },
  {
    id: 'K8S-SA-DEPRECATED-FIELD',
    fail: pod('  serviceAccount: old\n  serviceAccountName: new\n  containers: [{name: c, image: x}]\n'),
    expected: ['K8S-SA-DEPRECATED-FIELD spec.serviceAccount @5'],
    pass: pod('  serviceAccountName: new\n  containers: [{name: c, image: x}]\n'),
  },
  {
    id: 'K8S-SECRET-IN-ENV',
    fail: pod(`  containers:
    - name: c
      image: x
      env:
        - {name: A, value: plain}
        - name: DB_PASSWORD
          valueFrom: {secretKeyRef: {name: db, key: password}}
      envFrom:
        - configMapRef: {name: settings}
        - secretRef: {name: api-keys}
`),
    expected: ['K8S-SECRET-IN-ENV spec.containers[0].env[1].valueFrom.secretKeyRef @11', 'K8S-SECRET-IN-ENV spec.containers[0].envFrom[1].secretRef @14'],
    pass: pod(`  containers:
    - name: c
      image: x
      env: [{name: A, valueFrom: {configMapKeyRef: {name: s, key: a}}}]
      volumeMounts: [{name: db, mountPath: /secrets}]
  volumes: [{name: db, secret: {secretName: db}}]
`),
  },
  {
    id: 'K8S-ENV-HARDCODED-CREDENTIAL',
    fail: pod(`  containers:
    - name: c
      image: x
      env:
        - {name: DB_PASSWORD, value: hunter2hunter2}
        - {name: SOME_VALUE, value: AKIAIOSFODNN7EXAMPLE}
        - {name: GITHUB_TOKEN, value: ghp_abcdefghijklmnopqrstuvwxyz0123456789}
        - {name: DATABASE_URL, value: "postgres://app:s3cr3tpw@db:5432/app"}
        - {name: apiKey, value: 12345678901234}
`),
    expected: [
      'K8S-ENV-HARDCODED-CREDENTIAL spec.containers[0].env[0].value @9',
      'K8S-ENV-HARDCODED-CREDENTIAL spec.containers[0].env[1].value @10',
      'K8S-ENV-HARDCODED-CREDENTIAL spec.containers[0].env[2].value @11',
      'K8S-ENV-HARDCODED-CREDENTIAL spec.containers[0].env[3].value @12',
      'K8S-ENV-HARDCODED-CREDENTIAL spec.containers[0].env[4].value @13',
    ],
    pass: pod(`  containers:
    - name: c
      image: x
      env:
        - {name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: db, key: pw}}}
        - {name: DB_PASSWORD_FILE, value: /run/secrets/db}
        - {name: TOKEN_URL, value: "https://auth.example.com/token"}
        - {name: SECRET_NAME, value: my-secret}
        - {name: API_TOKEN, value: "$(TOKEN_FROM_SECRET)"}
        - {name: PASSWORD, value: ""}
        - {name: TOKEN_TTL_SECONDS, value: "3600"}
        - {name: ENABLE_TOKEN_AUTH, value: "true"}
        - {name: DATABASE_URL, value: "postgres://app:$(DB_PASSWORD)@db/app"}
        - {name: PWD, value: /app}
`),
  },
  {
    id: 'K8S-CONFIGMAP-CREDENTIAL',
    fail: `apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: team}
data:
  log_level: debug
  admin-password: Tr0ub4dor&3
  app.properties: |
    server.port=8080
    spring.datasource.password=correct-horse
  tls.key: |
    -----BEGIN PRIVATE KEY-----
    MIIEvQIBADANBgkqhkiG9w0BAQEFAASC
    -----END PRIVATE KEY-----
`,
    expected: ['K8S-CONFIGMAP-CREDENTIAL data.admin-password @6', 'K8S-CONFIGMAP-CREDENTIAL data["app.properties"] @7', 'K8S-CONFIGMAP-CREDENTIAL data["tls.key"] @10'],
    pass: `apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: team}
data:
  password_min_length: "12"
  token-endpoint: https://auth.example.com/token
  app.properties: |
    spring.datasource.password=\${DB_PASSWORD}
    spring.datasource.username=app
  values.yaml: |
    password: {{ .Values.password }}
    token:
`,
  },
  {
    id: 'K8S-ENV-REF-MISSING',
    fail: pod(`  containers:
    - name: c
      image: x
      env:
        - name: A
          valueFrom: {secretKeyRef: {name: gone, key: a}}
        - name: B
          valueFrom: {configMapKeyRef: {name: gone-cm, key: b, optional: true}}
      envFrom: [{configMapRef: {name: settings}}, {secretRef: {name: present}}]
`) + `---
apiVersion: v1
kind: Secret
metadata: {name: present, namespace: team}
`,
    expected: ['K8S-ENV-REF-MISSING spec.containers[0].env[0].valueFrom.secretKeyRef.name @10', 'K8S-ENV-REF-MISSING spec.containers[0].envFrom[0].configMapRef.name @13'],
    pass: pod(`  containers:
    - name: c
      image: x
      envFrom: [{secretRef: {name: present}}, {configMapRef: {name: optional-one, optional: true}}]
`) + `---
apiVersion: v1
kind: Secret
metadata: {name: present, namespace: team}
`,
  },
  {
    id: 'K8S-WORKLOAD-MOUNTS',
    fail: pod(`  containers: [{name: c, image: x}]
  volumes:
    - {name: a, secret: {secretName: tls}}
    - {name: b, configMap: {name: cfg}}
    - {name: c, persistentVolumeClaim: {claimName: data}}
    - name: d
      projected:
        sources: [{serviceAccountToken: {path: t}}, {secret: {name: extra}}]
`),
    expected: [
      'K8S-WORKLOAD-MOUNTS spec.volumes[0].secret.secretName @7',
      'K8S-WORKLOAD-MOUNTS spec.volumes[1].configMap.name @8',
      'K8S-WORKLOAD-MOUNTS spec.volumes[2].persistentVolumeClaim.claimName @9',
      'K8S-WORKLOAD-MOUNTS spec.volumes[3].projected.sources[1].secret.name @12',
    ],
    pass: pod('  containers: [{name: c, image: x}]\n  volumes: [{name: tmp, emptyDir: {}}]\n'),
  },
];

for (const c of CASES) {
  test(`${c.id}: flags the failing manifest`, async () => {
    const report = await scanYaml(c.fail, { only: check(c.id), config: ENABLE_ALL });
    assert.deepEqual(summarize(report.findings), c.expected);
  });
  test(`${c.id}: passes the compliant manifest`, async () => {
    const report = await scanYaml(c.pass, { only: check(c.id), config: ENABLE_ALL });
    assert.deepEqual(summarize(report.findings.filter((f) => f.ruleId === c.id)), []);
  });
}

const SECRET_VALUES = ['hunter2hunter2', 'AKIAIOSFODNN7EXAMPLE', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', 's3cr3tpw', 'Tr0ub4dor&3', 'correct-horse', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'];

test('a credential value never appears in any finding field', async () => {
  const yaml = CASES.filter((c) => c.id === 'K8S-ENV-HARDCODED-CREDENTIAL' || c.id === 'K8S-CONFIGMAP-CREDENTIAL').map((c) => c.fail).join('---\n');
  const report = await scanYaml(yaml, { only: accessChecks, config: ENABLE_ALL });
  assert.equal(report.findings.filter((f) => f.ruleId.endsWith('CREDENTIAL')).length, 8);
  const text = JSON.stringify(report);
  for (const value of SECRET_VALUES) assert.ok(!text.includes(value), `leaked ${value}`);
  for (const value of SECRET_VALUES) assert.ok(!text.includes(value.slice(0, 3) + '***'));
});

test('credential findings say why without the value', async () => {
  const report = await scanYaml(CASES.find((c) => c.id === 'K8S-ENV-HARDCODED-CREDENTIAL')!.fail, { only: check('K8S-ENV-HARDCODED-CREDENTIAL') });
  assert.deepEqual(report.findings.map((f) => f.message), [
    'container "c" env "DB_PASSWORD" holds a hard-coded credential: the name "DB_PASSWORD" says it holds a credential and the value is a literal (value redacted)',
    'container "c" env "SOME_VALUE" holds a hard-coded credential: the value looks like an AWS access key ID (value redacted)',
    'container "c" env "GITHUB_TOKEN" holds a hard-coded credential: the value looks like a GitHub token (value redacted)',
    'container "c" env "DATABASE_URL" holds a hard-coded credential: the value looks like a URL with an embedded password (value redacted)',
    'container "c" env "apiKey" holds a hard-coded credential: the name "apiKey" says it holds a credential and the value is a literal (value redacted)',
  ]);
});

test('credential patterns are configurable; invalid user patterns are ignored', async () => {
  const yaml = pod(`  containers:
    - name: c
      image: x
      env: [{name: DB_PASSWORD, value: hunter2hunter2}, {name: MY_PIN, value: "8642"}]
`);
  const config: BosunConfig = { waivers: [], checks: { settings: { credentialKeyPatterns: ['_pin$', '(['], credentialValueAllowPatterns: [] } } };
  const report = await scanYaml(yaml, { only: check('K8S-ENV-HARDCODED-CREDENTIAL'), config });
  assert.deepEqual(summarize(report.findings), ['K8S-ENV-HARDCODED-CREDENTIAL spec.containers[0].env[1].value @8']);
});

test('K8S-SA-TOKEN-AUTOMOUNT: the pod overrides its ServiceAccount', async () => {
  const yaml = pod('  serviceAccountName: quiet\n  automountServiceAccountToken: true\n  containers: [{name: c, image: x}]\n') + '---\n' + SERVICE_ACCOUNT('quiet', 'automountServiceAccountToken: false\n') +
    '---\n' + pod('  serviceAccountName: loud\n  containers: [{name: c, image: x}]\n', 'q') + '---\n' + SERVICE_ACCOUNT('loud', 'automountServiceAccountToken: true\n');
  const report = await scanYaml(yaml, { only: check('K8S-SA-TOKEN-AUTOMOUNT') });
  assert.deepEqual(report.findings.map((f) => `${(f.target as ResourceTarget).name}: ${f.message}`), [
    'p: the ServiceAccount token is mounted: the pod sets automountServiceAccountToken: true',
    'q: the ServiceAccount token is mounted: ServiceAccount "loud" sets automountServiceAccountToken: true',
  ]);
});

test('workload kinds: the pod template of a CronJob is read', async () => {
  const yaml = `apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: team}
spec:
  schedule: "0 0 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          serviceAccount: old
          containers: [{name: c, image: x, env: [{name: API_KEY, value: abcdef123456}]}]
`;
  const report = await scanYaml(yaml, { only: accessChecks });
  assert.deepEqual(summarize(report.findings), [
    'K8S-SA-TOKEN-AUTOMOUNT spec.jobTemplate.spec.template.spec.automountServiceAccountToken @9',
    'K8S-SA-DEPRECATED-FIELD spec.jobTemplate.spec.template.spec.serviceAccount @10',
    'K8S-SA-MISSING spec.jobTemplate.spec.template.spec.serviceAccount @10',
    'K8S-ENV-HARDCODED-CREDENTIAL spec.jobTemplate.spec.template.spec.containers[0].env[0].value @11',
  ]);
});

test('odd access input never throws', async () => {
  const yaml = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  serviceAccountName: [a]
  volumes: [null, {name: v, secret: 5}, {projected: {sources: [null, {secret: {name: 3}}]}}]
  containers:
    - name: c
      env: [null, {name: 5, value: {a: 1}}, {valueFrom: null}, {valueFrom: {secretKeyRef: 7}}]
      envFrom: [null, {secretRef: []}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c}
data: [1, 2]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: default}
automountServiceAccountToken: "false"
`;
  const report = await scanYaml(yaml, { only: accessChecks, config: ENABLE_ALL });
  assert.deepEqual(summarize(report.findings), [
    'K8S-SA-TOKEN-AUTOMOUNT spec.automountServiceAccountToken @4',
    'K8S-DEFAULT-SA-USED spec.serviceAccountName @5',
    'K8S-DEFAULT-SA-AUTOMOUNT automountServiceAccountToken @20',
  ]);
});

test('every access check has metadata for its union rows', () => {
  const ids = new Set<string>();
  for (const c of accessChecks) {
    assert.ok(!ids.has(c.id), c.id);
    ids.add(c.id);
    assert.match(c.id, /^K8S-[A-Z0-9-]+$/);
    assert.ok(c.concepts.length > 0 && c.concepts.every((n) => n >= 91 && n <= 99), c.id);
    assert.ok(c.aliases.length > 0 && c.fields.length > 0, c.id);
  }
  const covered = new Set(accessChecks.flatMap((c) => c.concepts));
  assert.deepEqual([...covered].sort((a, b) => a - b), [91, 92, 93, 94, 95, 96, 97, 98, 99]);
});
