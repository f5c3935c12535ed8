import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigFile, parseConfig, MAX_CONFIG_BYTES } from '../../src/config/load.ts';
import { BosunError } from '../../src/core/errors.ts';

const FULL = `failOn: medium
pss: restricted:v1.30
defaultNamespace: apps
waivers:
  - rule: K8S-PRIVILEGED
    kind: DaemonSet
    namespace: monitoring
    name: node-exporter-*
    reason: reads host metrics (SEC-142)
    expires: 2026-12-31
  - rule: "pss/*"
    reason: legacy namespace
checks:
  disable: [K8S-LATEST-TAG]
  enable: ["K8S-OPT-*"]
  severity:
    K8S-PRIVILEGED: high
  settings:
    allowedRegistries: [registry.example.com]
    minReplicas: 2
`;

/** The E_CONFIG message `parseConfig` throws for `text`. */
function configError(text: string, name = 'bosun.yaml'): string {
  try {
    parseConfig(text, name);
  } catch (err) {
    assert.ok(err instanceof BosunError);
    assert.equal(err.code, 'E_CONFIG');
    assert.equal(err.exitCode, 2);
    assert.ok(!err.message.includes('\n'), `one line: ${err.message}`);
    return err.message;
  }
  assert.fail('expected an E_CONFIG error');
}

