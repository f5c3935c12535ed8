/** Table-driven cases the upstream fixtures do not cover: version edges, exemptions, details, engine wiring. */
import type { ResourceTarget } from '../../src/core/finding.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BosunError } from '../../src/core/errors.ts';
import { evaluatePod, parsePssPolicy, policyMinor, PSS_RULES, type PssPod, type PssViolation } from '../../src/pss/index.ts';
import { scanYaml, summarize } from '../helpers.ts';

type Spec = Record<string, unknown>;

/** A pod that passes restricted at every version, with `spec` merged over it. */
function pod(spec: Spec = {}, annotations?: Record<string, string>): PssPod {
  const sc = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
  return {
    metadata: annotations === undefined ? { name: 'p' } : { name: 'p', annotations },
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      initContainers: [{ name: 'init', image: 'x', securityContext: { ...sc } }],
      containers: [{ name: 'web', image: 'x', securityContext: { ...sc } }],
      ...spec,
    },
  };
}

function ids(p: PssPod, policy: string): string[] {
  return evaluatePod(p, parsePssPolicy(policy)).map((v) => v.checkId);
}

test('parsePssPolicy: accepted forms', () => {
  const cases: Array<[string, { level: string; version: string }, number]> = [
    ['baseline', { level: 'baseline', version: 'latest' }, 37],
    ['restricted:latest', { level: 'restricted', version: 'latest' }, 37],
    ['restricted:v1.0', { level: 'restricted', version: 'v1.0' }, 0],
    ['baseline:v1.24', { level: 'baseline', version: 'v1.24' }, 24],
    ['restricted:v1.37', { level: 'restricted', version: 'v1.37' }, 37],
    ['restricted:v1.99', { level: 'restricted', version: 'v1.99' }, 37],
    ['privileged', { level: 'privileged', version: 'latest' }, 37],
  ];
  for (const [text, expected, minor] of cases) {
    const policy = parsePssPolicy(text);
    assert.deepEqual(policy, expected, text);
    assert.equal(policyMinor(policy), minor, text);
  }
});

test('parsePssPolicy: bad values throw E_USAGE naming the value', () => {
  const cases: Array<[string, string]> = [
    ['strict', 'invalid Pod Security level "strict" in "strict": expected privileged, baseline or restricted'],
    ['Restricted', 'invalid Pod Security level "Restricted" in "Restricted": expected privileged, baseline or restricted'],
    ['', 'invalid Pod Security level "" in "": expected privileged, baseline or restricted'],
    ['restricted:1.30', 'invalid Pod Security version "1.30" in "restricted:1.30": expected latest or v1.N'],
    ['restricted:v2.0', 'invalid Pod Security version "v2.0" in "restricted:v2.0": expected latest or v1.N'],
    ['baseline:v1.01', 'invalid Pod Security version "v1.01" in "baseline:v1.01": expected latest or v1.N'],
    ['baseline:', 'invalid Pod Security version "" in "baseline:": expected latest or v1.N'],
    ['baseline:v1.30:x', 'invalid Pod Security version "v1.30:x" in "baseline:v1.30:x": expected latest or v1.N'],
  ];
  for (const [text, message] of cases)
    assert.throws(() => parsePssPolicy(text), (err: unknown) => err instanceof BosunError && err.code === 'E_USAGE' && err.message === message, text);
});

test('versions above v1.37 evaluate exactly as latest', () => {
  const bad = pod({ hostNetwork: true, securityContext: { sysctls: [{ name: 'net.ipv4.tcp_notsent_lowat', value: '1' }, { name: 'kernel.msgmax', value: '1' }] } });
  const latest = evaluatePod(bad, parsePssPolicy('restricted:latest'));
  assert.deepEqual(evaluatePod(bad, parsePssPolicy('restricted:v1.40')), latest);
  assert.deepEqual(latest.map((v) => v.checkId), ['hostNamespaces', 'sysctls', 'runAsNonRoot', 'seccompProfile_restricted']);
  assert.equal(latest[1]!.detail, 'kernel.msgmax');
  // v1.36 does not yet allow net.ipv4.tcp_notsent_lowat
  assert.equal(evaluatePod(bad, parsePssPolicy('baseline:v1.36'))[1]!.detail, 'net.ipv4.tcp_notsent_lowat, kernel.msgmax');
});

