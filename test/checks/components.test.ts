import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanYaml, summarize } from '../helpers.ts';
import type { Check } from '../../src/checks/types.ts';
import { componentChecks } from '../../src/checks/components/index.ts';
import tiller from '../../src/checks/components/tiller.ts';
import gitSyncCustomGit from '../../src/checks/components/git-sync-custom-git.ts';
import sudoInEntrypoint from '../../src/checks/components/sudo-in-entrypoint.ts';
import vulnerableComponentVersion from '../../src/checks/components/vulnerable-component-version.ts';
import apiserverAnonymousAuth from '../../src/checks/components/apiserver-anonymous-auth.ts';
import apiserverAuthorizationMode from '../../src/checks/components/apiserver-authorization-mode.ts';
import apiserverInsecurePort from '../../src/checks/components/apiserver-insecure-port.ts';
import apiserverAuditLog from '../../src/checks/components/apiserver-audit-log.ts';
import apiserverAdmissionPlugins from '../../src/checks/components/apiserver-admission-plugins.ts';
import apiserverTls from '../../src/checks/components/apiserver-tls.ts';
import controlPlaneProfiling from '../../src/checks/components/control-plane-profiling.ts';
import etcdTls from '../../src/checks/components/etcd-tls.ts';
import controllerManagerCredentials from '../../src/checks/components/controller-manager-credentials.ts';
import kubeletAuth from '../../src/checks/components/kubelet-auth.ts';

/** A kubeadm-style static pod; `flags` become command entries from line 10 on. */
const staticPod = (binary: string, flags: string[], image = `registry.k8s.io/${binary}:v1.31.0`): string =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${binary}\n  namespace: kube-system\nspec:\n  containers:\n    - name: ${binary}\n      command:\n        - ${binary}\n${flags.map((f) => `        - ${f}\n`).join('')}      image: ${image}\n`;

const hardenedApiserver = staticPod('kube-apiserver', [
  '--anonymous-auth=false',
  '--authorization-mode=Node,RBAC',
  '--enable-admission-plugins=NodeRestriction',
  '--profiling=false',
  '--audit-log-path=/var/log/audit.log',
  '--audit-log-maxage=30',
  '--audit-log-maxbackup=10',
  '--audit-log-maxsize=100',
  '--tls-cert-file=/pki/apiserver.crt',
  '--tls-private-key-file=/pki/apiserver.key',
  '--client-ca-file=/pki/ca.crt',
  '--kubelet-client-certificate=/pki/kc.crt',
  '--kubelet-client-key=/pki/kc.key',
  '--kubelet-certificate-authority=/pki/ca.crt',
  '--etcd-certfile=/pki/etcd.crt',
  '--etcd-keyfile=/pki/etcd.key',
  '--etcd-cafile=/pki/etcd-ca.crt',
]);

const weakApiserver = staticPod('kube-apiserver', ['--authorization-mode=AlwaysAllow', '--insecure-port=8080', '--enable-admission-plugins=AlwaysAdmit', '--tls-cert-file=/pki/apiserver.crt']);

const deployment = (image: string, container = ''): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n        - name: main\n          image: ${image}\n${container}`;

interface Case {
  name: string;
  check: Check;
  yaml: string;
  expected: string[];
}

