/**
 * Pulling from a registry with the OCI distribution API (distribution-spec: `GET /v2/<name>/
 * manifests/<ref>`, `GET /v2/<name>/blobs/<digest>`). Authentication follows the
 * `WWW-Authenticate` challenge: `Bearer realm=…,service=…,scope=…` → a token from the realm
 * (with basic credentials when known; Docker's token spec), or `Basic`. Credentials come from the
 * options, else the Docker config (`credHelpers`, `credsStore`, `auths`: docker-credentials.ts),
 * looked up only once the registry asks for them. An identity token is exchanged at the realm
 * with the OAuth2 refresh-token grant (Docker's token spec, oauth.md). 429 and 5xx answers and
 * network failures are retried with exponential backoff; a request that hangs times out.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { BosunError } from '../../core/errors.ts';
import { BlobCache } from '../blob-cache.ts';
import { digestOf, verifyDigest } from '../digest.ts';
import { apiHost, formatReference, parseReference, type ImageReference } from '../reference.ts';
import type { Credentials } from './docker-credentials.ts';
import { RegistryAuth } from './registry-auth.ts';
import { withRetries } from './registry-retry.ts';
import { layerInfos, MAX_METADATA_BYTES, resolveImage } from './manifest.ts';
import { MEDIA, type Descriptor, type ImageSource, type Platform } from './types.ts';

export type { Credentials } from './docker-credentials.ts';
export { dockerConfigCredentials } from './docker-credentials.ts';
export { parseChallenge, RegistryAuth } from './registry-auth.ts';

export interface RegistryOptions {
  /** Use plain HTTP for these registries (or all, with `true`). */
  insecure?: boolean | string[];
  credentials?: Credentials;
  /** Path of a Docker config.json; default `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`. */
  dockerConfig?: string;
  cache?: BlobCache;
  /** Attempts per request (default 4) and the first backoff delay in ms (default 500, doubled each time). */
  retries?: number;
  backoffMs?: number;
  /** Milliseconds without progress before a request is abandoned (default 60 s). */
  timeoutMs?: number;
  onDownload?: (p: { digest: string; bytes: number; total?: number }) => void;
}

const MANIFEST_ACCEPT = [MEDIA.ociIndex, MEDIA.ociManifest, MEDIA.dockerList, MEDIA.dockerManifest].join(', ');

export class RegistryClient {
  readonly ref: ImageReference;
  readonly base: string;
  #opts: RegistryOptions;
  readonly #auth: RegistryAuth;
  #what: string;

  constructor(ref: ImageReference, opts: RegistryOptions, what: string) {
    this.ref = ref;
    this.#opts = opts;
    this.#what = what;
    this.#auth = new RegistryAuth(ref, { ...opts, loginHint: '--username/--password or docker login' }, what);
    const insecure = opts.insecure === true || (Array.isArray(opts.insecure) && opts.insecure.includes(ref.registry));
    this.base = `${insecure ? 'http' : 'https'}://${apiHost(ref.registry)}`;
  }

  /** One request under the retry policy (registry-retry.ts), with a stall timeout. */
  async request(path: string, accept?: string): Promise<Response> {
    const out = await withRetries(this.#auth, this.#opts, () => this.#fetch(`${this.base}${path}`, accept));
    if ('failed' in out) throw new BosunError('E_REGISTRY', `${this.#what}: ${this.ref.registry} failed after ${this.#opts.retries ?? 4} attempts: ${out.failed}`);
    const res = out.res;
    if (res.ok) return res;
    await res.body?.cancel();
    if (res.status === 401 || res.status === 403) throw this.#auth.refused(`${this.#what}: ${this.ref.registry} refused access (HTTP ${res.status}${this.#auth.hasCredentials ? '' : ', no credentials'})`);
    if (res.status === 404) throw new BosunError('E_IMAGE_NOT_FOUND', `${this.#what}: not found on ${this.ref.registry} (${path})`);
    throw new BosunError('E_REGISTRY', `${this.#what}: ${this.ref.registry} answered HTTP ${res.status} for ${path}`);
  }

  #timeout(): number {
    return this.#opts.timeoutMs ?? 60_000;
  }

