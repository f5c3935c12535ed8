/** `bosun policy test`: PolicyTest files run the policies against resources and check each expected result. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPolicyTests } from '../../src/policy/policy-test.ts';
import { examplesDir } from '../helpers.ts';

test('the example PolicyTest holds', async () => {
  const r = await runPolicyTests([examplesDir('policies', 'tests')]);
  assert.deepEqual([r.errors, r.passed, r.failed], [[], 8, 0]);
});

test('a wrong expectation fails with the reason; a malformed test is an input error naming it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bosun-policytest-'));
  const spec = (results: string): string => `apiVersion: bosun.dev/v1
kind: PolicyTest
metadata: { name: t }
spec:
  policies: [${JSON.stringify(examplesDir('policies', 'rules.yaml'))}]
  resources: [${JSON.stringify(examplesDir('policies', 'tests', 'resources.yaml'))}]
  results:
${results}
`;
  await writeFile(join(dir, 'wrong.yaml'), spec('  - { policy: no-hostpath-except-web, kind: Deployment, namespace: shop, name: huge, result: pass }\n  - { policy: no-hostpath-except-web, kind: Deployment, namespace: shop, name: small, result: fail }\n  - { policy: images-from-approved-registries, kind: Deployment, name: huge, result: fail, message: quay.io }'));
  const r = await runPolicyTests([join(dir, 'wrong.yaml')]);
  assert.deepEqual(r.outcomes.map((o) => [o.ok, o.detail]), [
    [false, 'got fail: hostPath volumes other than /web/html are forbidden'],
    [false, 'got pass'],
    [false, 'message does not contain "quay.io": images outside the approved registries: docker.io/library/nginx:1.27'],
  ]);
  await writeFile(join(dir, 'bad.yaml'), spec('  - { policy: x, kind: Pod, name: p, result: maybe }'));
  const bad = await runPolicyTests([join(dir, 'bad.yaml')]);
  assert.match(bad.errors[0]!.message, /bad\.yaml: PolicyTest "t": spec\.results\[0\]\.result: /);
  const none = await runPolicyTests([examplesDir('hardened')]);
  assert.match(none.errors[0]!.message, /no bosun\.dev\/v1 PolicyTest found/);
});
