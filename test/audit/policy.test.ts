/** `bosun audit policy`: the audit Policy follows what the rules read. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRules } from '../../src/audit/loader.ts';
import { renderAuditPolicy, ruleNeeds, staticValue } from '../../src/audit/policy.ts';
import { DEFAULT_RULES_NAME, DEFAULT_RULES_YAML } from '../../src/audit/default-rules.ts';
import { loadTestRules, STOCK_RULES } from './helpers.ts';

const rule = (name: string, cond: string, output = 'o'): string => `- rule: ${name}\n  desc: d\n  condition: ${cond}\n  output: ${output}\n  priority: INFO\n  source: k8s_audit\n`;

test('levels, resources and stages per rule', () => {
  const rs = loadRules([{ name: 'r.yaml', text: rule('a', 'ka.target.resource=pods and ka.req.pod.host_pid=true', '"%ka.resp.name"') + rule('b', 'ka.target.resource in (configmaps, secrets) and ka.req.configmap.obj contains x') + rule('c', 'jevt.value[/stage]=ResponseStarted and ka.target.subresource=exec') }]);
  assert.deepEqual(rs.rules.map((r) => { const n = ruleNeeds(r); return [n.level, n.resources === undefined ? '*' : [...n.resources].join(','), n.stages === undefined ? '*' : [...n.stages].join(',')]; }), [
    ['RequestResponse', 'pods', '*'],
    ['Request', 'configmaps,secrets', '*'],
    ['Metadata', '*', 'ResponseStarted'],
  ]);
  const text = renderAuditPolicy(rs.rules);
  assert.match(text, /- level: Request\n {4}resources:\n {6}- group: ""\n {8}resources: \["configmaps", "configmaps\/\*"\]/);
  assert.ok(!/level: Request\n[^-]*"secrets"/.test(text), 'secrets never above Metadata');
  assert.match(text, /some rules read request bodies of secrets/);
  assert.match(text, /# Rules that look at every resource.\n {2}- level: Metadata/);
});

test('rules switched off by never-true macros need nothing; stages no rule reads are omitted', () => {
  const stock = loadTestRules([STOCK_RULES]);
  const off = stock.rules.filter((r) => staticValue(r.expr) === false).map((r) => r.name);
  assert.deepEqual(off, ['Create Disallowed Pod', 'All K8s Audit Events', 'Full K8s Administrative Access', 'Untrusted Node Successfully Joined the Cluster', 'Untrusted Node Unsuccessfully Tried to Join the Cluster']);
  const onlyStarted = loadRules([{ name: 'r.yaml', text: rule('x', 'jevt.value[/stage]=ResponseStarted and ka.target.resource=pods') }]);
  assert.match(renderAuditPolicy(onlyStarted.rules), /omitStages: \["RequestReceived", "ResponseComplete", "Panic"\]/);
  assert.match(renderAuditPolicy(onlyStarted.rules), /- level: None\n/);
});

test('bosun default rules: pods with request and response bodies, RBAC with request bodies, secrets metadata', () => {
  const text = renderAuditPolicy(loadRules([{ name: DEFAULT_RULES_NAME, text: DEFAULT_RULES_YAML }]).rules);
  assert.match(text, /- level: RequestResponse\n {4}resources:\n {6}- group: ""\n {8}resources: \["pods", "pods\/\*"\]/);
  assert.match(text, /- group: "rbac\.authorization\.k8s\.io"\n {8}resources: \["clusterrolebindings", "clusterrolebindings\/\*", "clusterroles", "clusterroles\/\*", "rolebindings", "rolebindings\/\*", "roles", "roles\/\*"\]/);
  assert.match(text, /^ {2}- level: Metadata\n {4}resources:\n {6}- group: ""\n {8}resources: \["secrets"\]/m);
});
