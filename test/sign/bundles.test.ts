/**
 * Every Sigstore bundle case in shared/testdata/sigstore/cases.json, verified offline against its
 * trusted root, once with the artifact's bytes and once with only its digest (as the conformance
 * suite runs them). Expected: what SOURCE.md states; for failures, the exact error code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { verifyBundle, type SignerPolicy } from '../../src/sign/bundle.ts';
import { verifyDigest } from '../../src/sign/ecdsa.ts';
import { SignatureError } from '../../src/sign/errors.ts';

const DATA = new URL('../../../shared/testdata/sigstore/', import.meta.url).pathname;

interface Case {
  id: string;
  expect: 'pass' | 'fail';
  bundle: string;
  artifact: string | null;
  trustedRoot: string;
  policy?: { identity: string; issuer: string };
  key?: string;
}

/** 'pass', or the code verification fails with (bosun's own codes, or @sigstore/verify's). */
const EXPECTED: Record<string, string> = {
  'conformance/bundle-empty-certificate-chain_fail': 'BUNDLE_PARSE_ERROR',
  'conformance/bundle-from-wrong-instance_fail': 'CERTIFICATE_ERROR',
  'conformance/bundle-invalid-base64-signature_fail': 'TLOG_INCLUSION_PROMISE_ERROR',
  'conformance/bundle-malformed-json_fail': 'BUNDLE_PARSE_ERROR',
  'conformance/bundle-negative-log-index_fail': 'TLOG_INCLUSION_PROMISE_ERROR',
  'conformance/bundle-unknown-version_fail': 'BUNDLE_PARSE_ERROR',
  'conformance/bundle-with-root-cert_fail': 'CERTIFICATE_ERROR',
  'conformance/bundle-with-sct-with-extensions': 'pass',
  'conformance/checkpoint-bad-keyhint_fail': 'TLOG_INCLUSION_PROOF_ERROR',
  'conformance/checkpoint-wrong-roothash_fail': 'TLOG_INCLUSION_PROOF_ERROR',
  'conformance/dsse-invalid-sig_fail': 'TLOG_BODY_ERROR',
  'conformance/dsse-mismatch-envelope_fail': 'TLOG_BODY_ERROR',
  'conformance/dsse-mismatch-sig_fail': 'TLOG_BODY_ERROR',
  'conformance/happy-path-intoto-in-dsse-v3': 'pass',
  'conformance/happy-path-v0.1': 'pass',
  'conformance/happy-path-v0.2': 'pass',
  'conformance/happy-path-v0.3': 'pass',
  'conformance/happy-path-v0.3-new-mediaType': 'pass',
  'conformance/inclusion-proof-corrupted-hash_fail': 'TLOG_INCLUSION_PROOF_ERROR',
  'conformance/incorrect-public-key_fail': 'TLOG_INCLUSION_PROMISE_ERROR',
  'conformance/integrated-time-in-future_fail': 'CERTIFICATE_ERROR',
  'conformance/intoto-expired-certificate_fail': 'CERTIFICATE_ERROR',
  'conformance/intoto-log-entry-mismatch_fail': 'TLOG_BODY_ERROR',
  'conformance/intoto-missing-inclusion-proof_fail': 'BUNDLE_PARSE_ERROR',
  'conformance/intoto-set-outside-signing-cert-validity_fail': 'CERTIFICATE_ERROR',
  'conformance/intoto-tsa-timestamp-outside-cert-validity_fail': 'CERTIFICATE_ERROR',
  'conformance/intoto-with-custom-trust-root': 'pass',
  'conformance/invalid-checkpoint-signature_fail': 'TLOG_INCLUSION_PROOF_ERROR',
  'conformance/invalid-ct-key_fail': 'CERTIFICATE_ERROR',
  'conformance/invalid-inclusion-proof_fail': 'BUNDLE_PARSE_ERROR',
  'conformance/managed-key-and-trusted-root': 'pass',
  'conformance/managed-key-happy-path': 'pass',
  'conformance/managed-key-no-key_fail': 'POLICY_MISMATCH',
  'conformance/managed-key-wrong-key_fail': 'PUBLIC_KEY_ERROR',
  'conformance/message-digest-mismatch_fail': 'TLOG_BODY_ERROR',
  'conformance/rekor2-checkpoint-cosigned': 'pass',
  'conformance/rekor2-checkpoint-missing-log-signature_fail': 'TLOG_INCLUSION_PROOF_ERROR',
  'conformance/rekor2-checkpoint-missing-origin_fail': 'TLOG_INCLUSION_PROOF_ERROR',
  'conformance/rekor2-checkpoint-missing-root-hash_fail': 'TLOG_INCLUSION_PROOF_ERROR',
  'conformance/rekor2-checkpoint-missing-size_fail': 'TLOG_INCLUSION_PROOF_ERROR',
  'conformance/rekor2-checkpoint-multiple-cosigs': 'pass',
  'conformance/rekor2-checkpoint-no-matching-signature_fail': 'TLOG_INCLUSION_PROOF_ERROR',
  'conformance/rekor2-checkpoint-origin-not-first': 'pass',
  'conformance/rekor2-checkpoint-two-sigs-cosigned': 'pass',
  'conformance/rekor2-checkpoint-two-sigs-from-origin': 'pass',
  'conformance/rekor2-dsse-happy-path': 'pass',
  'conformance/rekor2-dsse-invalid-sig_fail': 'TLOG_BODY_ERROR',
  'conformance/rekor2-dsse-mismatch-envelope_fail': 'TLOG_BODY_ERROR',
  'conformance/rekor2-dsse-mismatch-sig_fail': 'TLOG_BODY_ERROR',
  'conformance/rekor2-happy-path': 'pass',
  'conformance/rekor2-no-inclusion-proof_fail': 'BUNDLE_PARSE_ERROR',
  'conformance/rekor2-no-timestamp_fail': 'TIMESTAMP_ERROR',
  'conformance/rekor2-timestamp-outside-trust-root-tsa-validity_fail': 'TIMESTAMP_ERROR',
  'conformance/rekor2-timestamp-outside-tsa-cert-validity_fail': 'TIMESTAMP_ERROR',
  'conformance/rekor2-timestamp-payload-mismatch_fail': 'TIMESTAMP_ERROR',
  'conformance/rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail': 'TIMESTAMP_ERROR',
  'conformance/rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail': 'TIMESTAMP_ERROR',
  'conformance/rekor2-timestamp-with-embedded-cert': 'pass',
  'conformance/rekor2-timestamp-with-expired-cert-chain': 'pass',
  'conformance/rekor2-timestamp-with-incorrect-time_fail': 'CERTIFICATE_ERROR',
  'conformance/rekor2-timestamp-without-embedded-cert': 'pass',
  'conformance/set-invalid-signature_fail': 'TLOG_INCLUSION_PROMISE_ERROR',
  'conformance/signature-mismatch_fail': 'TLOG_BODY_ERROR',
  'conformance/trust-root-tlog-missing-validity-start_fail': 'TRUSTED_ROOT_ERROR',
  'conformance/trust-root-tlog-validity-end-inclusive': 'pass',
  'conformance/trust-root-tsa-validity-end-inclusive': 'pass',
  'conformance/wrong-hashedrekord-artifact_fail': 'TLOG_BODY_ERROR',
  'conformance/wrong-hashedrekord-cert-and-sig_fail': 'TLOG_BODY_ERROR',
  'conformance/wrong-hashedrekord-entry_fail': 'TLOG_BODY_ERROR',
  'conformance/wrong-material_fail': 'SIGNATURE_ERROR',
  'sigstore-js/bundleV01-dsse-no-proof': 'pass',
  'sigstore-js/bundleV01-dsse-with-proof': 'pass',
  'sigstore-js/bundleV01-full-cert-chain': 'pass',
  'sigstore-js/bundleV01-intoto-no-proof': 'pass',
  'sigstore-js/bundleV01-intoto-with-proof': 'pass',
  'sigstore-js/bundleV02-dsse': 'pass',
  'sigstore-js/bundleV02-intoto': 'pass',
  'sigstore-js/bundleV03-dsse': 'pass',
  'sigstore-js/bundleV03-intoto': 'pass',
  'sigstore-python/bundle.txt': 'pass',
  'sigstore-python/bundle.txt@public-good': 'CERTIFICATE_ERROR',
  'sigstore-python/bundle_v3.txt': 'pass',
  'sigstore-python/bundle_v3_alt.txt': 'pass',
  'sigstore-python/staging-rekor-v2.txt': 'pass',
  'sigstore-python/a.dsse.staging-rekor-v2.txt': 'pass',
  'sigstore-python/bundle_v3_github.whl': 'pass',
  'sigstore-python/bundle_v3_github.whl@wrong-identity': 'UNTRUSTED_SIGNER_ERROR',
  'sigstore-python/bundle_v3_github.whl@wrong-issuer': 'UNTRUSTED_SIGNER_ERROR',
  'sigstore-python/bundle_no_log_entry.txt': 'TIMESTAMP_ERROR',
  'sigstore-python/bundle_no_log_entry.txt@staging': 'TIMESTAMP_ERROR',
  'sigstore-python/bundle_no_cert_v1.txt': 'BUNDLE_PARSE_ERROR',
  'sigstore-python/bundle_invalid_version.txt': 'BUNDLE_PARSE_ERROR',
  'sigstore-python/bundle_v3_no_signed_time.txt': 'TIMESTAMP_ERROR',
  'sigstore-python/bundle_v3_no_signed_time.txt@public-good': 'TIMESTAMP_ERROR',
  'sigstore-python/bundle_cve_2022_36056.txt': 'TLOG_BODY_ERROR',
  'sigstore-python/bundle_no_checkpoint.txt': 'BUNDLE_PARSE_ERROR',
  'sigstore-python/bundle_no_checkpoint.txt@public-good': 'BUNDLE_PARSE_ERROR',
  'cosign/oci-attestation': 'pass',
  'cosign/oci-attestation@public-good': 'pass',
  'conformance/bundle-from-wrong-instance@staging': 'pass',
  'conformance/happy-path-v0.3@wrong-identity': 'UNTRUSTED_SIGNER_ERROR',
  'conformance/happy-path-v0.3@staging-root': 'CERTIFICATE_ERROR',
};

