/**
 * What the webhook keeps between reviews must not grow with what reviews carry. The
 * `bosun.dev/ignore` annotation is a list of rule globs written by whoever creates the object:
 * its patterns reach the compiled-glob cache of src/core/glob.ts, which kept every one of them
 * (~2 KB per review with a new pattern, for the life of the process).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cachedGlobCount, matchesGlob } from '../../src/core/glob.ts';
import { EMPTY_CONFIG } from '../../src/config/types.ts';
import { scanLoaded } from '../../src/scan.ts';
import { loadedFromObject } from '../../src/admission/object.ts';
import { decodeReview } from '../../src/admission/review.ts';
import { pipeline, review } from './helpers.ts';

const pod = (ignore: string): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'shop', annotations: { 'bosun.dev/ignore': ignore } },
  // Violates PSS restricted and a critical check, so findings are emitted and matched against the patterns.
  spec: { containers: [{ name: 'c', image: 'nginx:1.27', securityContext: { privileged: true } }] },
});

test('bosun.dev/ignore patterns of reviews do not accumulate in the compiled-glob cache', async () => {
  const p = pipeline({ pss: 'restricted:latest' });
  const before = cachedGlobCount();
  for (let i = 0; i < 300; i++) {
    const d = await p.decide(decodeReview(review(pod(`K8S-NOT-A-RULE-${i}, OTHER-${i}`))).request);
    assert.equal(d.response.allowed, false);
  }
  assert.equal(cachedGlobCount(), before, 'patterns without wildcards match by equality: nothing compiled, nothing kept');
  for (let i = 0; i < 3000; i++) await p.decide(decodeReview(review(pod(`K8S-NOT-A-RULE-${i}-*`))).request);
  assert.ok(cachedGlobCount() <= 1024, `bounded (${cachedGlobCount()} cached)`);
});

test('glob matching is unchanged: literal patterns match only themselves, wildcards as before', () => {
  const suppressed = (ignore: string): boolean => {
    const r = scanLoaded(loadedFromObject('t', pod(ignore)), EMPTY_CONFIG, { failOn: 'none', lean: true });
    return r.findings.find((f) => f.ruleId === 'K8S-PRIVILEGED')?.suppressed?.by === 'annotation';
  };
  for (const yes of ['K8S-PRIVILEGED', 'K8S-PRIV*', 'K8S-PRIVILEGE?', '*', 'OTHER, K8S-PRIVILEGED']) assert.ok(suppressed(yes), yes);
  for (const no of ['K8S-PRIV', 'K8S-PRIVILEGED-X*', 'K8S-PRIVILEGE??', 'k8s-privileged', 'K8S.PRIVILEGED']) assert.ok(!suppressed(no), no);
  assert.ok(matchesGlob('a.b', 'a.b') && !matchesGlob('a.b', 'axb') && matchesGlob('a?b', 'axb'));
});
