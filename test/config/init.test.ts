import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STARTER_CONFIG, writeStarterConfig } from '../../src/config/init.ts';
import { loadConfigFile, parseConfig } from '../../src/config/load.ts';
import { SCHEMA_URL } from '../../src/config/schema.ts';

test('STARTER_CONFIG is valid and sets only the gate', () => {
  assert.deepEqual(parseConfig(STARTER_CONFIG, 'bosun.yaml'), { failOn: 'high', waivers: [], checks: { disable: [], enable: [], severity: {}, settings: {} } });
  assert.equal(STARTER_CONFIG.split('\n')[0], `# yaml-language-server: $schema=${SCHEMA_URL}`);
});

test('every option is explained in STARTER_CONFIG', () => {
  for (const key of ['failOn:', 'pss:', 'defaultNamespace:', 'waivers:', 'rule:', 'kind:', 'namespace:', 'name:', 'reason:', 'expires:', 'disable:', 'enable:', 'severity:', 'settings:', 'bosun.dev/ignore:', 'bosun.dev/ignore-reason:']) {
    assert.ok(STARTER_CONFIG.includes(key), key);
  }
});

test('the commented waiver example is valid once uncommented', () => {
  const uncommented = STARTER_CONFIG.replace('waivers: []\n', 'waivers:\n').replace(/^# ((?:- | {2})(?:rule|kind|namespace|name|reason|expires):)/gm, '$1');
  assert.deepEqual(parseConfig(uncommented, 'bosun.yaml').waivers, [
    { rule: 'K8S-PRIVILEGED', kind: 'DaemonSet', namespace: 'monitoring', name: 'node-exporter', reason: 'Reads host metrics; reviewed by the platform team (SEC-142)', expires: '2026-12-31' },
  ]);
});

test('writeStarterConfig writes bosun.yaml and refuses to overwrite unless forced', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bosun-init-'));
  try {
    const path = join(dir, 'bosun.yaml');
    assert.equal(await writeStarterConfig(dir), path);
    assert.equal(await readFile(path, 'utf8'), STARTER_CONFIG);
    assert.equal((await loadConfigFile(path)).failOn, 'high');

    await writeFile(path, 'failOn: low\n');
    await assert.rejects(writeStarterConfig(dir), { name: 'BosunError', code: 'E_EXISTS', message: `${path}: already exists (use --force to overwrite)` });
    assert.equal(await readFile(path, 'utf8'), 'failOn: low\n');

    assert.equal(await writeStarterConfig(dir, { force: true }), path);
    assert.equal(await readFile(path, 'utf8'), STARTER_CONFIG);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an existing bosun.yml also blocks writing a second config', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bosun-init-'));
  try {
    await writeFile(join(dir, 'bosun.yml'), 'failOn: low\n');
    await assert.rejects(writeStarterConfig(dir), { code: 'E_EXISTS', message: `${join(dir, 'bosun.yml')}: already exists (use --force to overwrite)` });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