test('privileged level runs no checks', () => {
  assert.deepEqual(ids(pod({ hostPID: true, volumes: [{ name: 'h', hostPath: { path: '/' } }] }), 'privileged:v1.30'), []);
});

test('seLinuxOptions: container_engine_t is allowed from v1.31 only', () => {
  const p = pod({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, seLinuxOptions: { type: 'container_engine_t' } } });
  const cases: Array<[string, string[]]> = [
    ['baseline:v1.0', ['seLinuxOptions']],
    ['baseline:v1.30', ['seLinuxOptions']],
    ['restricted:v1.30', ['seLinuxOptions']],
    ['baseline:v1.31', []],
    ['restricted:v1.31', []],
    ['baseline:latest', []],
  ];
  for (const [policy, expected] of cases) assert.deepEqual(ids(p, policy), expected, policy);
  const [v] = evaluatePod(p, parsePssPolicy('baseline:v1.30'));
  assert.deepEqual(v, {
    checkId: 'seLinuxOptions',
    level: 'baseline',
    reason: 'seLinuxOptions',
    detail: 'pod set forbidden securityContext.seLinuxOptions: type "container_engine_t"',
    paths: [['spec', 'securityContext', 'seLinuxOptions', 'type']],
  });
});

test('Windows pods are exempt from allowPrivilegeEscalation, capabilities and seccomp from v1.25, not from runAsNonRoot', () => {
  const windows: PssPod = { metadata: {}, spec: { os: { name: 'windows' }, containers: [{ name: 'w', image: 'x' }] } };
  const linux: PssPod = { metadata: {}, spec: { os: { name: 'linux' }, containers: [{ name: 'w', image: 'x' }] } };
  const all = ['allowPrivilegeEscalation', 'capabilities_restricted', 'runAsNonRoot', 'seccompProfile_restricted'];
  const cases: Array<[PssPod, string, string[]]> = [
    [windows, 'restricted:v1.24', all],
    [windows, 'restricted:v1.25', ['runAsNonRoot']],
    [windows, 'restricted:latest', ['runAsNonRoot']],
    [linux, 'restricted:v1.25', all],
    [linux, 'restricted:latest', all],
    [windows, 'restricted:v1.21', ['allowPrivilegeEscalation', 'runAsNonRoot', 'seccompProfile_restricted']],
    [windows, 'restricted:v1.7', ['runAsNonRoot']],
  ];
  for (const [p, policy, expected] of cases) assert.deepEqual(ids(p, policy), expected, `${String((p.spec.os as Spec).name)} ${policy}`);
});

test('hostUsers: false relaxes runAsNonRoot, runAsUser and baseline procMount from v1.35', () => {
  const spec = (hostUsers: boolean | undefined): PssPod => {
    const p = pod({ securityContext: { runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } } });
    if (hostUsers !== undefined) p.spec.hostUsers = hostUsers;
    (p.spec.containers as Spec[])[0]!.securityContext = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, procMount: 'Unmasked' };
    return p;
  };
  const cases: Array<[boolean | undefined, string, string[]]> = [
    [false, 'restricted:v1.34', ['procMount', 'runAsNonRoot', 'runAsUser']],
    [false, 'restricted:v1.35', ['procMount_restricted']],
    [undefined, 'restricted:v1.35', ['procMount_restricted', 'runAsNonRoot', 'runAsUser']],
    [true, 'restricted:v1.35', ['procMount_restricted', 'runAsNonRoot', 'runAsUser']],
    [false, 'baseline:v1.34', ['procMount']],
    [false, 'baseline:v1.35', []],
    [undefined, 'baseline:v1.35', ['procMount']],
    [false, 'restricted:v1.22', ['procMount', 'runAsNonRoot']],
  ];
  for (const [hostUsers, policy, expected] of cases) assert.deepEqual(ids(spec(hostUsers), policy), expected, `hostUsers=${hostUsers} ${policy}`);
});

