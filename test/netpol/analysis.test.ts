/** reach, matrix, findings, connectivity specs (JUnit) and probes over test/netpol/fixtures/shop.yaml. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { load, loadAll } from 'js-yaml';
import { loadManifests } from '../../src/manifests/load.ts';
import { ManifestIndex } from '../../src/manifests/index-set.ts';
import {
  NetpolEvaluator, buildNetpolModel, computeMatrix, netpolMatrix, netpolReach, networkPolicyFindings, parseSpec, probeJobs, renderMatrix, renderSpecJunit, runSpec, specExternals,
} from '../../src/netpol/index.ts';
import { parseCidr, parseAddress, cidrContains } from '../../src/netpol/ip.ts';
import { BosunError } from '../../src/core/errors.ts';

const SHOP = fileURLToPath(new URL('./fixtures/shop.yaml', import.meta.url));

async function shop(): Promise<ManifestIndex> {
  const loaded = await loadManifests([SHOP]);
  assert.deepEqual(loaded.errors, []);
  return new ManifestIndex(loaded.resources);
}

test('workloads stand for one representative pod each; invalid policies are left out with a clear issue', async () => {
  const m = buildNetpolModel(await shop());
  assert.deepEqual(m.pods.map((p) => p.key), ['shop/frontend', 'shop/api', 'shop/db', 'monitoring/prometheus']);
  assert.deepEqual(m.issues.map((i) => `${i.code} ${i.object} ${i.path}`), [
    'E_NETPOL_SELECTOR NetworkPolicy/shop/bad-selector spec.podSelector.matchExpressions[0].operator',
    'E_NETPOL_CIDR NetworkPolicy/shop/bad-cidr spec.egress[0].to[0].ipBlock.cidr',
    'E_NETPOL_CIDR NetworkPolicy/shop/bad-except spec.egress[0].to[0].ipBlock.except[0]',
  ]);
  assert.equal(m.policies.length, 6);
});

test('reach names the deciding policies and rules, per direction, for each declared port', async () => {
  const r = netpolReach(await shop(), 'shop/frontend', 'shop/api');
  assert.deepEqual(r.ports.map((p) => `${p.port} ${p.allowed}`), ['9000/TCP true', '9100/TCP false']);
  assert.equal(r.allowed, false);
  assert.equal(r.ports[0]!.egress!.reason, 'egress of shop/frontend allowed by NetworkPolicy/shop/frontend-egress spec.egress[0]');
  assert.equal(r.ports[0]!.ingress!.reason, 'ingress of shop/api allowed by NetworkPolicy/shop/frontend-to-api spec.ingress[0]');
  // A policy without policyTypes isolates ingress too (api-egress).
  assert.equal(r.ports[1]!.ingress!.reason, 'ingress of shop/api denied: isolated by NetworkPolicy/shop/default-deny, NetworkPolicy/shop/frontend-to-api, NetworkPolicy/shop/api-egress and no rule allows it');
  const db = netpolReach(await shop(), 'shop/frontend', 'shop/db', [{ port: 5432, protocol: 'TCP' }]);
  assert.equal(db.ports[0]!.egress!.reason, 'egress of shop/frontend denied: isolated by NetworkPolicy/shop/default-deny, NetworkPolicy/shop/frontend-egress and no rule allows it');
  // External destinations: the ipBlock with except, port 443 only.
  const out = netpolReach(await shop(), 'shop/frontend', '203.0.113.7', [{ port: 443, protocol: 'TCP' }, { port: 80, protocol: 'TCP' }]);
  assert.deepEqual(out.ports.map((p) => `${p.port} ${p.allowed}`), ['443/TCP true', '80/TCP false']);
  assert.equal(out.ports[0]!.ingress, undefined);
  assert.equal(netpolReach(await shop(), 'shop/frontend', '10.1.2.3', [{ port: 443, protocol: 'TCP' }]).allowed, false);
  assert.throws(() => netpolReach(new ManifestIndex([]), 'a/b', 'c/d'), (e: unknown) => e instanceof BosunError && e.code === 'E_NETPOL_ENDPOINT');
});

test('matrix JSON has the documented shape; csv, markdown, html and table render every pair', async () => {
  const m = netpolMatrix(await shop(), [{ port: 9000, protocol: 'TCP' }, { port: 5432, protocol: 'TCP' }]);
  const json = JSON.parse(renderMatrix(m, 'json'));
  assert.deepEqual(Object.keys(json), ['ports', 'matrix']);
  assert.deepEqual(json.ports, ['9000/TCP', '5432/TCP']);
  assert.deepEqual(json.matrix['shop/frontend']['shop/api'], { '9000/TCP': true, '5432/TCP': false });
  assert.deepEqual(json.matrix['shop/api']['shop/db'], { '9000/TCP': false, '5432/TCP': true });
  assert.deepEqual(json.matrix['monitoring/prometheus']['monitoring/prometheus'], { '9000/TCP': true, '5432/TCP': true });
  const csv = renderMatrix(m, 'csv').trimEnd().split('\n');
  assert.equal(csv[0], 'from,to,9000/TCP,5432/TCP');
  assert.equal(csv.length, 1 + 16);
  assert.ok(csv.includes('shop/api,shop/db,false,true'));
  assert.match(renderMatrix(m, 'markdown'), /\| shop\/frontend \| \. \| 9000\/TCP \| \. \| \. \|/);
  assert.match(renderMatrix(m, 'html'), /<td class="some" title="9000\/TCP: allowed, 5432\/TCP: denied">9000\/TCP<\/td>/);
  assert.match(renderMatrix(m, 'table'), /^from \\ to {14}shop\/frontend {2}shop\/api/);
});

test('findings: isolation, default deny, selects nothing, allow-all rules, internet egress, unexposed ports, invalid policies', async () => {
  const got = networkPolicyFindings(buildNetpolModel(await shop())).map((f) => `${f.ruleId} ${f.target.type === 'resource' ? `${f.target.kind}/${f.target.name}` : ''} ${f.fieldPath} @${f.location?.line}`);
  assert.deepEqual(got, [
    'NETPOL-INVALID-POLICY NetworkPolicy/bad-selector spec.podSelector.matchExpressions[0].operator @105',
    'NETPOL-INVALID-POLICY NetworkPolicy/bad-cidr spec.egress[0].to[0].ipBlock.cidr @115',
    'NETPOL-INVALID-POLICY NetworkPolicy/bad-except spec.egress[0].to[0].ipBlock.except[0] @124',
    'NETPOL-POD-NOT-ISOLATED-INGRESS Pod/prometheus metadata.labels @43',
    'NETPOL-POD-NOT-ISOLATED-EGRESS Pod/prometheus metadata.labels @43',
    'NETPOL-NAMESPACE-NO-DEFAULT-DENY Namespace/monitoring metadata.name @8',
    'NETPOL-PORT-NOT-EXPOSED NetworkPolicy/frontend-to-api spec.ingress[1].ports[1] @63',
    'NETPOL-EGRESS-TO-INTERNET NetworkPolicy/frontend-egress spec.egress[1].to[0] @73',
    'NETPOL-SELECTS-NOTHING NetworkPolicy/typo spec.podSelector @97',
    'NETPOL-RULE-ALLOWS-ALL NetworkPolicy/typo spec.ingress[0] @98',
  ]);
});

const SPEC = `
allow:
  - { from: shop/frontend, to: "shop/api:9000/TCP" }
  - { from: shop/api, to: shop/db, port: 5432 }
  - { from: "shop/*", to: "203.0.113.7:443" }
deny:
  - { from: shop/frontend, to: "shop/db:5432" }
  - { from: monitoring/prometheus, to: "shop/db:5432" }
  - { from: shop/frontend, to: "shop/nope:80" }
`;

test('netpol test: one result per case, wildcard sources expand, JUnit names the failure and its reasons', async () => {
  const cases = parseSpec(SPEC, 'spec.yaml');
  const ev = new NetpolEvaluator(buildNetpolModel(await shop(), { externals: specExternals(cases) }));
  const result = runSpec(ev, cases);
  assert.deepEqual(result.cases.map((c) => `${c.passed ? 'PASS' : 'FAIL'} ${c.name}`), [
    'PASS allow shop/frontend -> shop/api:9000/TCP',
    'PASS allow shop/api -> shop/db:5432/TCP',
    'PASS allow shop/frontend -> 203.0.113.7:443/TCP',
    'FAIL allow shop/api -> 203.0.113.7:443/TCP',
    'FAIL allow shop/db -> 203.0.113.7:443/TCP',
    'PASS deny shop/frontend -> shop/db:5432/TCP',
    'PASS deny monitoring/prometheus -> shop/db:5432/TCP',
    'FAIL deny shop/frontend -> shop/nope:80/TCP',
  ]);
  assert.equal(result.failed, 3);
  const xml = renderSpecJunit(result);
  assert.match(xml, /<testsuite name="bosun netpol test" tests="8" failures="3">/);
  assert.match(xml, /<testcase classname="netpol.allow" name="allow shop\/api -&gt; 203.0.113.7:443\/TCP">\n {6}<failure message="expected allowed, but the policies deny it">expected allowed, but the policies deny it\negress of shop\/api denied: isolated by NetworkPolicy\/shop\/default-deny, NetworkPolicy\/shop\/api-egress and no rule allows it<\/failure>/);
  assert.match(xml, /<failure message="&quot;shop\/nope&quot; matches no pod in the inputs">/);
});

test('bad specs are one clear error', () => {
  assert.throws(() => parseSpec('allow: [{ from: a/b }]', 's.yaml'), { code: 'E_NETPOL_SPEC', message: 's.yaml: allow[0]: needs "from" and "to"' });
  assert.throws(() => parseSpec('allow: [{ from: a/b, to: c/d }]', 's.yaml'), { code: 'E_NETPOL_SPEC', message: 's.yaml: allow[0]: "c/d" names no port (write c/d:80/TCP or port: 80)' });
  assert.throws(() => parseSpec('allow: [{ from: a/b, to: "c/d:80/ICMP" }]', 's.yaml'), { code: 'E_NETPOL_SPEC' });
  assert.throws(() => parseSpec('[1, 2', 's.yaml'), { code: 'E_NETPOL_SPEC' });
  assert.throws(() => parseSpec('hello: world', 's.yaml'), { code: 'E_NETPOL_SPEC', message: 's.yaml: expected a map with "allow:" and/or "deny:" lists' });
});

test('probes: one hardened Job per case in the source namespace with the source labels', async () => {
  const cases = parseSpec('allow:\n  - { from: shop/frontend, to: "shop/api:9000" }\ndeny:\n  - { from: shop/frontend, to: "203.0.113.7:80/UDP" }\n', 'spec.yaml');
  const out = probeJobs(new NetpolEvaluator(buildNetpolModel(await shop(), { externals: specExternals(cases) })), cases);
  assert.equal(out.jobs, 2);
  assert.deepEqual(out.skipped, ['allow[0]: shop/api has no known pod IP; its Job reads TARGET_IP, set it before applying']);
  const jobs = loadAll(out.yaml) as Array<{ kind: string; metadata: { name: string; namespace: string }; spec: { template: { metadata: { labels: Record<string, string> }; spec: { containers: Array<{ command: string[]; securityContext: unknown }>; automountServiceAccountToken: boolean } } } }>;
  assert.deepEqual(jobs.map((j) => `${j.kind} ${j.metadata.namespace}/${j.metadata.name}`), ['Job shop/bosun-probe-1-frontend-api', 'Job shop/bosun-probe-2-frontend-203-0-113-7']);
  assert.deepEqual(jobs[0]!.spec.template.metadata.labels, { app: 'frontend', tier: 'web', 'bosun.dev/probe': 'true' });
  assert.equal(jobs[0]!.spec.template.spec.automountServiceAccountToken, false);
  assert.match(jobs[1]!.spec.template.spec.containers[0]!.command[2]!, /\/agnhost connect 203\.0\.113\.7:80 --protocol=udp --timeout=5s; then r=allowed; else r=denied; fi; .*\[ "\$r" = "denied" \]$/);
  assert.ok(load(out.yaml.split('---\n')[1]!));
});

test('CIDR and address parsing: IPv4, IPv6, host bits, invalid text', () => {
  assert.equal(parseCidr('10.0.0.300/8'), undefined);
  assert.equal(parseCidr('10.0.0.0/33'), undefined);
  assert.equal(parseCidr('10.0.0.0'), undefined);
  assert.equal(parseCidr('10.1.2.3/8')!.base, parseCidr('10.0.0.0/8')!.base);
  assert.ok(cidrContains(parseCidr('2001:db8::/32')!, parseAddress('2001:db8::1')!));
  assert.ok(!cidrContains(parseCidr('2001:db8::/32')!, parseAddress('10.0.0.1')!));
  assert.ok(cidrContains(parseCidr('::ffff:0:0/96')!, parseAddress('::ffff:10.0.0.1')!));
  assert.equal(parseAddress('1:2:3:4:5:6:7:8:9'), undefined);
});

test('invalid ports, peers and actions in NetworkPolicies and AdminNetworkPolicies', async () => {
  const yaml = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: a, namespace: ns1}
spec: {podSelector: {}, ingress: [{ports: [{port: 80, endPort: 70}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: b, namespace: ns1}
spec: {podSelector: {}, ingress: [{from: [{}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: c, namespace: ns1}
spec: {podSelector: {}, ingress: [{ports: [{port: 80, protocol: ICMP}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: d, namespace: ns1}
spec: {podSelector: {matchExpressions: [{key: a, operator: In}]}}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: e}
spec: {priority: 5, subject: {namespaces: {}}, ingress: [{action: Reject, from: [{namespaces: {}}]}]}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: f}
spec: {subject: {namespaces: {}}}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec: {subject: {namespaces: {}}, egress: [{action: Pass, to: [{namespaces: {}}]}]}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: second}
spec: {subject: {namespaces: {}}, egress: [{action: Deny, to: [{namespaces: {}}]}]}
`;
  const loaded = await loadManifests([{ name: 'bad.yaml', content: yaml }]);
  const m = buildNetpolModel(new ManifestIndex(loaded.resources));
  assert.deepEqual(m.issues.map((i) => `${i.object} ${i.path}: ${i.message.split(': ').slice(2).join(': ')}`), [
    'NetworkPolicy/ns1/a spec.ingress[0].ports[0].endPort: endPort 70 must be a port number >= port 80; the policy is left out (the API server would reject it)',
    'NetworkPolicy/ns1/b spec.ingress[0].from[0]: a peer needs podSelector, namespaceSelector or ipBlock; the policy is left out (the API server would reject it)',
    'NetworkPolicy/ns1/c spec.ingress[0].ports[0].protocol: "ICMP" is not a protocol (TCP, UDP, SCTP); the policy is left out (the API server would reject it)',
    'NetworkPolicy/ns1/d spec.podSelector.matchExpressions[0].values: operator In needs at least one value; the policy is left out (the API server would reject it)',
    'AdminNetworkPolicy/e spec.ingress[0].action: "Reject" is not a valid action (Allow, Deny, Pass); the policy is left out (the API server would reject it)',
    'AdminNetworkPolicy/f spec.priority: priority must be an integer 0-1000, not undefined; the policy is left out (the API server would reject it)',
    'BaselineAdminNetworkPolicy/default spec.egress[0].action: "Pass" is not a valid action (Allow, Deny); the policy is left out (the API server would reject it)',
    'BaselineAdminNetworkPolicy/second metadata.name: a BaselineAdminNetworkPolicy must be named "default" (the cluster has only one); the policy is left out (the API server would reject it)',
  ]);
  const ev = new NetpolEvaluator(m);
  assert.deepEqual(computeMatrix(ev, [{ port: 80, protocol: 'TCP' }]).pods, []);
});

test('hostNetwork pods: never isolated, never matched by pod or namespace selectors, only by ipBlock', async () => {
  const yaml = `apiVersion: v1
kind: Pod
metadata: {name: agent, namespace: sys, labels: {app: agent}}
spec: {hostNetwork: true, containers: [{name: a, image: a}]}
status: {podIP: 172.16.0.5}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: sys, labels: {app: web}}
spec: {containers: [{name: w, image: w}]}
status: {podIP: 10.0.0.9}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: sys}
spec: {podSelector: {}, policyTypes: [Ingress, Egress], ingress: [{from: [{podSelector: {}}]}], egress: [{to: [{ipBlock: {cidr: 172.16.0.0/16}}]}]}
`;
  const loaded = await loadManifests([{ name: 'host.yaml', content: yaml }]);
  const m = buildNetpolModel(new ManifestIndex(loaded.resources));
  const ev = new NetpolEvaluator(m);
  const [agent, web] = [m.byKey.get('sys/agent')!, m.byKey.get('sys/web')!];
  const p80 = { port: 80, protocol: 'TCP' as const };
  assert.equal(ev.connection(agent, web, p80).allowed, false, 'podSelector {} does not match the host-network pod');
  assert.equal(ev.connection(web, agent, p80).allowed, true, 'egress by ipBlock to its IP; its own ingress is not isolated');
  assert.equal(ev.connection(web, web, p80).allowed, false);
  assert.deepEqual(computeMatrix(ev, [p80]).cells, new Uint8Array([1, 0, 1, 0]));
});

test('ANP nodes peers: egress to the addresses of the selected Nodes and to host-network pods on them, nothing else', async () => {
  const yaml = `apiVersion: v1
kind: Node
metadata: {name: cp-1, labels: {node-role.kubernetes.io/control-plane: ""}}
status: {addresses: [{type: InternalIP, address: 172.16.0.1}, {type: Hostname, address: cp-1}]}
---
apiVersion: v1
kind: Node
metadata: {name: worker-1, labels: {pool: general}}
status: {addresses: [{type: InternalIP, address: 172.16.0.2}]}
---
apiVersion: v1
kind: Pod
metadata: {name: agent, namespace: sys, labels: {app: agent}}
spec: {hostNetwork: true, nodeName: cp-1, containers: [{name: a, image: a}]}
status: {podIP: 172.16.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: worker-agent, namespace: sys, labels: {app: agent}}
spec: {hostNetwork: true, nodeName: worker-1, containers: [{name: a, image: a}]}
status: {podIP: 172.16.0.2}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: app, labels: {app: web}}
spec: {containers: [{name: w, image: w}]}
status: {podIP: 10.0.0.9}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: no-control-plane}
spec:
  priority: 10
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: app}}}
  egress:
  - name: deny-control-plane
    action: Deny
    to: [{nodes: {matchExpressions: [{key: node-role.kubernetes.io/control-plane, operator: Exists}]}}]
`;
  const loaded = await loadManifests([{ name: 'nodes.yaml', content: yaml }]);
  assert.deepEqual(loaded.errors, []);
  const m = buildNetpolModel(new ManifestIndex(loaded.resources), { externals: ['172.16.0.1', '172.16.0.2', '203.0.113.1'] });
  assert.deepEqual(m.issues, []);
  assert.deepEqual([...m.nodes.keys()], ['cp-1', 'worker-1']);
  const ev = new NetpolEvaluator(m);
  const at = (k: string) => m.byKey.get(k)!;
  const p443 = { port: 443, protocol: 'TCP' as const };
  const web = at('app/web');
  assert.equal(ev.connection(web, at('172.16.0.1'), p443).allowed, false, 'the control-plane node address is denied');
  assert.match(ev.connection(web, at('172.16.0.1'), p443).egress!.reason, /denied by AdminNetworkPolicy\/no-control-plane spec\.egress\[0\] "deny-control-plane"/);
  assert.equal(ev.connection(web, at('sys/agent'), p443).allowed, false, 'a host-network pod on the control-plane node is the node');
  assert.equal(ev.connection(web, at('172.16.0.2'), p443).allowed, true, 'a worker node is not selected');
  assert.equal(ev.connection(web, at('sys/worker-agent'), p443).allowed, true);
  assert.equal(ev.connection(web, at('203.0.113.1'), p443).allowed, true);
  assert.equal(ev.connection(at('sys/agent'), web, p443).allowed, true, 'the policy only covers pods in namespace app');
  // An empty selector selects every node.
  const all = yaml.replace('{nodes: {matchExpressions: [{key: node-role.kubernetes.io/control-plane, operator: Exists}]}}', '{nodes: {}}');
  const m2 = buildNetpolModel(new ManifestIndex((await loadManifests([{ name: 'all.yaml', content: all }])).resources), { externals: ['172.16.0.2'] });
  assert.equal(new NetpolEvaluator(m2).connection(m2.byKey.get('app/web')!, m2.byKey.get('172.16.0.2')!, p443).allowed, false);
  // nodes is an egress-only peer.
  const ingress = yaml.replace('egress:\n  - name: deny-control-plane', 'ingress:\n  - name: deny-control-plane').replace('to: [{nodes', 'from: [{nodes');
  const m3 = buildNetpolModel(new ManifestIndex((await loadManifests([{ name: 'in.yaml', content: ingress }])).resources));
  assert.deepEqual(m3.issues.map((i) => `${i.code} ${i.path}`), ['E_NETPOL_PEER spec.ingress[0].from[0]']);
});
