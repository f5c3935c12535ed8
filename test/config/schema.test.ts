import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import jsyaml from 'js-yaml';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { configJsonSchema, isCalendarDate, SCHEMA_URL } from '../../src/config/schema.ts';
import { STARTER_CONFIG } from '../../src/config/init.ts';
import { REPO_ROOT } from '../helpers.ts';

const committedPath = join(REPO_ROOT, 'schema', 'bosun.schema.json');

test('the committed schema is what scripts/gen-schema.ts prints', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [join(REPO_ROOT, 'scripts', 'gen-schema.ts')], { cwd: REPO_ROOT });
  assert.equal(await readFile(committedPath, 'utf8'), stdout, 'run: npm run schema');
  assert.equal(stdout, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
});

test('the schema is draft 2020-12 with an $id, a title and a description on every property', () => {
  const schema = configJsonSchema();
  assert.equal(schema['$schema'], 'https://json-schema.org/draft/2020-12/schema');
  assert.equal(schema['$id'], SCHEMA_URL);
  assert.equal(schema['title'], 'bosun.yaml');
  const missing: string[] = [];
  const walk = (node: unknown, at: string): void => {
    if (node === null || typeof node !== 'object') return;
    const props = (node as { properties?: Record<string, unknown> }).properties;
    for (const [key, value] of Object.entries(props ?? {})) {
      if (typeof (value as { description?: unknown }).description !== 'string') missing.push(`${at}${key}`);
      walk(value, `${at}${key}.`);
    }
    walk((node as { items?: unknown }).items, `${at}[].`);
  };
  walk(schema, '');
  assert.deepEqual(missing, []);
});

test('editors validating with the JSON Schema agree with the loader on the basics', () => {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  // Sections use standard formats (uri, …): validate them as editors do.
  (addFormatsModule as unknown as (a: Ajv2020) => void)(ajv);
  const validate = ajv.compile(configJsonSchema());
  assert.equal(validate(jsyaml.load(STARTER_CONFIG)), true, JSON.stringify(validate.errors));
  assert.equal(validate({ failOn: 'high', waivers: [{ rule: 'K8S-*', reason: 'r', expires: '2026-01-31' }] }), true);
  assert.equal(validate({ faillOn: 'high' }), false);
  assert.equal(validate({ waivers: [{ rule: 'K8S-*' }] }), false);
  assert.equal(validate({ pss: 'restricted:v1.30' }), true);
  assert.equal(validate({ pss: 'strict' }), false);
  assert.equal(validate({ checks: { severity: { 'K8S-PRIVILEGED': 'urgent' } } }), false);
});

test('isCalendarDate accepts only days that exist', () => {
  assert.deepEqual(
    ['2026-02-28', '2028-02-29', '2026-02-29', '2026-02-30', '2026-13-01', '2026-00-10', '2026-1-01', '2026-01-01T00:00:00Z'].map(isCalendarDate),
    [true, true, false, false, false, false, false, false],
  );
});
