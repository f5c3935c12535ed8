/**
 * What a manifest says does not depend on how it is written. The same objects as block YAML,
 * flow YAML, JSON (a kubectl List), with every mapping's keys in reverse order, wrapped in one
 * List, or one object per file, must give the same findings (rule, severity, resource, field,
 * message, suppression); only locations may move. Run on the examples, a sample of the PSS
 * fixtures and a slice of the bench corpus, with PSS evaluation on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import jsyaml from 'js-yaml';
import { listManifestFiles } from '../../src/manifests/load.ts';
import { scanManifests, type ManifestInput } from '../../src/index.ts';
import { KUBERNETES_SCHEMA } from '../../src/manifests/yaml.ts';
import type { Finding } from '../../src/core/finding.ts';
import { writeCorpus } from '../../bench/corpus.ts';

const PSS = new URL('../../../shared/testdata/pss/', import.meta.url).pathname;

function reverseKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reverseKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverseKeys(x)]));
}

/** YAML that reads back as the same objects under Kubernetes' scalars (every string quoted). */
function dump(obj: unknown, flowLevel = -1): string {
  return jsyaml.dump(obj, { flowLevel, forceQuotes: true, quotingType: '"', lineWidth: -1, noRefs: true });
}

function layouts(objects: unknown[]): Array<[string, ManifestInput[]]> {
  const list = (items: unknown[]) => ({ apiVersion: 'v1', kind: 'List', items });
  return [
    ['block', [{ name: 'all.yaml', content: objects.map((o) => dump(o)).join('---\n') }]],
    ['flow', [{ name: 'all.yaml', content: objects.map((o) => dump(o, 1)).join('---\n') }]],
    ['json list', [{ name: 'all.json', content: JSON.stringify(list(objects), null, 2) }]],
    ['reversed keys', [{ name: 'all.yaml', content: objects.map((o) => dump(reverseKeys(o))).join('---\n') }]],
    ['yaml list', [{ name: 'all.yaml', content: dump(list(objects)) }]],
    ['one file each', objects.map((o, i) => ({ name: `f${i}.json`, content: JSON.stringify(o) }))],
  ];
}

function meaning(findings: readonly Finding[]): string[] {
  return findings
    .map((f) => {
      const t = f.target as { kind?: string; namespace?: string; name?: string };
      return `${f.ruleId} ${f.severity} ${t.kind}/${t.namespace ?? ''}/${t.name} ${f.fieldPath ?? ''} ${f.message}${f.suppressed ? ' (suppressed)' : ''}`;
    })
    .sort();
}

async function objectsOf(files: string[]): Promise<unknown[]> {
  return files.flatMap((f) => jsyaml.loadAll(readFileSync(f, 'utf8'), undefined, { schema: KUBERNETES_SCHEMA }).filter((d) => d !== null && typeof d === 'object'));
}

async function assertInvariant(label: string, objects: unknown[]): Promise<number> {
  const options = { config: false as const, pss: 'restricted:latest' };
  const [base, ...others] = await Promise.all(layouts(objects).map(async ([name, inputs]) => [name, await scanManifests(inputs, options)] as const));
  const want = meaning(base![1].findings);
  assert.ok(want.length > 0, `${label}: findings`);
  assert.deepEqual(base![1].errors, [], `${label}: no errors`);
  for (const [name, report] of others) {
    assert.deepEqual(report.errors, [], `${label} ${name}: no errors`);
    assert.deepEqual(meaning(report.findings), want, `${label}: ${name} differs from block YAML`);
  }
  return want.length;
}

test('the examples: same findings in every layout', async () => {
  const files = await listManifestFiles('examples');
  const objects = (await objectsOf(files)).filter((o) => !String((o as { apiVersion?: string }).apiVersion ?? '').startsWith('bosun.dev'));
  assert.ok((await assertInvariant('examples', objects)) > 50);
});

test('PSS fixtures: same findings in every layout', async () => {
  const files = (await listManifestFiles(PSS)).filter((_, i) => i % 40 === 0);
  assert.ok((await assertInvariant('pss', await objectsOf(files))) > 100);
});

test('a slice of the bench corpus (cross-resource checks: services, policies, bindings): same findings in every layout', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bosun-layout-'));
  try {
    await writeCorpus(dir);
    const files = (await listManifestFiles(dir)).slice(0, 3);
    assert.ok((await assertInvariant('corpus', await objectsOf(files))) > 500);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
