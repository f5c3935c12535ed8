import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanYaml, summarize } from '../helpers.ts';
import type { Check } from '../../src/checks/types.ts';
import podWithoutNetworkPolicy from '../../src/checks/network/pod-without-network-policy.ts';
import networkPolicyDirections from '../../src/checks/network/network-policy-directions.ts';
import namespaceWithoutNetworkPolicy from '../../src/checks/network/namespace-without-network-policy.ts';
import networkPolicySelectsNothing from '../../src/checks/network/network-policy-selects-nothing.ts';
import exposedService from '../../src/checks/network/exposed-service.ts';
import serviceExternalIps from '../../src/checks/network/service-external-ips.ts';
import serviceSelectsNothing from '../../src/checks/network/service-selects-nothing.ts';
import routeBackendMissing from '../../src/checks/network/route-backend-missing.ts';
import ingressWithoutTls from '../../src/checks/network/ingress-without-tls.ts';
import ingressNginxSnippets from '../../src/checks/network/ingress-nginx-snippets.ts';
import sshPort from '../../src/checks/network/ssh-port.ts';
import serviceMonitorSelectsNothing from '../../src/checks/network/service-monitor-selects-nothing.ts';

const deployment = (name: string, ns: string, app: string, extra = ''): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector:
    matchLabels:
      app: ${app}
  template:
    metadata:
      labels:
        app: ${app}
    spec:
      containers:
        - name: main
          image: nginx:1.27${extra}
`;

const policy = (name: string, ns: string, selector: string, extra = ''): string => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  podSelector: ${selector}${extra}
`;

interface Case {
  name: string;
  check: Check;
  yaml: string;
  expected: string[];
}

