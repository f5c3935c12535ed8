import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderReport } from '../../src/report/index.ts';
import { md } from '../../src/report/markdown.ts';
import { mixedReport, smallReport, RULES } from './fixtures.ts';

test('markdown: exact text for a small report', async () => {
  assert.equal(
    renderReport(await smallReport(), 'markdown', { rules: RULES }),
    [
      '### :x: bosun: gate FAILED at --fail-on high',
      '',
      '1 finding (1 critical, 0 high, 0 medium, 0 low, 0 info), 0 suppressed, 0 errors.',
      '',
      '| Severity | Rule | Resource | Location | Message |',
      '| --- | --- | --- | --- | --- |',
      '| critical | K8S-PRIVILEGED | Pod shop/web | k8s/pod.yaml:13 | container "app" runs privileged |',
      '',
    ].join('\n'),
  );
});

test('markdown: suppressed findings with reasons, input errors, expired waivers; hostile strings escaped', async () => {
  assert.equal(
    renderReport(await mixedReport(), 'markdown', { rules: RULES }),
    [
      '### :x: bosun: gate FAILED at --fail-on high',
      '',
      '3 findings (2 critical, 0 high, 0 medium, 1 low, 0 info), 1 suppressed, 1 error.',
      '',
      '| Severity | Rule | Resource | Location | Message |',
      '| --- | --- | --- | --- | --- |',
      '| critical | K8S-PRIVILEGED | Pod shop/web | k8s/app.yaml:13 | container "app" runs privileged |',
      '| low | TEST-OWNER | Deployment shop/evil\\</x\\>\\| name | k8s/app.yaml:17 | Deployment "evil\\</x\\>\\| name" has no owner label |',
      '| critical | K8S-PRIVILEGED | Deployment shop/evil\\</x\\>\\| name | k8s/app.yaml:27 | container "a\\|b\\<script\\>\\&amp;\\]\\]\\>" runs privileged |',
      '',
      '#### Suppressed (1)',
      '',
      '| Rule | Resource | Location | Suppressed by | Reason |',
      '| --- | --- | --- | --- | --- |',
      '| K8S-PRIVILEGED | Pod debug | k8s/app.yaml:43 | annotation | debug pod, deleted after the incident |',
      '',
      '#### Input errors (1)',
      '',
      '- E\\_PARSE: k8s/app.yaml:46:1: unexpected end of the stream within a flow collection',
      '',
      '#### Expired waivers (1)',
      '',
      '- TEST-\\* expired 2025-01-01 (bosun.yaml): namespaces are owned by platform',
      '',
    ].join('\n'),
  );
});

test('markdown: a passing gate with no findings', async () => {
  const report = await smallReport();
  report.findings = [];
  report.summary = { ...report.summary, findings: 0, bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 }, gateFailed: false };
  assert.equal(renderReport(report, 'markdown', { rules: RULES }), '### :white_check_mark: bosun: gate passed at --fail-on high\n\n0 findings (0 critical, 0 high, 0 medium, 0 low, 0 info), 0 suppressed, 0 errors.\n');
});

test('markdown: cell escaping', () => {
  assert.equal(md('a|b\nc\r\nd'), 'a\\|b c d');
  assert.equal(md('[x](javascript:alert(1)) ![i](u) <img src=x> `code` *em* _u_ ~s~ &lt; #h'), '\\[x\\](javascript:alert(1)) \\!\\[i\\](u) \\<img src=x\\> \\`code\\` \\*em\\* \\_u\\_ \\~s\\~ \\&lt; \\#h');
  assert.equal(md('back\\slash \u001b[31mred\u001b[0m \u202eevil'), 'back\\\\slash red evil');
});
