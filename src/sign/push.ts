/**
 * Writing signatures to a registry (OCI distribution spec: push). `RegistryWriter` does the HTTP:
 * blob upload (`HEAD` to skip a blob the repository has, `POST /v2/<name>/blobs/uploads/` then
 * `PUT <location>?digest=`), manifest `GET`/`PUT` with the manifest's own Content-Type, with the
 * same authentication as the read client (src/image/sources/registry-auth.ts: `WWW-Authenticate` Basic, or a Bearer
 * token for `repository:<name>:pull,push`, by basic credentials or an identity token's
 * refresh-token grant; credentials from the options or Docker's config.json and its credential
 * helpers, looked up only when the registry asks) and the same retries on 429/5xx/network errors.
 *
 * `pushSignature` stores what `signImage` built, as cosign does:
 * - the referrer manifest (bundle v0.3 as its layer, subject = the signed manifest), pushed by
 *   digest. A registry with the referrers API indexes it by its subject (it answers the PUT with
 *   `OCI-Subject`, or `GET /v2/<name>/referrers/<digest>` answers 200); otherwise the referrers
 *   tag `sha256-<hex>` is read, the new descriptor added, and the index written back: entries
 *   already there (other signatures, SBOMs, …) are kept.
 * - with `legacy`, the `sha256-<hex>.sig` (`.att`) manifest: an existing one gets the new layer
 *   appended (config rebuilt from all layers, as cosign's append does); a signature layer for the
 *   same payload that already verifies with the same key is not added twice (cosign's duplicate
 *   detection).
 */
import { verify, type KeyObject } from 'node:crypto';
import { BosunError } from '../core/errors.ts';
import { RegistryAuth, type RegistryOptions } from '../image/sources/registry.ts';
import { apiHost, type ImageReference } from '../image/reference.ts';
import { sleep, withRetries } from '../image/sources/registry-retry.ts';
import { ANNOTATION, OCI_MANIFEST_MEDIA_TYPE, SIMPLE_SIGNING_MEDIA_TYPE, descriptor, legacyManifestOf, sha256Digest, type Descriptor } from './formats.ts';
import type { SignResult } from './sign.ts';

export const OCI_INDEX_MEDIA_TYPE = 'application/vnd.oci.image.index.v1+json';
const MANIFEST_ACCEPT = [OCI_INDEX_MEDIA_TYPE, OCI_MANIFEST_MEDIA_TYPE, 'application/vnd.docker.distribution.manifest.list.v2+json', 'application/vnd.docker.distribution.manifest.v2+json'].join(', ');
/** Manifests and indexes this large are not signature metadata. */
const MAX_MANIFEST = 4 * 1024 * 1024;


interface SendOptions {
  accept?: string;
  body?: Buffer;
  contentType?: string;
  /** Statuses returned to the caller instead of raising (e.g. 404 for "absent"). */
  expect?: readonly number[];
}

export class RegistryWriter {
  readonly ref: ImageReference;
  readonly base: string;
  #opts: RegistryOptions;
  #what: string;
  readonly #auth: RegistryAuth;

  constructor(ref: ImageReference, opts: RegistryOptions, what: string) {
    this.ref = ref;
    this.#opts = opts;
    this.#what = what;
    this.#auth = new RegistryAuth(ref, { ...opts, access: 'push' }, what);
    const insecure = opts.insecure === true || (Array.isArray(opts.insecure) && opts.insecure.includes(ref.registry));
    this.base = `${insecure ? 'http' : 'https'}://${apiHost(ref.registry)}`;
  }

