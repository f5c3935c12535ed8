/**
 * `bosun verify IMAGE`: finds every signature and attestation stored for an image and verifies
 * each. Registry reads go through src/image's RegistryClient (auth, retries, insecure
 * registries). Reads as its steps:
 *
 *   resolveDigest (a tag is resolved to the manifest digest first) → legacySignatures
 *   (`sha256-<hex>.sig`) → referrerBundles (OCI 1.1 referrers API, else the `sha256-<hex>`
 *   referrers tag) → verify each → result (verified when at least one verifies)
 */
import { createHash } from 'node:crypto';
import { BosunError } from '../core/errors.ts';
import { RegistryClient, type RegistryOptions } from '../image/sources/registry.ts';
import { formatReference, parseReference, type ImageReference } from '../image/reference.ts';
import { verifyBundle } from './bundle.ts';
import { SignatureError } from './errors.ts';
import { BUNDLE_V03_MEDIA_TYPE, IN_TOTO_PAYLOAD_TYPE, legacyTag, verifyDsse, type DsseEnvelope } from './formats.ts';
import { verifyLegacyManifest, type LegacyPolicy } from './legacy.ts';
import { parseKey } from './bundle.ts';
import { isIndexMediaType, type IndexEntry } from '../image/platform.ts';
import type { Platform } from '../image/sources/types.ts';

export interface ImageVerifyPolicy {
  /** Trusted public keys (PEM). */
  keys?: string[];
  /** Keyless: exact identity and issuer, checked against `trustedRoot` (trusted_root.json text). */
  identity?: string;
  issuer?: string;
  trustedRoot?: string;
  /** Rekor keys (PEM) for legacy signatures' SETs; required for keyless legacy signatures. */
  rekorKeys?: string[];
  /** Fulcio roots (PEM) for legacy keyless signatures. */
  fulcioRoots?: string;
}

export interface SignatureReport {
  /** `legacy:<layer>` or `referrer:<manifest digest>`. */
  source: string;
  kind: 'signature' | 'attestation';
  verified: boolean;
  /** Signer (key index or identity) when verified, else the failure code. */
  detail: string;
  predicateType?: string;
  /** The verified in-toto statement (referrer bundles). */
  statement?: Record<string, unknown>;
}

export interface ImageVerifyResult {
  image: string;
  digest: string;
  /** The media type of the manifest at `digest` (absent when the registry does not have it). */
  mediaType?: string;
  /** When `digest` is an index: its entries (what the webhook's scan coverage is checked against). */
  manifests?: IndexEntry[];
  verified: boolean;
  signatures: SignatureReport[];
}

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const MANIFEST_ACCEPT = ['application/vnd.oci.image.index.v1+json', 'application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json', 'application/vnd.docker.distribution.manifest.v2+json'].join(', ');
const MAX_BLOB = 4 * 1024 * 1024;

export async function verifyImage(image: string, policy: ImageVerifyPolicy, options: RegistryOptions = {}): Promise<ImageVerifyResult> {
  const ref = parseReference(image);
  const client = new RegistryClient(ref, options, image);
  const { digest, manifest } = await resolveDigest(client, ref);
  const signatures = [...(await legacySignatures(client, ref, digest, policy)), ...(await referrerBundles(client, ref, digest, policy))];
  return { image: formatReference({ ...ref, digest }), digest, ...manifest, verified: signatures.some((s) => s.verified && s.kind === 'signature'), signatures };
}

/**
 * The manifest digest a reference names, and what that manifest is (read for a digest too: the
 * webhook needs to know whether it is an index). A manifest missing under a digest leaves that unknown.
 */
async function resolveDigest(client: RegistryClient, ref: ImageReference): Promise<{ digest: string; manifest: Pick<ImageVerifyResult, 'mediaType' | 'manifests'> }> {
  const found = await (ref.digest === undefined ? client.readSmall(`/v2/${ref.repository}/manifests/${ref.tag ?? 'latest'}`, MANIFEST_ACCEPT) : optional(() => client.readSmall(`/v2/${ref.repository}/manifests/${ref.digest}`, MANIFEST_ACCEPT)));
  if (found === undefined) return { digest: ref.digest!, manifest: {} };
  const computed = `sha256:${createHash('sha256').update(found.data).digest('hex')}`;
  if (ref.digest !== undefined && ref.digest !== computed) throw new BosunError('E_REGISTRY', `${formatReference(ref)}: the registry returned a manifest with digest ${computed}`);
  if (found.digest !== null && found.digest !== computed) throw new BosunError('E_REGISTRY', `${formatReference(ref)}: registry digest ${found.digest} does not match the manifest bytes (${computed})`);
  return { digest: computed, manifest: manifestShape(found.data, found.contentType) };
}

