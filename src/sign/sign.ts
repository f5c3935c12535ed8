/**
 * `bosun sign` / `bosun attest`: builds everything cosign stores for a signature or an
 * attestation of one image manifest:
 * - the Sigstore bundle v0.3 (DSSE over an in-toto statement about the image, signed with the
 *   key, no transparency-log entry) and the OCI 1.1 referrer manifest that attaches it;
 * - with `legacy`, the layer for the `sha256-<hex>.sig` (or `.att`) manifest: simple-signing
 *   payload (or the DSSE envelope for attestations) with the signature annotation.
 * `pushSignature` (push.ts) stores them in the registry, merging with what is there.
 * `writeOciLayout` writes them instead as a standalone OCI image layout (tags as
 * `org.opencontainers.image.ref.name`; the referrers index and `.sig` hold only this signature).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { SignatureError } from './errors.ts';
import { join } from 'node:path';
import { createPublicKey, sign, type KeyObject } from 'node:crypto';
import {
  ANNOTATION, BUNDLE_V03_MEDIA_TYPE, COSIGN_SIGN_PREDICATE, IN_TOTO_PAYLOAD_TYPE, OCI_EMPTY_BLOB, OCI_MANIFEST_MEDIA_TYPE, SIMPLE_SIGNING_MEDIA_TYPE, descriptor, inTotoStatement, keyBundle,
  legacySignatureManifest, legacyTag, referrerManifest, sha256Digest, signDsse, simpleSigningPayload, type Descriptor,
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
  /** The OCI 1.1 referrer: manifest, its blobs (empty config, bundle), and its descriptor as a referrers index lists it. */
  referrer: { manifest: Buffer; descriptor: Descriptor; blobs: Buffer[] };
  /** With `legacy`: the layer to add to the `.sig`/`.att` manifest at `tag`. */
  legacy?: { tag: string; layer: { payload: Buffer; annotations: Record<string, string>; mediaType: string } };
  /** Everything as standalone manifests for an OCI layout (the referrers index and `.sig` hold only this signature). */
  items: PushItem[];
}

export function signImage(target: SignTarget, o: SignOptions): SignResult {
  const digest = target.manifest.digest;
  const predicateType = o.predicateType ?? COSIGN_SIGN_PREDICATE;
  const statement = inTotoStatement(target.repository, digest, predicateType, o.predicate ?? {});
  const envelope = signDsse(IN_TOTO_PAYLOAD_TYPE, statement, o.key);
  const publicKey = createPublicKey(o.key);
  const bundle = Buffer.from(JSON.stringify(keyBundle(envelope, publicKey)));
  const manifest = referrerManifest(bundle, target.manifest, predicateType, o.now ?? new Date());
  // A referrers index entry carries the referrer's artifactType and annotations (OCI distribution
  // spec 1.1, "Listing Referrers"), so a client can filter without fetching each manifest.
  const referrerDescriptor: Descriptor = { ...descriptor(OCI_MANIFEST_MEDIA_TYPE, manifest, (JSON.parse(manifest.toString()) as { annotations: Record<string, string> }).annotations), artifactType: BUNDLE_V03_MEDIA_TYPE };
  const referrer = { manifest, descriptor: referrerDescriptor, blobs: [OCI_EMPTY_BLOB, bundle] };
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX_MEDIA_TYPE, manifests: [referrerDescriptor] }));
  const items: PushItem[] = [{ manifest: index, mediaType: OCI_INDEX_MEDIA_TYPE, blobs: [OCI_EMPTY_BLOB, bundle, manifest], tag: digest.replace(':', '-') }];
  const result: SignResult = { digest, bundle, referrer, items };
  if (o.legacy === true) {
    result.legacy = legacyLayer(target, o, envelope);
    const { manifest: sigManifest, config } = legacySignatureManifest([result.legacy.layer]);
    items.push({ manifest: sigManifest, mediaType: OCI_MANIFEST_MEDIA_TYPE, blobs: [config, result.legacy.layer.payload], tag: result.legacy.tag });
  }
  return result;
}

function legacyLayer(target: SignTarget, o: SignOptions, envelope: ReturnType<typeof signDsse>): NonNullable<SignResult['legacy']> {
  const digest = target.manifest.digest;
  if (o.predicateType === undefined) {
    const payload = simpleSigningPayload(target.repository, digest, o.annotations);
    const signature = sign('sha256', payload, o.key).toString('base64');
    return { tag: legacyTag(digest, 'sig'), layer: { payload, annotations: { [ANNOTATION.signature]: signature }, mediaType: SIMPLE_SIGNING_MEDIA_TYPE } };
  }
  // cosign ≤ v2 attestations: the DSSE envelope as a layer of the `.att` manifest; the signature
  // annotation is empty because the signature lives inside the envelope.
  const payload = Buffer.from(JSON.stringify(envelope));
  return { tag: legacyTag(digest, 'att'), layer: { payload, annotations: { [ANNOTATION.signature]: '', predicateType: o.predicateType }, mediaType: 'application/vnd.dsse.envelope.v1+json' } };
}

/**
 * The predicate of a bosun scan attestation (`https://bosun.dev/attestation/scan/v1`):
 * `{scanner: {name, version}, scannedAt, summary: {critical, high, medium, low, info}, gateFailed?,
 * scanned: {digest, platform?}}`. `scanned` names what the report is about: the image manifest
 * digest that was scanned (the report's `image.digest`; for a multi-platform image, one platform's
 * manifest) and its platform (`os/arch[/variant]`, the report's `image.platform`). The webhook
 * counts a scan only for the manifest it names, so predicates from before `scanned` existed cover
 * nothing. Built from a bosun JSON report (its `summary.bySeverity`), or taken as is when
 * already in that shape.
 */
export function scanPredicate(input: unknown, now: Date): Record<string, unknown> {
  const r = input as { tool?: { name?: string; version?: string }; image?: { digest?: unknown; platform?: unknown }; summary?: { bySeverity?: Record<string, number>; gateFailed?: boolean }; scannedAt?: unknown; scanned?: { digest?: unknown } };
  if (r?.summary?.bySeverity !== undefined) {
    const digest = r.image?.digest;
    if (typeof digest !== 'string' || !digest.startsWith('sha256:')) throw new SignatureError('PREDICATE_ERROR', 'the report names no scanned image manifest (image.digest): scan the image from its registry or an OCI layout');
    const scanned = { digest, ...(typeof r.image?.platform === 'string' && { platform: r.image.platform }) };
    return { scanner: { name: r.tool?.name ?? 'bosun', version: r.tool?.version ?? '' }, scannedAt: now.toISOString(), summary: r.summary.bySeverity, ...(r.summary.gateFailed !== undefined && { gateFailed: r.summary.gateFailed }), scanned };
  }
  if (typeof r?.scannedAt === 'string' && typeof r.summary === 'object' && r.summary !== null) {
    if (typeof r.scanned?.digest !== 'string') throw new SignatureError('PREDICATE_ERROR', 'a scan predicate names the manifest it scanned: scanned: {digest, platform}');
    return input as Record<string, unknown>;
  }
  throw new SignatureError('PREDICATE_ERROR', 'a scan predicate is a bosun JSON report (with summary.bySeverity and image.digest) or {scannedAt, summary: {critical, high, …}, scanned: {digest, platform}}');
}

/** The manifest digest a scan predicate says was scanned (undefined for predicates without one). */
export function scannedDigest(predicate: unknown): string | undefined {
  const d = (predicate as { scanned?: { digest?: unknown } } | null)?.scanned?.digest;
  return typeof d === 'string' ? d : undefined;
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
