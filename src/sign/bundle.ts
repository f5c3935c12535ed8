/**
 * Offline verification of Sigstore bundles (v0.1–v0.3; message signatures and DSSE) against a
 * given trusted root, with @sigstore/verify doing the cryptography (the top-level
 * `sigstore.verify` always fetches the root through TUF). `verifyBundle` reads as its steps:
 *
 *   parseBundle → checkTrustedRoot → checkMaterial → signedEntity → verifier.verify (timestamps,
 *   signing key, tlogs, signature, identity) → checkSubject
 *
 * bosun adds what @sigstore/verify 4.1.3 leaves out (shared/testdata/sigstore SOURCE.md): a root
 * certificate inside the bundle is refused (roots come only from the trusted root), a trusted
 * root whose authorities lack `validFor.start` is refused, a DSSE in-toto statement must name the
 * artifact's digest as a subject, the policy kind must match the bundle (a key policy never
 * accepts a certificate bundle and vice versa), and identities match exactly.
 */
import { createHash, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { bundleFromJSON, isBundleWithCertificateChain, isBundleWithDsseEnvelope, type Bundle } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier, type SignedEntity, type VerificationPolicy } from '@sigstore/verify';
import { verifyDigest } from './ecdsa.ts';
import { SignatureError } from './errors.ts';

/** Who must have signed: a public key (PEM), or an exact certificate identity and OIDC issuer. */
export type SignerPolicy = { key: string } | { identity: string; issuer: string };

export interface BundleVerifyInput {
  /** The bundle as JSON text or parsed. */
  bundle: string | unknown;
  /** The signed artifact's bytes (for DSSE: the attestation subject), or … */
  artifact?: Uint8Array;
  /** … its digest, `sha256:<hex>`. */
  artifactDigest?: string;
  /** trusted_root.json, as text or parsed. */
  trustedRoot: string | unknown;
  policy: SignerPolicy;
}

export interface BundleVerifyResult {
  mediaType: string;
  content: 'message-signature' | 'dsse';
  /** Certificate SAN and issuer for keyless bundles. */
  identity?: string;
  issuer?: string;
  /** DSSE payload type and, for in-toto, the statement. */
  payloadType?: string;
  statement?: Record<string, unknown>;
}

export function verifyBundle(input: BundleVerifyInput): BundleVerifyResult {
  const bundle = parseBundle(input.bundle);
  const root = checkTrustedRoot(input.trustedRoot);
  checkMaterial(bundle, input.policy, root);
  const digest = artifactDigest(input);
  const entity = signedEntity(bundle, input.artifact, digest);
  const trust = toTrustMaterial(root);
  let policy: VerificationPolicy | undefined;
  if ('key' in input.policy) {
    const key = parseKey(input.policy.key);
    trust.publicKey = () => ({ publicKey: key, validFor: () => true });
  } else {
    policy = { subjectAlternativeName: new RegExp(`^${escapeRegExp(input.policy.identity)}$`), extensions: { issuer: input.policy.issuer } };
  }
  let signer;
  try {
    signer = new Verifier(trust).verify(entity, policy);
  } catch (err) {
    throw fromSigstore(err);
  }
  const result: BundleVerifyResult = { mediaType: bundle.mediaType, content: isBundleWithDsseEnvelope(bundle) ? 'dsse' : 'message-signature' };
  if (signer.identity?.subjectAlternativeName !== undefined) result.identity = signer.identity.subjectAlternativeName;
  if (signer.identity?.extensions?.issuer !== undefined) result.issuer = signer.identity.extensions.issuer;
  if (isBundleWithDsseEnvelope(bundle)) {
    result.payloadType = bundle.content.dsseEnvelope.payloadType;
    result.statement = checkSubject(bundle, digest);
  }
  return result;
}

