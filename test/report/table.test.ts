import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderReport } from '../../src/report/index.ts';
import { mixedReport, smallReport, RULES } from './fixtures.ts';

const REMEDIATION = 'Remove `securityContext.privileged: true` (or set it to false); grant only the specific capabilities the workload needs.';

test('table: exact text without colour', async () => {
  assert.equal(
    renderReport(await mixedReport(), 'table', { rules: RULES }),
    [
      'Pod shop/web  (k8s/app.yaml)',
      '  CRITICAL  K8S-PRIVILEGED  13:9   container "app" runs privileged',
      `                                   ${REMEDIATION}`,
      '',
      'Deployment shop/evil</x>| name  (k8s/app.yaml)',
      '  LOW       TEST-OWNER      17:1   Deployment "evil</x>| name" has no owner label',
      '                                   Add `metadata.labels.owner`.',
      '  CRITICAL  K8S-PRIVILEGED  27:13  container "a|b<script>&amp;]]>" runs privileged',
      `                                   ${REMEDIATION}`,
      '',
      'Suppressed (1):',
      '  K8S-PRIVILEGED  Pod debug  annotation: debug pod, deleted after the incident',
      '',
      'Input errors (1):',
      '  E_PARSE  k8s/app.yaml:46:1: unexpected end of the stream within a flow collection',
      '',
      'Expired waivers (1), no longer suppressing:',
      '  TEST-*  expired 2025-01-01 (bosun.yaml): namespaces are owned by platform',
      '',
      '3 findings (2 critical, 0 high, 0 medium, 1 low, 0 info), 1 suppressed, 1 error — gate FAILED at --fail-on high',
      '',
    ].join('\n'),
  );
});

test('table: without colour, no escape or control character at all, even from hostile input', async () => {
  const out = renderReport(await mixedReport(), 'table', { rules: RULES, color: false });
  assert.doesNotMatch(out, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
});

test('table: with colour, severities and the verdict are coloured, user text still stripped', async () => {
  const out = renderReport(await mixedReport(), 'table', { rules: RULES, color: true });
  assert.ok(out.includes('\u001b[1m\u001b[35mCRITICAL\u001b[0m'));
  assert.ok(out.includes('\u001b[34mLOW     \u001b[0m'));
  assert.ok(out.includes(`\u001b[2m${REMEDIATION}\u001b[0m`));
  assert.ok(out.includes('\u001b[1m\u001b[31mgate FAILED at --fail-on high\u001b[0m'));
  assert.ok(!out.includes('\u001b[31m</x>'));
  assert.equal(out.replace(/\u001b\[[0-9;]*m/g, ''), renderReport(await mixedReport(), 'table', { rules: RULES }));
});

test('table: wraps messages and remediation to the width, aligned under the message', async () => {
  const out = renderReport(await smallReport(), 'table', { rules: RULES, width: 80 });
  assert.equal(
    out,
    [
      'Pod shop/web  (k8s/pod.yaml)',
      '  CRITICAL  K8S-PRIVILEGED  13:9  container "app" runs privileged',
      '                                  Remove `securityContext.privileged: true` (or',
      '                                  set it to false); grant only the specific',
      '                                  capabilities the workload needs.',
      '',
      '1 finding (1 critical, 0 high, 0 medium, 0 low, 0 info), 0 suppressed, 0 errors — gate FAILED at --fail-on high',
      '',
    ].join('\n'),
  );
});

test('table: nothing found, gate passed', async () => {
  const report = await smallReport();
  report.findings = [];
  report.summary = { ...report.summary, findings: 0, bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 }, gateFailed: false, failOn: 'none' };
  assert.equal(renderReport(report, 'table', { rules: RULES }), 'No findings.\n\n0 findings (0 critical, 0 high, 0 medium, 0 low, 0 info), 0 suppressed, 0 errors — gate passed at --fail-on none\n');
});

test('table and html: a report with 200,000 findings renders (no list is spread into a call: that overflows the stack)', async () => {
  const report = await smallReport();
  const [one] = report.findings;
  report.findings = Array.from({ length: 200_000 }, (_, i) => ({ ...one!, location: { ...one!.location!, line: i + 1 } }));
  const table = renderReport(report, 'table', { rules: RULES, color: false });
  assert.match(table, / 200000:\d+ /, 'the last finding is there');
  const html = renderReport(report, 'html', { rules: RULES });
  assert.ok(html.split('<tr').length > 200_000, 'every finding has its row');
});
