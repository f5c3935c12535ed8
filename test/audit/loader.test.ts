/** The rules loader: append/override/redefinition, exceptions, visibility, and errors with positions. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine } from '../../src/audit/engine.ts';
import { loadRules, type Ruleset } from '../../src/audit/loader.ts';
import { RulesError } from '../../src/audit/rules-error.ts';
import { DEFAULT_RULES_NAME, DEFAULT_RULES_YAML } from '../../src/audit/default-rules.ts';
import { countByRule, event, loadTestRules, runTrace, STOCK_RULES, traceEvents } from './helpers.ts';

function load(...texts: string[]): Ruleset {
  return loadRules(texts.map((text, i) => ({ name: `f${i + 1}.yaml`, text })));
}

function fails(texts: string[], message: string): void {
  assert.throws(
    () => load(...texts),
    (err: unknown) => {
      assert.ok(err instanceof RulesError, String(err));
      assert.equal(err.message, message);
      assert.equal(err.code, 'E_AUDIT_RULES');
      return true;
    },
  );
}

const RULE = (name: string, cond: string, extra = ''): string => `- rule: ${name}\n  desc: d\n  condition: ${cond}\n  output: "${name} %ka.verb"\n  priority: WARNING\n  source: k8s_audit\n${extra}`;

function fire(rs: Ruleset, fields: Record<string, unknown>, matching: 'first' | 'all' = 'all'): string[] {
  return createEngine(rs, { ruleMatching: matching, hostname: 'h' })
    .process(event(fields))
    .map((a) => a.rule);
}

test('errors name the file, the item position, the item and the condition position', () => {
  fails([RULE('r', 'ka.verb = get and')], "f1.yaml:1:3: rule 'r': condition 1:18: unexpected end of condition after 'and', expecting 'not', '(', a field or a macro");
  fails([`- macro: m\n  condition: (ka.verb in (a, b)\n`], "f1.yaml:1:3: macro 'm': condition 1:19: expecting ')' after ')'");
  fails([RULE('r', 'nosuchmacro')], "f1.yaml:1:3: rule 'r': Undefined macro 'nosuchmacro' used in filter.");
  fails([RULE('r', 'ka.verb=get and ka.nosuch.field = 1')], "f1.yaml:1:3: rule 'r': condition 1:17: filter_check called with nonexistent field ka.nosuch.field");
  fails([`- macro: m\n  condition: ka.nosuch.field = 1\n`, RULE('r', 'ka.verb=get and m')], "f2.yaml:1:3: rule 'r': filter_check called with nonexistent field ka.nosuch.field (in macro 'm')");
  fails([RULE('r', 'ka.req.pod.containers.image contains nginx')], "f1.yaml:1:3: rule 'r': condition 1:1: 'contains' is not supported by list field ka.req.pod.containers.image (list fields take in, intersects and exists)");
  fails([RULE('r', 'jevt.value exists')], "f1.yaml:1:3: rule 'r': condition 1:1: field 'jevt.value' requires an argument");
  fails([RULE('r', 'ka.uri regex "("')], `f1.yaml:1:3: rule 'r': condition 1:1: invalid regex '(': Invalid regular expression: /^(?:()$/u: Unterminated group`);
  fails(['- rule: r\n  desc: d\n  condition: ka.verb=get\n  priority: WARNING\n'], "f1.yaml:1:3: rule 'r': Item has no mapping for key 'output'");
  fails([RULE('r', 'ka.verb=get').replace('WARNING', 'LOUD')], "f1.yaml:1:3: rule 'r': Invalid priority level: LOUD");
  fails(['- list: l\n  items: [a]\n  append: true\n'], "f1.yaml:1:3: list 'l': List has 'append' key but no list by that name already exists");
  fails(['- rule: r\n  condition: x\n  override:\n    condition: append\n'], "f1.yaml:1:3: rule 'r': Rule has 'override' key but no rule by that name already exists");
  fails([RULE('r', 'ka.verb=get'), '- rule: r\n  condition: and x\n  output: o\n  override:\n    condition: append\n'], "f2.yaml:1:3: rule 'r': 'output' has no override defined (every key of an override item needs one)");
  fails(['- rule: r\n  enabled: false\n'], "f1.yaml:1:3: rule 'r': Rule has 'enabled' key but no rule by that name already exists");
  fails(['- rule: [a\n'], 'f1.yaml:2:1: unexpected end of the stream within a flow collection');
  fails(['rule: r\n'], 'f1.yaml:1:1: Rules content is not yaml array of objects');
  fails(['- just a string\n'], 'f1.yaml:1:3: Unexpected element type. Each element should be a yaml associative array.');
  fails(['- required_engine_version: 99\n'], 'f1.yaml:1:3: Rules require engine version 0.99.0, but engine version is 0.50.0');
  fails([RULE('r', 'ka.verb=get'), RULE('r', 'ka.verb=get').replace('k8s_audit', 'syscall')], "f2.yaml:1:3: rule 'r': Rule has been re-defined with a different source (was 'k8s_audit', now 'syscall')");
  fails([`- macro: a\n  condition: ka.verb=get\n- macro: a\n  condition: a or ka.verb=list\n`, RULE('r', 'a')], "f1.yaml:3:3: macro 'a': Macro 'a' refers to itself (a → a)");
});

test('unknown keys and top-level objects are warnings, as in Falco', () => {
  const rs = load(`- what: x\n${RULE('r', 'ka.verb=get', '  colour: blue\n')}`);
  assert.deepEqual(rs.warnings, ['f1.yaml:1:3: unknown top level object (what)', "f1.yaml:2: rule 'r': unknown key 'colour'"]);
});

test('skip-if-unknown-filter drops a rule with an unknown field instead of failing', () => {
  const rs = load(RULE('r', 'ka.unknown = x', '  skip-if-unknown-filter: true\n') + RULE('s', 'ka.verb=get'));
  assert.deepEqual(rs.rules.map((r) => r.name), ['s']);
  assert.match(rs.warnings[0]!, /rule 'r': skipped/);
});

test('redefinition keeps the first position; append and override change conditions, outputs, tags, priority', () => {
  const base = RULE('a', 'ka.verb=get') + RULE('b', 'ka.verb=get', '  tags: [z, k8s]\n');
  const rs = load(base, RULE('a', 'ka.verb=list'), "- rule: b\n  condition: or ka.verb=list\n  output: '(more)'\n  tags: [extra]\n  priority: error\n  override:\n    condition: append\n    output: append\n    tags: append\n    priority: replace\n");
  assert.deepEqual(rs.rules.map((r) => r.name), ['a', 'b']);
  assert.deepEqual(fire(rs, { verb: 'list' }), ['a', 'b']);
  assert.deepEqual(fire(rs, { verb: 'get' }), ['b']);
  const b = rs.rules[1]!;
  assert.equal(b.priority, 'Error');
  assert.deepEqual(b.tags, ['extra', 'k8s', 'z']);
  assert.equal(b.output.text, 'b %ka.verb (more)');
  const appended = load(base, '- rule: a\n  condition: or ka.verb=list\n  append: true\n');
  assert.deepEqual(fire(appended, { verb: 'list' }), ['a']);
});

test('enabled: false hides a rule; a later enabled item or override turns it back on', () => {
  const rs = load(RULE('a', 'ka.verb=get', '  enabled: false\n'));
  assert.deepEqual(fire(rs, { verb: 'get' }), []);
  assert.deepEqual(fire(load(RULE('a', 'ka.verb=get', '  enabled: false\n'), '- rule: a\n  enabled: true\n'), { verb: 'get' }), ['a']);
  assert.deepEqual(fire(load(RULE('a', 'ka.verb=get'), '- rule: a\n  enabled: false\n  override:\n    enabled: replace\n'), { verb: 'get' }), []);
});

test('lists: textual substitution, one-level flattening of earlier lists, append and override', () => {
  const rs = load(
    '- list: inner\n  items: [get]\n- list: outer\n  items: [inner, list]\n',
    RULE('r', 'ka.verb in (outer)'),
    '- list: outer\n  items: [watch]\n  override:\n    items: append\n',
  );
  assert.deepEqual(rs.lists.get('outer'), ['get', 'list', 'watch']);
  assert.deepEqual(fire(rs, { verb: 'watch' }), ['r']);
  // An item naming a list defined later stays a plain string.
  const later = load('- list: a\n  items: [b]\n- list: b\n  items: [x]\n');
  assert.deepEqual(later.lists.get('a'), ['b']);
  // Empty lists give `in ( )`, always false.
  assert.deepEqual(fire(load('- list: none\n  items: []\n', RULE('r', 'ka.verb in (none)')), { verb: 'get' }), []);
});

test('macro visibility: a macro sees earlier macros; a redefined macro sees everything defined before its redefinition', () => {
  fails(['- macro: a\n  condition: b\n- macro: b\n  condition: ka.verb=get\n'], "f1.yaml:1:3: macro 'a': Undefined macro 'b' used in filter.");
  const rs = load('- macro: a\n  condition: ka.verb=x\n- macro: b\n  condition: ka.verb=get\n', '- macro: a\n  condition: b\n', RULE('r', 'a'));
  assert.deepEqual(fire(rs, { verb: 'get' }), ['r']);
});

test('exceptions compile to "and not (...)": list form with comps, single-field form, appended values', () => {
  const rule = `- rule: r
  desc: d
  condition: ka.verb=create
  output: o
  priority: WARNING
  source: k8s_audit
  exceptions:
    - name: trusted
      fields: [ka.user.name, ka.target.namespace]
      comps: [=, in]
      values:
        - [admin, [kube-system, "my ns"]]
    - name: ns
      fields: ka.target.name
      values: [keep-me]
`;
  const rs = load(rule, '- rule: r\n  exceptions:\n    - name: trusted\n      values:\n        - [ops, [prod]]\n  override:\n    exceptions: append\n');
  assert.equal(rs.rules[0]!.condition, '(ka.verb=create) and not ((ka.user.name = admin and ka.target.namespace in (kube-system, "my ns")) or (ka.user.name = ops and ka.target.namespace in (prod))) and not (ka.target.name in (keep-me))');
  const go = (user: string, ns: string, name = 'x'): string[] => fire(rs, { verb: 'create', user: { username: user }, objectRef: { namespace: ns, name } });
  assert.deepEqual(go('admin', 'kube-system'), []);
  assert.deepEqual(go('admin', 'my ns'), []);
  assert.deepEqual(go('admin', 'prod'), ['r']);
  assert.deepEqual(go('ops', 'prod'), []);
  assert.deepEqual(go('eve', 'prod', 'keep-me'), []);
  assert.deepEqual(go('eve', 'prod'), ['r']);
});

test('minimum priority drops less severe rules; rule matching first stops at the first match', () => {
  const base = RULE('w', 'ka.verb=get') + RULE('i', 'ka.verb=get').replace('WARNING', 'INFO');
  assert.deepEqual(fire(load(base), { verb: 'get' }, 'first'), ['w']);
  assert.deepEqual(fire(load(base), { verb: 'get' }, 'all'), ['w', 'i']);
  const rs = loadRules([{ name: 'x', text: base }], { minPriority: 'Warning' });
  assert.deepEqual(rs.rules.map((r) => r.name), ['w']);
});

test('output formats: longest field wins, arguments, <NA>, lists, transformers left out of output_fields', () => {
  const rs = load(`- rule: r\n  desc: d\n  condition: ka.verb=get\n  output: "%ka.target.name/%ka.target.resource)) %ka.uri.param[x] %ka.user.groups %toupper(ka.verb) %ka.impuser.name %evt.num"\n  priority: INFO\n  source: k8s_audit\n`);
  const [a] = createEngine(rs, { hostname: 'h', utc: true }).process(event({ verb: 'get', objectRef: { name: 'n', resource: 'pods' }, requestURI: '/a?x=1', user: { groups: ['g1', 'g2'] } }));
  assert.equal(a!.message, 'n/pods)) 1 (g1,g2) GET <NA> 1');
  assert.deepEqual([...a!.outputFields.keys()].sort(), ['evt.num', 'evt.time', 'ka.impuser.name', 'ka.target.name', 'ka.target.resource', 'ka.uri.param[x]', 'ka.user.groups']);
  fails([RULE('r', 'ka.verb=get').replace('"r %ka.verb"', '"bad %nosuch.field"')], "f1.yaml:1:3: rule 'r': invalid output format: invalid formatting token at position 5: '%nosuch.field'");
});

test('bosun default rules load and raise the expected alerts on the Falco traces', () => {
  const rs = loadRules([{ name: DEFAULT_RULES_NAME, text: DEFAULT_RULES_YAML }]);
  assert.deepEqual(rs.warnings, []);
  assert.equal(rs.rules.length, 25);
  const expect: Record<string, Record<string, number>> = {
    'traces/anonymous_creates_namespace_foo.json': { 'Anonymous Request Allowed': 1 },
    'traces/create_nginx_pod_privileged_2nd_container.json': { 'Privileged Pod Created': 1 },
    'traces/create_nginx_pod_sensitive_mount_2nd_container.json': { 'Pod With Sensitive Host Mount Created': 1 },
    // A kubelet get of an existing pod: nothing to report.
    'traces/create_nginx_pod_unsensitive_mount.json': {},
    'traces/create_nginx_pod_hostnetwork.json': { 'Pod Sharing Host Namespaces Created': 1 },
    'traces/create_cluster_role_wildcard_resources.json': { 'ClusterRole or Role With Wildcard Created': 1 },
    'traces/create_cluster_role_write_privileges.json': { 'ClusterRole or Role With Write Privileges Created': 1 },
    'traces/exec_pod.json': { 'Exec or Attach into Pod': 1 },
    'traces/attach_pod.json': { 'Exec or Attach into Pod': 1 },
    'traces/create_serviceaccount_kube_system_namespace.json': { 'Service Account Created in System Namespace': 1 },
    'traces/create_configmap_no_sensitive_values.json': { 'Request by Unexpected User': 1 },
    'traces/some-user_creates_namespace_foo.json': { 'Namespace Created or Deleted': 1 },
  };
  for (const [trace, want] of Object.entries(expect)) assert.deepEqual(countByRule(runTrace(rs, trace)), want, trace);
  assert.ok(traceEvents('traces/create_service.json').length > 0);
});

test('the engine v4 compatibility ruleset redefines stock rules in place (first position kept)', () => {
  const rs = loadTestRules([STOCK_RULES, 'overrides/engine_v4_k8s_audit_rules.yaml']);
  assert.equal(rs.rules[0]!.name, 'Disallowed K8s User');
  assert.equal(rs.rules.find((r) => r.name === 'Create HostNetwork Pod')!.index, loadTestRules([STOCK_RULES]).rules.find((r) => r.name === 'Create HostNetwork Pod')!.index);
});

test('time_format_iso_8601: the text prefix and the output_fields time key switch to evt.time.iso8601', () => {
  const rs = load(RULE('r', 'ka.verb=get'));
  const [a] = createEngine(rs, { hostname: 'h', timeIso8601: true }).process(event({ verb: 'get' }));
  assert.equal(a!.output, '2024-01-02T03:04:05.123456789Z: Warning r get');
  assert.deepEqual([...a!.outputFields.keys()], ['ka.verb', 'evt.time.iso8601']);
});

test('positions stay right across empty items and several YAML documents', () => {
  fails(['-\n- list: a\n  items: [b]\n---\n' + RULE('r', 'ka.verb =')], "f1.yaml:5:3: rule 'r': condition 1:10: expected a string value after '='");
});
