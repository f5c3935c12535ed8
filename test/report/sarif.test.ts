import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { renderReport } from '../../src/report/index.ts';
import { pascalCase } from '../../src/report/sarif.ts';
import { mixedReport, smallReport, RULES } from './fixtures.ts';

/**
 * The SARIF 2.1.0 JSON schema as shipped by @microsoft/jest-sarif (sarif-2.1.0-rtm.5, the
 * schemastore copy of the OASIS schema). It is written in draft-04: Ajv 8 reads it as draft-07 once
 * the root `id` is `$id`, and with patterns compiled without the `u` flag as draft-04 intended
 * (one `language` pattern has a stray `]` that only unicode mode rejects).
 */
function sarifValidator() {
  const path = createRequire(import.meta.url).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const { $schema: _draft, id, ...schema } = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats.default(ajv);
  return ajv.compile({ ...schema, $id: id as string });
}

const validate = sarifValidator();

function assertValid(log: unknown): void {
  const ok = validate(log);
  assert.ok(ok, JSON.stringify(validate.errors, null, 2));
}

test('sarif: validates against the SARIF 2.1.0 schema, and the validator does reject bad logs', async () => {
  const log = JSON.parse(renderReport(await mixedReport(), 'sarif', { rules: RULES }));
  assertValid(log);
  assertValid(JSON.parse(renderReport(await smallReport(), 'sarif', { rules: RULES, baseDir: '/repo' })));
  assert.equal(validate({ ...log, version: '2.0.0' }), false);
  const badLevel = structuredClone(log);
  badLevel.runs[0].results[0].level = 'critical';
  assert.equal(validate(badLevel), false);
  const unknownKey = structuredClone(log);
  unknownKey.runs[0].results[0].severity = 'critical';
  assert.equal(validate(unknownKey), false);
});

test('sarif: driver and rules', async () => {
  const log = JSON.parse(renderReport(await mixedReport(), 'sarif', { rules: RULES }));
  assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
  assert.equal(log.version, '2.1.0');
  assert.equal(log.runs.length, 1);
  const driver = log.runs[0].tool.driver;
  assert.equal(driver.name, 'bosun');
  assert.equal(driver.informationUri, 'https://bosun.dev');
  assert.deepEqual(driver.rules.map((r: { id: string }) => r.id), ['K8S-PRIVILEGED', 'TEST-OWNER']);
  const [priv, owner] = driver.rules;
  assert.equal(priv.name, 'PrivilegedContainer');
  assert.deepEqual(priv.shortDescription, { text: 'Privileged container' });
  assert.match(priv.fullDescription.text, /^A privileged container has all Linux capabilities/);
  assert.deepEqual(priv.defaultConfiguration, { level: 'error' });
  assert.deepEqual(priv.properties.tags, ['security', 'pod-security', 'cis:5.2.2', 'nsa:1.2', 'nist-800-190:4.4.3', 'pss:baseline', 'mitre:Privilege escalation']);
  assert.equal(priv.properties['security-severity'], '9.5');
  assert.equal(priv.properties.precision, 'very-high');
  assert.match(priv.help.markdown, /\*\*Remediation\*\*: Remove `securityContext.privileged: true`/);
  assert.match(priv.help.markdown, /- `spec.initContainers\[\*\].securityContext.privileged`/);
  assert.match(priv.help.text, /Frameworks: cis: 5\.2\.2; nsa: 1\.2; nist-800-190: 4\.4\.3; pss: baseline; mitre: Privilege escalation/);
  assert.deepEqual(owner.defaultConfiguration, { level: 'note' });
  assert.equal(owner.properties['security-severity'], '3.0');
  assert.deepEqual(owner.properties.tags, ['security', 'hygiene']);
});

