/** Signing payloads and storage layouts, against bytes cosign published (shared/testdata/sigstore/cosign-legacy). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  ANNOTATION, BUNDLE_V03_MEDIA_TYPE, COSIGN_SIGN_PREDICATE, IN_TOTO_PAYLOAD_TYPE, descriptor, inTotoStatement, keyBundle, keyHint, legacyConfig, legacySignatureManifest, legacyTag,
  pae, referrerManifest, sha256Digest, signDsse, simpleSigningPayload, verifyDsse, OCI_MANIFEST_MEDIA_TYPE,
} from '../../src/sign/formats.ts';
import { encryptPrivateKey, generateKeyPair, readPrivateKey, SCRYPT_DEFAULTS } from '../../src/sign/keys.ts';
import { verifyLegacySignature } from '../../src/sign/legacy.ts';
import { SignatureError } from '../../src/sign/errors.ts';

const DIR = new URL('../../../shared/testdata/sigstore/cosign-legacy/', import.meta.url).pathname;

test('simple-signing payload: byte-identical to the Dangerzone and Connaisseur payload blobs', () => {
  const dz = simpleSigningPayload('ghcr.io/freedomofpress/dangerzone/v1', 'sha256:7396780b5862cf8b37527854a2a2331e5c746b6a71aa1f424258c3bfaf3a1bd7');
  assert.deepEqual(dz, readFileSync(`${DIR}dangerzone/payload.json`));
  assert.equal(sha256Digest(dz), 'sha256:88b8a2ac5b829f47bd25a5a4d9c2ccb0fccff7f53a17477b6d9b5680436aa80f');
  const cn = simpleSigningPayload('index.docker.io/securesystemsengineering/testimage', 'sha256:071bf7a986f1ca9cb2a1f0bc8392822a7777f90d58f2d2c6f271913e08de7c81');
  assert.equal(sha256Digest(cn), 'sha256:d8ee807d96efe7441b132967ad94eaffbc0172a763e69f2cd8df8f583f0ba0d4');
});

test('legacy .sig layout: config and manifest reproduce the published ones', () => {
  assert.deepEqual(legacyConfig(['sha256:88b8a2ac5b829f47bd25a5a4d9c2ccb0fccff7f53a17477b6d9b5680436aa80f']), readFileSync(`${DIR}dangerzone/config.json`));
  const upstream = JSON.parse(readFileSync(`${DIR}connaisseur/registry/testimage/manifests/sha256-bfec161fecb0a887df7cb85e4da327c65986ccda7060cf3cd92171c6c90d7533.sig.json`, 'utf8'));
  const layers = upstream.layers.map((l: { digest: string; annotations: Record<string, string> }) => ({ payload: readFileSync(`${DIR}connaisseur/registry/testimage/blobs/${l.digest}.json`), annotations: l.annotations }));
  const { manifest, config } = legacySignatureManifest(layers);
  assert.deepEqual(JSON.parse(manifest.toString()), upstream, 'three layers, three history entries');
  assert.equal(sha256Digest(config), upstream.config.digest);
  assert.equal(legacyTag('sha256:071bf7a986f1ca9cb2a1f0bc8392822a7777f90d58f2d2c6f271913e08de7c81'), 'sha256-071bf7a986f1ca9cb2a1f0bc8392822a7777f90d58f2d2c6f271913e08de7c81.sig');
  assert.equal(legacyTag('sha256:ab', 'att'), 'sha256-ab.att');
});

test('sign → legacy layer → verify round trip with a generated cosign key', () => {
  const pair = generateKeyPair('correct horse', { N: 1024, r: 8, p: 1 });
  const key = readPrivateKey(pair.privateKey, 'correct horse');
  const digest = `sha256:${'ab'.repeat(32)}`;
  const payload = simpleSigningPayload('registry.example.com/app', digest);
  const signature = sign('sha256', payload, key).toString('base64');
  const verified = verifyLegacySignature({ mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json', payload, annotations: { [ANNOTATION.signature]: signature } }, digest, { keys: [pair.publicKey] });
  assert.equal(verified.signer, 'key:0');
});

test('DSSE PAE matches the DSSE v1 specification example', () => {
  assert.equal(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString(), 'DSSEv1 29 http://example.com/HelloWorld 11 hello world');
});

test('in-toto statement, DSSE envelope and bundle v0.3 with a key hint; tampering is detected', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const statement = inTotoStatement('registry.example.com/app', `sha256:${'cd'.repeat(32)}`, COSIGN_SIGN_PREDICATE, {});
  assert.deepEqual(JSON.parse(statement.toString()), {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'registry.example.com/app', digest: { sha256: 'cd'.repeat(32) } }],
    predicateType: 'https://sigstore.dev/cosign/sign/v1',
    predicate: {},
  });
  const envelope = signDsse(IN_TOTO_PAYLOAD_TYPE, statement, privateKey);
  assert.equal(verifyDsse(envelope, publicKey), true);
  assert.equal(verifyDsse({ ...envelope, payloadType: 'text/plain' }, publicKey), false);
  assert.equal(verifyDsse(envelope, generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey), false);
  const bundle = keyBundle(envelope, publicKey) as { mediaType: string; verificationMaterial: { publicKey: { hint: string } } };
  assert.equal(bundle.mediaType, BUNDLE_V03_MEDIA_TYPE);
  assert.equal(bundle.verificationMaterial.publicKey.hint, keyHint(publicKey));
  assert.equal(Buffer.from(keyHint(publicKey), 'base64').length, 32);
});

test('OCI 1.1 referrer manifest: bundle layer, empty config, subject, cosign annotations', () => {
  const bundleBytes = Buffer.from('{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}');
  const subject = descriptor(OCI_MANIFEST_MEDIA_TYPE, Buffer.from('{"schemaVersion":2}'));
  const m = JSON.parse(referrerManifest(bundleBytes, subject, COSIGN_SIGN_PREDICATE, new Date('2026-11-29T00:00:00Z')).toString());
  assert.deepEqual(m, {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', size: 2 },
    layers: [{ mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', digest: sha256Digest(bundleBytes), size: bundleBytes.length }],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations: { 'dev.sigstore.bundle.content': 'dsse-envelope', 'dev.sigstore.bundle.predicateType': 'https://sigstore.dev/cosign/sign/v1', 'org.opencontainers.image.created': '2026-11-29T00:00:00.000Z' },
  });
});

test('cosign key file: encrypted PEM with scrypt N=32768 r=8 p=1 and nacl/secretbox; wrong password refused', () => {
  const pair = generateKeyPair('pw');
  assert.match(pair.privateKey, /^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n/);
  assert.match(pair.publicKey, /^-----BEGIN PUBLIC KEY-----\n/);
  const body = JSON.parse(Buffer.from(pair.privateKey.split('\n').slice(1, -2).join(''), 'base64').toString());
  assert.deepEqual(Object.keys(body), ['kdf', 'cipher', 'ciphertext']);
  assert.deepEqual(body.kdf.params, SCRYPT_DEFAULTS);
  assert.equal(body.kdf.name, 'scrypt');
  assert.equal(body.cipher.name, 'nacl/secretbox');
  assert.equal(Buffer.from(body.cipher.nonce, 'base64').length, 24);
  assert.equal(Buffer.from(body.ciphertext, 'base64').length, 16 + 138, 'Poly1305 tag + PKCS#8 DER of a P-256 key');
  const key = readPrivateKey(pair.privateKey, 'pw');
  assert.equal(createPublicKey(key).export({ type: 'spki', format: 'pem' }), pair.publicKey);
  assert.throws(() => readPrivateKey(pair.privateKey, 'wrong'), (err: unknown) => err instanceof SignatureError && err.code === 'KEY_DECRYPT_ERROR');
  const legacy = encryptPrivateKey(key, '', { N: 1024, r: 8, p: 1 }).replace(/SIGSTORE/g, 'COSIGN');
  assert.equal(readPrivateKey(legacy, '').asymmetricKeyType, 'ec');
  assert.equal(readPrivateKey(key.export({ type: 'pkcs8', format: 'pem' }) as string, '').asymmetricKeyType, 'ec');
});