function manifestShape(data: Buffer, contentType: string | null): Pick<ImageVerifyResult, 'mediaType' | 'manifests'> {
  let json: { mediaType?: unknown; manifests?: unknown };
  try {
    json = JSON.parse(data.toString('utf8')) as typeof json;
  } catch {
    return {}; // unknown: the webhook's scan coverage then fails closed
  }
  if (typeof json !== 'object' || json === null) return {};
  const mediaType = typeof json.mediaType === 'string' ? json.mediaType : (contentType?.split(';')[0]?.trim() ?? 'application/vnd.oci.image.manifest.v1+json');
  if (!isIndexMediaType(mediaType)) return { mediaType };
  const manifests = (Array.isArray(json.manifests) ? (json.manifests as Array<Record<string, unknown>>) : []).filter((m) => typeof m?.['digest'] === 'string').map((m) => ({
    digest: m['digest'] as string,
    ...(typeof m['platform'] === 'object' && m['platform'] !== null && { platform: m['platform'] as Platform }),
    ...(typeof m['annotations'] === 'object' && m['annotations'] !== null && { annotations: m['annotations'] as Record<string, string> }),
  }));
  return { mediaType, manifests };
}

/** undefined when the registry has no such object (404). */
async function optional<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof BosunError && err.code === 'E_IMAGE_NOT_FOUND') return undefined;
    throw err;
  }
}

