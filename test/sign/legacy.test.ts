/**
 * Pre-bundle cosign signatures (shared/testdata/sigstore/cosign-legacy): every case of its
 * cases.json yields what it states, plus the failure codes bosun gives and the tampering cases
 * the issue names (tampered signature, different key, moved tag, deleted signature).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { verifyLegacyManifest, verifyLegacySignature, type LegacyPolicy, type LegacySignatureLayer } from '../../src/sign/legacy.ts';
import { SignatureError } from '../../src/sign/errors.ts';

const DIR = new URL('../../../shared/testdata/sigstore/cosign-legacy/', import.meta.url).pathname;
const read = (p: string): string => readFileSync(DIR + p, 'utf8');
const digestOf = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

interface Case {
  id: string;
  expect: string;
  manifest?: string;
  signatures?: string[];
  key?: string;
  keys?: string[];
  rekorKey?: string;
  fulcioRoot?: string;
  caRoots?: string;
  caIntermediates?: string;
  policy?: { identity?: string; issuer?: string; email?: string; hostname?: string };
  image?: string;
  imageDigest?: string;
  sigManifest?: string;
  payload?: string;
}

const cases = JSON.parse(read('cases.json')) as Case[];

function policyOf(c: Case): LegacyPolicy {
  const p: LegacyPolicy = {};
  if (c.key !== undefined) p.keys = [read(c.key)];
  if (c.keys !== undefined) p.keys = c.keys.map(read);
  if (c.rekorKey !== undefined) p.rekorKeys = [read(c.rekorKey)];
  if (c.fulcioRoot !== undefined) p.roots = read(c.fulcioRoot);
  if (c.caRoots !== undefined) p.roots = read(c.caRoots);
  if (c.caIntermediates !== undefined) p.intermediates = read(c.caIntermediates);
  Object.assign(p, c.policy);
  return p;
}

/** Per signature: 'pass' or the failure code. */
function outcomes(c: Case): string[] {
  const policy = policyOf(c);
  const run = (f: () => unknown): string => {
    try {
      f();
      return 'pass';
    } catch (err) {
      if (!(err instanceof SignatureError)) throw err;
      return err.code;
    }
  };
  if (c.signatures !== undefined) {
    const manifestDigest = digestOf(readFileSync(DIR + c.manifest!));
    return c.signatures.map((s) => {
      const sig = JSON.parse(read(s)) as { mimeType: string; payload: string; annotations: Record<string, string> };
      const layer: LegacySignatureLayer = { mediaType: sig.mimeType, payload: Buffer.from(sig.payload, 'base64'), annotations: sig.annotations };
      return run(() => verifyLegacySignature(layer, manifestDigest, policy));
    });
  }
  if (c.sigManifest === undefined || !existsSync(DIR + c.sigManifest)) return ['NO_SIGNATURES'];
  const manifestDigest = c.imageDigest ?? c.image!.split('@')[1]!;
  const blobDir = c.sigManifest.replace(/manifests\/[^/]+$/, 'blobs/');
  const blob = (d: string): Buffer | undefined => {
    if (c.payload !== undefined) return readFileSync(DIR + c.payload);
    const path = `${DIR}${blobDir}${d}.json`;
    return existsSync(path) ? readFileSync(path) : undefined;
  };
  const r = verifyLegacyManifest(JSON.parse(read(c.sigManifest)), blob, manifestDigest, policy);
  return [...r.verified.map((v) => ({ i: v.layer, o: 'pass' })), ...r.failed.map((f) => ({ i: f.layer, o: f.code }))].sort((a, b) => a.i - b.i).map((x) => x.o);
}

const EXPECTED: Record<string, string[]> = {
  'containers-image/valid': ['pass'],
  'containers-image/valid-2': ['pass', 'pass'],
  'containers-image/valid-with-tag': ['pass'],
  'containers-image/key-rekor-valid': ['pass'],
  'containers-image/fulcio-rekor-valid': ['pass'],
  'containers-image/pki-valid': ['pass'],
  'containers-image/modified-manifest': ['DIGEST_MISMATCH'],
  'containers-image/mixed': ['SIGNATURE_ERROR', 'pass'],
  'containers-image/unknown-key': ['SIGNATURE_ERROR'],
  'containers-image/other-attachment': ['NOT_A_SIGNATURE'],
  dangerzone: ['pass'],
  'connaisseur/multi-cosigned-alice': ['pass'],
  'connaisseur/multi-cosigned-alice-bob-charlie': ['pass', 'pass', 'pass'],
  'connaisseur/co-unsigned': ['NO_SIGNATURES'],
  'connaisseur/keyless': ['pass'],
};

test('cosign-legacy cases.json: 15 cases, all listed here, agreeing with its expect field', () => {
  assert.deepEqual(cases.map((c) => c.id).sort(), Object.keys(EXPECTED).sort());
  for (const c of cases) {
    const anyPass = EXPECTED[c.id]!.includes('pass');
    assert.equal(anyPass, c.expect !== 'fail', c.id);
  }
});