  #timeout(): number {
    return this.#opts.timeoutMs ?? 60_000;
  }

  /** One request under the retry policy (registry-retry.ts); `path` is a path or an absolute URL (upload locations). */
  async send(method: string, path: string, o: SendOptions = {}): Promise<Response> {
    const url = new URL(path, this.base);
    const out = await withRetries(this.#auth, this.#opts, () => {
      const headers: Record<string, string> = {};
      if (o.accept !== undefined) headers['accept'] = o.accept;
      if (o.contentType !== undefined) headers['content-type'] = o.contentType;
      // Credentials go to the registry only, not to a storage backend an upload location may name.
      if (this.#auth.header !== undefined && url.origin === new URL(this.base).origin) headers['authorization'] = this.#auth.header;
      return fetch(url, { method, headers, ...(o.body !== undefined && { body: o.body }), redirect: 'follow', signal: AbortSignal.timeout(this.#timeout()) });
    });
    if ('failed' in out) throw new BosunError('E_REGISTRY', `${this.#what}: ${method} ${url.pathname} on ${this.ref.registry} failed after ${this.#opts.retries ?? 4} attempts: ${out.failed}`);
    const res = out.res;
    if (res.ok || o.expect?.includes(res.status) === true) return res;
    const detail = await errorDetail(res);
    if (res.status === 401 || res.status === 403) {
      throw this.#auth.refused(`${this.#what}: ${this.ref.registry} refused ${method} ${url.pathname} (HTTP ${res.status}${this.#auth.hasCredentials ? '' : ', no credentials'})${detail}`);
    }
    if (res.status === 404) throw new BosunError('E_IMAGE_NOT_FOUND', `${this.#what}: not found on ${this.ref.registry} (${url.pathname})`);
    throw new BosunError('E_REGISTRY', `${this.#what}: ${this.ref.registry} answered HTTP ${res.status} to ${method} ${url.pathname}${detail}`);
  }

  /** A manifest by tag or digest, or undefined when there is none. */
  async getManifest(reference: string, accept = MANIFEST_ACCEPT): Promise<{ data: Buffer; json: Record<string, unknown>; mediaType: string; digest: string } | undefined> {
    const res = await this.send('GET', `/v2/${this.ref.repository}/manifests/${reference}`, { accept, expect: [404] });
    if (res.status === 404) {
      await res.body?.cancel();
      return undefined;
    }
    const data = Buffer.from(await res.arrayBuffer());
    if (data.length > MAX_MANIFEST) throw new BosunError('E_IMAGE_MANIFEST', `${this.#what}: manifest ${reference} is ${data.length} bytes, too large`);
    const digest = sha256Digest(data);
    const stated = res.headers.get('docker-content-digest');
    if (stated !== null && stated.startsWith('sha256:') && stated !== digest) throw new BosunError('E_REGISTRY', `${this.#what}: registry digest ${stated} of ${reference} does not match the manifest bytes (${digest})`);
    if (reference.startsWith('sha256:') && reference !== digest) throw new BosunError('E_REGISTRY', `${this.#what}: the registry returned a manifest with digest ${digest} for ${reference}`);
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new BosunError('E_IMAGE_MANIFEST', `${this.#what}: manifest ${reference} is not JSON (${(err as Error).message})`, { cause: err });
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new BosunError('E_IMAGE_MANIFEST', `${this.#what}: manifest ${reference} is not a JSON object`);
    const mediaType = json['mediaType'];
    return { data, json, mediaType: typeof mediaType === 'string' ? mediaType : (res.headers.get('content-type')?.split(';')[0]?.trim() ?? OCI_MANIFEST_MEDIA_TYPE), digest };
  }

  async hasBlob(digest: string): Promise<boolean> {
    const res = await this.send('HEAD', `/v2/${this.ref.repository}/blobs/${digest}`, { expect: [404] });
    await res.body?.cancel();
    return res.status !== 404;
  }

  /** Uploads a blob unless the repository already has it; returns whether it was uploaded. */
  async putBlob(bytes: Buffer): Promise<boolean> {
    const digest = sha256Digest(bytes);
    if (await this.hasBlob(digest)) return false;
    const started = await this.send('POST', `/v2/${this.ref.repository}/blobs/uploads/`);
    await started.body?.cancel();
    const location = started.headers.get('location');
    if (location === null) throw new BosunError('E_REGISTRY', `${this.#what}: ${this.ref.registry} started an upload without a Location`);
    const url = new URL(location, this.base);
    url.searchParams.set('digest', digest);
    const done = await this.send('PUT', url.toString(), { body: bytes, contentType: 'application/octet-stream' });
    await done.body?.cancel();
    return true;
  }

  /** PUT a manifest; returns its digest and whether the registry indexed its subject (`OCI-Subject`). */
  async putManifest(reference: string, bytes: Buffer, mediaType: string): Promise<{ digest: string; subjectIndexed: boolean }> {
    const res = await this.send('PUT', `/v2/${this.ref.repository}/manifests/${reference}`, { body: bytes, contentType: mediaType });
    await res.body?.cancel();
    const digest = sha256Digest(bytes);
    const stated = res.headers.get('docker-content-digest');
    if (stated !== null && stated !== digest) throw new BosunError('E_REGISTRY', `${this.#what}: registry stored ${reference} as ${stated}, not as the pushed bytes ${digest}`);
    return { digest, subjectIndexed: res.headers.get('oci-subject') !== null };
  }

  /** Whether the registry serves the OCI 1.1 referrers API (200 with an index for any digest). */
  async hasReferrersApi(digest: string): Promise<boolean> {
    const res = await this.send('GET', `/v2/${this.ref.repository}/referrers/${digest}`, { accept: OCI_INDEX_MEDIA_TYPE, expect: [400, 404, 405] });
    await res.body?.cancel();
    return res.status === 200 && (res.headers.get('content-type') ?? '').startsWith(OCI_INDEX_MEDIA_TYPE);
  }
}

async function errorDetail(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { errors?: Array<{ code?: string; message?: string }> };
    const e = body.errors?.[0];
    return e === undefined ? '' : `: ${e.code ?? ''} ${e.message ?? ''}`.trimEnd();
  } catch {
    return '';
  }
}

export interface PushReport {
  /** Where each piece went: `referrer sha256:…`, `referrers tag sha256-…`, `sha256-….sig`. */
  wrote: string[];
  /** How the referrer is found: the registry's referrers API, or the referrers tag. */
  referrers: 'api' | 'tag';
}

/** Pushes the referrer (and, when built, the legacy layer) of `result` for the image in `writer.ref`'s repository. */
export async function pushSignature(writer: RegistryWriter, result: SignResult, signer: KeyObject): Promise<PushReport> {
  const wrote: string[] = [];
  const r = result.referrer;
  for (const b of r.blobs) await writer.putBlob(b);
  const put = await writer.putManifest(r.descriptor.digest, r.manifest, OCI_MANIFEST_MEDIA_TYPE);
  wrote.push(`referrer ${put.digest}`);
  let referrers: PushReport['referrers'] = 'api';
  if (!put.subjectIndexed && !(await writer.hasReferrersApi(result.digest))) {
    referrers = 'tag';
    const tag = result.digest.replace(':', '-');
    if (await mergeReferrersTag(writer, tag, r.descriptor)) wrote.push(`referrers tag ${tag}`);
  }
  if (result.legacy !== undefined) {
    const { tag, layer } = result.legacy;
    if (await appendLegacyLayer(writer, tag, layer, signer)) wrote.push(tag);
  }
  return { wrote, referrers };
}

/**
 * Read-modify-write without lost updates, as far as a registry allows: distribution has no
 * conditional PUT, so two signers writing at once can each store a version without the other's
 * entry. `once` reads, and writes when the entry is missing (returning how long its
 * read-to-write window took) or returns undefined when the entry is there. After each write the
 * tag is read again once every other writer that read before ours must have written (a few times
 * our own window), and written again while the entry is missing; each bosun writer doing the same,
 * the last version holds everyone's entries.
 */
async function converge(once: () => Promise<number | undefined>, failure: string): Promise<boolean> {
  let wrote = false;
  let last: unknown;
  for (let attempt = 0; attempt < 8; attempt++) {
    let window: number | undefined;
    try {
      window = await once();
      if (window === undefined) return wrote;
      wrote = true;
    } catch (err) {
      // A blob named by the manifest being committed by another writer at the same moment.
      if (!(err instanceof BosunError) || !/HTTP 400/.test(err.message)) throw err;
      last = err;
      window = 100;
    }
    await sleep(Math.max(200, 3 * window) + Math.random() * 200);
  }
  throw last ?? new BosunError('E_REGISTRY', failure);
}

/** Adds `entry` to the index at the referrers tag (a new index when there is none); false when it is already listed. */
export async function mergeReferrersTag(writer: RegistryWriter, tag: string, entry: Descriptor): Promise<boolean> {
  return converge(() => mergeOnce(writer, tag, entry), `${writer.ref.repository}:${tag}: the referrers index kept changing under concurrent writers; ${entry.digest} could not be added`);
}

/** One read-extend-write: undefined when the entry is listed, else the milliseconds from read to write. */
async function mergeOnce(writer: RegistryWriter, tag: string, entry: Descriptor): Promise<number | undefined> {
  const started = Date.now();
  // Any manifest type is accepted here, so that something else at this tag is seen (and kept) rather than missed.
  const existing = await writer.getManifest(tag);
  let index: { schemaVersion?: number; mediaType?: string; manifests?: Descriptor[]; [k: string]: unknown } = { schemaVersion: 2, mediaType: OCI_INDEX_MEDIA_TYPE, manifests: [] };
  if (existing !== undefined) {
    const parsed = existing.json as typeof index;
    if (parsed.mediaType !== OCI_INDEX_MEDIA_TYPE || !Array.isArray(parsed.manifests)) {
      throw new BosunError('E_REGISTRY', `${writer.ref.repository}:${tag} is a ${String(parsed.mediaType)}, not an OCI image index of referrers; not overwriting it`);
    }
    index = parsed;
  }
  if (index.manifests!.some((m) => m.digest === entry.digest)) return undefined;
  index.manifests!.push(entry);
  await writer.putManifest(tag, Buffer.from(JSON.stringify(index)), OCI_INDEX_MEDIA_TYPE);
  return Date.now() - started;
}

interface LayerDescriptor extends Descriptor {
  annotations?: Record<string, string>;
}

type LegacyLayerInput = { payload: Buffer; annotations: Record<string, string>; mediaType: string };

/**
 * Appends one signature layer to the legacy tag's manifest (read back and appended again while
 * missing, see `converge`); false when an equivalent signature is there.
 */
export async function appendLegacyLayer(writer: RegistryWriter, tag: string, layer: LegacyLayerInput, signer: KeyObject): Promise<boolean> {
  // The payload blob goes first, outside the read-to-write window.
  await writer.putBlob(layer.payload);
  return converge(() => appendOnce(writer, tag, layer, signer), `${writer.ref.repository}:${tag}: the signature manifest kept changing under concurrent writers; the signature could not be added`);
}

async function appendOnce(writer: RegistryWriter, tag: string, layer: LegacyLayerInput, signer: KeyObject): Promise<number | undefined> {
  const started = Date.now();
  const existing = await writer.getManifest(tag);
  let layers: LayerDescriptor[] = [];
  if (existing !== undefined) {
    const m = existing.json as { mediaType?: string; layers?: LayerDescriptor[]; config?: Descriptor };
    if (m.mediaType !== OCI_MANIFEST_MEDIA_TYPE || !Array.isArray(m.layers)) throw new BosunError('E_REGISTRY', `${writer.ref.repository}:${tag} is not an OCI signature manifest; not overwriting it`);
    layers = m.layers;
  }
  const payloadDigest = sha256Digest(layer.payload);
  const duplicate = layers.some((l) => {
    if (l.digest !== payloadDigest || (l.mediaType ?? '') !== layer.mediaType) return false;
    if (layer.mediaType !== SIMPLE_SIGNING_MEDIA_TYPE) return true; // same DSSE envelope bytes
    const sig = l.annotations?.[ANNOTATION.signature];
    return sig !== undefined && verify('sha256', layer.payload, signer, Buffer.from(sig, 'base64'));
  });
  if (duplicate) return undefined;
  // Stored descriptors are re-serialised in go-containerregistry's key order, as cosign's append does.
  const kept = layers.map(({ mediaType, size, digest, ...rest }) => ({ mediaType, size, digest, ...rest }));
  const { manifest, config } = legacyManifestOf([...kept, descriptor(layer.mediaType, layer.payload, layer.annotations)]);
  await writer.putBlob(config);
  await writer.putManifest(tag, manifest, OCI_MANIFEST_MEDIA_TYPE);
  return Date.now() - started;
}
