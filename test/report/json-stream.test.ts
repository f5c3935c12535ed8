/** The chunked JSON writer gives exactly renderJson's bytes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderJson, renderJsonChunks } from '../../src/report/json.ts';
import type { Report } from '../../src/core/finding.ts';
import { mixedReport } from './fixtures.ts';

const joined = (report: Report): string => [...renderJsonChunks(report)].join('');

test('json chunks: same bytes as renderJson for a scan report', async () => {
  const report = await mixedReport();
  assert.ok(report.findings.length > 1);
  assert.equal(joined(report), renderJson(report));
});

test('json chunks: many findings come in several chunks that join to renderJson', async () => {
  const base = await mixedReport();
  const findings = Array.from({ length: 3000 }, (_, i) => ({ ...base.findings[i % base.findings.length]!, message: `m${i}\n"quoted"\u2028` }));
  const report = { ...base, findings };
  const chunks = [...renderJsonChunks(report)];
  assert.ok(chunks.length > 2, `${chunks.length} chunks`);
  assert.equal(chunks.join(''), renderJson(report));
});

test('json chunks: empty arrays, undefined members, nested arrays, toJSON and odd elements as JSON.stringify prints them', () => {
  const odd = {
    schemaVersion: 1,
    skipped: undefined,
    findings: [],
    errors: [{ a: [1, [2, { b: [] }]], c: {} }, undefined, () => 1, new Date(0), 'x\ny'],
    summary: { nested: { deeper: [1, 2] }, empty: {} },
    fn: () => 2,
    last: [null],
  } as unknown as Report;
  assert.equal(joined(odd), renderJson(odd));
  assert.equal(joined({} as Report), renderJson({} as Report));
  const withToJson = { toJSON: () => ({ replaced: true }) } as unknown as Report;
  assert.equal(joined(withToJson), renderJson(withToJson));
});