for (const c of cases) {
  test(`legacy cosign signature ${c.id}: ${EXPECTED[c.id]!.join(', ')}`, () => {
    assert.deepEqual(outcomes(c), EXPECTED[c.id]);
  });
}

const ALICE = cases.find((c) => c.id === 'connaisseur/multi-cosigned-alice-bob-charlie')!;
const sigManifest = (): any => JSON.parse(read(ALICE.sigManifest!));
const blob = (d: string): Buffer | undefined => (existsSync(`${DIR}connaisseur/registry/testimage/blobs/${d}.json`) ? readFileSync(`${DIR}connaisseur/registry/testimage/blobs/${d}.json`) : undefined);
const keys = (...names: string[]): LegacyPolicy => ({ keys: names.map((n) => read(`connaisseur/keys/${n}.key`)) });

test('threshold: only trusted keys count (alice+bob trusted → 2 of the 3 signatures)', () => {
  const r = verifyLegacyManifest(sigManifest(), blob, ALICE.imageDigest!, keys('alice', 'bob'));
  assert.deepEqual(r.verified.map((v) => v.signer), ['key:0', 'key:1']);
  assert.deepEqual(r.failed.map((f) => f.code), ['SIGNATURE_ERROR']);
});

test('a different key fails; a tampered signature fails; a moved tag (other digest) fails; a tampered blob fails', () => {
  const other = verifyLegacyManifest(sigManifest(), blob, ALICE.imageDigest!, keys('default'));
  assert.equal(other.verified.length, 0);
  const tampered = sigManifest();
  const sig = Buffer.from(tampered.layers[0].annotations['dev.cosignproject.cosign/signature'], 'base64');
  sig[sig.length - 1]! ^= 1;
  tampered.layers[0].annotations['dev.cosignproject.cosign/signature'] = sig.toString('base64');
  assert.deepEqual(verifyLegacyManifest(tampered, blob, ALICE.imageDigest!, keys('alice')).failed.map((f) => f.code), ['SIGNATURE_ERROR', 'SIGNATURE_ERROR', 'SIGNATURE_ERROR']);
  const moved = verifyLegacyManifest(sigManifest(), blob, `sha256:${'0'.repeat(64)}`, keys('alice'));
  assert.deepEqual(moved.failed.map((f) => f.code), ['DIGEST_MISMATCH', 'DIGEST_MISMATCH', 'DIGEST_MISMATCH']);
  const swapped = verifyLegacyManifest(sigManifest(), () => Buffer.from('{}'), ALICE.imageDigest!, keys('alice'));
  assert.deepEqual(swapped.failed.map((f) => f.code), ['BLOB_DIGEST_MISMATCH', 'BLOB_DIGEST_MISMATCH', 'BLOB_DIGEST_MISMATCH']);
});

test('keyless: a wrong identity or issuer is refused; without a Rekor key the certificate time cannot be proven', () => {
  const c = cases.find((x) => x.id === 'connaisseur/keyless')!;
  const run = (policy: LegacyPolicy) => {
    const r = verifyLegacyManifest(JSON.parse(read(c.sigManifest!)), blob, c.imageDigest!, policy);
    return r.verified.length > 0 ? 'pass' : r.failed[0]!.code;
  };
  const base = policyOf(c);
  assert.equal(run(base), 'pass');
  assert.equal(run({ ...base, identity: 'bob@gmail.com' }), 'UNTRUSTED_SIGNER_ERROR');
  assert.equal(run({ ...base, issuer: 'https://accounts.google.com' }), 'UNTRUSTED_SIGNER_ERROR');
  const { rekorKeys: _drop, ...noRekor } = base;
  assert.equal(run(noRekor), 'TLOG_REQUIRED');
  assert.equal(run({ ...base, roots: read('keys/pki_root_crts.pem') }), 'CERTIFICATE_ERROR');
});

test('a SET that does not verify, or records another signature, is refused', () => {
  const c = cases.find((x) => x.id === 'containers-image/key-rekor-valid')!;
  const sig = JSON.parse(read(c.signatures![0]!));
  const manifestDigest = digestOf(readFileSync(DIR + c.manifest!));
  const layer = (annotations: Record<string, string>): LegacySignatureLayer => ({ mediaType: sig.mimeType, payload: Buffer.from(sig.payload, 'base64'), annotations });
  const code = (l: LegacySignatureLayer, p = policyOf(c)) => {
    try {
      verifyLegacySignature(l, manifestDigest, p);
      return 'pass';
    } catch (err) {
      return (err as SignatureError).code;
    }
  };
  const bundle = JSON.parse(sig.annotations['dev.sigstore.cosign/bundle']);
  bundle.Payload.integratedTime += 1;
  assert.equal(code(layer({ ...sig.annotations, 'dev.sigstore.cosign/bundle': JSON.stringify(bundle) })), 'TLOG_INCLUSION_PROMISE_ERROR');
  const { 'dev.sigstore.cosign/bundle': _b, ...noBundle } = sig.annotations;
  assert.equal(code(layer(noBundle)), 'TLOG_REQUIRED');
  assert.equal(code(layer(noBundle), { keys: [read(c.key!)] }), 'pass');
});