  #fetch(url: string, accept?: string): Promise<Response> {
    const headers: Record<string, string> = {};
    if (accept !== undefined) headers['accept'] = accept;
    if (this.#auth.header !== undefined) headers['authorization'] = this.#auth.header;
    return fetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(this.#timeout()) });
  }

  async readSmall(path: string, accept?: string): Promise<{ data: Buffer; contentType: string | null; digest: string | null }> {
    const res = await this.request(path, accept);
    const len = Number(res.headers.get('content-length') ?? '0');
    if (len > MAX_METADATA_BYTES) {
      await res.body?.cancel();
      throw new BosunError('E_IMAGE_MANIFEST', `${this.#what}: ${path} is ${len} bytes, too large for a manifest`);
    }
    const data = Buffer.from(await res.arrayBuffer());
    if (data.length > MAX_METADATA_BYTES) throw new BosunError('E_IMAGE_MANIFEST', `${this.#what}: ${path} is too large for a manifest`);
    return { data, contentType: res.headers.get('content-type'), digest: res.headers.get('docker-content-digest') };
  }

  /** Streams a blob body, abandoning it when no byte arrives for the timeout. */
  async *blob(digest: string): AsyncGenerator<Buffer> {
    const res = await this.request(`/v2/${this.ref.repository}/blobs/${digest}`);
    if (res.body === null) return;
    const reader = res.body.getReader();
    const timeout = this.#timeout();
    try {
      for (;;) {
        let timer: NodeJS.Timeout | undefined;
        const stall = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new BosunError('E_REGISTRY', `${this.#what}: blob ${digest} stalled for ${timeout} ms`)), timeout);
        });
        let r: Awaited<ReturnType<typeof reader.read>>;
        try {
          r = await Promise.race([reader.read(), stall]);
        } catch (err) {
          if (err instanceof BosunError) throw err;
          throw new BosunError('E_REGISTRY', `${this.#what}: blob ${digest} download failed (${(err as Error).message})`, { cause: err });
        } finally {
          clearTimeout(timer);
        }
        if (r.done) return;
        yield Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
      }
    } finally {
      await reader.cancel().catch(() => {});
    }
  }
}

export async function openRegistryImage(refText: string, platform: Platform, opts: RegistryOptions = {}): Promise<ImageSource> {
  const ref = parseReference(refText);
  const what = refText;
  const client = new RegistryClient(ref, opts, what);
  const cache = opts.cache ?? new BlobCache();
  const top = await client.readSmall(`/v2/${ref.repository}/manifests/${ref.digest ?? ref.tag}`, MANIFEST_ACCEPT);
  const topDigest = ref.digest ?? top.digest ?? undefined;
  const contentType = top.contentType?.split(';')[0]?.trim();
  const topDesc: Descriptor = { mediaType: contentType ?? MEDIA.ociManifest, digest: topDigest ?? '', size: top.data.length };
  const resolved = await resolveImage(
    async (d) => {
      if (d === topDesc) return top.data;
      if (d.mediaType === MEDIA.ociConfig || d.mediaType === MEDIA.dockerConfig || d.mediaType.includes('config')) return await fetchCachedBlob(client, cache, d, what);
      return (await client.readSmall(`/v2/${ref.repository}/manifests/${d.digest}`, MANIFEST_ACCEPT)).data;
    },
    topDigest === undefined ? { ...topDesc, digest: digestOf(top.data) } : topDesc,
    platform,
    what,
  );
  const layers = layerInfos(resolved.manifest.layers, resolved.config, what);
  return {
    kind: 'registry',
    ref: refText,
    digest: resolved.manifestDigest,
    repoTags: [formatReference(ref.tag === undefined ? ref : { registry: ref.registry, repository: ref.repository, tag: ref.tag })],
    config: resolved.config,
    configDigest: resolved.configDigest,
    layers,
    async *openLayer(i) {
      const d = resolved.manifest.layers[i]!;
      if (!(await cache.has(d.digest, d.size))) {
        let bytes = 0;
        const progress = async function* (chunks: AsyncIterable<Buffer>) {
          for await (const c of chunks) {
            bytes += c.length;
            opts.onDownload?.({ digest: d.digest, bytes, total: d.size });
            yield c;
          }
        };
        await cache.put(d.digest, progress(client.blob(d.digest)), `${what}: layer ${d.digest}`, d.size);
      }
      yield* verifyDigest(createReadStream(cache.path(d.digest), { highWaterMark: 256 * 1024 }), d.digest, `${what}: cached layer ${d.digest}`, d.size);
    },
    close: async () => {},
  };
}


async function fetchCachedBlob(client: RegistryClient, cache: BlobCache, d: Descriptor, what: string): Promise<Buffer> {
  if (d.size > MAX_METADATA_BYTES) throw new BosunError('E_IMAGE_MANIFEST', `${what}: config blob of ${d.size} bytes`);
  if (!(await cache.has(d.digest))) await cache.put(d.digest, client.blob(d.digest), `${what}: config ${d.digest}`, d.size);
  return await readFile(cache.path(d.digest));
}
