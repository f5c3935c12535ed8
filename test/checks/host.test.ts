import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanYaml, summarize } from '../helpers.ts';
import type { Check } from '../../src/checks/types.ts';
import type { BosunConfig } from '../../src/config/types.ts';
import { hostChecks } from '../../src/checks/host/index.ts';
import { normalizeHostPath, overlaps } from '../../src/checks/host/host-paths.ts';

/** Turns on the opt-in checks too. */
const ALL_ON: BosunConfig = { waivers: [], checks: { enable: ['*'] } };

function check(id: string): Check {
  const found = hostChecks.find((c) => c.id === id);
  if (found === undefined) throw new Error(`no check ${id}`);
  return found;
}

/** A Pod whose spec body starts on line 6. */
const pod = (spec: string): string => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${spec}`;
const APP = `  containers:\n    - name: app\n      image: nginx\n`;
/** A pod with one hostPath volume at `path`, `hostPath.path` on line 12. */
const hostPathPod = (path: string): string => pod(`${APP}  volumes:\n    - name: h\n      hostPath:\n        path: ${path}\n`);

interface Case {
  id: string;
  name: string;
  yaml: string;
  expect: string[];
}

const cases: Case[] = [
  { id: 'K8S-HOST-PID', name: 'hostPID true', yaml: pod(`  hostPID: true\n${APP}`), expect: ['K8S-HOST-PID spec.hostPID @6'] },
  { id: 'K8S-HOST-PID', name: 'hostPID false', yaml: pod(`  hostPID: false\n${APP}`), expect: [] },
  { id: 'K8S-HOST-IPC', name: 'hostIPC true in a CronJob', yaml: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: c
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          hostIPC: true
          containers:
            - name: app
              image: nginx
`, expect: ['K8S-HOST-IPC spec.jobTemplate.spec.template.spec.hostIPC @11'] },
  { id: 'K8S-HOST-IPC', name: 'unset', yaml: pod(APP), expect: [] },
  { id: 'K8S-HOST-NETWORK', name: 'hostNetwork true', yaml: pod(`${APP}  hostNetwork: true\n`), expect: ['K8S-HOST-NETWORK spec.hostNetwork @9'] },
  { id: 'K8S-HOST-NETWORK', name: 'string "true" is not true', yaml: pod(`${APP}  hostNetwork: "true"\n`), expect: [] },

  { id: 'K8S-HOST-PORT', name: 'hostPort set; 0 allowed', yaml: pod(`${APP}      ports:\n        - containerPort: 80\n          hostPort: 8080\n        - containerPort: 81\n          hostPort: 0\n`), expect: ['K8S-HOST-PORT spec.containers[0].ports[0].hostPort @11'] },
  { id: 'K8S-HOST-PORT', name: 'no hostPort', yaml: pod(`${APP}      ports: [{containerPort: 80}]\n`), expect: [] },

  { id: 'K8S-HOST-PATH-VOLUME', name: 'any hostPath', yaml: hostPathPod('/tmp/data'), expect: ['K8S-HOST-PATH-VOLUME spec.volumes[0].hostPath @11'] },
  { id: 'K8S-HOST-PATH-VOLUME', name: 'emptyDir', yaml: pod(`${APP}  volumes:\n    - name: e\n      emptyDir: {}\n`), expect: [] },

  { id: 'K8S-WRITABLE-HOST-PATH', name: 'writable in one container, readOnly in the other', yaml: pod(`  containers:
    - name: a
      image: nginx
      volumeMounts:
        - name: h
          mountPath: /h
        - name: e
          mountPath: /e
    - name: b
      image: nginx
      volumeMounts:
        - {name: h, mountPath: /h, readOnly: true}
  volumes:
    - name: h
      hostPath: {path: /var/log}
    - name: e
      emptyDir: {}
`), expect: ['K8S-WRITABLE-HOST-PATH spec.containers[0].volumeMounts[0].readOnly @10'] },

  { id: 'K8S-WRITABLE-HOST-PATH', name: 'hostPath volume not mounted by any container', yaml: hostPathPod('/var/log'), expect: [] },

  { id: 'K8S-SENSITIVE-HOST-PATH', name: '/etc/ with trailing slash', yaml: hostPathPod('/etc/'), expect: ['K8S-SENSITIVE-HOST-PATH spec.volumes[0].hostPath.path @12'] },
  { id: 'K8S-SENSITIVE-HOST-PATH', name: 'under /var/lib/kubelet', yaml: hostPathPod('/var/lib/kubelet/pods'), expect: ['K8S-SENSITIVE-HOST-PATH spec.volumes[0].hostPath.path @12'] },
  { id: 'K8S-SENSITIVE-HOST-PATH', name: 'parent /var exposes /var/run', yaml: hostPathPod('/var'), expect: ['K8S-SENSITIVE-HOST-PATH spec.volumes[0].hostPath.path @12'] },
  { id: 'K8S-SENSITIVE-HOST-PATH', name: 'root', yaml: hostPathPod('/'), expect: ['K8S-SENSITIVE-HOST-PATH spec.volumes[0].hostPath.path @12'] },
  { id: 'K8S-SENSITIVE-HOST-PATH', name: '/var/log is not in the list', yaml: hostPathPod('/var/log'), expect: [] },
  { id: 'K8S-SENSITIVE-HOST-PATH', name: '/etcetera is not /etc', yaml: hostPathPod('/etcetera'), expect: [] },

  { id: 'K8S-RUNTIME-SOCKET', name: 'docker.sock', yaml: hostPathPod('/var/run/docker.sock'), expect: ['K8S-RUNTIME-SOCKET spec.volumes[0].hostPath.path @12'] },
  { id: 'K8S-RUNTIME-SOCKET', name: 'containerd directory', yaml: hostPathPod('/run/containerd/'), expect: ['K8S-RUNTIME-SOCKET spec.volumes[0].hostPath.path @12'] },
  { id: 'K8S-RUNTIME-SOCKET', name: '/var/run contains sockets', yaml: hostPathPod('/var/run'), expect: ['K8S-RUNTIME-SOCKET spec.volumes[0].hostPath.path @12'] },
  { id: 'K8S-RUNTIME-SOCKET', name: 'custom location of crio.sock', yaml: hostPathPod('/opt/crio/crio.sock'), expect: ['K8S-RUNTIME-SOCKET spec.volumes[0].hostPath.path @12'] },
  { id: 'K8S-RUNTIME-SOCKET', name: 'other /run files', yaml: hostPathPod('/run/xtables.lock'), expect: [] },

  { id: 'K8S-CLOUD-CREDENTIALS-PATH', name: 'azure.json', yaml: hostPathPod('/etc/kubernetes/azure.json'), expect: ['K8S-CLOUD-CREDENTIALS-PATH spec.volumes[0].hostPath.path @12'] },
  { id: 'K8S-CLOUD-CREDENTIALS-PATH', name: '~/.aws', yaml: hostPathPod('/home/ubuntu/.aws'), expect: ['K8S-CLOUD-CREDENTIALS-PATH spec.volumes[0].hostPath.path @12'] },
  { id: 'K8S-CLOUD-CREDENTIALS-PATH', name: 'unrelated path', yaml: hostPathPod('/data'), expect: [] },

  { id: 'K8S-HOST-ALIASES', name: 'one alias', yaml: pod(`${APP}  hostAliases:\n    - ip: 10.0.0.1\n      hostnames: [db.internal]\n`), expect: ['K8S-HOST-ALIASES spec.hostAliases[0] @10'] },
  { id: 'K8S-HOST-ALIASES', name: 'empty list', yaml: pod(`${APP}  hostAliases: []\n`), expect: [] },
];

