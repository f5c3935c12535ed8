/**
 * Falco conformance: every case of shared/testdata/falco (read in place). For each case the
 * complete derived alert list under rule_matching=first must match exactly (rendered output
 * line, message, output_fields, priority, tags, time, event index), the per-rule counts under
 * rule_matching=all must match, and the upstream (falcosecurity/testing) and legacy (Falco 0.34.1
 * python harness, with the legacy rulesets) assertions must hold.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { falcoJson } from '../../src/audit/output.ts';
import { countByRule, EVENTS_DIR, loadTestRules, runTrace, STOCK_RULES } from './helpers.ts';

interface ExpectedAlert {
  event_index: number;
  [key: string]: unknown;
}
interface Derived {
  loader_or_parse_errors: unknown[];
  rule_matching_first: { total: number; by_rule: Record<string, number>; alerts: ExpectedAlert[] };
  rule_matching_all: { total: number; by_rule: Record<string, number> };
}
interface Case {
  id: string;
  trace: string;
  rules: string[];
  upstream_assertions: { rule_counts?: Record<string, number>; at_least_one_alert_with_priority?: string; total_alerts?: string | number; stderr_matches?: string };
  legacy_python_assertions: { rules_at_the_time: string[]; detect: boolean; at_least_one_alert_with_priority?: string; rule_counts?: Record<string, number> };
  derived_expectations: Derived;
}

const cases = JSON.parse(readFileSync(join(EVENTS_DIR, 'expected', 'cases.json'), 'utf8')) as Case[];
const stock = JSON.parse(readFileSync(join(EVENTS_DIR, 'expected', 'stock_rules.json'), 'utf8')) as { traces: Record<string, Derived> };

/** Our alerts as the expectation files write them: Falco JSON with message, plus the event index. */
function actualAlerts(rules: string[], trace: string): Record<string, unknown>[] {
  return runTrace(loadTestRules(rules), trace, 'first').map((a) => ({ ...(JSON.parse(falcoJson(a, { includeMessage: true })) as Record<string, unknown>), event_index: a.event.line }));
}

function checkDerived(rules: string[], trace: string, d: Derived): void {
  assert.deepEqual(d.loader_or_parse_errors, []);
  const got = actualAlerts(rules, trace);
  assert.deepEqual(got, d.rule_matching_first.alerts);
  assert.equal(got.length, d.rule_matching_first.total);
  assert.deepEqual(countByRule(got as unknown as { rule: string }[]), d.rule_matching_first.by_rule);
  const all = runTrace(loadTestRules(rules), trace, 'all');
  assert.deepEqual(countByRule(all), d.rule_matching_all.by_rule);
  assert.equal(all.length, d.rule_matching_all.total);
}

test('the testdata has the 32 cases and 24 stock traces it promises', () => {
  assert.equal(cases.length, 32);
  assert.equal(Object.keys(stock.traces).length, 24);
});

for (const c of cases) {
  test(`case ${c.id}: derived expectations (first: exact alerts; all: counts)`, () => {
    checkDerived(c.rules, c.trace, c.derived_expectations);
  });

  test(`case ${c.id}: upstream assertions`, () => {
    const u = c.upstream_assertions;
    const alerts = runTrace(loadTestRules(c.rules), c.trace, 'first');
    const by = countByRule(alerts);
    for (const [rule, n] of Object.entries(u.rule_counts ?? {})) assert.equal(by[rule] ?? 0, n, rule);
    if (u.at_least_one_alert_with_priority !== undefined) assert.ok(alerts.some((a) => a.priority === u.at_least_one_alert_with_priority));
    if (u.total_alerts === '>0') assert.ok(alerts.length > 0);
    else if (u.total_alerts !== undefined) assert.equal(alerts.length, Number(u.total_alerts));
  });

  test(`case ${c.id}: legacy python assertions with the legacy rulesets`, () => {
    const l = c.legacy_python_assertions;
    const alerts = runTrace(loadTestRules(l.rules_at_the_time), c.trace, 'first');
    if (l.detect) assert.ok(alerts.length > 0, 'expected a detection');
    else assert.equal(alerts.length, 0, `expected no alerts, got ${alerts.map((a) => a.rule).join(', ')}`);
    const by = countByRule(alerts);
    for (const [rule, n] of Object.entries(l.rule_counts ?? {})) assert.equal(by[rule] ?? 0, n, rule);
    if (l.at_least_one_alert_with_priority !== undefined) assert.ok(alerts.some((a) => a.priority === l.at_least_one_alert_with_priority));
  });
}

