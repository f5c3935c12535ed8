/**
 * The webhook does not run checks whose every possible severity is off (checksWithModes). That
 * is only sound if each check declares every severity it reports besides its own
 * (`alsoReports`), and if the checks left out could only have produced dropped findings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_CHECKS } from '../../src/checks/registry.ts';
import type { Check } from '../../src/checks/types.ts';
import type { Severity } from '../../src/core/finding.ts';
import { EMPTY_CONFIG, type BosunConfig } from '../../src/config/types.ts';
import { prepareChecks, scanLoaded, scanManifests } from '../../src/scan.ts';
import { loadedFromObject } from '../../src/admission/object.ts';
import { resolveAdmissionConfig, ruleMode, namespacePolicy, type AdmissionConfigInput } from '../../src/admission/config.ts';
import { checksWithModes } from '../../src/admission/pipeline.ts';
import { ADMISSION_DATA } from './helpers.ts';

const CHECKS_DIR = new URL('../../src/checks/', import.meta.url).pathname;
const byId = new Map<string, Check>(BUILTIN_CHECKS.map((c) => [c.id, c]));
const declared = (c: Check): Severity[] => [c.severity, ...(c.alsoReports ?? [])];

function checkFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? checkFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

test('every severity named in a check file, other than its own, is in its alsoReports', () => {
  let files = 0;
  for (const file of checkFiles(CHECKS_DIR)) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('defineCheck({')) continue;
    const id = /^\s*id: '([^']+)'/m.exec(text)?.[1];
    const check = id === undefined ? undefined : byId.get(id);
    assert.ok(check !== undefined, `${file}: check ${id} is registered`);
    files++;
    // Severity words outside the rule's own `severity:` line are severities it may report.
    const body = text.replace(/^\s*severity: '\w+',$/m, '');
    const named = new Set([...body.matchAll(/'(critical|high|medium|low|info)'/g)].map((m) => m[1] as Severity));
    for (const s of named) assert.ok(declared(check).includes(s), `${check.id} (${file}) may report ${s}: add it to alsoReports`);
  }
  assert.ok(files > 100, `checked ${files} check files`);
});

function objectsOf(dir: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.json') && e.name !== 'index.json') {
        const data = JSON.parse(readFileSync(p, 'utf8')) as Record<string, any> | null;
        const request = (data?.['request'] ?? data) as Record<string, any> | null;
        for (const o of [request?.['object'], request?.['oldObject']]) if (o !== null && typeof o === 'object' && typeof o.kind === 'string') out.push(o as Record<string, unknown>);
      }
    }
  };
  walk(dir);
  return out;
}

const OBJECTS = objectsOf(ADMISSION_DATA);
const ALL_ENABLED: BosunConfig = { ...EMPTY_CONFIG, checks: { ...EMPTY_CONFIG.checks, enable: ['*'] } };

test('findings on the admission fixtures and the examples carry only declared severities', async () => {
  const reports = [
    ...OBJECTS.map((o) => scanLoaded(loadedFromObject('fixture', structuredClone(o)), ALL_ENABLED, { failOn: 'none', lean: true })),
    await scanManifests([new URL('../../examples/', import.meta.url).pathname], { config: ALL_ENABLED, failOn: 'none' }),
  ];
  let n = 0;
  for (const r of reports) {
    for (const f of r.findings) {
      const check = byId.get(f.ruleId);
      if (check === undefined) continue; // pss/*
      n++;
      assert.ok(declared(check).includes(f.severity), `${f.ruleId} reported ${f.severity}, declares ${declared(check).join(', ')}`);
    }
  }
  assert.ok(n > 100, `${n} findings checked`);
});

test('checksWithModes: off severities are left out; per-rule entries, overrides and alsoReports keep a check', () => {
  const ids = (input: AdmissionConfigInput, config: BosunConfig = EMPTY_CONFIG): Set<string> => {
    const admission = resolveAdmissionConfig(input);
    return new Set(checksWithModes(BUILTIN_CHECKS, config, (_id, s) => admission.severityModes[s], admission).map((c) => c.id));
  };
  const base = ids({});
  assert.ok(base.has('K8S-PRIVILEGED'), 'critical: enforce');
  assert.ok(base.has('K8S-NET-RAW'), 'medium, but reports high (warn) when NET_RAW is added');
  assert.ok(!base.has('K8S-LOW-UID'), 'low: off');
  assert.ok(ids({ rules: { 'K8S-LOW-*': 'warn' } }).has('K8S-LOW-UID'), 'a global rule entry');
  assert.ok(ids({ namespaces: [{ namespace: 'team-*', rules: { 'K8S-LOW-UID': 'audit' } }] }).has('K8S-LOW-UID'), 'a namespace rule entry');
  assert.ok(ids({}, { ...EMPTY_CONFIG, checks: { severity: { 'K8S-LOW-UID': 'critical' } } }).has('K8S-LOW-UID'), 'severity raised in bosun.yaml');
  assert.ok(!ids({}, { ...EMPTY_CONFIG, checks: { severity: { 'K8S-PRIVILEGED': 'low' } } }).has('K8S-PRIVILEGED'), 'severity lowered in bosun.yaml');
  assert.equal(ids({ severityModes: { medium: 'audit', low: 'audit', info: 'audit' } }).size, BUILTIN_CHECKS.length, 'nothing off: every check');
});

test('on the admission fixtures, the checks left out produce only findings whose mode is off', () => {
  const configs: AdmissionConfigInput[] = [{}, { pss: 'restricted:latest', severityModes: { critical: 'enforce', high: 'enforce' } }, { severityModes: { medium: 'warn' }, namespaces: [{ namespace: 'default', mode: 'audit', rules: { 'K8S-LOW-*': 'enforce' } }] }];
  for (const input of configs) {
    const admission = resolveAdmissionConfig(input);
    const kept = checksWithModes(BUILTIN_CHECKS, ALL_ENABLED, (_id, s) => admission.severityModes[s], admission);
    const judged = (prepared: ReturnType<typeof prepareChecks>, o: Record<string, unknown>): string[] => {
      const ns = namespacePolicy(admission, String((o['metadata'] as Record<string, unknown> | undefined)?.['namespace'] ?? 'default'));
      return scanLoaded(loadedFromObject('fixture', structuredClone(o)), ALL_ENABLED, { failOn: 'none', lean: true, prepared })
        .findings.filter((f) => !f.ruleId.startsWith('pss/'))
        .map((f) => `${f.ruleId} ${ruleMode(admission, ns, f.ruleId, admission.severityModes[f.severity])} ${f.fieldPath} ${f.message}`)
        .filter((line) => !line.includes(' off '));
    };
    const all = prepareChecks(ALL_ENABLED);
    const some = prepareChecks(ALL_ENABLED, kept);
    let n = 0;
    for (const o of OBJECTS) {
      const expected = judged(all, o);
      n += expected.length;
      assert.deepEqual(judged(some, o), expected, `${JSON.stringify(input)}: ${String(o['kind'])} ${JSON.stringify((o['metadata'] as Record<string, unknown> | undefined)?.['name'])}`);
    }
    assert.ok(n > 0, `${JSON.stringify(input)}: some findings survive`);
  }
});
