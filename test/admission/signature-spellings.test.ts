/**
 * A signature policy names images by registry and repository; the kubelet pulls the same image
 * under other spellings of the registry (case, the default HTTPS port, Docker Hub's hosts, the
 * implicit library/). Each spelling must still need a signature: matching only the text as
 * written let `Registry.Example.com/app` or `index.docker.io/library/nginx` in unsigned.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeReview } from '../../src/admission/review.ts';
import { canonicalImage, type ImageVerifier } from '../../src/admission/signatures.ts';
import { pipeline, pod, review } from './helpers.ts';

const NOTHING_VERIFIES: ImageVerifier = { verify: async () => ({ verified: false, detail: 'no signature' }) };

async function admitted(globs: string[], image: string): Promise<boolean> {
  const p = pipeline({ images: { signatures: [{ images: globs, signers: [{ key: 'k' }] }] } }, { verifier: NOTHING_VERIFIES });
  const d = await p.decide(decodeReview(review(pod({ containers: [{ name: 'app', image }] }))).request);
  return d.response.allowed;
}

test('every spelling of a covered image needs a signature', async () => {
  const cases: Array<[string[], string]> = [
    [['registry.example.com/*'], 'registry.example.com/app:1'],
    [['registry.example.com/*'], 'Registry.Example.COM/app:1'],
    [['registry.example.com/*'], 'registry.example.com:443/app:1'],
    [['registry.example.com/*'], 'REGISTRY.EXAMPLE.COM:443/team/app@sha256:' + 'a'.repeat(64)],
    [['Registry.Example.com/*'], 'registry.example.com/app:1'],
    [['docker.io/library/*'], 'nginx'],
    [['docker.io/library/*'], 'nginx:1.27'],
    [['docker.io/library/*'], 'docker.io/nginx'],
    [['docker.io/library/*'], 'index.docker.io/library/nginx'],
    [['docker.io/library/*'], 'Docker.IO/nginx:latest'],
    [['docker.io/library/*'], 'registry-1.docker.io/library/nginx'],
    [['index.docker.io/library/nginx*'], 'nginx:1.27'],
    [['docker.io/team/*'], 'team/app:2'],
    [['docker.io/team/*'], 'index.docker.io/team/app:2'],
  ];
  for (const [globs, image] of cases) assert.equal(await admitted(globs, image), false, `${image} under ${globs.join(',')} was admitted unsigned`);
});

test('images outside every policy stay admitted (no signature asked)', async () => {
  for (const image of ['registry.example.org/app:1', 'registry.example.com.evil.io/app:1', 'ghcr.io/library/nginx', 'quay.io/team/app']) {
    assert.equal(await admitted(['registry.example.com/*', 'docker.io/library/*', 'docker.io/team/*'], image), true, image);
  }
});

test('canonicalImage spells references as the kubelet resolves them', () => {
  assert.equal(canonicalImage('nginx'), 'docker.io/library/nginx');
  assert.equal(canonicalImage('Docker.IO/nginx:1'), 'docker.io/library/nginx:1');
  assert.equal(canonicalImage('localhost:5000/a/b@sha256:' + 'b'.repeat(64)), 'localhost:5000/a/b@sha256:' + 'b'.repeat(64));
  assert.equal(canonicalImage('Registry.example.com:443/app:2'), 'registry.example.com/app:2');
  assert.equal(canonicalImage('registry.example.com:5443/app'), 'registry.example.com:5443/app');
});
