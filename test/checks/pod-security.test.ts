import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanYaml, summarize, SHARED_TESTDATA } from '../helpers.ts';
import type { Check } from '../../src/checks/types.ts';
import type { BosunConfig } from '../../src/config/types.ts';
import { podSecurityChecks } from '../../src/checks/pod-security/index.ts';
import { hostChecks } from '../../src/checks/host/index.ts';

/** Turns on the opt-in checks too. */
const ALL_ON: BosunConfig = { waivers: [], checks: { enable: ['*'] } };

function check(id: string): Check {
  const found = [...podSecurityChecks, ...hostChecks].find((c) => c.id === id);
  if (found === undefined) throw new Error(`no check ${id}`);
  return found;
}

/** A Pod whose spec body starts on line 6. */
const pod = (spec: string): string => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${spec}`;

/** Hardened enough for every pod-security check, opt-in ones included. */
const HARDENED = pod(`  hostUsers: false
  securityContext:
    runAsNonRoot: true
    runAsUser: 10001
    runAsGroup: 10001
    fsGroup: 10001
    fsGroupChangePolicy: OnRootMismatch
    supplementalGroups: [10001]
    seccompProfile: {type: RuntimeDefault}
    appArmorProfile: {type: RuntimeDefault}
    seLinuxOptions: {level: "s0:c123,c456"}
    sysctls: [{name: net.ipv4.tcp_syncookies, value: "1"}]
  containers:
    - name: app
      image: nginx
      ports: [{containerPort: 8080}]
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        procMount: Default
        capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}
  volumes:
    - name: cache
    - name: data
      persistentVolumeClaim: {claimName: data}
`);

const WINDOWS = pod(`  os: {name: windows}
  securityContext:
    runAsNonRoot: true
    windowsOptions: {runAsUserName: ContainerUser}
  containers:
    - name: app
      image: mcr.microsoft.com/windows/nanoserver
