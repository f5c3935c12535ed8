/**
 * Verification of cosign's pre-bundle ("legacy", tag `sha256-<hex>.sig`) image signatures
 * (cosign specs/SIGNATURE_SPEC.md). One signature is one layer of the signature manifest:
 * the blob is the simple-signing payload, the annotations carry the signature, optionally the
 * Fulcio certificate and chain, and a Rekor bundle (SET). `verifyLegacySignature` reads as:
 *
 *   checkMediaType → checkPayload (type, docker-manifest-digest) → signerKey (a trusted key, or a
 *   certificate chaining to a trusted root with the required identity) → verifySignature
 *   → verifyTlog (SET by a trusted Rekor key, body consistent with payload/signature/key;
 *     its integrated time must lie in the certificate's validity)
 *
 * Keyless signatures need the SET: it is the only trusted time at which the short-lived
 * certificate was valid. SCTs embedded in Fulcio certificates are not checked here.
 */
import { createHash, createPublicKey, verify, X509Certificate as NodeCertificate, type KeyObject } from 'node:crypto';
import { X509Certificate } from '@sigstore/core';
import { SignatureError } from './errors.ts';
import { SIMPLE_SIGNING_MEDIA_TYPE, SIMPLE_SIGNING_TYPE, ANNOTATION } from './formats.ts';

/** One signature as stored in a layer of the `.sig` manifest. */
export interface LegacySignatureLayer {
  mediaType: string;
  /** The layer blob: the exact bytes that were signed. */
  payload: Uint8Array;
  annotations: Record<string, string>;
}

export interface LegacyPolicy {
  /** Trusted public keys (PEM). */
  keys?: string[];
  /** Trusted certificate roots (PEM, one or more), for keyless or PKI signatures. */
  roots?: string;
  /** Intermediates to use besides the chain annotation (PEM). */
  intermediates?: string;
  /** Exact SAN (email or URI) and OIDC issuer required of a Fulcio certificate. */
  identity?: string;
  issuer?: string;
  /** PKI certificates: required SAN email / hostname. */
  email?: string;
  hostname?: string;
  /** Rekor public keys (PEM) for the SET; when given, a signature without a valid SET fails. */
  rekorKeys?: string[];
}

export interface LegacyVerified {
  /** `key:<index>` or the certificate identity. */
  signer: string;
  integratedTime?: number;
  logIndex?: number;
  payload: Record<string, unknown>;
}

const FULCIO_ISSUER_V1 = '1.3.6.1.4.1.57264.1.1';
const FULCIO_ISSUER_V2 = '1.3.6.1.4.1.57264.1.8';

export function verifyLegacySignature(layer: LegacySignatureLayer, manifestDigest: string, policy: LegacyPolicy): LegacyVerified {
  checkMediaType(layer);
  const payload = checkPayload(layer.payload, manifestDigest);
  const signatureB64 = layer.annotations[ANNOTATION.signature];
  if (signatureB64 === undefined) throw new SignatureError('SIGNATURE_MISSING', `layer has no ${ANNOTATION.signature} annotation`);
  const signature = Buffer.from(signatureB64.replace(/\s+/g, ''), 'base64');
  const signer = signerKey(layer, policy, signature);
  const tlog = verifyTlog(layer, policy, signer);
  if (signer.certificate !== undefined && signer.keyless) {
    if (tlog === undefined) throw new SignatureError('TLOG_REQUIRED', 'a Fulcio certificate needs a Rekor SET to prove when it was valid');
    const at = new Date(tlog.integratedTime * 1000);
    if (!signer.certificate.validForDate(at)) throw new SignatureError('CERTIFICATE_ERROR', `certificate was not valid at the integrated time ${at.toISOString()}`);
  }
  return { signer: signer.name, payload, ...(tlog !== undefined && { integratedTime: tlog.integratedTime, logIndex: tlog.logIndex }) };
}