/** With only a digest, these fail earlier, at bosun's digest comparison. */
const DIGEST_MODE_CODE: Record<string, string> = { 'conformance/wrong-material_fail': 'SUBJECT_MISMATCH', 'conformance/message-digest-mismatch_fail': 'SUBJECT_MISMATCH' };

/**
 * The artifact listed for this DSSE case is not the statement's subject (the subject is a.txt,
 * sha256:a0cfc712…), so it is verified as a DSSE envelope alone; with the file as artifact,
 * bosun's subject check refuses it (tested below).
 */
const NO_SUBJECT_CHECK = new Set(['sigstore-python/a.dsse.staging-rekor-v2.txt']);

const cases = JSON.parse(readFileSync(`${DATA}cases.json`, 'utf8')) as Case[];
const read = (p: string): string => readFileSync(DATA + p, 'utf8');

function outcome(run: () => unknown): string {
  try {
    run();
    return 'pass';
  } catch (err) {
    if (!(err instanceof SignatureError)) throw err;
    return err.code;
  }
}

function policyOf(c: Case): SignerPolicy {
  return c.key !== undefined ? { key: read(c.key) } : { identity: c.policy!.identity, issuer: c.policy!.issuer };
}

test('cases.json has 102 cases, each with an expectation here', () => {
  assert.equal(cases.length, 102);
  assert.deepEqual(cases.map((c) => c.id).sort(), Object.keys(EXPECTED).sort());
  for (const c of cases) assert.equal(EXPECTED[c.id] === 'pass', c.expect === 'pass', c.id);
});

