/**
 * Scan attestations name what they scanned, and the webhook admits an image only when every
 * manifest a node may pull is covered: the image's manifest, or each platform of an index
 * (buildx attestation manifests left out). A predicate without the scanned digest covers nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanAttestationProblem, type ImageVerifier, type VerifyOutcome } from '../../src/admission/signatures.ts';
import { decodeReview } from '../../src/admission/review.ts';
import { scanPredicate } from '../../src/sign/sign.ts';
import { pipeline, pod, review } from './helpers.ts';

const NOW = new Date('2026-11-29T12:00:00Z');
const RULE = { failOn: 'high', maxAgeDays: 7 } as const;
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const d = (c: string): string => `sha256:${c.repeat(64)}`;
const INDEX = d('0');
const AMD64 = d('a');
const ARM64 = d('b');
const BUILDX_ATTESTATION = d('c');

const scan = (digest: string | undefined, summary: Record<string, number> = { critical: 0, high: 0, medium: 3 }, scannedAt = '2026-11-28T12:00:00Z') => ({
  predicateType: 'https://bosun.dev/attestation/scan/v1',
  predicate: { scanner: { name: 'bosun', version: '0.1.0' }, scannedAt, summary, ...(digest !== undefined && { scanned: { digest, platform: 'linux/amd64' } }) },
});

const index = (attestations: VerifyOutcome['attestations']): VerifyOutcome => ({
  verified: true,
  detail: 'key:0',
  digest: INDEX,
  mediaType: OCI_INDEX,
  manifests: [
    { digest: AMD64, platform: { os: 'linux', architecture: 'amd64' } },
    { digest: ARM64, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    // buildx's provenance for the amd64 image: never pulled by a node.
    { digest: BUILDX_ATTESTATION, platform: { os: 'unknown', architecture: 'unknown' }, annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': AMD64 } },
  ],
  ...(attestations !== undefined && { attestations }),
});

test('scanPredicate copies the scanned manifest digest and platform from a bosun report', () => {
  const report = { tool: { name: 'bosun', version: '1.2.3' }, image: { ref: 'r/app:1', digest: ARM64, platform: 'linux/arm64/v8' }, summary: { bySeverity: { critical: 0, high: 1 }, gateFailed: true } };
  assert.deepEqual(scanPredicate(report, NOW), { scanner: { name: 'bosun', version: '1.2.3' }, scannedAt: NOW.toISOString(), summary: { critical: 0, high: 1 }, gateFailed: true, scanned: { digest: ARM64, platform: 'linux/arm64/v8' } });
});

test('scanPredicate refuses a report or predicate that names no scanned manifest', () => {
  assert.throws(() => scanPredicate({ tool: { name: 'bosun' }, image: { ref: '/rootfs', source: 'rootfs' }, summary: { bySeverity: { high: 0 } } }, NOW), /names no scanned image manifest/);
  assert.throws(() => scanPredicate({ scannedAt: NOW.toISOString(), summary: { high: 0 } }, NOW), /names the manifest it scanned/);
  const given = { scannedAt: NOW.toISOString(), summary: { high: 0 }, scanned: { digest: AMD64 } };
  assert.equal(scanPredicate(given, NOW), given);
});

test('coverage: a single manifest needs a fresh clean scan naming its own digest', () => {
  const single = (attestations: VerifyOutcome['attestations']) => ({ digest: AMD64, mediaType: OCI_MANIFEST, ...(attestations !== undefined && { attestations }) });
  assert.equal(scanAttestationProblem(single([scan(AMD64)]), RULE, NOW), undefined);
  assert.equal(scanAttestationProblem(single([scan(ARM64)]), RULE, NOW), `no scan attestation of ${AMD64}`);
  assert.equal(scanAttestationProblem(single([scan(AMD64, { high: 2 })]), RULE, NOW), 'scan attestation reports 2 high');
  assert.equal(scanAttestationProblem(single([scan(AMD64, { high: 2 }), scan(AMD64)]), RULE, NOW), undefined);
  assert.equal(scanAttestationProblem(single([]), RULE, NOW), 'no scan attestation by a trusted signer');
});

test('coverage: an old predicate without the scanned digest covers nothing (fail closed)', () => {
  const why = 'scan attestation does not name the manifest it scanned (attested by an older bosun: attest a new report)';
  assert.equal(scanAttestationProblem({ digest: AMD64, mediaType: OCI_MANIFEST, attestations: [scan(undefined)] }, RULE, NOW), why);
  assert.equal(scanAttestationProblem(index([scan(undefined)]), RULE, NOW), `platform linux/amd64 not covered: ${why}; platform linux/arm64/v8 not covered: ${why}`);
});

test('coverage: an index needs every platform scanned; buildx attestation manifests are not platforms', () => {
  assert.equal(scanAttestationProblem(index([scan(AMD64)]), RULE, NOW), `platform linux/arm64/v8 not covered: no scan attestation of ${ARM64}`);
  assert.equal(scanAttestationProblem(index([scan(AMD64), scan(ARM64)]), RULE, NOW), undefined, 'the unknown/unknown attestation manifest needs no scan');
  assert.equal(scanAttestationProblem(index([scan(AMD64), scan(ARM64, { critical: 1 })]), RULE, NOW), 'platform linux/arm64/v8 not covered: scan attestation reports 1 critical');
  assert.equal(scanAttestationProblem(index([scan(AMD64), scan(ARM64, {}, '2026-11-01T00:00:00Z')]), RULE, NOW), 'platform linux/arm64/v8 not covered: scan attestation is 28 days old (limit 7)');
  // A scan of the index digest itself is no scan of its platforms.
  assert.match(scanAttestationProblem(index([scan(INDEX)]), RULE, NOW) ?? '', /^platform linux\/amd64 not covered: .*; platform linux\/arm64\/v8 not covered: /);
});

test('coverage: an unknown digest or manifest type fails closed', () => {
  assert.match(scanAttestationProblem({ attestations: [scan(AMD64)] }, RULE, NOW) ?? '', /digest is unknown/);
  assert.match(scanAttestationProblem({ digest: AMD64, attestations: [scan(AMD64)] }, RULE, NOW) ?? '', /could not be read/);
  assert.equal(scanAttestationProblem({ digest: INDEX, mediaType: OCI_INDEX, manifests: [], attestations: [scan(AMD64)] }, RULE, NOW), `the index ${INDEX} lists no platform manifest`);
});

test('webhook: a two-platform index with only amd64 scanned is denied naming arm64; with both it is admitted and cached', async () => {
  const image = `registry.example.com/app@${INDEX}`;
  const decide = async (verifier: ImageVerifier) => {
    const p = pipeline({ images: { signatures: [{ images: ['registry.example.com/*'], signers: [{ key: 'k' }], scanAttestation: RULE }] } }, { verifier, now: () => NOW });
    const ask = async () => (await p.decide(decodeReview(review(pod({ containers: [{ name: 'app', image }] }))).request)).response;
    return { first: await ask(), second: await ask() };
  };
  let calls = 0;
  const partial = await decide({ verify: async () => (calls++, index([scan(AMD64)])) });
  assert.equal(partial.first.allowed, false);
  assert.equal(partial.first.status?.message, `bosun denied Pod team/p: ADM-IMAGE-SCAN-ATTESTATION at spec.containers[0].image: image "${image}" has no acceptable scan attestation: platform linux/arm64/v8 not covered: no scan attestation of ${ARM64}`);
  assert.equal(partial.second.allowed, false, 'a denial is not cached');
  assert.equal(calls, 2);

  calls = 0;
  const full = await decide({ verify: async () => (calls++, index([scan(AMD64), scan(ARM64)])) });
  assert.equal(full.first.allowed, true);
  assert.equal(full.second.allowed, true);
  assert.equal(calls, 1, 'the covered image is answered from the cache the second time');
});