function parseBundle(given: unknown): Bundle {
  let json = given;
  if (typeof given === 'string' || given instanceof Uint8Array) {
    try {
      json = JSON.parse(typeof given === 'string' ? given : Buffer.from(given).toString('utf8'));
    } catch (err) {
      throw new SignatureError('BUNDLE_PARSE_ERROR', `bundle is not JSON: ${(err as Error).message}`, { cause: err });
    }
  }
  try {
    return bundleFromJSON(json);
  } catch (err) {
    throw new SignatureError('BUNDLE_PARSE_ERROR', `not a valid Sigstore bundle: ${(err as Error).message}`, { cause: err });
  }
}

/** Every authority in a trusted root must say from when it is valid (an open start would trust it for all past signatures). */
function checkTrustedRoot(given: unknown): TrustedRoot {
  let json = given;
  if (typeof given === 'string') {
    try {
      json = JSON.parse(given);
    } catch (err) {
      throw new SignatureError('TRUSTED_ROOT_ERROR', `trusted root is not JSON: ${(err as Error).message}`, { cause: err });
    }
  }
  const data = json as Record<string, unknown>;
  if (typeof data !== 'object' || data === null) throw new SignatureError('TRUSTED_ROOT_ERROR', 'trusted root is not a JSON object');
  for (const field of ['tlogs', 'ctlogs', 'certificateAuthorities', 'timestampAuthorities']) {
    const list = data[field];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new SignatureError('TRUSTED_ROOT_ERROR', `trusted root ${field} is not a list`);
    list.forEach((entry: Record<string, unknown>, i) => {
      const validFor = (field.endsWith('logs') ? (entry['publicKey'] as Record<string, unknown> | undefined)?.['validFor'] : entry['validFor']) as Record<string, unknown> | undefined;
      if (typeof validFor?.['start'] !== 'string') throw new SignatureError('TRUSTED_ROOT_ERROR', `trusted root ${field}[${i}] has no validFor.start`);
    });
  }
  try {
    return TrustedRoot.fromJSON(json);
  } catch (err) {
    throw new SignatureError('TRUSTED_ROOT_ERROR', `invalid trusted root: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * The bundle's verification material must fit the policy, and may not bring a trust anchor of
 * its own: a self-signed certificate in its chain is accepted only when it is byte for byte a
 * root of the trusted root (old v0.1 bundles carried the whole chain).
 */
function checkMaterial(bundle: Bundle, policy: SignerPolicy, root: TrustedRoot): void {
  const anchors = new Set(root.certificateAuthorities.flatMap((ca) => (ca.certChain?.certificates ?? []).map((c) => Buffer.from(c.rawBytes).toString('base64'))));
  const vm = bundle.verificationMaterial.content;
  const hasKey = vm.$case === 'publicKey';
  if ('key' in policy && !hasKey) throw new SignatureError('POLICY_MISMATCH', 'a public key was given, but the bundle is signed with a certificate (give --certificate-identity and --certificate-oidc-issuer)');
  if (!('key' in policy) && hasKey) throw new SignatureError('POLICY_MISMATCH', 'the bundle is signed with a key, not a certificate: give --key');
  if (isBundleWithCertificateChain(bundle)) {
    const chain = bundle.verificationMaterial.content.x509CertificateChain.certificates;
    for (const [i, c] of chain.entries()) {
      let cert: X509Certificate;
      try {
        cert = new X509Certificate(c.rawBytes);
      } catch (err) {
        throw new SignatureError('CERTIFICATE_ERROR', `certificate ${i} in the bundle does not parse`, { cause: err });
      }
      if (cert.subject === cert.issuer && cert.verify(cert.publicKey) && !anchors.has(Buffer.from(c.rawBytes).toString('base64'))) {
        throw new SignatureError('CERTIFICATE_ERROR', `the bundle's certificate chain includes a root certificate that is not in the trusted root (${cert.subject.replace(/\n/g, ', ')}); roots come only from the trusted root`);
      }
    }
  }
}