test('volumes: a volume without a source is an emptyDir; other types are named', () => {
  const p = pod({ volumes: [{ name: 'scratch' }, { name: 'host', hostPath: { path: '/var' } }, { name: 'share', nfs: { server: 's', path: '/' } }, { name: 'cm', configMap: { name: 'c' } }] });
  assert.deepEqual(evaluatePod(p, parsePssPolicy('restricted:v1.37')), [
    {
      checkId: 'restrictedVolumes',
      level: 'restricted',
      reason: 'restricted volume types',
      detail: 'volumes "host", "share" use restricted volume types "hostPath", "nfs"',
      paths: [['spec', 'volumes', 1, 'hostPath'], ['spec', 'volumes', 2, 'nfs']],
    },
  ]);
  assert.deepEqual(evaluatePod(p, parsePssPolicy('baseline:v1.37')), [
    { checkId: 'hostPathVolumes', level: 'baseline', reason: 'hostPath volumes', detail: 'hostPath volume "host"', paths: [['spec', 'volumes', 1, 'hostPath']] },
  ]);
  assert.deepEqual(ids(pod({ volumes: [{ name: 'scratch' }] }), 'restricted:latest'), []);
});

test('details and paths name the containers and values', () => {
  const cases: Array<[string, PssPod, string, PssViolation[]]> = [
    [
      'capabilities at baseline',
      pod({ containers: [{ name: 'a', securityContext: { capabilities: { add: ['SYS_ADMIN', 'CHOWN'] } } }, { name: 'b', securityContext: { capabilities: { add: ['NET_RAW', 'SYS_ADMIN'] } } }] }),
      'baseline:v1.37',
      [{ checkId: 'capabilities_baseline', level: 'baseline', reason: 'non-default capabilities', detail: 'containers "a", "b" must not include "NET_RAW", "SYS_ADMIN" in securityContext.capabilities.add', paths: [['spec', 'containers', 0, 'securityContext', 'capabilities', 'add', 0], ['spec', 'containers', 1, 'securityContext', 'capabilities', 'add', 0], ['spec', 'containers', 1, 'securityContext', 'capabilities', 'add', 1]] }],
    ],
    [
      'host namespaces and ports',
      pod({ hostPID: true, hostIPC: true, containers: [{ name: 'web', ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 81 }] }] }),
      'baseline:v1.0',
      [
        { checkId: 'hostNamespaces', level: 'baseline', reason: 'host namespaces', detail: 'hostPID=true, hostIPC=true', paths: [['spec', 'hostPID'], ['spec', 'hostIPC']] },
        { checkId: 'hostPorts', level: 'baseline', reason: 'hostPort', detail: 'container "web" uses hostPort 8080', paths: [['spec', 'containers', 0, 'ports', 0, 'hostPort']] },
      ],
    ],
    [
      'seccomp annotations before v1.19',
      pod({}, { 'seccomp.security.alpha.kubernetes.io/pod': '', 'container.seccomp.security.alpha.kubernetes.io/web': 'unconfined', 'container.seccomp.security.alpha.kubernetes.io/other': 'unconfined' }),
      'restricted:v1.18',
      [{ checkId: 'seccompProfile_baseline', level: 'baseline', reason: 'seccompProfile', detail: 'forbidden annotation seccomp.security.alpha.kubernetes.io/pod="", annotation container.seccomp.security.alpha.kubernetes.io/web="unconfined"', paths: [['metadata', 'annotations', 'seccomp.security.alpha.kubernetes.io/pod'], ['metadata', 'annotations', 'container.seccomp.security.alpha.kubernetes.io/web']] }],
    ],
    [
      'AppArmor annotation and field',
      pod({ containers: [{ name: 'web', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, appArmorProfile: { type: 'Unconfined' } } }] }, { 'container.apparmor.security.beta.kubernetes.io/ghost': 'unconfined' }),
      'restricted:latest',
      [{ checkId: 'appArmorProfile', level: 'baseline', reason: 'forbidden AppArmor profiles', detail: 'annotation container.apparmor.security.beta.kubernetes.io/ghost="unconfined"; container "web" must not set securityContext.appArmorProfile.type to "Unconfined"', paths: [['metadata', 'annotations', 'container.apparmor.security.beta.kubernetes.io/ghost'], ['spec', 'containers', 0, 'securityContext', 'appArmorProfile', 'type']] }],
    ],
    [
      'restricted: runAsNonRoot, runAsUser, seccomp and capabilities',
      {
        metadata: {},
        spec: {
          securityContext: { runAsUser: 0 },
          containers: [
            { name: 'a', securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: false, seccompProfile: { type: 'Unconfined' }, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE', 'NET_ADMIN'] } } },
            { name: 'b', securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['all'] } } },
          ],
        },
      },
      'restricted:v1.30',
      [
        { checkId: 'capabilities_restricted', level: 'restricted', reason: 'unrestricted capabilities', detail: 'container "b" must set securityContext.capabilities.drop=["ALL"]; container "a" must not include "NET_ADMIN" in securityContext.capabilities.add', paths: [['spec', 'containers', 1, 'securityContext', 'capabilities', 'drop'], ['spec', 'containers', 0, 'securityContext', 'capabilities', 'add', 1]] },
        { checkId: 'runAsNonRoot', level: 'restricted', reason: 'runAsNonRoot != true', detail: 'container "a" must not set securityContext.runAsNonRoot=false', paths: [['spec', 'containers', 0, 'securityContext', 'runAsNonRoot']] },
        { checkId: 'runAsUser', level: 'restricted', reason: 'runAsUser=0', detail: 'pod must not set runAsUser=0', paths: [['spec', 'securityContext', 'runAsUser']] },
        { checkId: 'seccompProfile_restricted', level: 'restricted', reason: 'seccompProfile', detail: 'container "a" must not set securityContext.seccompProfile.type to "Unconfined"; pod or container "b" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"', paths: [['spec', 'containers', 0, 'securityContext', 'seccompProfile', 'type'], ['spec', 'securityContext', 'seccompProfile', 'type'], ['spec', 'containers', 1, 'securityContext', 'seccompProfile', 'type']] },
      ],
    ],
    [
      'probe host (v1.34+)',
      pod({ containers: [{ name: 'web', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } }, livenessProbe: { httpGet: { host: '10.0.0.1', port: 80 } }, lifecycle: { preStop: { tcpSocket: { host: 'metadata', port: 80 } } } }] }),
      'restricted:v1.34',
      [{ checkId: 'hostProbesAndHostLifecycle', level: 'baseline', reason: 'probe or lifecycle host', detail: 'container "web" must not set livenessProbe.httpGet.host="10.0.0.1", container "web" must not set lifecycle.preStop.tcpSocket.host="metadata"', paths: [['spec', 'containers', 0, 'livenessProbe', 'httpGet', 'host'], ['spec', 'containers', 0, 'lifecycle', 'preStop', 'tcpSocket', 'host']] }],
    ],
  ];
  for (const [name, p, policy, expected] of cases) assert.deepEqual(evaluatePod(p, parsePssPolicy(policy)), expected, name);
  // probe hosts are not checked before v1.34
  assert.deepEqual(evaluatePod(cases[5]![1], parsePssPolicy('restricted:v1.33')), []);
});

