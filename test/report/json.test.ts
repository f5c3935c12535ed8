import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderReport, REPORT_FORMATS, isReportFormat } from '../../src/report/index.ts';
import { mixedReport, RULES } from './fixtures.ts';

test('json: the report as-is, 2-space indent, trailing newline, round-trips', async () => {
  const report = await mixedReport();
  const out = renderReport(report, 'json', { rules: RULES });
  assert.ok(out.startsWith('{\n  "schemaVersion": 1,\n  "tool": {\n    "name": "bosun",'));
  assert.ok(out.endsWith('}\n'));
  assert.deepEqual(JSON.parse(out), JSON.parse(JSON.stringify(report)));
  assert.equal(JSON.parse(out).findings[1].target.name, 'evil\u001b[31m</x>|\nname');
});

test('every format is deterministic: two scans of the same input render the same bytes', async () => {
  const [a, b] = [await mixedReport(), await mixedReport()];
  for (const format of REPORT_FORMATS) {
    assert.equal(renderReport(a, format, { rules: RULES, color: true }), renderReport(b, format, { rules: new Map(RULES.map((r) => [r.id, r])), color: true }), format);
  }
});

test('formats', () => {
  assert.deepEqual(REPORT_FORMATS, ['table', 'json', 'sarif', 'junit', 'markdown']);
  assert.equal(isReportFormat('sarif'), true);
  assert.equal(isReportFormat('html'), false);
});