const cases: Case[] = [
  { name: 'pod without policy', check: podWithoutNetworkPolicy, yaml: deployment('web', 'shop', 'web'), expected: ['K8S-POD-NO-NETWORKPOLICY spec.template.metadata.labels @12'] },
  { name: 'pod selected by policy', check: podWithoutNetworkPolicy, yaml: `${deployment('web', 'shop', 'web')}---\n${policy('deny', 'shop', '{}')}`, expected: [] },
  { name: 'policy in another namespace does not count', check: podWithoutNetworkPolicy, yaml: `${deployment('web', 'shop', 'web')}---\n${policy('deny', 'other', '{}')}`, expected: ['K8S-POD-NO-NETWORKPOLICY spec.template.metadata.labels @12'] },
  { name: 'ingress-only policy', check: networkPolicyDirections, yaml: `${deployment('web', 'shop', 'web')}---\n${policy('deny', 'shop', '{matchLabels: {app: web}}')}`, expected: ['K8S-POD-NETWORKPOLICY-ONE-DIRECTION spec.template.metadata.labels @12'] },
  { name: 'both directions', check: networkPolicyDirections, yaml: `${deployment('web', 'shop', 'web')}---\n${policy('deny', 'shop', '{}', '\n  policyTypes: [Ingress, Egress]')}`, expected: [] },
  { name: 'egress inferred from egress rules, plus an ingress policy', check: networkPolicyDirections, yaml: `${deployment('web', 'shop', 'web')}---\n${policy('a', 'shop', '{}', '\n  egress: [{to: [{podSelector: {}}]}]')}`, expected: [] },
  { name: 'an empty egress list alone does not make an egress policy (API defaulting)', check: networkPolicyDirections, yaml: `${deployment('web', 'shop', 'web')}---\n${policy('a', 'shop', '{}', '\n  egress: []')}`, expected: ['K8S-POD-NETWORKPOLICY-ONE-DIRECTION spec.template.metadata.labels @12'] },
  { name: 'no policy is another check', check: networkPolicyDirections, yaml: deployment('web', 'shop', 'web'), expected: [] },
  {
    name: 'namespace without policy reported once, on the Namespace object',
    check: namespaceWithoutNetworkPolicy,
    yaml: `${deployment('a', 'shop', 'a')}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\n${deployment('b', 'shop', 'b')}`,
    expected: ['K8S-NAMESPACE-NO-NETWORKPOLICY metadata.name @22'],
  },
  { name: 'namespace without policy anchored on first workload', check: namespaceWithoutNetworkPolicy, yaml: `${deployment('a', 'shop', 'a')}---\n${deployment('b', 'shop', 'b')}---\n${deployment('c', 'kube-system', 'c')}`, expected: ['K8S-NAMESPACE-NO-NETWORKPOLICY metadata.namespace @5'] },
  { name: 'namespace with policy', check: namespaceWithoutNetworkPolicy, yaml: `${deployment('a', 'shop', 'a')}---\n${policy('deny', 'shop', '{}')}`, expected: [] },
  {
    name: 'dangling policy and peer',
    check: networkPolicySelectsNothing,
    yaml: `${deployment('web', 'shop', 'web')}---\n${policy('p', 'shop', '{matchLabels: {app: wbe}}', '\n  ingress:\n    - from:\n        - podSelector: {matchLabels: {app: api}}\n        - podSelector: {matchLabels: {app: x}}\n          namespaceSelector: {}')}`,
    expected: ['K8S-NETWORKPOLICY-SELECTS-NOTHING spec.podSelector @25', 'K8S-NETWORKPOLICY-SELECTS-NOTHING spec.ingress[0].from[0].podSelector @28'],
  },
  { name: 'policy selecting a pod', check: networkPolicySelectsNothing, yaml: `${deployment('web', 'shop', 'web')}---\n${policy('p', 'shop', '{matchLabels: {app: web}}')}`, expected: [] },
  { name: 'policy-only input is not judged', check: networkPolicySelectsNothing, yaml: policy('p', 'shop', '{matchLabels: {app: web}}'), expected: [] },
  { name: 'NodePort service', check: exposedService, yaml: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  type: NodePort\n', expected: ['K8S-SERVICE-EXPOSED spec.type @6'] },
  { name: 'LoadBalancer with source ranges', check: exposedService, yaml: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  type: LoadBalancer\n  loadBalancerSourceRanges: [10.0.0.0/8]\n', expected: [] },
  { name: 'ClusterIP service', check: exposedService, yaml: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  type: ClusterIP\n', expected: [] },
  { name: 'externalIPs', check: serviceExternalIps, yaml: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  externalIPs:\n    - 1.2.3.4\n', expected: ['K8S-SERVICE-EXTERNAL-IPS spec.externalIPs @6'] },
  { name: 'no externalIPs', check: serviceExternalIps, yaml: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  externalIPs: []\n', expected: [] },
  { name: 'dangling service', check: serviceSelectsNothing, yaml: `${deployment('web', 'shop', 'web')}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: shop\nspec:\n  selector:\n    app: wbe\n`, expected: ['K8S-SERVICE-SELECTS-NOTHING spec.selector @25'] },
  { name: 'service selecting a pod', check: serviceSelectsNothing, yaml: `${deployment('web', 'shop', 'web')}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: shop\nspec:\n  selector:\n    app: web\n`, expected: [] },
  {
    name: 'ingress backend missing and wrong port',
    check: routeBackendMissing,
    yaml: `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n      name: http\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\nspec:\n  rules:\n    - http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: web\n                port:\n                  number: 8080\n          - path: /api\n            pathType: Prefix\n            backend:\n              service:\n                name: api\n                port:\n                  name: http\n`,
    expected: ['K8S-ROUTE-BACKEND-MISSING spec.rules[0].http.paths[0].backend.service.name @22', 'K8S-ROUTE-BACKEND-MISSING spec.rules[0].http.paths[1].backend.service.name @29'],
  },
  {
    name: 'HTTPRoute backend',
    check: routeBackendMissing,
    yaml: `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r\nspec:\n  rules:\n    - backendRefs:\n        - name: web\n          port: 80\n        - name: gone\n          port: 80\n`,
    expected: ['K8S-ROUTE-BACKEND-MISSING spec.rules[0].backendRefs[1].name @18'],
  },
  { name: 'ingress without tls', check: ingressWithoutTls, yaml: 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\nspec:\n  rules: []\n', expected: ['K8S-INGRESS-NO-TLS spec.tls @5'] },
  { name: 'ingress with tls', check: ingressWithoutTls, yaml: 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\nspec:\n  tls:\n    - hosts: [a.example]\n      secretName: a\n', expected: [] },
  {
    name: 'snippet annotations and allow-snippet-annotations',
    check: ingressNginxSnippets,
    yaml: 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\n  annotations:\n    nginx.ingress.kubernetes.io/rewrite-target: /\n    nginx.ingress.kubernetes.io/configuration-snippet: |\n      more_set_headers "X: y";\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ingress-nginx-controller\ndata:\n  allow-snippet-annotations: "true"\n',
    expected: ['K8S-INGRESS-NGINX-SNIPPET metadata.annotations["nginx.ingress.kubernetes.io/configuration-snippet"] @7', 'K8S-INGRESS-NGINX-SNIPPET data.allow-snippet-annotations @15'],
  },
  { name: 'no snippets', check: ingressNginxSnippets, yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  allow-snippet-annotations: "false"\n', expected: [] },
  {
    name: 'ssh ports',
    check: sshPort,
    yaml: `${deployment('web', 'shop', 'web', '\n          ports:\n            - containerPort: 22')}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n    - port: 2222\n      targetPort: 22\n`,
    expected: ['K8S-SSH-PORT spec.template.spec.containers[0].ports[0].containerPort @19', 'K8S-SSH-PORT spec.ports[0].targetPort @28'],
  },
  { name: 'http port', check: sshPort, yaml: deployment('web', 'shop', 'web', '\n          ports:\n            - containerPort: 8080'), expected: [] },
  {
    name: 'dangling ServiceMonitor',
    check: serviceMonitorSelectsNothing,
    yaml: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: mon\n  labels:\n    app: web\n---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: m\n  namespace: mon\nspec:\n  selector:\n    matchLabels:\n      app: api\n',
    expected: ['K8S-SERVICEMONITOR-SELECTS-NOTHING spec.selector @15'],
  },
  {
    name: 'ServiceMonitor watching another namespace',
    check: serviceMonitorSelectsNothing,
    yaml: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: shop\n  labels:\n    app: web\n---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: m\n  namespace: mon\nspec:\n  namespaceSelector:\n    matchNames: [shop]\n  selector:\n    matchLabels:\n      app: web\n',
    expected: [],
  },
];

for (const c of cases) {
  test(`${c.check.id}: ${c.name}`, async () => {
    const report = await scanYaml(c.yaml, { only: c.check, config: { waivers: [], checks: { enable: [c.check.id] } } });
    assert.deepEqual(summarize(report.findings), c.expected);
  });
}

test('odd input never throws', async () => {
  const yaml = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\nspec:\n  podSelector: 3\n  ingress: 7\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec: []\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\nspec:\n  rules: [3, {http: {paths: [null]}}]\n';
  const checks = [podWithoutNetworkPolicy, networkPolicyDirections, namespaceWithoutNetworkPolicy, networkPolicySelectsNothing, exposedService, serviceExternalIps, serviceSelectsNothing, routeBackendMissing, ingressWithoutTls, ingressNginxSnippets, sshPort, serviceMonitorSelectsNothing];
  const report = await scanYaml(yaml, { only: checks, config: { waivers: [], checks: { enable: ['*'] } } });
  assert.deepEqual(summarize(report.findings), ['K8S-INGRESS-NO-TLS spec.tls @19']);
});