`);

interface Case {
  id: string;
  name: string;
  yaml: string;
  expect: string[];
}

const cases: Case[] = [
  { id: 'K8S-PRIVILEGED', name: 'privileged init container', yaml: pod(`  initContainers:\n    - name: init\n      image: busybox\n      securityContext: {privileged: true}\n`), expect: ['K8S-PRIVILEGED spec.initContainers[0].securityContext.privileged @9'] },

  { id: 'K8S-ALLOW-PRIVILEGE-ESCALATION', name: 'unset and explicit true', yaml: pod(`  containers:\n    - name: a\n      image: nginx\n    - name: b\n      image: nginx\n      securityContext:\n        allowPrivilegeEscalation: true\n`), expect: ['K8S-ALLOW-PRIVILEGE-ESCALATION spec.containers[0].securityContext.allowPrivilegeEscalation @7', 'K8S-ALLOW-PRIVILEGE-ESCALATION spec.containers[1].securityContext.allowPrivilegeEscalation @12'] },
  { id: 'K8S-ALLOW-PRIVILEGE-ESCALATION', name: 'windows pod exempt', yaml: WINDOWS, expect: [] },

  { id: 'K8S-RUN-AS-NON-ROOT', name: 'pod false inherited by two containers is one finding; unset container', yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      securityContext:
        runAsNonRoot: false
      containers:
        - name: a
          image: nginx
        - name: b
          image: nginx
---
${pod(`  containers:\n    - name: c\n      image: nginx\n`)}`, expect: ['K8S-RUN-AS-NON-ROOT spec.template.spec.securityContext.runAsNonRoot @9', 'K8S-RUN-AS-NON-ROOT spec.containers[0].securityContext.runAsNonRoot @22'] },
  { id: 'K8S-RUN-AS-NON-ROOT', name: 'container overrides pod false; non-zero runAsUser accepted', yaml: pod(`  securityContext:\n    runAsNonRoot: false\n  containers:\n    - name: a\n      image: nginx\n      securityContext: {runAsNonRoot: true}\n    - name: b\n      image: nginx\n      securityContext: {runAsUser: 1000}\n`), expect: [] },

  { id: 'K8S-RUN-AS-ROOT-UID', name: 'pod and container UID 0', yaml: pod(`  securityContext:\n    runAsUser: 0\n  containers:\n    - name: a\n      image: nginx\n    - name: b\n      image: nginx\n      securityContext:\n        runAsUser: 0\n`), expect: ['K8S-RUN-AS-ROOT-UID spec.securityContext.runAsUser @7', 'K8S-RUN-AS-ROOT-UID spec.containers[1].securityContext.runAsUser @14'] },
  { id: 'K8S-RUN-AS-ROOT-UID', name: 'pod root overridden by every container', yaml: pod(`  securityContext:\n    runAsUser: 0\n  containers:\n    - name: a\n      image: nginx\n      securityContext: {runAsUser: 1000}\n`), expect: [] },

  { id: 'K8S-LOW-UID', name: 'UID 1000', yaml: pod(`  securityContext:\n    runAsUser: 1000\n  containers:\n    - name: a\n      image: nginx\n`), expect: ['K8S-LOW-UID spec.securityContext.runAsUser @7'] },
  { id: 'K8S-LOW-UID', name: 'UID 0 and unset are other checks', yaml: pod(`  containers:\n    - name: a\n      image: nginx\n      securityContext: {runAsUser: 0}\n    - name: b\n      image: nginx\n`), expect: [] },

  { id: 'K8S-LOW-GID', name: 'GID 5', yaml: pod(`  containers:\n    - name: a\n      image: nginx\n      securityContext:\n        runAsGroup: 5\n`), expect: ['K8S-LOW-GID spec.containers[0].securityContext.runAsGroup @10'] },

  { id: 'K8S-ROOT-GROUP', name: 'runAsGroup, fsGroup and supplementalGroups 0', yaml: pod(`  securityContext:\n    runAsGroup: 0\n    fsGroup: 0\n    supplementalGroups: [1000, 0]\n  containers:\n    - name: a\n      image: nginx\n`), expect: ['K8S-ROOT-GROUP spec.securityContext.runAsGroup @7', 'K8S-ROOT-GROUP spec.securityContext.fsGroup @8', 'K8S-ROOT-GROUP spec.securityContext.supplementalGroups[1] @9'] },

  { id: 'K8S-WRITABLE-ROOT-FS', name: 'unset and false', yaml: pod(`  containers:\n    - name: a\n      image: nginx\n  ephemeralContainers:\n    - name: debug\n      image: busybox\n      securityContext:\n        readOnlyRootFilesystem: false\n`), expect: ['K8S-WRITABLE-ROOT-FS spec.containers[0].securityContext.readOnlyRootFilesystem @7', 'K8S-WRITABLE-ROOT-FS spec.ephemeralContainers[0].securityContext.readOnlyRootFilesystem @13'] },
  { id: 'K8S-WRITABLE-ROOT-FS', name: 'windows pod exempt', yaml: WINDOWS, expect: [] },

  { id: 'K8S-NO-SECURITY-CONTEXT', name: 'neither pod nor container', yaml: pod(`  containers:\n    - name: a\n      image: nginx\n      securityContext: {}\n`), expect: ['K8S-NO-SECURITY-CONTEXT spec.containers[0].securityContext @9'] },
  { id: 'K8S-NO-SECURITY-CONTEXT', name: 'pod-level context is enough', yaml: pod(`  securityContext: {runAsNonRoot: true}\n  containers:\n    - name: a\n      image: nginx\n`), expect: [] },

  { id: 'K8S-CAPABILITIES-NOT-DROPPED', name: 'drop list without ALL; nothing dropped', yaml: pod(`  containers:\n    - name: a\n      image: nginx\n      securityContext:\n        capabilities:\n          drop: [NET_RAW]\n    - name: b\n      image: nginx\n`), expect: ['K8S-CAPABILITIES-NOT-DROPPED spec.containers[0].securityContext.capabilities.drop @11', 'K8S-CAPABILITIES-NOT-DROPPED spec.containers[1].securityContext.capabilities.drop @12'] },
  { id: 'K8S-CAPABILITIES-NOT-DROPPED', name: 'lower-case all is read as ALL', yaml: pod(`  containers:\n    - name: a\n      image: nginx\n      securityContext: {capabilities: {drop: [all]}}\n`), expect: [] },

  { id: 'K8S-NO-CAPABILITIES-DROPPED', name: 'empty drop list', yaml: pod(`  containers:\n    - name: a\n      image: nginx\n      securityContext:\n        capabilities: {drop: []}\n`), expect: ['K8S-NO-CAPABILITIES-DROPPED spec.containers[0].securityContext.capabilities.drop @10'] },
  { id: 'K8S-NO-CAPABILITIES-DROPPED', name: 'one dropped', yaml: pod(`  containers:\n    - name: a\n      image: nginx\n      securityContext: {capabilities: {drop: [NET_RAW]}}\n`), expect: [] },

  { id: 'K8S-NET-RAW', name: 'added (CAP_ prefix) and not dropped', yaml: pod(`  containers:\n    - name: a\n      image: nginx\n      securityContext:\n        capabilities:\n          drop: [ALL]\n          add:\n            - CAP_NET_RAW\n    - name: b\n      image: nginx\n`), expect: ['K8S-NET-RAW spec.containers[0].securityContext.capabilities.add[0] @13', 'K8S-NET-RAW spec.containers[1].securityContext.capabilities.drop @14'] },
  { id: 'K8S-NET-RAW', name: 'dropped explicitly', yaml: pod(`  containers:\n    - name: a\n      image: nginx\n      securityContext: {capabilities: {drop: [NET_RAW]}}\n`), expect: [] },

  { id: 'K8S-CAP-SYS-ADMIN', name: 'added', yaml: pod(`  containers:\n    - name: a\n      image: nginx\n      securityContext:\n        capabilities:\n          add: [NET_ADMIN, sys_admin]\n`), expect: ['K8S-CAP-SYS-ADMIN spec.containers[0].securityContext.capabilities.add[1] @11'] },
  { id: 'K8S-CAP-SYS-ADMIN', name: 'only dropped', yaml: pod(`  containers:\n    - name: a\n      image: nginx\n      securityContext: {capabilities: {drop: [SYS_ADMIN]}}\n`), expect: [] },

  { id: 'K8S-DANGEROUS-CAPABILITIES', name: 'ALL and SYS_PTRACE', yaml: pod(`  containers:\n    - name: a\n      image: nginx\n      securityContext:\n        capabilities:\n          add:\n            - ALL\n            - SYS_PTRACE\n            - CHOWN\n`), expect: ['K8S-DANGEROUS-CAPABILITIES spec.containers[0].securityContext.capabilities.add[0] @12', 'K8S-DANGEROUS-CAPABILITIES spec.containers[0].securityContext.capabilities.add[1] @13'] },
  { id: 'K8S-DANGEROUS-CAPABILITIES', name: 'SYS_ADMIN and NET_RAW belong to their own checks', yaml: pod(`  containers:\n    - name: a\n      image: nginx\n      securityContext: {capabilities: {add: [SYS_ADMIN, NET_RAW, CHOWN]}}\n`), expect: [] },

  { id: 'K8S-ADDED-CAPABILITIES', name: 'anything but NET_BIND_SERVICE', yaml: pod(`  containers:\n    - name: a\n      image: nginx\n      securityContext:\n        capabilities:\n          add: [NET_BIND_SERVICE, CHOWN]\n`), expect: ['K8S-ADDED-CAPABILITIES spec.containers[0].securityContext.capabilities.add[1] @11'] },

  { id: 'K8S-SECCOMP-NOT-SET', name: 'unset, and an unknown type', yaml: pod(`  containers:\n    - name: a\n      image: nginx\n    - name: b\n      image: nginx\n      securityContext:\n        seccompProfile:\n          type: Bogus\n`), expect: ['K8S-SECCOMP-NOT-SET spec.containers[0].securityContext.seccompProfile @7', 'K8S-SECCOMP-NOT-SET spec.containers[1].securityContext.seccompProfile.type @13'] },
  { id: 'K8S-SECCOMP-NOT-SET', name: 'pod-level Localhost inherited', yaml: pod(`  securityContext:\n    seccompProfile: {type: Localhost, localhostProfile: p.json}\n  containers:\n    - name: a\n      image: nginx\n`), expect: [] },
  { id: 'K8S-SECCOMP-NOT-SET', name: 'windows pod exempt', yaml: WINDOWS, expect: [] },

  { id: 'K8S-SECCOMP-UNCONFINED', name: 'pod-level Unconfined inherited by two containers', yaml: pod(`  securityContext:\n    seccompProfile:\n      type: Unconfined\n  containers:\n    - name: a\n      image: nginx\n    - name: b\n      image: nginx\n`), expect: ['K8S-SECCOMP-UNCONFINED spec.securityContext.seccompProfile.type @8'] },

  { id: 'K8S-APPARMOR-NOT-SET', name: 'unset; annotation counts', yaml: `apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    container.apparmor.security.beta.kubernetes.io/b: runtime/default
spec:
  containers:
    - name: a
      image: nginx
    - name: b
      image: nginx
`, expect: ['K8S-APPARMOR-NOT-SET spec.containers[0].securityContext.appArmorProfile @9'] },

  { id: 'K8S-APPARMOR-UNCONFINED', name: 'field and annotation', yaml: `apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    container.apparmor.security.beta.kubernetes.io/a: unconfined
    container.apparmor.security.beta.kubernetes.io/b: localhost/custom
spec:
  containers:
    - name: a
      image: nginx
      securityContext:
        appArmorProfile:
          type: Unconfined
`, expect: ['K8S-APPARMOR-UNCONFINED metadata.annotations["container.apparmor.security.beta.kubernetes.io/a"] @6', 'K8S-APPARMOR-UNCONFINED spec.containers[0].securityContext.appArmorProfile.type @14'] },

  { id: 'K8S-SELINUX-NOT-SET', name: 'unset', yaml: pod(`  containers:\n    - name: a\n      image: nginx\n`), expect: ['K8S-SELINUX-NOT-SET spec.containers[0].securityContext.seLinuxOptions @7'] },

  { id: 'K8S-SELINUX-CUSTOM', name: 'spc_t type and a user', yaml: pod(`  securityContext:\n    seLinuxOptions:\n      type: spc_t\n      user: system_u\n      level: "s0"\n  containers:\n    - name: a\n      image: nginx\n`), expect: ['K8S-SELINUX-CUSTOM spec.securityContext.seLinuxOptions.type @8', 'K8S-SELINUX-CUSTOM spec.securityContext.seLinuxOptions.user @9'] },
  { id: 'K8S-SELINUX-CUSTOM', name: 'container_engine_t is allowed (PSS v1.31+)', yaml: pod(`  containers:\n    - name: a\n      image: nginx\n      securityContext: {seLinuxOptions: {type: container_engine_t}}\n`), expect: [] },

  { id: 'K8S-NO-LINUX-HARDENING', name: 'Unconfined seccomp and drop cancelled by add ALL', yaml: pod(`  securityContext:\n    seccompProfile: {type: Unconfined}\n  containers:\n    - name: a\n      image: nginx\n      securityContext:\n        capabilities: {drop: [NET_RAW], add: [ALL]}\n`), expect: ['K8S-NO-LINUX-HARDENING spec.containers[0].securityContext @11'] },
  { id: 'K8S-NO-LINUX-HARDENING', name: 'one drop is enough', yaml: pod(`  containers:\n    - name: a\n      image: nginx\n      securityContext: {capabilities: {drop: [NET_RAW]}}\n`), expect: [] },

  { id: 'K8S-PROC-MOUNT', name: 'Unmasked', yaml: pod(`  containers:\n    - name: a\n      image: nginx\n      securityContext:\n        procMount: Unmasked\n`), expect: ['K8S-PROC-MOUNT spec.containers[0].securityContext.procMount @10'] },

  { id: 'K8S-UNSAFE-SYSCTLS', name: 'one unsafe among safe ones', yaml: pod(`  securityContext:\n    sysctls:\n      - name: net.ipv4.tcp_notsent_lowat\n        value: "1"\n      - name: kernel.msgmax\n        value: "1"\n  containers:\n    - name: a\n      image: nginx\n`), expect: ['K8S-UNSAFE-SYSCTLS spec.securityContext.sysctls[1].name @10'] },

  { id: 'K8S-HOST-PROCESS', name: 'pod and container', yaml: pod(`  os: {name: windows}\n  hostNetwork: true\n  securityContext:\n    windowsOptions:\n      hostProcess: true\n  containers:\n    - name: a\n      image: nginx\n      securityContext:\n        windowsOptions: {hostProcess: true}\n`), expect: ['K8S-HOST-PROCESS spec.securityContext.windowsOptions.hostProcess @10', 'K8S-HOST-PROCESS spec.containers[0].securityContext.windowsOptions.hostProcess @15'] },

  { id: 'K8S-POD-SECURITY-FIELDS-UNSET', name: 'linux pod without fsGroup fields', yaml: pod(`  securityContext:\n    fsGroup: 2000\n  containers:\n    - name: a\n      image: nginx\n`), expect: ['K8S-POD-SECURITY-FIELDS-UNSET spec.securityContext.fsGroupChangePolicy @6', 'K8S-POD-SECURITY-FIELDS-UNSET spec.securityContext.supplementalGroups @6'] },
  { id: 'K8S-POD-SECURITY-FIELDS-UNSET', name: 'windows pod without runAsUserName', yaml: pod(`  os: {name: windows}\n  containers:\n    - name: a\n      image: nanoserver\n`), expect: ['K8S-POD-SECURITY-FIELDS-UNSET spec.containers[0].securityContext.windowsOptions.runAsUserName @8'] },
  { id: 'K8S-POD-SECURITY-FIELDS-UNSET', name: 'windows pod with runAsUserName', yaml: WINDOWS, expect: [] },

  { id: 'K8S-HOST-USERS', name: 'unset', yaml: pod(`  containers:\n    - name: a\n      image: nginx\n`), expect: ['K8S-HOST-USERS spec.hostUsers @5'] },

  { id: 'K8S-RESTRICTED-VOLUME-TYPES', name: 'nfs and gitRepo; hostPath left to its own check', yaml: pod(`  containers:\n    - name: a\n      image: nginx\n  volumes:\n    - name: n\n      nfs: {server: s, path: /x}\n    - name: g\n      gitRepo: {repository: r}\n    - name: h\n      hostPath: {path: /tmp}\n`), expect: ['K8S-RESTRICTED-VOLUME-TYPES spec.volumes[0].nfs @11', 'K8S-RESTRICTED-VOLUME-TYPES spec.volumes[1].gitRepo @13'] },

  { id: 'K8S-PRIVILEGED-PORTS', name: 'port 80', yaml: pod(`  containers:\n    - name: a\n      image: nginx\n      ports:\n        - containerPort: 80\n        - containerPort: 8443\n`), expect: ['K8S-PRIVILEGED-PORTS spec.containers[0].ports[0].containerPort @10'] },
];