test('a full valid config loads with every field', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bosun-config-'));
  try {
    const path = join(dir, 'bosun.yaml');
    await writeFile(path, FULL);
    assert.deepEqual(await loadConfigFile(path), {
      source: path,
      failOn: 'medium',
      pss: 'restricted:v1.30',
      defaultNamespace: 'apps',
      waivers: [
        { rule: 'K8S-PRIVILEGED', kind: 'DaemonSet', namespace: 'monitoring', name: 'node-exporter-*', reason: 'reads host metrics (SEC-142)', expires: '2026-12-31' },
        { rule: 'pss/*', reason: 'legacy namespace' },
      ],
      checks: {
        disable: ['K8S-LATEST-TAG'],
        enable: ['K8S-OPT-*'],
        severity: { 'K8S-PRIVILEGED': 'high' },
        settings: { allowedRegistries: ['registry.example.com'], minReplicas: 2 },
      },
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an empty or comment-only file is an empty config', () => {
  assert.deepEqual(parseConfig('', 'bosun.yaml'), { waivers: [], checks: {} });
  assert.deepEqual(parseConfig('# nothing yet\n', 'bosun.yaml'), { waivers: [], checks: {} });
});

test('pss accepts each level with an optional version', () => {
  for (const pss of ['baseline', 'restricted', 'privileged', 'baseline:latest', 'restricted:v1.0', 'restricted:v1.33']) {
    assert.equal(parseConfig(`pss: ${pss}\n`, 'bosun.yaml').pss, pss);
  }
});

test('validation errors name the file, the field path and the problem on one line', () => {
  const cases: [string, string][] = [
    ['waivers:\n  - rule: K8S-PRIVILEGED\n    reason: ok\n  - rule: K8S-PRIVILEGED\n', 'bosun.yaml: waivers[1].reason: required'],
    ['waivers:\n  - rule: K8S-PRIVILEGED\n    reason:\n', 'bosun.yaml: waivers[0].reason: required'],
    ['waivers:\n  - rule: K8S-PRIVILEGED\n    reason: ""\n', 'bosun.yaml: waivers[0].reason: must not be empty'],
    ['waivers:\n  - reason: because\n', 'bosun.yaml: waivers[0].rule: required'],
    ['waivers:\n  - rule: K8S-PRIVILEGED\n    reason: r\n    expires: 2026-02-30\n', 'bosun.yaml: waivers[0].expires: not a calendar date (got "2026-02-30")'],
    ['waivers:\n  - rule: K8S-PRIVILEGED\n    reason: r\n    expires: 2026-3-1\n', 'bosun.yaml: waivers[0].expires: must be a date YYYY-MM-DD (got "2026-3-1")'],
    ['waivers:\n  - rule: K8S-PRIVILEGED\n    reason: r\n    expire: 2026-03-01\n', 'bosun.yaml: waivers[0].expire: unknown key (did you mean "expires"?)'],
    ['faillOn: high\n', 'bosun.yaml: faillOn: unknown key (did you mean "failOn"?)'],
    ['failon: high\n', 'bosun.yaml: failon: unknown key (did you mean "failOn"?)'],
    ['gate: high\n', 'bosun.yaml: gate: unknown key'],
    ['checks:\n  disabled: [K8S-PRIVILEGED]\n', 'bosun.yaml: checks.disabled: unknown key (did you mean "disable"?)'],
    ['failOn: severe\n', 'bosun.yaml: failOn: must be one of critical, high, medium, low, none (got "severe")'],
    ['checks:\n  severity:\n    K8S-PRIVILEGED: urgent\n', 'bosun.yaml: checks.severity.K8S-PRIVILEGED: must be one of critical, high, medium, low, info (got "urgent")'],
    ['pss: strict\n', 'bosun.yaml: pss: must be baseline, restricted or privileged, optionally with :v1.N or :latest (got "strict")'],
    ['pss: restricted:1.30\n', 'bosun.yaml: pss: must be baseline, restricted or privileged, optionally with :v1.N or :latest (got "restricted:1.30")'],
    ['waivers:\n  rule: K8S-PRIVILEGED\n', 'bosun.yaml: waivers: expected array, got a mapping'],
    ['checks:\n  disable: K8S-PRIVILEGED\n', 'bosun.yaml: checks.disable: expected array, got "K8S-PRIVILEGED"'],
    ['defaultNamespace: 5\n', 'bosun.yaml: defaultNamespace: expected string, got 5'],
    ['- failOn: high\n', 'bosun.yaml: expected a mapping of settings at the top level, got a list'],
    ['failOn: severe\npss: strict\ngate: x\n', 'bosun.yaml: failOn: must be one of critical, high, medium, low, none (got "severe") (and 2 more problems)'],
  ];
  for (const [text, message] of cases) assert.equal(configError(text), message, text);
});

test('YAML errors give the line and column', () => {
  assert.equal(configError('failOn: high\nfailOn: low\n'), 'bosun.yaml:2:1: duplicate key "failOn"');
  assert.equal(configError('checks:\n  severity:\n    K8S-PRIVILEGED: high\n    "K8S-PRIVILEGED": low\n'), 'bosun.yaml:4:5: duplicate key "K8S-PRIVILEGED"');
  assert.equal(configError('checks:\n  disable: []\n enable: []\n'), 'bosun.yaml:3:2: bad indentation of a mapping entry');
  assert.equal(configError('checks: {disable: [a\n'), 'bosun.yaml:2:1: unexpected end of the stream within a flow collection');
  assert.equal(configError('failOn: high\n---\nfailOn: low\n'), 'bosun.yaml: expected a single document in the stream, but found more');
});

test('unreadable, binary and oversized files are config errors naming the path', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bosun-config-'));
  try {
    const missing = join(dir, 'missing.yaml');
    await assert.rejects(loadConfigFile(missing), { code: 'E_CONFIG', message: `${missing}: cannot read config: ENOENT` });
    await assert.rejects(loadConfigFile(dir), { code: 'E_CONFIG', message: `${dir}: not a regular file` });
    const binary = join(dir, 'binary.yaml');
    await writeFile(binary, Buffer.from([0x66, 0x61, 0x00, 0x01, 0xff]));
    await assert.rejects(loadConfigFile(binary), { code: 'E_CONFIG', message: `${binary}: binary file, not YAML` });
    const latin1 = join(dir, 'latin1.yaml');
    await writeFile(latin1, Buffer.from('waivers: []\n# caf\xe9\n', 'latin1'));
    await assert.rejects(loadConfigFile(latin1), { code: 'E_CONFIG', message: `${latin1}: not valid UTF-8 text` });
    const big = join(dir, 'big.yaml');
    await writeFile(big, `# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
    await assert.rejects(loadConfigFile(big), { code: 'E_CONFIG', message: `${big}: file is too large for a config (${MAX_CONFIG_BYTES + 3} bytes, limit ${MAX_CONFIG_BYTES})` });
    const bad = join(dir, 'bosun.yaml');
    await writeFile(bad, 'waivers:\n  - rule: K8S-PRIVILEGED\n');
    await assert.rejects(loadConfigFile(bad), { code: 'E_CONFIG', message: `${bad}: waivers[0].reason: required` });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