for (const c of cases) {
  test(`sigstore bundle ${c.id}: ${EXPECTED[c.id]}`, () => {
    const bundle = read(c.bundle);
    const trustedRoot = read(c.trustedRoot);
    const policy = policyOf(c);
    const artifact = c.artifact === null || NO_SUBJECT_CHECK.has(c.id) ? undefined : readFileSync(DATA + c.artifact);
    assert.equal(outcome(() => verifyBundle({ bundle, trustedRoot, policy, ...(artifact !== undefined && { artifact }) })), EXPECTED[c.id], 'with the artifact');
    if (artifact === undefined) return;
    const artifactDigest = `sha256:${createHash('sha256').update(artifact).digest('hex')}`;
    assert.equal(outcome(() => verifyBundle({ bundle, trustedRoot, policy, artifactDigest })), DIGEST_MODE_CODE[c.id] ?? EXPECTED[c.id], 'with the digest');
  });
}

test('a DSSE statement must name the artifact as a subject', () => {
  const c = cases.find((x) => x.id === 'sigstore-python/a.dsse.staging-rekor-v2.txt')!;
  const run = (artifact: Buffer) => outcome(() => verifyBundle({ bundle: read(c.bundle), trustedRoot: read(c.trustedRoot), policy: policyOf(c), artifact }));
  assert.equal(run(readFileSync(DATA + c.artifact!)), 'SUBJECT_MISMATCH');
  assert.equal(run(readFileSync(`${DATA}conformance/bundle-verify/a.txt`)), 'pass');
});