for (const c of cases) {
  test(`${c.id}: ${c.name}`, async () => {
    const report = await scanYaml(c.yaml, { only: check(c.id), config: ALL_ON });
    assert.deepEqual(summarize(report.findings), c.expect);
  });
}

test('every pod-security check has a failing case', () => {
  const failing = new Set(cases.filter((c) => c.expect.length > 0).map((c) => c.id));
  assert.deepEqual(podSecurityChecks.filter((c) => !failing.has(c.id)).map((c) => c.id), []);
});

test('a hardened pod passes every pod-security check', async () => {
  const report = await scanYaml(HARDENED, { only: podSecurityChecks, config: ALL_ON });
  assert.deepEqual(summarize(report.findings), []);
});

test('odd input never throws', async () => {
  const report = await scanYaml(pod(`  securityContext: 5\n  hostAliases: x\n  volumes: [null, 3, {name: v, hostPath: 7}]\n  containers:\n    - null\n    - name: a\n      securityContext: {capabilities: {add: 5, drop: [null]}, seccompProfile: 1, seLinuxOptions: [], windowsOptions: x}\n      ports: [null, {containerPort: "80", hostPort: null}]\n      volumeMounts: [7]\n`), { only: [...podSecurityChecks, ...hostChecks], config: ALL_ON });
  assert.equal(report.summary.errors, 0);
});