test('sarif: results with physical and logical locations, fingerprints, suppressions', async () => {
  const report = await mixedReport();
  const log = JSON.parse(renderReport(report, 'sarif', { rules: RULES }));
  const results = log.runs[0].results;
  assert.deepEqual(
    results.map((r: { ruleId: string; ruleIndex: number; level: string }) => [r.ruleId, r.ruleIndex, r.level]),
    [
      ['K8S-PRIVILEGED', 0, 'error'],
      ['TEST-OWNER', 1, 'note'],
      ['K8S-PRIVILEGED', 0, 'error'],
      ['K8S-PRIVILEGED', 0, 'error'],
    ],
  );
  assert.deepEqual(results[0].message, { text: 'container "app" runs privileged' });
  assert.deepEqual(results[0].locations, [
    {
      physicalLocation: { artifactLocation: { uri: 'k8s/app.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 13, startColumn: 9 } },
      logicalLocations: [{ name: 'Pod/shop/web', fullyQualifiedName: 'Pod/shop/web/spec.containers[0].securityContext.privileged', kind: 'resource' }],
    },
  ]);
  assert.deepEqual(results[0].partialFingerprints, { 'bosun/v1': report.findings[0]!.fingerprint });
  assert.equal(results[0].suppressions, undefined);
  assert.deepEqual(results[3].suppressions, [{ kind: 'inSource', status: 'accepted', justification: 'debug pod, deleted after the incident' }]);
  assert.equal(results[3].locations[0].logicalLocations[0].name, 'Pod/debug');
});

test('sarif: a waiver from config is an external suppression', async () => {
  const report = await smallReport();
  report.findings[0]!.suppressed = { by: 'config', reason: 'accepted risk', expires: '2030-01-01' };
  const log = JSON.parse(renderReport(report, 'sarif', { rules: RULES }));
  assertValid(log);
  assert.deepEqual(log.runs[0].results[0].suppressions, [{ kind: 'external', status: 'accepted', justification: 'accepted risk', properties: { expires: '2030-01-01' } }]);
});

test('sarif: input errors are tool execution notifications', async () => {
  const log = JSON.parse(renderReport(await mixedReport(), 'sarif', { rules: RULES }));
  assert.deepEqual(log.runs[0].invocations, [
    {
      executionSuccessful: false,
      toolExecutionNotifications: [
        {
          level: 'error',
          message: { text: 'k8s/app.yaml:46:1: unexpected end of the stream within a flow collection' },
          descriptor: { id: 'E_PARSE' },
          locations: [{ physicalLocation: { artifactLocation: { uri: 'k8s/app.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 46, startColumn: 1 } } }],
        },
      ],
    },
  ]);
  const clean = JSON.parse(renderReport(await smallReport(), 'sarif', { rules: RULES }));
  assert.deepEqual(clean.runs[0].invocations, [{ executionSuccessful: true, toolExecutionNotifications: [] }]);
});

test('sarif: paths are relative to baseDir with forward slashes and percent-encoding; outside it, file URIs', async () => {
  const report = await smallReport();
  const loc = report.findings[0]!.location!;
  loc.file = '/repo/deploy/my app#1.yaml';
  let log = JSON.parse(renderReport(report, 'sarif', { rules: RULES, baseDir: '/repo' }));
  assert.deepEqual(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation, { uri: 'deploy/my%20app%231.yaml', uriBaseId: '%SRCROOT%' });
  assert.deepEqual(log.runs[0].originalUriBaseIds, { '%SRCROOT%': { uri: 'file:///repo/' } });
  loc.file = '/elsewhere/x.yaml';
  log = JSON.parse(renderReport(report, 'sarif', { rules: RULES, baseDir: '/repo' }));
  assert.deepEqual(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation, { uri: 'file:///elsewhere/x.yaml' });
  assertValid(log);
});

test('sarif: a rule without catalogue metadata is described from its finding', async () => {
  const report = await smallReport();
  const log = JSON.parse(renderReport(report, 'sarif', { rules: [] }));
  assertValid(log);
  const rule = log.runs[0].tool.driver.rules[0];
  assert.equal(rule.id, 'K8S-PRIVILEGED');
  assert.equal(rule.name, 'PrivilegedContainer');
  assert.deepEqual(rule.properties.tags, ['security', 'other', 'cis:5.2.2', 'nsa:1.2', 'nist-800-190:4.4.3', 'pss:baseline', 'mitre:Privilege escalation']);
});

test('sarif: pascalCase of titles', () => {
  assert.equal(pascalCase('Privileged container'), 'PrivilegedContainer');
  assert.equal(pascalCase('hostPath volume (read-write)'), 'HostPathVolumeReadWrite');
  assert.equal(pascalCase('CPU limits not set'), 'CPULimitsNotSet');
});
