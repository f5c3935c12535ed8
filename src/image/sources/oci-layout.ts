/**
 * `oci-layout:DIR[:TAG|@DIGEST]`: an OCI Image Layout directory (image-spec image-layout.md):
 * `oci-layout`, `index.json`, `blobs/<alg>/<hex>`. A tag selects the manifest annotated
 * `org.opencontainers.image.ref.name`; without one the layout must hold exactly one image.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BosunError } from '../../core/errors.ts';
import { parseDigest, verifyDigest } from '../digest.ts';
import { layerInfos, MAX_METADATA_BYTES, parseJsonBlob, resolveImage } from './manifest.ts';
import type { Descriptor, ImageSource, Index, Platform } from './types.ts';

const REF_NAME = 'org.opencontainers.image.ref.name';

export function splitLayoutRef(spec: string): { dir: string; tag?: string; digest?: string } {
  const at = spec.lastIndexOf('@');
  if (at > 0 && /^sha(256|512):/.test(spec.slice(at + 1))) return { dir: spec.slice(0, at), digest: spec.slice(at + 1) };
  const colon = spec.lastIndexOf(':');
  // A colon after the last slash separates the tag (paths may contain colons earlier).
  if (colon > spec.lastIndexOf('/') && colon > 0) return { dir: spec.slice(0, colon), tag: spec.slice(colon + 1) };
  return { dir: spec };
}

export function blobPath(dir: string, digest: string): string {
  const { algorithm, hex } = parseDigest(digest);
  return join(dir, 'blobs', algorithm, hex);
}

/** Where a layout's files come from: a directory, or the members of a tar (oci-archive.ts). */
export interface LayoutStore {
  /** What to call it in errors (`oci-layout:DIR`). */
  what: string;
  /** `index.json`, or undefined when there is none. */
  readIndex(): Promise<Buffer | undefined>;
  /** A small blob (manifest, index, config), at most MAX_METADATA_BYTES; BosunError when missing. */
  readBlob(d: Descriptor): Promise<Buffer>;
  /** A layer blob as stored, not yet verified. */
  streamBlob(digest: string): AsyncIterable<Buffer>;
}

function directoryStore(dir: string, ref: string): LayoutStore {
  return {
    what: ref,
    async readIndex() {
      return await readFile(join(dir, 'index.json')).catch(() => undefined);
    },
    async readBlob(d) {
      const p = blobPath(dir, d.digest);
      try {
        const s = await stat(p);
        if (s.size > MAX_METADATA_BYTES) throw new BosunError('E_IMAGE_MANIFEST', `${ref}: blob ${d.digest} is too large for a manifest or config (${s.size} bytes)`);
        return await readFile(p);
      } catch (err) {
        if (err instanceof BosunError) throw err;
        throw new BosunError('E_IMAGE_BLOB_MISSING', `${ref}: blob ${d.digest} missing from the layout`, { cause: err });
      }
    },
    streamBlob: (digest) => createReadStream(blobPath(dir, digest), { highWaterMark: 256 * 1024 }),
  };
}

export async function openOciLayout(spec: string, platform: Platform, ref = `oci-layout:${spec}`): Promise<ImageSource> {
  const { dir, tag, digest } = splitLayoutRef(spec);
  return openLayoutStore(directoryStore(dir, ref), { ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }) }, platform, 'oci-layout', `in ${dir}`);
}

/** Picks the image named by tag or digest from the layout's index.json and resolves it for `platform`. */
export async function openLayoutStore(store: LayoutStore, pick: { tag?: string; digest?: string }, platform: Platform, kind: ImageSource['kind'], where: string): Promise<ImageSource> {
  const ref = store.what;
  const { tag, digest } = pick;
  const indexData = await store.readIndex();
  if (indexData === undefined) throw new BosunError('E_IMAGE_NOT_FOUND', `${ref}: not an OCI image layout (no readable index.json ${where})`);
  const index = parseJsonBlob<Index>(indexData, `${ref}: index.json`);
  const manifests = index !== null && Array.isArray(index.manifests) ? index.manifests : [];
  let desc: Descriptor | undefined;
  if (digest !== undefined) desc = manifests.find((m) => m.digest === digest);
  else if (tag !== undefined) desc = manifests.find((m) => m.annotations?.[REF_NAME] === tag);
  else if (manifests.length === 1) desc = manifests[0];
  else if (manifests.length > 1) {
    const tags = manifests.map((m) => m.annotations?.[REF_NAME]).filter((t) => t !== undefined);
    throw new BosunError('E_USAGE', `${ref}: the layout holds ${manifests.length} images; name one with :TAG (${tags.join(', ')})`);
  }
  if (desc === undefined) throw new BosunError('E_IMAGE_NOT_FOUND', `${ref}: no image ${tag ?? digest ?? ''} in the layout`);
  const resolved = await resolveImage((d) => store.readBlob(d), desc, platform, ref);
  const layers = layerInfos(resolved.manifest.layers, resolved.config, ref);
  return {
    kind,
    ref,
    digest: resolved.manifestDigest,
    repoTags: tag === undefined ? [] : [tag],
    config: resolved.config,
    configDigest: resolved.configDigest,
    layers,
    openLayer(i) {
      const l = resolved.manifest.layers[i]!;
      return verifyDigest(store.streamBlob(l.digest), l.digest, `${ref}: layer ${l.digest}`, l.size);
    },
    close: async () => {},
  };
}
