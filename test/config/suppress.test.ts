import { test } from 'node:test';
import assert from 'node:assert/strict';
import privileged from '../../src/checks/pod-security/privileged.ts';
import type { Finding } from '../../src/core/finding.ts';
import { matchesGlob } from '../../src/core/glob.ts';
import { applyWaivers, isExpired, parseIgnoreAnnotation, waiverMatches } from '../../src/core/suppress.ts';
import type { BosunConfig, Waiver } from '../../src/config/types.ts';
import { parseConfig } from '../../src/config/load.ts';
import { scanYaml } from '../helpers.ts';

const POD = (annotations = '') => `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-exporter
  namespace: monitoring
${annotations}spec:
  template:
    spec:
      containers:
        - name: exporter
          image: prom/node-exporter:v1.8.0
          securityContext:
            privileged: true
`;

const NOW = new Date('2026-06-15T12:00:00Z');
const config = (c: Partial<BosunConfig>): BosunConfig => ({ waivers: [], checks: {}, ...c });
const waiver = (w: Partial<Waiver>): Waiver => ({ rule: 'K8S-PRIVILEGED', reason: 'reads host metrics (SEC-142)', ...w });

test('without a waiver the privileged container fails the gate', async () => {
  const report = await scanYaml(POD(), { only: privileged, now: NOW });
  assert.deepEqual(report.findings.map((f) => [f.ruleId, f.severity, f.suppressed]), [['K8S-PRIVILEGED', 'critical', undefined]]);
  assert.equal(report.summary.findings, 1);
  assert.equal(report.summary.gateFailed, true);
});

test('a live waiver matching rule, namespace and name globs suppresses: kept, marked, not counted, not gated', async () => {
  const w = waiver({ rule: 'K8S-PRIV*', namespace: 'monitor*', name: 'node-?xporter', expires: '2026-12-31' });
  const report = await scanYaml(POD(), { only: privileged, now: NOW, config: config({ waivers: [w], source: 'bosun.yaml' }) });
  assert.equal(report.findings.length, 1);
  assert.deepEqual(report.findings[0]!.suppressed, { by: 'config', reason: 'reads host metrics (SEC-142)', expires: '2026-12-31' });
  assert.equal(report.summary.findings, 0);
  assert.equal(report.summary.suppressed, 1);
  assert.equal(report.summary.bySeverity.critical, 0);
  assert.equal(report.summary.gateFailed, false);
  assert.deepEqual(report.summary.expiredWaivers, []);
});

test('a waiver loaded from bosun.yaml text suppresses the same way', async () => {
  const loaded = parseConfig('waivers:\n  - rule: K8S-PRIVILEGED\n    kind: DaemonSet\n    reason: host metrics\n', 'bosun.yaml');
  const report = await scanYaml(POD(), { only: privileged, now: NOW, config: loaded });
  assert.deepEqual(report.findings[0]!.suppressed, { by: 'config', reason: 'host metrics' });
  assert.equal(report.summary.gateFailed, false);
});

test('an expired waiver suppresses nothing and is listed in the summary', async () => {
  const w = waiver({ expires: '2026-06-15' });
  const report = await scanYaml(POD(), { only: privileged, now: NOW, config: config({ waivers: [w], source: 'deploy/bosun.yaml' }) });
  assert.equal(report.findings[0]!.suppressed, undefined);
  assert.equal(report.summary.findings, 1);
  assert.equal(report.summary.gateFailed, true);
  assert.deepEqual(report.summary.expiredWaivers, [{ rule: 'K8S-PRIVILEGED', reason: 'reads host metrics (SEC-142)', expires: '2026-06-15', source: 'deploy/bosun.yaml' }]);
});

test('a waiver whose kind, namespace or name does not match suppresses nothing', async () => {
  for (const w of [waiver({ kind: 'Deployment' }), waiver({ namespace: 'kube-system' }), waiver({ name: 'node-exporter-*' }), waiver({ rule: 'K8S-HOST-*' })]) {
    const report = await scanYaml(POD(), { only: privileged, now: NOW, config: config({ waivers: [w] }) });
    assert.equal(report.findings[0]!.suppressed, undefined, JSON.stringify(w));
    assert.equal(report.summary.gateFailed, true);
  }
});

test('the bosun.dev/ignore annotation suppresses listed rules with the given reason', async () => {
  const annotated = POD('  annotations:\n    bosun.dev/ignore: "K8S-PRIVILEGED, OTHER"\n    bosun.dev/ignore-reason: "needs /dev access (SEC-7)"\n');
  const report = await scanYaml(annotated, { only: privileged, now: NOW });
  assert.equal(report.findings.length, 1);
  assert.deepEqual(report.findings[0]!.suppressed, { by: 'annotation', reason: 'needs /dev access (SEC-7)' });
  assert.equal(report.summary.findings, 0);
  assert.equal(report.summary.suppressed, 1);
  assert.equal(report.summary.gateFailed, false);
});

test('an annotation naming other rules suppresses nothing', async () => {
  const annotated = POD('  annotations:\n    bosun.dev/ignore: "K8S-HOST-NETWORK"\n');
  const report = await scanYaml(annotated, { only: privileged, now: NOW });
  assert.equal(report.findings[0]!.suppressed, undefined);
  assert.equal(report.summary.gateFailed, true);
});

