/**
 * The bytes cosign writes and reads, built as plain data (no registry I/O here):
 * - simple-signing payload (containers/image "atomic container signature", cosign SIGNATURE_SPEC.md),
 * - in-toto Statement v1 and DSSE envelopes with the v1 pre-authentication encoding (PAE),
 * - Sigstore bundle v0.3 (`application/vnd.dev.sigstore.bundle.v0.3+json`) for a key signature,
 * - the OCI 1.1 referrer manifest cosign v3 attaches a bundle with (artifactType = bundle media
 *   type, empty config, subject = the image), and
 * - the legacy `sha256-<hex>.sig` manifest: one layer per signature, payload blob + annotations,
 *   with the config cosign derives from the layers (reproduces published config digests).
 * Every JSON object is serialised with a fixed key order so digests are reproducible.
 */
import { createHash, sign, verify, type KeyObject } from 'node:crypto';

export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const SIMPLE_SIGNING_TYPE = 'cosign container image signature';
export const BUNDLE_V03_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const IN_TOTO_STATEMENT_V1 = 'https://in-toto.io/Statement/v1';
/** The predicate type cosign v3 uses for an image signature in a DSSE bundle. */
export const COSIGN_SIGN_PREDICATE = 'https://sigstore.dev/cosign/sign/v1';
export const OCI_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_CONFIG_MEDIA_TYPE = 'application/vnd.oci.image.config.v1+json';
export const OCI_EMPTY_MEDIA_TYPE = 'application/vnd.oci.empty.v1+json';
/** `{}`: the OCI empty descriptor's blob. */
export const OCI_EMPTY_BLOB = Buffer.from('{}');

export const ANNOTATION = {
  signature: 'dev.cosignproject.cosign/signature',
  certificate: 'dev.sigstore.cosign/certificate',
  chain: 'dev.sigstore.cosign/chain',
  bundle: 'dev.sigstore.cosign/bundle',
  bundleContent: 'dev.sigstore.bundle.content',
  bundlePredicateType: 'dev.sigstore.bundle.predicateType',
  created: 'org.opencontainers.image.created',
} as const;

/** Predicate types for `bosun attest --type`. */
export const PREDICATE_TYPES = {
  vuln: 'https://cosign.sigstore.dev/attestation/vuln/v1',
  sbom: 'https://cyclonedx.org/bom',
  scan: 'https://bosun.dev/attestation/scan/v1',
} as const;

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  artifactType?: string;
}

export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** A descriptor with its keys in go-containerregistry's order (mediaType, size, digest, annotations), as cosign serialises them. */
export function descriptor(mediaType: string, bytes: Uint8Array, annotations?: Record<string, string>): Descriptor {
  return { mediaType, size: bytes.length, digest: sha256Digest(bytes), ...(annotations !== undefined && { annotations }) };
}

/**
 * The repository name cosign signs (`name.Reference.Context().Name()`): Docker Hub is
 * `index.docker.io/<namespace>/<name>`, every other registry `<registry>/<repository>`.
 */
export function cosignRepositoryName(registry: string, repository: string): string {
  return `${registry === 'docker.io' ? 'index.docker.io' : registry}/${repository}`;
}

/** The simple-signing payload for an image manifest digest. `optional` holds `-a key=value` annotations. */
export function simpleSigningPayload(dockerReference: string, manifestDigest: string, optional?: Record<string, string>): Buffer {
  const payload = {
    critical: { identity: { 'docker-reference': dockerReference }, image: { 'docker-manifest-digest': manifestDigest }, type: SIMPLE_SIGNING_TYPE },
    optional: optional ?? null,
  };
  return Buffer.from(JSON.stringify(payload));
}

/** An in-toto Statement v1 about one image. */
export function inTotoStatement(imageName: string, manifestDigest: string, predicateType: string, predicate: unknown): Buffer {
  const [algorithm, hex] = manifestDigest.split(':') as [string, string];
  return Buffer.from(JSON.stringify({ _type: IN_TOTO_STATEMENT_V1, subject: [{ name: imageName, digest: { [algorithm]: hex } }], predicateType, predicate }));
}

/** DSSE v1 pre-authentication encoding: "DSSEv1" SP len(type) SP type SP len(body) SP body. */
export function pae(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]);
}