const cases: Case[] = [
  { name: 'tiller deployment', check: tiller, yaml: deployment('gcr.io/kubernetes-helm/tiller:v2.16.12'), expected: ['K8S-TILLER spec.template.spec.containers[0].image @10'] },
  { name: 'tiller service', check: tiller, yaml: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: tiller-deploy\n  namespace: kube-system\n', expected: ['K8S-TILLER metadata.name @4'] },
  { name: 'not tiller', check: tiller, yaml: deployment('alpine/helm:3.15.0'), expected: [] },
  {
    name: 'git-sync custom git',
    check: gitSyncCustomGit,
    yaml: deployment('registry.k8s.io/git-sync/git-sync:v4.2.1', '          args: ["--repo=https://x", "--git=/tmp/evil"]\n          env:\n            - name: GITSYNC_GIT\n              value: /tmp/evil\n'),
    expected: ['K8S-GIT-SYNC-CUSTOM-GIT spec.template.spec.containers[0].args[1] @11', 'K8S-GIT-SYNC-CUSTOM-GIT spec.template.spec.containers[0].env[0].name @13'],
  },
  { name: 'plain git-sync', check: gitSyncCustomGit, yaml: deployment('registry.k8s.io/git-sync/git-sync:v4.2.1', '          args: ["--repo=https://x", "--git-config=a:b"]\n'), expected: [] },
  {
    name: 'sudo in command',
    check: sudoInEntrypoint,
    yaml: deployment('ubuntu:24.04', '          command: ["/bin/sh", "-c", "sudo apt-get update && run"]\n'),
    expected: ['K8S-SUDO-ENTRYPOINT spec.template.spec.containers[0].command[2] @11'],
  },
  { name: 'no sudo', check: sudoInEntrypoint, yaml: deployment('ubuntu:24.04', '          command: ["/bin/sh", "-c", "pseudo-run"]\n'), expected: [] },
  {
    name: 'vulnerable Argo CD and ingress-nginx',
    check: vulnerableComponentVersion,
    yaml: `${deployment('quay.io/argoproj/argocd:v2.2.3')}---\n${deployment('registry.k8s.io/ingress-nginx/controller:v1.12.0@sha256:abcd')}`,
    expected: ['K8S-VULNERABLE-COMPONENT spec.template.spec.containers[0].image @10', 'K8S-VULNERABLE-COMPONENT spec.template.spec.containers[0].image @21'],
  },
  {
    name: 'fixed versions and unparseable tags',
    check: vulnerableComponentVersion,
    yaml: `${deployment('quay.io/argoproj/argocd:v2.1.9')}---\n${deployment('registry.k8s.io/ingress-nginx/controller:v1.11.5')}---\n${deployment('registry.k8s.io/ingress-nginx/controller:latest')}`,
    expected: [],
  },
  { name: 'anonymous auth unset', check: apiserverAnonymousAuth, yaml: weakApiserver, expected: ['K8S-APISERVER-ANONYMOUS-AUTH spec.containers[0].command @9'] },
  { name: 'anonymous auth false', check: apiserverAnonymousAuth, yaml: hardenedApiserver, expected: [] },
  { name: 'AlwaysAllow', check: apiserverAuthorizationMode, yaml: weakApiserver, expected: ['K8S-APISERVER-AUTHORIZATION-MODE spec.containers[0].command[1] @11'] },
  { name: 'RBAC without Node', check: apiserverAuthorizationMode, yaml: staticPod('kube-apiserver', ['--authorization-mode', 'RBAC']), expected: ['K8S-APISERVER-AUTHORIZATION-MODE spec.containers[0].command[1] @11'] },
  { name: 'Node,RBAC', check: apiserverAuthorizationMode, yaml: hardenedApiserver, expected: [] },
  { name: 'insecure port', check: apiserverInsecurePort, yaml: weakApiserver, expected: ['K8S-APISERVER-INSECURE-PORT spec.containers[0].command[2] @12'] },
  { name: 'insecure port 0', check: apiserverInsecurePort, yaml: staticPod('kube-apiserver', ['--insecure-port=0']), expected: [] },
  { name: 'no audit log', check: apiserverAuditLog, yaml: weakApiserver, expected: ['K8S-APISERVER-AUDIT-LOG spec.containers[0].command @9'] },
  {
    name: 'audit log kept too briefly',
    check: apiserverAuditLog,
    yaml: staticPod('kube-apiserver', ['--audit-log-path=/var/log/a.log', '--audit-log-maxage=7']),
    expected: ['K8S-APISERVER-AUDIT-LOG spec.containers[0].command @9', 'K8S-APISERVER-AUDIT-LOG spec.containers[0].command @9', 'K8S-APISERVER-AUDIT-LOG spec.containers[0].command[2] @12'],
  },
  { name: 'audit log complete', check: apiserverAuditLog, yaml: hardenedApiserver, expected: [] },
  { name: 'AlwaysAdmit without NodeRestriction', check: apiserverAdmissionPlugins, yaml: weakApiserver, expected: ['K8S-APISERVER-ADMISSION-PLUGINS spec.containers[0].command[3] @13', 'K8S-APISERVER-ADMISSION-PLUGINS spec.containers[0].command[3] @13'] },
  { name: 'NodeRestriction', check: apiserverAdmissionPlugins, yaml: hardenedApiserver, expected: [] },
  { name: 'missing TLS flags', check: apiserverTls, yaml: weakApiserver, expected: Array<string>(8).fill('K8S-APISERVER-TLS spec.containers[0].command @9') },
  { name: 'all TLS flags', check: apiserverTls, yaml: hardenedApiserver, expected: [] },
  {
    name: 'profiling on apiserver, controller-manager and scheduler',
    check: controlPlaneProfiling,
    yaml: `${weakApiserver}---\n${staticPod('kube-scheduler', ['--profiling=true'])}`,
    expected: ['K8S-CONTROL-PLANE-PROFILING spec.containers[0].command @9', 'K8S-CONTROL-PLANE-PROFILING spec.containers[0].command[1] @27'],
  },
  { name: 'profiling off', check: controlPlaneProfiling, yaml: `${hardenedApiserver}---\n${staticPod('kube-controller-manager', ['--profiling=false'])}`, expected: [] },
  {
    name: 'etcd without client cert auth',
    check: etcdTls,
    yaml: staticPod('etcd', ['--cert-file=/pki/etcd.crt', '--key-file=/pki/etcd.key', '--client-cert-auth=false', '--peer-client-cert-auth=true', '--auto-tls=true']),
    expected: ['K8S-ETCD-TLS spec.containers[0].command[3] @13', 'K8S-ETCD-TLS spec.containers[0].command[5] @15'],
  },
  { name: 'hardened etcd', check: etcdTls, yaml: staticPod('etcd', ['--cert-file=/pki/etcd.crt', '--key-file=/pki/etcd.key', '--client-cert-auth=true', '--peer-client-cert-auth=true']), expected: [] },
  {
    name: 'controller-manager without per-controller credentials',
    check: controllerManagerCredentials,
    yaml: staticPod('kube-controller-manager', ['--root-ca-file=/pki/ca.crt']),
    expected: ['K8S-CONTROLLER-MANAGER-CREDENTIALS spec.containers[0].command @9', 'K8S-CONTROLLER-MANAGER-CREDENTIALS spec.containers[0].command @9'],
  },
  {
    name: 'controller-manager hardened',
    check: controllerManagerCredentials,
    yaml: staticPod('kube-controller-manager', ['--use-service-account-credentials=true', '--service-account-private-key-file=/pki/sa.key', '--root-ca-file=/pki/ca.crt']),
    expected: [],
  },
  {
    name: 'insecure KubeletConfiguration',
    check: kubeletAuth,
    yaml: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: true\nauthorization:\n  mode: AlwaysAllow\nreadOnlyPort: 10255\n',
    expected: ['K8S-KUBELET-AUTH authentication.anonymous.enabled @5', 'K8S-KUBELET-AUTH authorization.mode @7', 'K8S-KUBELET-AUTH readOnlyPort @8'],
  },
  { name: 'default KubeletConfiguration', check: kubeletAuth, yaml: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthorization:\n  mode: Webhook\n', expected: [] },
  {
    name: 'kubelet flags without a config file use unsafe defaults',
    check: kubeletAuth,
    yaml: staticPod('kubelet', ['--anonymous-auth=false']),
    expected: ['K8S-KUBELET-AUTH spec.containers[0].command @9', 'K8S-KUBELET-AUTH spec.containers[0].command @9'],
  },
  { name: 'kubelet with a config file', check: kubeletAuth, yaml: staticPod('kubelet', ['--config=/var/lib/kubelet/config.yaml']), expected: [] },
];

for (const c of cases) {
  test(`${c.check.id}: ${c.name}`, async () => {
    const report = await scanYaml(c.yaml, { only: c.check, config: { waivers: [], checks: { enable: [c.check.id] } } });
    assert.deepEqual(summarize(report.findings), c.expected);
  });
}

test('component found by image when args hold the flags', async () => {
  const yaml = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: etcd\nspec:\n  containers:\n    - name: etcd\n      image: registry.k8s.io/etcd:3.5.15-0\n      args: ["--client-cert-auth=false"]\n';
  const report = await scanYaml(yaml, { only: etcdTls });
  assert.deepEqual(report.findings.map((f) => `${f.fieldPath} ${f.severity} ${f.message}`), [
    'spec.containers[0].args medium etcd: --cert-file is not set',
    'spec.containers[0].args medium etcd: --key-file is not set',
    'spec.containers[0].args medium etcd: etcd does not require peer certificates (--peer-client-cert-auth is not true)',
    'spec.containers[0].args[0] high etcd: etcd does not require client certificates (--client-cert-auth is not true)',
  ]);
});

test('ordinary workloads are not control-plane components', async () => {
  const report = await scanYaml(deployment('nginx:1.27', '          command: ["nginx", "-g", "daemon off;"]\n'), { only: componentChecks, config: { waivers: [], checks: { enable: ['*'] } } });
  assert.deepEqual(summarize(report.findings), []);
});

test('odd input never throws', async () => {
  const yaml = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      command: [kube-apiserver, 3, null, {x: 1}]\n      args: 5\n      env: [7]\n---\napiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication: 3\n';
  const report = await scanYaml(yaml, { only: componentChecks, config: { waivers: [], checks: { enable: ['*'] } } });
  assert.ok(report.findings.every((f) => f.ruleId.startsWith('K8S-')));
});
