/** firstAtPath: a path is "first" once, for a few containers and for thousands. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstAtPath } from '../../src/checks/pod-security/linux.ts';
import { scanYaml } from '../helpers.ts';
import runAsNonRoot from '../../src/checks/pod-security/run-as-non-root.ts';

test('firstAtPath: equal paths (new arrays each time) are first once; 0 and "0" differ', () => {
  for (const count of [3, 40]) {
    const first = firstAtPath();
    const firsts: boolean[] = [];
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < count; i++) firsts.push(first(['spec', 'containers', i, 'securityContext']));
      firsts.push(first(['spec', 'securityContext', 'runAsNonRoot']));
    }
    assert.equal(firsts.filter(Boolean).length, count + 1, `${count} containers`);
    assert.equal(first(['spec', 'containers', '0', 'securityContext']), true);
    assert.equal(first(['spec', 'containers', 0, 'securityContext']), false);
  }
});

test('a pod-level runAsNonRoot: false inherited by 20 containers is one finding', async () => {
  const containers = Array.from({ length: 20 }, (_, i) => `    - { name: c${i}, image: nginx }`).join('\n');
  const report = await scanYaml(`apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  securityContext: { runAsNonRoot: false }\n  containers:\n${containers}\n`, { only: runAsNonRoot });
  assert.deepEqual(report.findings.map((f) => f.fieldPath), ['spec.securityContext.runAsNonRoot']);
});