function checkMediaType(layer: LegacySignatureLayer): void {
  if (layer.mediaType !== SIMPLE_SIGNING_MEDIA_TYPE) throw new SignatureError('NOT_A_SIGNATURE', `layer media type ${layer.mediaType} is not ${SIMPLE_SIGNING_MEDIA_TYPE}`);
}

function checkPayload(bytes: Uint8Array, manifestDigest: string): Record<string, unknown> {
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    throw new SignatureError('PAYLOAD_ERROR', 'simple-signing payload is not JSON', { cause: err });
  }
  const critical = payload['critical'] as { type?: unknown; image?: { 'docker-manifest-digest'?: unknown } } | undefined;
  if (critical?.type !== SIMPLE_SIGNING_TYPE) throw new SignatureError('PAYLOAD_ERROR', `payload critical.type is not "${SIMPLE_SIGNING_TYPE}"`);
  const signed = critical.image?.['docker-manifest-digest'];
  if (signed !== manifestDigest) throw new SignatureError('DIGEST_MISMATCH', `signature is for ${String(signed)}, not for the image manifest ${manifestDigest}`);
  return payload;
}

interface Signer {
  name: string;
  key: KeyObject;
  /** PEM of the key or certificate exactly as Rekor recorded it. */
  pem: string;
  certificate?: X509Certificate;
  keyless: boolean;
}

/** The key that made the signature: a trusted key it verifies with, or the certificate's key after the chain and identity checks. */
function signerKey(layer: LegacySignatureLayer, policy: LegacyPolicy, signature: Buffer): Signer {
  const certPem = layer.annotations[ANNOTATION.certificate];
  if (certPem !== undefined && certPem !== '' && policy.roots !== undefined) {
    const cert = checkCertificate(certPem, layer.annotations[ANNOTATION.chain] ?? '', policy);
    const key = createPublicKey(certPem);
    if (!verify('sha256', layer.payload, key, signature)) throw new SignatureError('SIGNATURE_ERROR', 'signature does not verify with the certificate key');
    return { name: cert.identity, key, pem: certPem, certificate: cert.cert, keyless: cert.keyless };
  }
  const keys = policy.keys ?? [];
  if (keys.length === 0) throw new SignatureError('POLICY_MISMATCH', certPem === undefined ? 'no trusted key given for a key-signed signature' : 'no trusted root given for a certificate signature');
  for (const [i, pem] of keys.entries()) {
    const key = createPublicKey(pem);
    if (verify('sha256', layer.payload, key, signature)) return { name: `key:${i}`, key, pem, keyless: false };
  }
  throw new SignatureError('SIGNATURE_ERROR', 'signature does not verify with any trusted key');
}

/** The text of a DER UTF8String (tag 0x0c, short or long length). */
function derUtf8String(der: Buffer): string | undefined {
  if (der[0] !== 0x0c || der.length < 2) return undefined;
  const first = der[1]!;
  const lengthBytes = first & 0x80 ? first & 0x7f : 0;
  const length = lengthBytes === 0 ? first : der.subarray(2, 2 + lengthBytes).reduce((n, b) => n * 256 + b, 0);
  return der.subarray(2 + lengthBytes, 2 + lengthBytes + length).toString('utf8');
}