for (const [trace, d] of Object.entries(stock.traces)) {
  test(`stock rules on ${trace}: exact alerts and counts`, () => {
    checkDerived([STOCK_RULES], trace, d);
  });
}

test('the stock ruleset loads as the reference describes: 48 rules in order, 45 macros, 18 lists', () => {
  const rs = loadTestRules([STOCK_RULES]);
  assert.equal(rs.rules.length, 48);
  assert.equal(rs.macros.size, 45);
  assert.equal(rs.lists.size, 18);
  assert.equal(rs.rules[0]!.name, 'Disallowed K8s User');
  assert.equal(rs.rules[47]!.name, 'Untrusted Node Unsuccessfully Tried to Join the Cluster');
  assert.equal(rs.requiredEngineVersion, '0.15.0');
  assert.deepEqual(rs.requiredPlugins.map((p) => p.name), ['k8saudit', 'json']);
  assert.deepEqual(rs.warnings, []);
  const prio = countByRule(rs.rules.map((r) => ({ rule: r.priority })));
  assert.deepEqual(prio, { Warning: 21, Informational: 20, Notice: 4, Error: 2, Debug: 1 });
});

test('every rules file of the testdata loads (the syscall ruleset skips its rules but keeps lists and macros)', () => {
  const legacy = loadTestRules(['legacy/falco_rules_1.0.1.yaml', 'legacy/k8s_audit_rules_0.5.0.yaml', 'legacy/trust_nginx_container_falco_lists.yaml']);
  assert.ok(legacy.skipped.length > 50, `syscall rules skipped: ${legacy.skipped.length}`);
  assert.ok(legacy.rules.every((r) => r.source === 'k8s_audit'));
  assert.ok(legacy.lists.get('falco_privileged_images')!.includes('nginx'));
  const pointer = loadTestRules([STOCK_RULES, 'overrides/single_rule_with_json_pointer.yaml']);
  assert.equal(pointer.rules.at(-1)!.name, 'json_pointer_example');
  for (const f of ['overrides/engine_v4/allow_nginx_container.yaml', 'overrides/engine_v4/allow_only_apache_container.yaml']) {
    assert.equal(loadTestRules(['overrides/engine_v4_k8s_audit_rules.yaml', f]).rules.length, loadTestRules(['overrides/engine_v4_k8s_audit_rules.yaml']).rules.length);
  }
});

test('the JSON-pointer rule matches events with an authorization decision (RFC 6901 ~1 escape)', () => {
  const rs = loadTestRules(['overrides/single_rule_with_json_pointer.yaml']);
  const alerts = runTrace(rs, 'traces/create_service.json', 'all');
  assert.deepEqual(alerts.map((a) => a.output), ['13:12:04.420072000: Warning JSON Pointer Test Alert']);
});

test('allowed_k8s_containers overrides: apache-only makes nginx pods "disallowed", nginx allows them', () => {
  const onlyApache = runTrace(loadTestRules([STOCK_RULES, 'overrides/allow_only_apache_container.yaml']), 'traces/create_nginx_pod_nohostnetwork.json', 'all');
  assert.deepEqual(countByRule(onlyApache)['Create Disallowed Pod'], 1);
  const nginx = runTrace(loadTestRules([STOCK_RULES, 'overrides/allow_nginx_container.yaml']), 'traces/create_nginx_pod_nohostnetwork.json', 'all');
  assert.equal(countByRule(nginx)['Create Disallowed Pod'], undefined);
});
