import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanYaml, summarize } from '../helpers.ts';
import type { Check } from '../../src/checks/types.ts';
import defaultNamespace from '../../src/checks/namespaces/default-namespace.ts';
import kubeSystemNamespace from '../../src/checks/namespaces/kube-system-namespace.ts';
import namespacePsaNotEnforced from '../../src/checks/namespaces/namespace-psa-not-enforced.ts';
import namespacePsaInvalidLabel from '../../src/checks/namespaces/namespace-psa-invalid-label.ts';
import permissivePodSecurityPolicy from '../../src/checks/namespaces/permissive-pod-security-policy.ts';
import permissiveSecurityContextConstraints from '../../src/checks/namespaces/permissive-security-context-constraints.ts';

const namespace = (name: string, labels: string): string => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels:\n${labels}`;

interface Case {
  name: string;
  check: Check;
  yaml: string;
  expected: string[];
  defaultNamespace?: string;
}

const restrictedPsp = `apiVersion: policy/v1beta1
kind: PodSecurityPolicy
metadata:
  name: restricted
  annotations:
    seccomp.security.alpha.kubernetes.io/defaultProfileName: runtime/default
spec:
  privileged: false
  allowPrivilegeEscalation: false
  requiredDropCapabilities: [ALL]
  volumes: [configMap, secret, emptyDir, persistentVolumeClaim]
  runAsUser:
    rule: MustRunAs
    ranges:
      - min: 1000
        max: 65535