function splitPem(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

function checkCertificate(certPem: string, chainPem: string, policy: LegacyPolicy): { cert: X509Certificate; identity: string; keyless: boolean } {
  const leaf = X509Certificate.parse(certPem);
  const roots = splitPem(policy.roots ?? '').map((p) => X509Certificate.parse(p));
  const pool = [...splitPem(chainPem), ...splitPem(policy.intermediates ?? '')].map((p) => X509Certificate.parse(p)).filter((c) => !roots.some((r) => r.equals(c)));
  // Walk up from the leaf: each step must verify with an intermediate from the pool, ending at a trusted root.
  let current = leaf;
  for (let depth = 0; ; depth++) {
    const root = roots.find((r) => Buffer.compare(r.subject, current.issuer) === 0 && current.verify(r));
    if (root !== undefined) break;
    const next = pool.find((c) => c.isCA && Buffer.compare(c.subject, current.issuer) === 0 && current.verify(c));
    if (next === undefined || depth > 5) throw new SignatureError('CERTIFICATE_ERROR', 'certificate does not chain to a trusted root');
    current = next;
  }
  const node = new NodeCertificate(certPem);
  // Fulcio's issuer extension: v2 (…1.8) holds a DER UTF8String, v1 (…1.1) the raw bytes.
  const v2 = leaf.extension(FULCIO_ISSUER_V2);
  const v1 = leaf.extension(FULCIO_ISSUER_V1);
  if (v2 !== undefined || v1 !== undefined || policy.identity !== undefined) {
    const issuer = v2 !== undefined ? derUtf8String(v2.value) : v1?.value.toString('utf8');
    const san = leaf.subjectAltName;
    if (policy.identity === undefined || policy.issuer === undefined) throw new SignatureError('POLICY_MISMATCH', 'a Fulcio certificate needs an identity and issuer to match');
    if (san !== policy.identity) throw new SignatureError('UNTRUSTED_SIGNER_ERROR', `certificate identity ${String(san)} is not ${policy.identity}`);
    if (issuer !== policy.issuer) throw new SignatureError('UNTRUSTED_SIGNER_ERROR', `certificate issuer ${String(issuer)} is not ${policy.issuer}`);
    return { cert: leaf, identity: san, keyless: true };
  }
  if (policy.email !== undefined && node.checkEmail(policy.email, { subject: 'never' }) === undefined) throw new SignatureError('UNTRUSTED_SIGNER_ERROR', `certificate has no SAN email ${policy.email}`);
  if (policy.hostname !== undefined && node.checkHost(policy.hostname, { subject: 'never' }) === undefined) throw new SignatureError('UNTRUSTED_SIGNER_ERROR', `certificate has no SAN host ${policy.hostname}`);
  return { cert: leaf, identity: policy.email ?? policy.hostname ?? node.subject, keyless: false };
}

interface TlogProof {
  integratedTime: number;
  logIndex: number;
}

/** The Rekor SET: signed by a trusted Rekor key over the canonical entry, and the entry must be this signature. */
function verifyTlog(layer: LegacySignatureLayer, policy: LegacyPolicy, signer: Signer): TlogProof | undefined {
  const raw = layer.annotations[ANNOTATION.bundle];
  const rekorKeys = policy.rekorKeys ?? [];
  if (raw === undefined) {
    if (rekorKeys.length > 0) throw new SignatureError('TLOG_REQUIRED', 'no Rekor bundle annotation, but a transparency-log entry is required');
    return undefined;
  }
  if (rekorKeys.length === 0) return undefined;
  let bundle: { SignedEntryTimestamp?: string; Payload?: { body?: string; integratedTime?: number; logIndex?: number; logID?: string } };
  try {
    bundle = JSON.parse(raw);
  } catch (err) {
    throw new SignatureError('TLOG_BODY_ERROR', 'Rekor bundle annotation is not JSON', { cause: err });
  }
  const p = bundle.Payload;
  if (p?.body === undefined || p.integratedTime === undefined || p.logIndex === undefined || p.logID === undefined || bundle.SignedEntryTimestamp === undefined) {
    throw new SignatureError('TLOG_BODY_ERROR', 'Rekor bundle lacks SignedEntryTimestamp or Payload fields');
  }
  // Canonical JSON: keys sorted, no spaces (what Rekor signs).
  const canonical = JSON.stringify({ body: p.body, integratedTime: p.integratedTime, logID: p.logID, logIndex: p.logIndex });
  const set = Buffer.from(bundle.SignedEntryTimestamp, 'base64');
  const signedBy = rekorKeys.find((pem) => {
    const key = createPublicKey(pem);
    const logId = createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex');
    return logId === p.logID && verify('sha256', Buffer.from(canonical), key, set);
  });
  if (signedBy === undefined) throw new SignatureError('TLOG_INCLUSION_PROMISE_ERROR', 'Rekor SET does not verify with a trusted Rekor key');
  checkTlogBody(p.body, layer, signer);
  return { integratedTime: p.integratedTime, logIndex: p.logIndex };
}

function checkTlogBody(bodyB64: string, layer: LegacySignatureLayer, signer: Signer): void {
  let body: { kind?: string; spec?: { data?: { hash?: { algorithm?: string; value?: string } }; signature?: { content?: string; publicKey?: { content?: string } } } };
  try {
    body = JSON.parse(Buffer.from(bodyB64, 'base64').toString('utf8'));
  } catch (err) {
    throw new SignatureError('TLOG_BODY_ERROR', 'Rekor entry body is not JSON', { cause: err });
  }
  if (body.kind !== 'hashedrekord') throw new SignatureError('TLOG_BODY_ERROR', `Rekor entry kind ${String(body.kind)} is not hashedrekord`);
  const hash = createHash('sha256').update(layer.payload).digest('hex');
  if (body.spec?.data?.hash?.value !== hash) throw new SignatureError('TLOG_BODY_ERROR', 'Rekor entry is for a different payload');
  const sig = (layer.annotations[ANNOTATION.signature] ?? '').replace(/\s+/g, '');
  if (body.spec?.signature?.content?.replace(/\s+/g, '') !== sig) throw new SignatureError('TLOG_BODY_ERROR', 'Rekor entry records a different signature');
  const recorded = Buffer.from(body.spec?.signature?.publicKey?.content ?? '', 'base64').toString('utf8');
  if (!samePem(recorded, signer.pem)) throw new SignatureError('TLOG_BODY_ERROR', 'Rekor entry records a different key or certificate');
}

function samePem(a: string, b: string): boolean {
  const der = (pem: string): string => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  if (der(a) === der(b)) return true;
  try {
    // A key recorded as PEM may differ in header or wrapping from the trusted one; compare the SPKI.
    const spki = (pem: string): Buffer => createPublicKey(pem).export({ type: 'spki', format: 'der' });
    return spki(a).equals(spki(b));
  } catch {
    return false;
  }
}

export interface LegacyManifestResult {
  verified: Array<LegacyVerified & { layer: number }>;
  failed: Array<{ layer: number; code: string; message: string }>;
}

/**
 * Checks every layer of a `.sig` manifest; the image is signed when at least one verifies
 * (callers wanting a threshold count distinct signers in `verified`). `blob` returns a layer's
 * bytes by digest; a blob whose digest differs from its descriptor counts as tampered.
 */
export function verifyLegacyManifest(manifest: unknown, blob: (digest: string) => Uint8Array | undefined, manifestDigest: string, policy: LegacyPolicy): LegacyManifestResult {
  const layers = (manifest as { layers?: unknown }).layers;
  const result: LegacyManifestResult = { verified: [], failed: [] };
  if (!Array.isArray(layers)) return { verified: [], failed: [{ layer: -1, code: 'NOT_A_SIGNATURE', message: 'signature manifest has no layers' }] };
  layers.forEach((d: { mediaType?: string; digest?: string; annotations?: Record<string, string> }, i) => {
    try {
      const bytes = d.digest === undefined ? undefined : blob(d.digest);
      if (bytes === undefined) throw new SignatureError('BLOB_MISSING', `layer blob ${String(d.digest)} not found`);
      if (`sha256:${createHash('sha256').update(bytes).digest('hex')}` !== d.digest) throw new SignatureError('BLOB_DIGEST_MISMATCH', `layer blob does not match its digest ${d.digest}`);
      result.verified.push({ layer: i, ...verifyLegacySignature({ mediaType: d.mediaType ?? '', payload: bytes, annotations: d.annotations ?? {} }, manifestDigest, policy) });
    } catch (err) {
      if (!(err instanceof SignatureError)) throw err;
      result.failed.push({ layer: i, code: err.code, message: err.message });
    }
  });
  return result;
}