async function readBlob(client: RegistryClient, ref: ImageReference, digest: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of client.blob(digest)) {
    size += chunk.length;
    if (size > MAX_BLOB) throw new SignatureError('BLOB_TOO_LARGE', `blob ${digest} of ${ref.repository} is larger than ${MAX_BLOB} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function legacySignatures(client: RegistryClient, ref: ImageReference, digest: string, policy: ImageVerifyPolicy): Promise<SignatureReport[]> {
  const found = await optional(() => client.readSmall(`/v2/${ref.repository}/manifests/${legacyTag(digest)}`, MANIFEST_ACCEPT));
  if (found === undefined) return [];
  const manifest = JSON.parse(found.data.toString('utf8')) as { layers?: Array<{ digest: string }> };
  const blobs = new Map<string, Buffer>();
  for (const l of manifest.layers ?? []) blobs.set(l.digest, await readBlob(client, ref, l.digest));
  const legacyPolicy: LegacyPolicy = {
    ...(policy.keys !== undefined && { keys: policy.keys }),
    ...(policy.fulcioRoots !== undefined && { roots: policy.fulcioRoots }),
    ...(policy.identity !== undefined && { identity: policy.identity }),
    ...(policy.issuer !== undefined && { issuer: policy.issuer }),
    ...(policy.rekorKeys !== undefined && { rekorKeys: policy.rekorKeys }),
  };
  const r = verifyLegacyManifest(manifest, (d) => blobs.get(d), digest, legacyPolicy);
  return [
    ...r.verified.map((v) => ({ source: `legacy:${v.layer}`, kind: 'signature' as const, verified: true, detail: v.signer })),
    ...r.failed.map((f) => ({ source: `legacy:${f.layer}`, kind: 'signature' as const, verified: false, detail: `${f.code}: ${f.message}` })),
  ].sort((a, b) => a.source.localeCompare(b.source));
}

function isBundleType(t: string): boolean {
  return t === BUNDLE_V03_MEDIA_TYPE || t.startsWith('application/vnd.dev.sigstore.bundle');
}

interface IndexManifest {
  manifests?: Array<{ digest: string; artifactType?: string; annotations?: Record<string, string> }>;
}

async function referrerBundles(client: RegistryClient, ref: ImageReference, digest: string, policy: ImageVerifyPolicy): Promise<SignatureReport[]> {
  let index = await optional(() => client.readSmall(`/v2/${ref.repository}/referrers/${digest}`, OCI_INDEX));
  // Registries without the referrers API: the fallback index at tag sha256-<hex> (no suffix).
  index ??= await optional(() => client.readSmall(`/v2/${ref.repository}/manifests/${digest.replace(':', '-')}`, OCI_INDEX));
  if (index === undefined) return [];
  // Some tools drop artifactType and annotations from the index entries (skopeo, cosign's own
  // fallback writer): an entry without artifactType is looked at, one with another type is not.
  const entries = ((JSON.parse(index.data.toString('utf8')) as IndexManifest).manifests ?? []).filter((m) => m.artifactType === undefined || isBundleType(m.artifactType));
  const out: SignatureReport[] = [];
  for (const entry of entries) {
    let predicateType = entry.annotations?.['dev.sigstore.bundle.predicateType'];
    let kind: SignatureReport['kind'] = 'signature';
    try {
      const m = JSON.parse((await client.readSmall(`/v2/${ref.repository}/manifests/${entry.digest}`, 'application/vnd.oci.image.manifest.v1+json')).data.toString('utf8')) as {
        artifactType?: string;
        layers?: Array<{ digest: string }>;
        subject?: { digest?: string };
        annotations?: Record<string, string>;
      };
      if (m.artifactType === undefined || !isBundleType(m.artifactType)) continue;
      predicateType ??= m.annotations?.['dev.sigstore.bundle.predicateType'];
      kind = predicateType === undefined || predicateType === 'https://sigstore.dev/cosign/sign/v1' ? 'signature' : 'attestation';
      if (m.subject?.digest !== digest) throw new SignatureError('SUBJECT_MISMATCH', `referrer ${entry.digest} is about ${String(m.subject?.digest)}`);
      const layer = m.layers?.[0];
      if (layer === undefined) throw new SignatureError('BUNDLE_PARSE_ERROR', 'referrer has no bundle layer');
      const bundle = await readBlob(client, ref, layer.digest);
      const signer = verifyStoredBundle(bundle, digest, policy);
      const statement = statementOf(bundle);
      out.push({ source: `referrer:${entry.digest}`, kind, verified: true, detail: signer, ...(predicateType !== undefined && { predicateType }), ...(statement !== undefined && { statement }) });
    } catch (err) {
      if (!(err instanceof SignatureError) && !(err instanceof BosunError)) throw err;
      out.push({ source: `referrer:${entry.digest}`, kind, verified: false, detail: `${err.code}: ${err.message}`, ...(predicateType !== undefined && { predicateType }) });
    }
  }
  return out;
}

/**
 * A bundle fetched from the registry. Keyless, or keyed with a transparency-log entry: offline
 * Sigstore verification against the trusted root, with the image digest as the DSSE subject.
 * Keyed without a log entry (`--tlog-upload=false`): the DSSE signature by a trusted key and the
 * statement's subject.
 */
export function verifyStoredBundle(bytes: Buffer, digest: string, policy: ImageVerifyPolicy): string {
  const json = JSON.parse(bytes.toString('utf8')) as { verificationMaterial?: { publicKey?: unknown; tlogEntries?: unknown[] }; dsseEnvelope?: DsseEnvelope };
  const keyed = json.verificationMaterial?.publicKey !== undefined;
  const logged = (json.verificationMaterial?.tlogEntries?.length ?? 0) > 0;
  if (keyed && !logged) {
    const env = json.dsseEnvelope;
    if (env === undefined) throw new SignatureError('BUNDLE_PARSE_ERROR', 'keyed bundle without a DSSE envelope');
    const index = (policy.keys ?? []).findIndex((k) => verifyDsse(env, parseKey(k)));
    if (index === -1) throw new SignatureError('SIGNATURE_ERROR', 'DSSE signature does not verify with any trusted key');
    checkStatementSubject(env, digest);
    return `key:${index}`;
  }
  if (policy.trustedRoot === undefined) throw new SignatureError('TRUSTED_ROOT_ERROR', 'a logged or keyless bundle needs --trusted-root');
  if (keyed) {
    for (const [i, key] of (policy.keys ?? []).entries()) {
      try {
        verifyBundle({ bundle: json, trustedRoot: policy.trustedRoot, policy: { key }, artifactDigest: digest });
        return `key:${i}`;
      } catch (err) {
        if (!(err instanceof SignatureError)) throw err;
      }
    }
    throw new SignatureError('SIGNATURE_ERROR', 'bundle does not verify with any trusted key');
  }
  if (policy.identity === undefined || policy.issuer === undefined) throw new SignatureError('POLICY_MISMATCH', 'a keyless bundle needs --certificate-identity and --certificate-oidc-issuer');
  const r = verifyBundle({ bundle: json, trustedRoot: policy.trustedRoot, policy: { identity: policy.identity, issuer: policy.issuer }, artifactDigest: digest });
  return r.identity ?? policy.identity;
}

/** The in-toto statement inside a (verified) DSSE bundle. */
function statementOf(bundle: Buffer): Record<string, unknown> | undefined {
  try {
    const env = (JSON.parse(bundle.toString('utf8')) as { dsseEnvelope?: DsseEnvelope }).dsseEnvelope;
    return env === undefined ? undefined : (JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) as Record<string, unknown>);
  } catch {
    return undefined;
  }
}

function checkStatementSubject(env: DsseEnvelope, digest: string): void {
  if (env.payloadType !== IN_TOTO_PAYLOAD_TYPE) throw new SignatureError('SUBJECT_MISMATCH', `DSSE payload type ${env.payloadType} is not in-toto`);
  const statement = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) as { subject?: Array<{ digest?: Record<string, string> }> };
  const [algorithm, hex] = digest.split(':') as [string, string];
  if (!(statement.subject ?? []).some((s) => s.digest?.[algorithm] === hex)) throw new SignatureError('SUBJECT_MISMATCH', `the statement is not about ${digest}`);
}