for (const c of cases) {
  test(`${c.id}: ${c.name}`, async () => {
    const report = await scanYaml(c.yaml, { only: check(c.id), config: ALL_ON });
    assert.deepEqual(summarize(report.findings), c.expect);
  });
}

test('every host check has a failing and a passing case', () => {
  const failing = new Set(cases.filter((c) => c.expect.length > 0).map((c) => c.id));
  const passing = new Set(cases.filter((c) => c.expect.length === 0).map((c) => c.id));
  assert.deepEqual(hostChecks.filter((c) => !failing.has(c.id) || !passing.has(c.id)).map((c) => c.id), []);
});

test('host paths are normalised before matching', () => {
  assert.deepEqual(['/var/run/', '//etc//kubernetes/', 'var/./lib/../run', '', '/..'].map(normalizeHostPath), ['/var/run', '/etc/kubernetes', '/var/run', '/', '/']);
  assert.deepEqual([overlaps('/etc/ssl', '/etc'), overlaps('/var', '/var/run'), overlaps('/tmp', '/'), overlaps('/', '/'), overlaps('/etcd', '/etc')], [true, true, false, true, false]);
});

test('runtime socket message names the socket a directory exposes', async () => {
  const report = await scanYaml(hostPathPod('/var/run/'), { only: check('K8S-RUNTIME-SOCKET') });
  assert.equal(report.findings[0]?.message, 'volume "h" mounts a directory containing the runtime socket /var/run/docker.sock (/var/run/)');
});