function artifactDigest(input: BundleVerifyInput): Buffer | undefined {
  if (input.artifactDigest !== undefined) {
    const m = /^sha256:([0-9a-f]{64})$/.exec(input.artifactDigest);
    if (m === null) throw new SignatureError('ARTIFACT_DIGEST_ERROR', `artifact digest must be sha256:<64 hex digits>, got ${JSON.stringify(input.artifactDigest)}`);
    return Buffer.from(m[1]!, 'hex');
  }
  return input.artifact === undefined ? undefined : createHash('sha256').update(input.artifact).digest();
}

/**
 * The signed entity. With the artifact bytes, @sigstore/verify's own; with only a digest, a
 * message signature is checked against that digest (it must be the bundle's messageDigest,
 * and the signature must verify over it).
 */
function signedEntity(bundle: Bundle, artifact: Uint8Array | undefined, digest: Buffer | undefined): SignedEntity {
  if (isBundleWithDsseEnvelope(bundle)) return toSignedEntity(bundle);
  if (artifact !== undefined) return toSignedEntity(bundle, Buffer.from(artifact));
  if (digest === undefined) throw new SignatureError('ARTIFACT_REQUIRED', 'a message-signature bundle needs the artifact or its digest');
  const entity = toSignedEntity(bundle, Buffer.alloc(0));
  const ms = bundle.content.$case === 'messageSignature' ? bundle.content.messageSignature : undefined;
  if (ms === undefined) throw new SignatureError('BUNDLE_PARSE_ERROR', 'bundle has no message signature');
  if (ms.messageDigest !== undefined && !Buffer.from(ms.messageDigest.digest).equals(digest)) {
    throw new SignatureError('SUBJECT_MISMATCH', `the bundle signs sha256:${Buffer.from(ms.messageDigest.digest).toString('hex')}, not sha256:${digest.toString('hex')}`);
  }
  const signature = Buffer.from(ms.signature);
  entity.signature = {
    signature,
    compareSignature: (s) => signature.equals(s),
    compareDigest: (d) => digest.equals(d),
    compareSignedDigest: (d) => digest.equals(d),
    verifySignature: (key: KeyObject) => verifyDigest(key, digest, signature),
  };
  return entity;
}

/** An in-toto statement in a DSSE bundle must name the artifact (when one is given) among its subjects. */
function checkSubject(bundle: Bundle, digest: Buffer | undefined): Record<string, unknown> | undefined {
  if (!isBundleWithDsseEnvelope(bundle)) return undefined;
  const env = bundle.content.dsseEnvelope;
  if (env.payloadType !== 'application/vnd.in-toto+json') {
    if (digest !== undefined) throw new SignatureError('SUBJECT_MISMATCH', `DSSE payload type ${env.payloadType} names no subject to compare with the artifact`);
    return undefined;
  }
  let statement: Record<string, unknown>;
  try {
    statement = JSON.parse(Buffer.from(env.payload).toString('utf8'));
  } catch (err) {
    throw new SignatureError('BUNDLE_PARSE_ERROR', 'DSSE payload is not a JSON in-toto statement', { cause: err });
  }
  if (digest === undefined) return statement;
  const hex = digest.toString('hex');
  const subjects = Array.isArray(statement['subject']) ? (statement['subject'] as Array<{ digest?: Record<string, string> }>) : [];
  if (!subjects.some((s) => s.digest?.['sha256']?.toLowerCase() === hex)) {
    throw new SignatureError('SUBJECT_MISMATCH', `no subject of the in-toto statement has digest sha256:${hex}`);
  }
  return statement;
}

export function parseKey(pem: string): KeyObject {
  try {
    return createPublicKey(pem);
  } catch (err) {
    throw new SignatureError('PUBLIC_KEY_ERROR', `the public key does not parse: ${(err as Error).message}`, { cause: err });
  }
}

function fromSigstore(err: unknown): SignatureError {
  if (err instanceof SignatureError) return err;
  const e = err as { code?: unknown; message?: string };
  const code = typeof e.code === 'string' && /^[A-Z_]+$/.test(e.code) ? e.code : 'VERIFICATION_ERROR';
  return new SignatureError(code, e.message ?? String(err), { cause: err });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
