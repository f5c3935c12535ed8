/**
 * `bosun sign` / `bosun attest`: builds everything cosign stores for a signature or an
 * attestation of one image manifest, ready to be pushed:
 * - the Sigstore bundle v0.3 (DSSE over an in-toto statement about the image, signed with the
 *   key, no transparency-log entry), the OCI 1.1 referrer manifest that attaches it, and the
 *   referrers-tag index (`sha256-<hex>`) for registries without the referrers API (it replaces
 *   what is at that tag: existing referrers there are not merged);
 * - with `legacy`, the `sha256-<hex>.sig` (or `.att`) manifest: simple-signing payload (or the
 *   DSSE envelope for attestations) as a layer with the signature annotation.
 * `writeOciLayout` writes them as an OCI image layout (tags as `org.opencontainers.image.ref.name`),
 * which `skopeo copy --preserve-digests oci:DIR:TAG docker://REPO:TAG` pushes unchanged.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { SignatureError } from './errors.ts';
import { join } from 'node:path';
import { createPublicKey, sign, type KeyObject } from 'node:crypto';
import {
  ANNOTATION, BUNDLE_V03_MEDIA_TYPE, COSIGN_SIGN_PREDICATE, IN_TOTO_PAYLOAD_TYPE, OCI_EMPTY_BLOB, descriptor, inTotoStatement, keyBundle, legacySignatureManifest, legacyTag,
  referrerManifest, sha256Digest, signDsse, simpleSigningPayload, type Descriptor,
} from './formats.ts';

const OCI_INDEX_MEDIA_TYPE = 'application/vnd.oci.image.index.v1+json';

export interface SignTarget {
  /** Repository without tag or digest, e.g. `registry.example.com/team/app`. */
  repository: string;
  /** The image manifest as stored (its digest is what gets signed). */
  manifest: Descriptor;
}

export interface SignOptions {
  key: KeyObject;
  /** Attestation: predicate type and predicate; absent = an image signature. */
  predicateType?: string;
  predicate?: unknown;
  /** Also write the legacy `.sig`/`.att` tag layout. */
  legacy?: boolean;
  /** `-a key=value` annotations (simple-signing `optional`). */
  annotations?: Record<string, string>;
  now?: Date;
}

/** One manifest to push, its blobs, and the tag it goes to (referrers are pushed by digest). */
export interface PushItem {
  manifest: Buffer;
  mediaType: string;
  blobs: Buffer[];
  tag?: string;
}

export interface SignResult {
  digest: string;
  bundle: Buffer;
  items: PushItem[];
}

export function signImage(target: SignTarget, o: SignOptions): SignResult {
  const digest = target.manifest.digest;
  const predicateType = o.predicateType ?? COSIGN_SIGN_PREDICATE;
  const statement = inTotoStatement(target.repository, digest, predicateType, o.predicate ?? {});
  const envelope = signDsse(IN_TOTO_PAYLOAD_TYPE, statement, o.key);
  const publicKey = createPublicKey(o.key);
  const bundle = Buffer.from(JSON.stringify(keyBundle(envelope, publicKey)));
  const referrer = referrerManifest(bundle, target.manifest, predicateType, o.now ?? new Date());
  // Registries without the referrers API find referrers through an index tagged `sha256-<hex>`
  // (OCI distribution spec 1.1 "referrers tag schema"); pushing the index also pushes the
  // referrer manifest itself, which registries with the API index by its subject.
  const referrerDescriptor = { ...descriptor('application/vnd.oci.image.manifest.v1+json', referrer), artifactType: BUNDLE_V03_MEDIA_TYPE, annotations: (JSON.parse(referrer.toString()) as { annotations: Record<string, string> }).annotations };
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX_MEDIA_TYPE, manifests: [referrerDescriptor] }));
  const items: PushItem[] = [{ manifest: index, mediaType: OCI_INDEX_MEDIA_TYPE, blobs: [OCI_EMPTY_BLOB, bundle, referrer], tag: digest.replace(':', '-') }];
  if (o.legacy === true) items.push(legacyItem(target, o, envelope, publicKey));
  return { digest, bundle, items };
}

function legacyItem(target: SignTarget, o: SignOptions, envelope: ReturnType<typeof signDsse>, _publicKey: KeyObject): PushItem {
  const digest = target.manifest.digest;
  if (o.predicateType === undefined) {
    const payload = simpleSigningPayload(target.repository, digest, o.annotations);
    const signature = sign('sha256', payload, o.key).toString('base64');
    const { manifest, config } = legacySignatureManifest([{ payload, annotations: { [ANNOTATION.signature]: signature } }]);
    return { manifest, mediaType: 'application/vnd.oci.image.manifest.v1+json', blobs: [config, payload], tag: legacyTag(digest, 'sig') };
  }
  // cosign ≤ v2 attestations: the DSSE envelope as a layer of the `.att` manifest; the signature
  // annotation is empty because the signature lives inside the envelope.
  const payload = Buffer.from(JSON.stringify(envelope));
  const { manifest, config } = legacySignatureManifest([{ payload, annotations: { [ANNOTATION.signature]: '', predicateType: o.predicateType }, mediaType: 'application/vnd.dsse.envelope.v1+json' }]);
  return { manifest, mediaType: 'application/vnd.oci.image.manifest.v1+json', blobs: [config, payload], tag: legacyTag(digest, 'att') };
}

/**
 * The predicate of a bosun scan attestation (`https://bosun.dev/attestation/scan/v1`):
 * `{scanner: {name, version}, scannedAt, summary: {critical, high, medium, low, info}}`. Built
 * from a bosun JSON report (its `summary.bySeverity`), or taken as is when already in that shape.
 */
export function scanPredicate(input: unknown, now: Date): Record<string, unknown> {
  const r = input as { tool?: { name?: string; version?: string }; summary?: { bySeverity?: Record<string, number>; gateFailed?: boolean }; scannedAt?: unknown };
  if (r?.summary?.bySeverity !== undefined) {
    return { scanner: { name: r.tool?.name ?? 'bosun', version: r.tool?.version ?? '' }, scannedAt: now.toISOString(), summary: r.summary.bySeverity, ...(r.summary.gateFailed !== undefined && { gateFailed: r.summary.gateFailed }) };
  }
  if (typeof r?.scannedAt === 'string' && typeof r.summary === 'object' && r.summary !== null) return input as Record<string, unknown>;
  throw new SignatureError('PREDICATE_ERROR', 'a scan predicate is a bosun JSON report (with summary.bySeverity) or {scannedAt, summary: {critical, high, …}}');
}

/** Writes the items as an OCI image layout; returns the refs (tag, or the manifest digest). */
export async function writeOciLayout(dir: string, items: readonly PushItem[]): Promise<string[]> {
  const blobs = join(dir, 'blobs', 'sha256');
  await mkdir(blobs, { recursive: true });
  const put = async (bytes: Buffer): Promise<string> => {
    const d = sha256Digest(bytes);
    await writeFile(join(blobs, d.slice('sha256:'.length)), bytes);
    return d;
  };
  const manifests: Array<Record<string, unknown>> = [];
  const refs: string[] = [];
  for (const item of items) {
    for (const b of item.blobs) await put(b);
    await put(item.manifest);
    const ref = item.tag ?? sha256Digest(item.manifest).replace(':', '-');
    refs.push(ref);
    manifests.push({ ...descriptor(item.mediaType, item.manifest), annotations: { 'org.opencontainers.image.ref.name': ref } });
  }
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }));
  return refs;
}
