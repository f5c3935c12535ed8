/**
 * cosign interoperability, field by field against artifacts cosign wrote (Debian has no cosign
 * package, so no round trip with the binary): shared/testdata/sigstore `cosign/` (a v0.3 bundle
 * cosign attached to an image), `conformance/…/managed-key-happy-path` (a key-signed bundle), and
 * `cosign-legacy/` (`.sig` manifests from ghcr.io and Connaisseur's registry copy).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ANNOTATION, BUNDLE_V03_MEDIA_TYPE, cosignRepositoryName, descriptor, keyHint, legacyManifestOf, legacySignatureManifest, OCI_MANIFEST_MEDIA_TYPE, sha256Digest, simpleSigningPayload } from '../../src/sign/formats.ts';
import { verifyStoredBundle } from '../../src/sign/image.ts';
import { signImage } from '../../src/sign/sign.ts';

const DATA = new URL('../../../shared/testdata/sigstore/', import.meta.url).pathname;
const json = (path: string) => JSON.parse(readFileSync(`${DATA}${path}`, 'utf8'));

/** Every object's keys, in order, with their paths: the shape two JSON documents must share. */
function shape(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return value.length === 0 ? [`${path}[]`] : shape(value[0], `${path}[0]`);
  if (typeof value !== 'object' || value === null) return [`${path}:${typeof value}`];
  return Object.entries(value).flatMap(([k, v]) => [`${path}.${k}`, ...shape(v, `${path}.${k}`)]);
}

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const IMAGE = { mediaType: OCI_MANIFEST_MEDIA_TYPE, size: 1234, digest: `sha256:${'73'.repeat(32)}` };
const signed = signImage({ repository: '127.0.0.1:60943/repo', manifest: IMAGE }, { key: privateKey, legacy: true, now: new Date('2026-11-29T12:00:00Z') });
const ours = JSON.parse(signed.bundle.toString());

test('bundle v0.3: the DSSE part has exactly the fields and order of the bundle cosign attached (cosign/oci-attestation)', () => {
  const cosign = json('cosign/oci-attestation.sigstore.json');
  assert.equal(ours.mediaType, cosign.mediaType);
  assert.equal(ours.mediaType, BUNDLE_V03_MEDIA_TYPE);
  assert.deepEqual(Object.keys(ours), Object.keys(cosign), 'mediaType, verificationMaterial, dsseEnvelope');
  assert.deepEqual(shape(ours.dsseEnvelope), shape(cosign.dsseEnvelope), 'payload, payloadType, signatures[{sig}] (no empty keyid)');
  assert.equal(ours.dsseEnvelope.payloadType, cosign.dsseEnvelope.payloadType);
  // The statement: subject named by repository without tag, digest by algorithm.
  const statement = (b: { dsseEnvelope: { payload: string } }) => JSON.parse(Buffer.from(b.dsseEnvelope.payload, 'base64').toString());
  const theirs = statement(cosign);
  const mine = statement(ours);
  assert.deepEqual(shape(mine.subject), shape(theirs.subject));
  assert.equal(mine.subject[0].name, theirs.subject[0].name, 'same repository, same name form');
  assert.deepEqual(Object.keys(mine.subject[0].digest), ['sha256']);
  assert.equal(mine._type, 'https://in-toto.io/Statement/v1', 'cosign v3 signs in-toto v1 statements; the v0.1 one here is an older cosign attest');
});

test('bundle v0.3 with a key: verificationMaterial.publicKey.hint is what cosign computes (managed-key-happy-path)', () => {
  const dir = 'conformance/bundle-verify/managed-key-happy-path/';
  const upstream = json(`${dir}bundle.sigstore.json`);
  assert.equal(keyHint(createPublicKey(readFileSync(`${DATA}${dir}key.pub`, 'utf8'))), upstream.verificationMaterial.publicKey.hint);
  assert.deepEqual(Object.keys(ours.verificationMaterial.publicKey), Object.keys(upstream.verificationMaterial.publicKey));
  assert.deepEqual(Object.keys(ours.verificationMaterial), ['publicKey'], 'no log entry: protobuf JSON leaves the empty list out');
  assert.equal(verifyStoredBundle(signed.bundle, IMAGE.digest, { keys: [createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }) as string] }), 'key:0');
});

test('legacy .sig manifest: bytes serialised in cosign\'s key order (ghcr.io Dangerzone and Connaisseur manifests)', () => {
  const dz = json('cosign-legacy/dangerzone/sig-manifest.json');
  const payload = readFileSync(`${DATA}cosign-legacy/dangerzone/payload.json`);
  const { manifest, config } = legacySignatureManifest([{ payload, annotations: dz.layers[0].annotations }]);
  assert.equal(manifest.toString(), JSON.stringify(dz), 'same keys in the same order, compact');
  assert.equal(sha256Digest(config), dz.config.digest);

  const cn = json('cosign-legacy/connaisseur/registry/testimage/manifests/sha256-bfec161fecb0a887df7cb85e4da327c65986ccda7060cf3cd92171c6c90d7533.sig.json');
  // Appending keeps stored descriptors as they are: rebuilding from them reproduces cosign's 3-layer manifest.
  assert.equal(legacyManifestOf(cn.layers).manifest.toString(), JSON.stringify(cn));
  assert.equal(sha256Digest(legacyManifestOf(cn.layers).config), cn.config.digest);
});

test('simple-signing payload for a Docker Hub image names index.docker.io as cosign does (Connaisseur payload)', () => {
  const name = cosignRepositoryName('docker.io', 'securesystemsengineering/testimage');
  assert.equal(name, 'index.docker.io/securesystemsengineering/testimage');
  const payload = simpleSigningPayload(name, 'sha256:071bf7a986f1ca9cb2a1f0bc8392822a7777f90d58f2d2c6f271913e08de7c81');
  assert.deepEqual(payload, readFileSync(`${DATA}cosign-legacy/connaisseur/registry/testimage/blobs/sha256:d8ee807d96efe7441b132967ad94eaffbc0172a763e69f2cd8df8f583f0ba0d4.json`));
  assert.equal(cosignRepositoryName('ghcr.io', 'freedomofpress/dangerzone/v1'), 'ghcr.io/freedomofpress/dangerzone/v1');
});

test('legacy layer bosun pushes: media type and annotation cosign reads; referrer descriptor carries artifactType and annotations', () => {
  const layer = signed.legacy!.layer;
  assert.equal(layer.mediaType, 'application/vnd.dev.cosign.simplesigning.v1+json');
  assert.deepEqual(Object.keys(layer.annotations), [ANNOTATION.signature]);
  assert.equal(signed.legacy!.tag, `sha256-${'73'.repeat(32)}.sig`);
  const d = signed.referrer.descriptor;
  assert.deepEqual(Object.keys(d), ['mediaType', 'size', 'digest', 'annotations', 'artifactType']);
  assert.deepEqual({ ...d, annotations: undefined, artifactType: undefined }, { ...descriptor(OCI_MANIFEST_MEDIA_TYPE, signed.referrer.manifest), annotations: undefined, artifactType: undefined });
  const m = JSON.parse(signed.referrer.manifest.toString());
  assert.deepEqual(m.subject, IMAGE);
  assert.equal(m.annotations['dev.sigstore.bundle.predicateType'], 'https://sigstore.dev/cosign/sign/v1');
});
