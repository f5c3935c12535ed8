/**
 * examples/policies/pss-restricted.yaml (the Pod Security Standards, restricted, written as
 * ValidatingAdmissionPolicies) decides every upstream PSS fixture of the newest version as
 * Kubernetes does, and as bosun's built-in evaluator at restricted:latest does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import jsyaml from 'js-yaml';
import { AdmissionEnvironment } from '../../src/policy/vap.ts';
import { evaluatePod, parsePssPolicy } from '../../src/pss/index.ts';

const PSS = fileURLToPath(new URL('../../../shared/testdata/pss/', import.meta.url));
const POLICIES = fileURLToPath(new URL('../../examples/policies/pss-restricted.yaml', import.meta.url));

function newestVersion(level: string): string {
  return readdirSync(`${PSS}${level}`).sort((a, b) => Number(a.slice(3)) - Number(b.slice(3))).at(-1)!;
}

test('the example VAPs decide every fixture of the newest Kubernetes version as upstream and the built-in evaluator do', () => {
  const docs = (jsyaml.loadAll(readFileSync(POLICIES, 'utf8')) as Array<Record<string, unknown>>).filter((d) => d !== null && typeof d === 'object');
  const env = new AdmissionEnvironment({ policies: docs.filter((d) => d['kind'] === 'ValidatingAdmissionPolicy'), bindings: docs.filter((d) => d['kind'] === 'ValidatingAdmissionPolicyBinding'), objects: [] });
  assert.deepEqual(env.problems(), []);
  const version = newestVersion('restricted');
  assert.equal(newestVersion('baseline'), version);
  const restricted = parsePssPolicy(`restricted:${version}`);
  let checked = 0;
  const wrong: string[] = [];
  for (const level of ['baseline', 'restricted']) {
    for (const outcome of ['pass', 'fail']) {
      const dir = `${PSS}${level}/${version}/${outcome}`;
      for (const file of readdirSync(dir).sort()) {
        const pod = jsyaml.load(readFileSync(`${dir}/${file}`, 'utf8')) as { metadata?: Record<string, unknown>; spec?: Record<string, unknown> };
        const builtInAllows = evaluatePod({ metadata: pod.metadata ?? {}, spec: pod.spec ?? {} }, restricted).length === 0;
        // Upstream's verdict where it applies at restricted: restricted fixtures, and baseline failures.
        if (level === 'restricted' || outcome === 'fail') assert.equal(builtInAllows, outcome === 'pass', `built-in on ${level}/${outcome}/${file}`);
        const r = env.admit(pod);
        if (r.allowed !== builtInAllows) wrong.push(`${level}/${version}/${outcome}/${file}: VAP ${r.allowed ? 'allows' : `denies (${r.message})`}`);
        checked++;
      }
    }
  }
  assert.ok(checked > 120, `${checked} fixtures`);
  assert.deepEqual(wrong, []);
});
