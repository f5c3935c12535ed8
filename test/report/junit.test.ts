import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderJunit } from '../../src/report/junit.ts';
import { renderReport } from '../../src/report/index.ts';
import { mixedReport, smallReport, RULES } from './fixtures.ts';
import { elements, parseXml } from './xml.ts';

test('junit: well-formed, one suite per rule plus input errors, exact counts', async () => {
  const xml = renderReport(await mixedReport(), 'junit', { rules: RULES });
  const root = parseXml(xml);
  assert.equal(root.name, 'testsuites');
  assert.deepEqual(root.attrs, { name: 'bosun', tests: '5', failures: '3', errors: '1', skipped: '1' });
  const suites = elements(root, 'testsuite');
  assert.deepEqual(
    suites.map((s) => [s.attrs['name'], s.attrs['tests'], s.attrs['failures'], s.attrs['errors'], s.attrs['skipped'], s.children.length]),
    [
      ['K8S-PRIVILEGED: Privileged container', '3', '2', '0', '1', 3],
      ['TEST-OWNER: Missing owner label', '1', '1', '0', '0', 1],
      ['input errors', '1', '0', '1', '0', 1],
    ],
  );
  assert.equal(elements(root, 'testcase').length, 5);
  assert.equal(elements(root, 'failure').length, 3);
  assert.equal(elements(root, 'skipped').length, 1);
  assert.equal(elements(root, 'error').length, 1);
});

test('junit: failure carries location, message and remediation; skipped carries the reason; errors the code', async () => {
  const root = parseXml(renderJunit(await mixedReport()));
  const first = elements(root, 'testcase')[0]!;
  assert.deepEqual(first.attrs, { name: 'Pod shop/web spec.containers[0].securityContext.privileged', classname: 'K8S-PRIVILEGED', file: 'k8s/app.yaml' });
  const failure = first.children[0]!;
  assert.deepEqual(failure.attrs, { message: 'container "app" runs privileged', type: 'critical' });
  assert.equal(
    failure.text,
    [
      'CRITICAL K8S-PRIVILEGED Privileged container',
      'Resource: Pod shop/web',
      'Location: k8s/app.yaml:13:9',
      'Field: spec.containers[0].securityContext.privileged',
      'Message: container "app" runs privileged',
      'Remediation: Remove `securityContext.privileged: true` (or set it to false); grant only the specific capabilities the workload needs.',
    ].join('\n'),
  );
  assert.deepEqual(elements(root, 'skipped')[0]!.attrs, { message: 'suppressed by annotation: debug pod, deleted after the incident' });
  assert.deepEqual(elements(root, 'error')[0]!.attrs, { message: 'k8s/app.yaml:46:1: unexpected end of the stream within a flow collection', type: 'E_PARSE' });
});

test('junit: hostile names are escaped, stay on one line and lose control characters', async () => {
  const xml = renderJunit(await mixedReport());
  assert.ok(!xml.includes('\u001b'));
  assert.ok(!xml.includes('\u0007'));
  assert.ok(!xml.includes('</x>'));
  const names = elements(parseXml(xml), 'testcase').map((c) => c.attrs['name']);
  assert.ok(names.includes('Deployment shop/evil</x>| name spec.template.spec.containers[0].securityContext.privileged'));
  const evil = elements(parseXml(xml), 'failure').find((f) => f.attrs['type'] === 'critical' && f.text.includes('evil'))!;
  assert.equal(evil.attrs['message'], 'container "a|b<script>&amp;]]>" runs privileged');
  assert.equal(evil.text.split('\n').length, 6);
});

test('junit: a clean scan is one passing testcase, so CI sees a valid report', async () => {
  const report = await smallReport();
  report.findings = [];
  const root = parseXml(renderJunit(report));
  assert.deepEqual(root.attrs, { name: 'bosun', tests: '1', failures: '0', errors: '0', skipped: '0' });
  assert.deepEqual(elements(root, 'testcase').map((c) => c.attrs), [{ name: 'scan', classname: 'bosun' }]);
});

test('xml checker rejects what it must', () => {
  assert.throws(() => parseXml('<a><b></a></b>'));
  assert.throws(() => parseXml('<a x="1" x="2"/>'));
  assert.throws(() => parseXml('<a>&bogus;</a>'));
  assert.throws(() => parseXml('<a>\u001b</a>'));
  assert.throws(() => parseXml('<a/><b/>'));
  assert.throws(() => parseXml('<a x="<"/>'));
  assert.deepEqual(parseXml('<a x="&quot;&#10;">t&lt;</a>'), { name: 'a', attrs: { x: '"\n' }, children: [], text: 't<' });
});