export interface DsseEnvelope {
  payload: string;
  payloadType: string;
  signatures: Array<{ sig: string; keyid?: string }>;
}

/** A DSSE envelope with one signature; an empty key id is left out, as cosign's protobuf JSON does. */
export function signDsse(payloadType: string, payload: Uint8Array, key: KeyObject, keyid = ''): DsseEnvelope {
  const sig = sign('sha256', pae(payloadType, payload), key).toString('base64');
  return { payload: Buffer.from(payload).toString('base64'), payloadType, signatures: [keyid === '' ? { sig } : { sig, keyid }] };
}

export function verifyDsse(envelope: DsseEnvelope, key: KeyObject): boolean {
  const body = pae(envelope.payloadType, Buffer.from(envelope.payload, 'base64'));
  return envelope.signatures.some((s) => verify('sha256', body, key, Buffer.from(s.sig, 'base64')));
}

/** cosign's key hint: base64 SHA-256 of the public key's DER (SubjectPublicKeyInfo). */
export function keyHint(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
}

/** A Sigstore bundle v0.3 holding a DSSE envelope signed with a key (no transparency-log entry). */
export function keyBundle(envelope: DsseEnvelope, publicKey: KeyObject): Record<string, unknown> {
  return {
    mediaType: BUNDLE_V03_MEDIA_TYPE,
    // protobuf JSON leaves empty lists and messages out: no tlogEntries, no timestampVerificationData.
    verificationMaterial: { publicKey: { hint: keyHint(publicKey) } },
    dsseEnvelope: envelope,
  };
}

/** The OCI 1.1 referrer manifest that attaches a bundle to an image (cosign v3's default layout). */
export function referrerManifest(bundleBytes: Uint8Array, subject: Descriptor, predicateType: string, created: Date): Buffer {
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST_MEDIA_TYPE,
    artifactType: BUNDLE_V03_MEDIA_TYPE,
    config: descriptor(OCI_EMPTY_MEDIA_TYPE, OCI_EMPTY_BLOB),
    layers: [descriptor(BUNDLE_V03_MEDIA_TYPE, bundleBytes)],
    subject: { mediaType: subject.mediaType, size: subject.size, digest: subject.digest },
    annotations: { [ANNOTATION.bundleContent]: 'dsse-envelope', [ANNOTATION.bundlePredicateType]: predicateType, [ANNOTATION.created]: created.toISOString() },
  };
  return Buffer.from(JSON.stringify(manifest));
}

/** The legacy signature tag for an image digest: `sha256-<hex>.sig` (`.att` for attestations). */
export function legacyTag(manifestDigest: string, suffix: 'sig' | 'att' = 'sig'): string {
  return `${manifestDigest.replace(':', '-')}.${suffix}`;
}

export interface LegacyLayer {
  payload: Uint8Array;
  annotations: Record<string, string>;
  mediaType?: string;
}

/** The config blob cosign derives from the signature layers (one history entry per layer). */
export function legacyConfig(layerDigests: readonly string[]): Buffer {
  const zero = '0001-01-01T00:00:00Z';
  return Buffer.from(
    JSON.stringify({ architecture: '', created: zero, history: layerDigests.map(() => ({ created: zero })), os: '', rootfs: { type: 'layers', diff_ids: layerDigests }, config: {} }),
  );
}

/** The `.sig` manifest and its config blob for a list of signature layers. */
export function legacySignatureManifest(layers: readonly LegacyLayer[]): { manifest: Buffer; config: Buffer } {
  return legacyManifestOf(layers.map((l) => descriptor(l.mediaType ?? SIMPLE_SIGNING_MEDIA_TYPE, l.payload, l.annotations)));
}

/** The `.sig` manifest and config for layer descriptors (appending to a stored manifest keeps its layers' descriptors as they are). */
export function legacyManifestOf(descriptors: readonly Descriptor[]): { manifest: Buffer; config: Buffer } {
  const config = legacyConfig(descriptors.map((d) => d.digest));
  const manifest = { schemaVersion: 2, mediaType: OCI_MANIFEST_MEDIA_TYPE, config: descriptor(OCI_CONFIG_MEDIA_TYPE, config), layers: descriptors };
  return { manifest: Buffer.from(JSON.stringify(manifest)), config };
}