// Upstream Pod Security fixtures (v1.37 = latest): each fail fixture must trip one of the bosun
// checks for its concept; pass fixtures must not trip checks whose semantics match that level.
const PSS_DIR = join(SHARED_TESTDATA, 'pss');
const FAIL_FAMILIES: Record<string, string[]> = {
  privileged: ['K8S-PRIVILEGED'],
  capabilities_baseline: ['K8S-ADDED-CAPABILITIES'],
  hostnamespaces: ['K8S-HOST-PID', 'K8S-HOST-IPC', 'K8S-HOST-NETWORK'],
  hostpathvolumes: ['K8S-HOST-PATH-VOLUME'],
  hostports: ['K8S-HOST-PORT'],
  apparmorprofile: ['K8S-APPARMOR-UNCONFINED'],
  selinuxoptions: ['K8S-SELINUX-CUSTOM'],
  procmount: ['K8S-PROC-MOUNT'],
  procmount_restricted: ['K8S-PROC-MOUNT'],
  seccompprofile_baseline: ['K8S-SECCOMP-UNCONFINED'],
  sysctls: ['K8S-UNSAFE-SYSCTLS'],
  windowshostprocess: ['K8S-HOST-PROCESS'],
  allowprivilegeescalation: ['K8S-ALLOW-PRIVILEGE-ESCALATION'],
  runasnonroot: ['K8S-RUN-AS-NON-ROOT'],
  runasuser: ['K8S-RUN-AS-ROOT-UID'],
  seccompprofile_restricted: ['K8S-SECCOMP-NOT-SET', 'K8S-SECCOMP-UNCONFINED'],
  capabilities_restricted: ['K8S-CAPABILITIES-NOT-DROPPED', 'K8S-ADDED-CAPABILITIES'],
  restrictedvolumes: ['K8S-RESTRICTED-VOLUME-TYPES', 'K8S-HOST-PATH-VOLUME'],
};
const BASELINE_SILENT = ['K8S-PRIVILEGED', 'K8S-HOST-PID', 'K8S-HOST-IPC', 'K8S-HOST-NETWORK', 'K8S-HOST-PORT', 'K8S-HOST-PATH-VOLUME', 'K8S-APPARMOR-UNCONFINED', 'K8S-SELINUX-CUSTOM', 'K8S-SECCOMP-UNCONFINED', 'K8S-UNSAFE-SYSCTLS', 'K8S-HOST-PROCESS', 'K8S-CAP-SYS-ADMIN', 'K8S-DANGEROUS-CAPABILITIES'];
const RESTRICTED_SILENT = [...BASELINE_SILENT, 'K8S-ALLOW-PRIVILEGE-ESCALATION', 'K8S-RUN-AS-NON-ROOT', 'K8S-RUN-AS-ROOT-UID', 'K8S-SECCOMP-NOT-SET', 'K8S-CAPABILITIES-NOT-DROPPED', 'K8S-ADDED-CAPABILITIES', 'K8S-RESTRICTED-VOLUME-TYPES', 'K8S-PROC-MOUNT'];