test('PSS_RULES: one rule per check with levels and CIS mappings', () => {
  assert.equal(PSS_RULES.length, 19);
  assert.equal(new Set(PSS_RULES.map((r) => r.id)).size, 19);
  for (const r of PSS_RULES) {
    assert.equal(r.category, 'pss', r.id);
    assert.equal(r.severity, r.frameworks.pss![0] === 'baseline' ? 'high' : 'medium', r.id);
  }
  const cis = Object.fromEntries(PSS_RULES.filter((r) => r.frameworks.cis !== undefined).map((r) => [r.id, r.frameworks.cis]));
  assert.deepEqual(cis, {
    'pss/capabilities_baseline': ['5.2.8', '5.2.9'],
    'pss/hostNamespaces': ['5.2.3', '5.2.4', '5.2.5'],
    'pss/hostPathVolumes': ['5.2.12'],
    'pss/hostPorts': ['5.2.13'],
    'pss/privileged': ['5.2.2'],
    'pss/windowsHostProcess': ['5.2.11'],
    'pss/allowPrivilegeEscalation': ['5.2.6'],
    'pss/capabilities_restricted': ['5.2.8', '5.2.9', '5.2.10'],
    'pss/restrictedVolumes': ['5.2.12'],
    'pss/runAsNonRoot': ['5.2.7'],
    'pss/runAsUser': ['5.2.7'],
  });
});

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
      annotations:
        container.apparmor.security.beta.kubernetes.io/web: unconfined
    spec:
      containers:
      - name: web
        image: nginx
        securityContext:
          privileged: true