test('a key policy never accepts a certificate bundle, and a result names the signer', () => {
  const c = cases.find((x) => x.id === 'conformance/happy-path-v0.3')!;
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const key = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  assert.equal(outcome(() => verifyBundle({ bundle: read(c.bundle), trustedRoot: read(c.trustedRoot), policy: { key }, artifact: readFileSync(DATA + c.artifact!) })), 'POLICY_MISMATCH');
  const r = verifyBundle({ bundle: read(c.bundle), trustedRoot: read(c.trustedRoot), policy: policyOf(c), artifact: readFileSync(DATA + c.artifact!) });
  assert.equal(r.identity, c.policy!.identity);
  assert.equal(r.issuer, 'https://token.actions.githubusercontent.com');
  assert.equal(r.content, 'message-signature');
});

test('identity matching is exact: a prefix or a regular expression does not match', () => {
  const c = cases.find((x) => x.id === 'conformance/happy-path-v0.3')!;
  const run = (identity: string) => outcome(() => verifyBundle({ bundle: read(c.bundle), trustedRoot: read(c.trustedRoot), policy: { identity, issuer: c.policy!.issuer }, artifact: readFileSync(DATA + c.artifact!) }));
  assert.equal(run(c.policy!.identity.slice(0, -4)), 'UNTRUSTED_SIGNER_ERROR');
  assert.equal(run(`${c.policy!.identity.slice(0, -4)}.*`), 'UNTRUSTED_SIGNER_ERROR');
});

test('ECDSA over a digest: P-256 and P-384, and a different digest fails', () => {
  for (const [curve, hash] of [['P-256', 'sha256'], ['P-384', 'sha384']] as const) {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: curve });
    const message = Buffer.from('bosun');
    const signature = sign(hash, message, privateKey);
    const digest = createHash(hash).update(message).digest();
    assert.equal(verifyDigest(publicKey, digest, signature), true, curve);
    digest[0]! ^= 1;
    assert.equal(verifyDigest(publicKey, digest, signature), false, curve);
  }
});
