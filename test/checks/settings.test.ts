/** checks.settings: every name a check reads is declared, and an undeclared name in bosun.yaml is an error. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILTIN_CHECKS } from '../../src/checks/registry.ts';
import { declaredSettings, validateCheckSettings } from '../../src/checks/settings.ts';
import { scanManifests } from '../../src/scan.ts';
import { parseConfig } from '../../src/config/load.ts';

const CHECKS_DIR = fileURLToPath(new URL('../../src/checks/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

test('every setting name a check reads (ctx.setting / setting(...)) is declared by some check', () => {
  const declared = declaredSettings(BUILTIN_CHECKS);
  const read = new Set<string>();
  for (const file of sources(CHECKS_DIR)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/setting(?:<[^>]*>)?\('([A-Za-z0-9]+)'\)/g)) read.add(m[1]!);
  }
  assert.ok(read.size >= 20, `found ${read.size} setting reads`);
  assert.deepEqual([...read].filter((n) => !declared.has(n)).sort(), []);
  // Shared names are deliberate: the checks that share one read it the same way.
  assert.deepEqual(declared.get('excludedNamespaces')?.length, 2);
});

const POD = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec: {replicas: 2, selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: nginx}]}}}\n';

test('an undeclared setting is E_CONFIG naming the file and the closest known name; declared ones are used', async () => {
  const typo = parseConfig('checks:\n  settings:\n    minReplica: 3\n', 'bosun.yaml');
  typo.source = 'repo/bosun.yaml';
  await assert.rejects(scanManifests([{ name: 'web.yaml', content: POD }], { config: typo }), { code: 'E_CONFIG', message: 'repo/bosun.yaml: checks.settings.minReplica: no check reads this setting (did you mean minReplicas?)' });
  assert.throws(() => validateCheckSettings({ zzzzzz: 1 }, BUILTIN_CHECKS), { message: 'bosun.yaml: checks.settings.zzzzzz: no check reads this setting' });
  const few = async (yaml: string): Promise<number> =>
    (await scanManifests([{ name: 'web.yaml', content: POD }], { config: parseConfig(yaml, 'bosun.yaml') })).findings.filter((f) => f.ruleId === 'K8S-REPLICAS-TOO-FEW').length;
  assert.equal(await few('checks:\n  enable: [K8S-REPLICAS-TOO-FEW]\n'), 0, 'two replicas meet the default minimum of 2');
  assert.equal(await few('checks:\n  enable: [K8S-REPLICAS-TOO-FEW]\n  settings:\n    minReplicas: 3\n'), 1, 'the setting raises the minimum');
});