test('checks.ignoreAnnotation limits what the annotation may suppress: a "*" annotation on a privileged pod does not pass the gate', async () => {
  const everything = POD('  annotations:\n    bosun.dev/ignore: "*"\n    bosun.dev/ignore-reason: "trust me"\n');
  // By default an annotation may suppress any rule (as before).
  assert.equal((await scanYaml(everything, { only: privileged, now: NOW })).summary.gateFailed, false);
  for (const ignoreAnnotation of [[], ['K8S-REPLICAS-*', 'K8S-*-PROBE-MISSING']]) {
    const report = await scanYaml(everything, { only: privileged, now: NOW, config: config({ checks: { ignoreAnnotation } }) });
    assert.equal(report.findings[0]!.suppressed, undefined, JSON.stringify(ignoreAnnotation));
    assert.equal(report.summary.gateFailed, true);
  }
  const allowed = await scanYaml(everything, { only: privileged, now: NOW, config: config({ checks: { ignoreAnnotation: ['K8S-PRIV*'] } }) });
  assert.deepEqual(allowed.findings[0]!.suppressed, { by: 'annotation', reason: 'trust me' });
});

test('checks.disable removes the rule (by ID or glob)', async () => {
  for (const disable of [['K8S-PRIVILEGED'], ['K8S-*']]) {
    const report = await scanYaml(POD(), { only: privileged, now: NOW, config: config({ checks: { disable } }) });
    assert.deepEqual(report.findings, []);
    assert.equal(report.summary.gateFailed, false);
  }
});

test('checks.severity overrides the severity and thereby the gate', async () => {
  const low = await scanYaml(POD(), { only: privileged, now: NOW, config: config({ checks: { severity: { 'K8S-PRIVILEGED': 'low' } } }) });
  assert.equal(low.findings[0]!.severity, 'low');
  assert.equal(low.summary.bySeverity.low, 1);
  assert.equal(low.summary.gateFailed, false);

  const lowFailing = await scanYaml(POD(), { only: privileged, now: NOW, config: config({ failOn: 'low', checks: { severity: { 'K8S-PRIVILEGED': 'low' } } }) });
  assert.equal(lowFailing.summary.failOn, 'low');
  assert.equal(lowFailing.summary.gateFailed, true);
});

// ── suppression primitives ───────────────────────────────────────────────────────────────

const finding = (namespace: string | undefined, kind = 'Deployment'): Finding => ({
  ruleId: 'K8S-PRIVILEGED',
  severity: 'critical',
  title: 't',
  message: 'm',
  target: { type: 'resource', apiVersion: 'v1', kind, name: 'web', ...(namespace !== undefined && { namespace }) },
  fingerprint: 'fp',
});

test('a waiver expires on its expiry day (UTC), not before', () => {
  const w = waiver({ expires: '2026-06-15' });
  assert.equal(isExpired(w, new Date('2026-06-14T23:59:59Z')), false);
  assert.equal(isExpired(w, new Date('2026-06-15T00:00:00Z')), true);
  assert.equal(isExpired(waiver({}), new Date('2100-01-01T00:00:00Z')), false);
});

test('namespace globs use the namespace the object lands in when the scanner says so', () => {
  const inDefault = (t: Finding['target']): string | undefined => (t.type !== 'resource' || t.kind === 'ClusterRole' ? undefined : (t.namespace ?? 'default'));
  const w = waiver({ namespace: 'default' });
  assert.equal(waiverMatches(w, finding(undefined)), false);
  assert.equal(waiverMatches(w, finding(undefined), inDefault), true);
  assert.equal(waiverMatches(w, finding('prod'), inDefault), false);
  assert.equal(waiverMatches(waiver({ namespace: '*' }), finding(undefined, 'ClusterRole'), inDefault), true);
  assert.equal(waiverMatches(waiver({ namespace: 'default' }), finding(undefined, 'ClusterRole'), inDefault), false);

  const findings = [finding(undefined), finding('prod')];
  assert.deepEqual(applyWaivers(findings, [w], NOW, 'bosun.yaml', inDefault), []);
  assert.deepEqual(findings.map((f) => f.suppressed), [{ by: 'config', reason: 'reads host metrics (SEC-142)' }, undefined]);
});

test('the first matching live waiver wins; an already suppressed finding keeps its suppression', () => {
  const f = finding('prod');
  const annotated = { ...finding('prod'), suppressed: { by: 'annotation' as const, reason: 'annotated' } };
  const expired = waiver({ reason: 'old', expires: '2026-01-01' });
  applyWaivers([f, annotated], [expired, waiver({ reason: 'first' }), waiver({ reason: 'second' })], NOW);
  assert.deepEqual(f.suppressed, { by: 'config', reason: 'first' });
  assert.deepEqual(annotated.suppressed, { by: 'annotation', reason: 'annotated' });
});

test('ignore annotations split on commas and drop blanks', () => {
  assert.deepEqual(parseIgnoreAnnotation(' K8S-PRIVILEGED, OTHER ,,pss/* '), ['K8S-PRIVILEGED', 'OTHER', 'pss/*']);
  assert.deepEqual(parseIgnoreAnnotation(undefined), []);
  assert.deepEqual(parseIgnoreAnnotation(''), []);
});

test('globs: * and ? only, everything else literal, whole string, case-sensitive', () => {
  const cases: [string, string, boolean][] = [
    ['K8S-*', 'K8S-PRIVILEGED', true],
    ['K8S-*', 'X-K8S-PRIVILEGED', false],
    ['pss/*', 'pss/privileged', true],
    ['node-?xporter', 'node-exporter', true],
    ['node-?xporter', 'node-xporter', false],
    ['a.b', 'axb', false],
    ['a.b', 'a.b', true],
    ['team-(a|b)', 'team-a', false],
    ['[ab]', 'a', false],
    ['*', '', true],
    ['k8s-*', 'K8S-PRIVILEGED', false],
  ];
  for (const [glob, value, expected] of cases) assert.equal(matchesGlob(glob, value), expected, `${glob} ~ ${value}`);
});