`;

const cases: Case[] = [
  {
    name: 'explicit and omitted default namespace',
    check: defaultNamespace,
    yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: default\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: b\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: kubernetes\n  namespace: default\n',
    expected: ['K8S-DEFAULT-NAMESPACE metadata.namespace @5', 'K8S-DEFAULT-NAMESPACE metadata.namespace @9'],
  },
  { name: 'omitted namespace with another default namespace configured', check: defaultNamespace, yaml: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: b\n', expected: [], defaultNamespace: 'shop' },
  { name: 'cluster-scoped kinds are not judged', check: defaultNamespace, yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\n', expected: [] },
  { name: 'kube-system', check: kubeSystemNamespace, yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: kube-system\n', expected: ['K8S-KUBE-SYSTEM-NAMESPACE metadata.namespace @5'] },
  { name: 'not kube-system', check: kubeSystemNamespace, yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: shop\n', expected: [] },
  {
    name: 'missing and privileged enforce labels',
    check: namespacePsaNotEnforced,
    yaml: `${namespace('a', '    team: x\n')}---\n${namespace('b', '    pod-security.kubernetes.io/enforce: privileged\n')}---\n${namespace('kube-system', '    x: y\n')}`,
    expected: ['K8S-NAMESPACE-PSA-NOT-ENFORCED metadata.labels["pod-security.kubernetes.io/enforce"] @5', 'K8S-NAMESPACE-PSA-NOT-ENFORCED metadata.labels["pod-security.kubernetes.io/enforce"] @13'],
  },
  { name: 'enforced', check: namespacePsaNotEnforced, yaml: namespace('a', '    pod-security.kubernetes.io/enforce: baseline\n'), expected: [] },
  {
    name: 'invalid PSA labels',
    check: namespacePsaInvalidLabel,
    yaml: namespace('a', '    pod-security.kubernetes.io/enforced: restricted\n    pod-security.kubernetes.io/warn: strict\n    pod-security.kubernetes.io/audit-version: "1.30"\n    pod-security.kubernetes.io/enforce-version: v1.30\n'),
    expected: [
      'K8S-NAMESPACE-PSA-INVALID-LABEL metadata.labels["pod-security.kubernetes.io/enforced"] @6',
      'K8S-NAMESPACE-PSA-INVALID-LABEL metadata.labels["pod-security.kubernetes.io/warn"] @7',
      'K8S-NAMESPACE-PSA-INVALID-LABEL metadata.labels["pod-security.kubernetes.io/audit-version"] @8',
    ],
  },
  { name: 'valid PSA labels', check: namespacePsaInvalidLabel, yaml: namespace('a', '    pod-security.kubernetes.io/enforce: restricted\n    pod-security.kubernetes.io/enforce-version: latest\n    pod-security.kubernetes.io/warn-version: v1.31\n'), expected: [] },
  {
    name: 'permissive PSP',
    check: permissivePodSecurityPolicy,
    yaml: 'apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: open\nspec:\n  privileged: true\n  hostNetwork: true\n  allowedCapabilities: ["*"]\n  volumes: ["*"]\n  runAsUser:\n    rule: RunAsAny\n',
    expected: [
      'K8S-PSP-PERMISSIVE metadata.annotations["seccomp.security.alpha.kubernetes.io/defaultProfileName"] @3',
      'K8S-PSP-PERMISSIVE spec.allowPrivilegeEscalation @5',
      'K8S-PSP-PERMISSIVE spec.requiredDropCapabilities @5',
      'K8S-PSP-PERMISSIVE spec.privileged @6',
      'K8S-PSP-PERMISSIVE spec.hostNetwork @7',
      'K8S-PSP-PERMISSIVE spec.allowedCapabilities[0] @8',
      'K8S-PSP-PERMISSIVE spec.volumes[0] @9',
      'K8S-PSP-PERMISSIVE spec.runAsUser.rule @11',
    ],
  },
  { name: 'restricted PSP', check: permissivePodSecurityPolicy, yaml: restrictedPsp, expected: [] },
  {
    name: 'permissive SCC',
    check: permissiveSecurityContextConstraints,
    yaml: 'apiVersion: security.openshift.io/v1\nkind: SecurityContextConstraints\nmetadata:\n  name: open\nallowPrivilegedContainer: true\nallowHostPID: false\nvolumes: [configMap, hostPath]\nrunAsUser:\n  type: RunAsAny\n',
    expected: ['K8S-SCC-PERMISSIVE allowPrivilegedContainer @5', 'K8S-SCC-PERMISSIVE volumes[1] @7', 'K8S-SCC-PERMISSIVE runAsUser.type @9'],
  },
  { name: 'restricted SCC', check: permissiveSecurityContextConstraints, yaml: 'apiVersion: security.openshift.io/v1\nkind: SecurityContextConstraints\nmetadata:\n  name: r\nallowPrivilegedContainer: false\nallowPrivilegeEscalation: false\nrunAsUser:\n  type: MustRunAsRange\nvolumes: [configMap, secret]\n', expected: [] },
];

for (const c of cases) {
  test(`${c.check.id}: ${c.name}`, async () => {
    const report = await scanYaml(c.yaml, { only: c.check, config: { waivers: [], checks: { enable: [c.check.id] } }, ...(c.defaultNamespace !== undefined && { defaultNamespace: c.defaultNamespace }) });
    assert.deepEqual(summarize(report.findings), c.expected);
  });
}

test('PSP severities follow the field', async () => {
  const report = await scanYaml('apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: p\nspec:\n  hostPID: true\n', { only: permissivePodSecurityPolicy });
  assert.deepEqual(report.findings.map((f) => `${f.fieldPath} ${f.severity}`), [
    'metadata.annotations["seccomp.security.alpha.kubernetes.io/defaultProfileName"] low',
    'spec.allowPrivilegeEscalation medium',
    'spec.runAsUser.rule medium',
    'spec.requiredDropCapabilities low',
    'spec.hostPID high',
  ]);
});

test('odd input never throws', async () => {
  const yaml = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels: 7\n---\napiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: p\nspec: 3\n---\napiVersion: security.openshift.io/v1\nkind: SecurityContextConstraints\nmetadata:\n  name: s\nvolumes: 5\n';
  const checks = [defaultNamespace, kubeSystemNamespace, namespacePsaNotEnforced, namespacePsaInvalidLabel, permissivePodSecurityPolicy, permissiveSecurityContextConstraints];
  const report = await scanYaml(yaml, { only: checks, config: { waivers: [], checks: { enable: ['*'] } } });
  assert.equal(report.findings.filter((f) => f.ruleId === 'K8S-PSP-PERMISSIVE').length, 4);
});