function fixtures(level: string, expectation: 'pass' | 'fail'): Array<{ name: string; family: string; yaml: string }> {
  const dir = join(PSS_DIR, level, 'v1.37', expectation);
  return readdirSync(dir).sort().map((file) => ({ name: file, family: file.replace(/\d*\.yaml$/, ''), yaml: readFileSync(join(dir, file), 'utf8') }));
}

for (const level of ['baseline', 'restricted']) {
  test(`PSS ${level} v1.37 fail fixtures trip the matching check`, async () => {
    const missed: string[] = [];
    for (const f of fixtures(level, 'fail')) {
      const expected = FAIL_FAMILIES[f.family];
      if (expected === undefined) continue; // hostProbesAndHostLifecycle: not a securityContext concept
      const report = await scanYaml(f.yaml, { only: expected.map(check), config: ALL_ON });
      if (report.findings.length === 0) missed.push(f.name);
    }
    assert.deepEqual(missed, []);
  });

  test(`PSS ${level} v1.37 pass fixtures stay silent`, async () => {
    const silent = (level === 'baseline' ? BASELINE_SILENT : RESTRICTED_SILENT).map(check);
    const noisy: string[] = [];
    for (const f of fixtures(level, 'pass')) {
      const report = await scanYaml(f.yaml, { only: silent, config: ALL_ON });
      for (const finding of report.findings) noisy.push(`${f.name} ${finding.ruleId} ${finding.fieldPath}`);
    }
    assert.deepEqual(noisy, []);
  });
}