`;

test('engine: a Deployment gets template paths, lines and PSA-style messages', async () => {
  const report = await scanYaml(DEPLOYMENT, { checks: [], pss: 'baseline:v1.30' });
  assert.deepEqual(summarize(report.findings), [
    'pss/appArmorProfile spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/web"] @13',
    'pss/privileged spec.template.spec.containers[0].securityContext.privileged @19',
  ]);
  assert.deepEqual(report.findings.map((f) => f.message), [
    'forbidden AppArmor profile (annotation container.apparmor.security.beta.kubernetes.io/web="unconfined") [PodSecurity "baseline:v1.30"]',
    'privileged (container "web" must not set securityContext.privileged=true) [PodSecurity "baseline:v1.30"]',
  ]);
  assert.deepEqual(report.findings[1]!.frameworks, { pss: ['baseline'], cis: ['5.2.2'] });
  assert.equal(report.findings[1]!.severity, 'high');
});

test('engine: without a pss option, namespace enforce labels in the input pick the policy', async () => {
  const yaml = `apiVersion: v1
kind: Namespace
metadata:
  name: locked
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/enforce-version: v1.24
---
apiVersion: v1
kind: Pod
metadata:
  name: in-locked
  namespace: locked
spec:
  securityContext:
    runAsNonRoot: true
    seccompProfile: {type: RuntimeDefault}
  containers:
  - name: app
    image: nginx
    securityContext:
      allowPrivilegeEscalation: false
      runAsUser: 0
---
apiVersion: v1
kind: Pod
metadata:
  name: elsewhere
  namespace: open
spec:
  hostNetwork: true
  containers:
  - name: app
    image: nginx
    securityContext: {privileged: true}
`;
  const report = await scanYaml(yaml, { checks: [] });
  assert.deepEqual(
    report.findings.map((f) => `${(f.target as ResourceTarget).name} ${f.ruleId} ${f.fieldPath} @${f.location?.line}: ${f.message}`),
    [
      'in-locked pss/capabilities_restricted spec.containers[0].securityContext.capabilities.drop @21: unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"]) [PodSecurity "restricted:v1.24"]',
      'in-locked pss/runAsUser spec.containers[0].securityContext.runAsUser @23: runAsUser=0 (container "app" must not set runAsUser=0) [PodSecurity "restricted:v1.24"]',
    ],
  );
});
