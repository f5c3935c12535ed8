/** Findings come out in report order (file, line, column, severity, rule) whatever order inputs and checks give them in. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanManifests } from '../../src/scan.ts';
import { compareFindings, type Finding } from '../../src/core/finding.ts';
import { defineCheck } from '../../src/checks/types.ts';

const pod = (name: string, containers: number): string => `apiVersion: v1
kind: Pod
metadata: { name: ${name} }
spec:
  containers:
${Array.from({ length: containers }, (_, i) => `    - { name: c${i}, image: nginx }`).join('\n')}
`;

// Reports from the last container to the first, then the pod itself: the reverse of report order.
const backwards = defineCheck({
  id: 'TEST-BACKWARDS', title: 't', severity: 'low', category: 'test', description: 'd', remediation: 'r', fields: [], frameworks: {}, aliases: [], concepts: [], kinds: 'workload',
  run(ctx) {
    const cs = ctx.workload!.containers;
    for (let i = cs.length - 1; i >= 0; i--) ctx.report([...cs[i]!.path, 'image'], `c${i}`);
    ctx.report(['metadata'], 'pod');
  },
});

function assertSorted(findings: readonly Finding[]): void {
  for (let i = 1; i < findings.length; i++) assert.ok(compareFindings(findings[i - 1]!, findings[i]!) <= 0, `finding ${i} out of order`);
}

test('findings are sorted by file even when inputs come in reverse file order', async () => {
  const report = await scanManifests([{ name: 'b.yaml', content: pod('b', 2) }, { name: 'a.yaml', content: pod('a', 3) }], { config: false, checks: [backwards] });
  assert.equal(report.findings.length, 7);
  assertSorted(report.findings);
  assert.deepEqual(report.findings.map((f) => `${f.location!.file}:${f.location!.line} ${f.message}`), ['a.yaml:3 pod', 'a.yaml:6 c0', 'a.yaml:7 c1', 'a.yaml:8 c2', 'b.yaml:3 pod', 'b.yaml:6 c0', 'b.yaml:7 c1']);
});

test('a resource with many findings is sorted too', async () => {
  const report = await scanManifests([{ name: 'big.yaml', content: `${pod('one', 3)}---\n${pod('many', 80)}` }], { config: false, checks: [backwards] });
  assert.equal(report.findings.length, 4 + 81);
  assertSorted(report.findings);
  assert.equal(report.findings[4]!.message, 'pod');
  assert.equal(report.findings.at(-1)!.message, 'c79');
});

test('lean scans (no locations) are in report order too: severity, then rule', async () => {
  const high = defineCheck({ ...backwards, id: 'TEST-B-HIGH', severity: 'high' });
  const report = await scanManifests([{ name: 'a.yaml', content: pod('a', 3) }], { config: false, checks: [backwards, high], lean: true });
  assert.equal(report.findings.length, 8);
  assertSorted(report.findings);
  assert.deepEqual(report.findings.map((f) => f.ruleId), [...Array(4).fill('TEST-B-HIGH'), ...Array(4).fill('TEST-BACKWARDS')]);
  assert.deepEqual(report.findings.slice(0, 4).map((f) => f.message), ['c2', 'c1', 'c0', 'pod']); // ties keep the order they were reported in
});
