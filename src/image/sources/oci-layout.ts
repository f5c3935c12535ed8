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

async function readBlob(dir: string, d: Descriptor, what: string): Promise<Buffer> {
  const p = blobPath(dir, d.digest);
  try {
    const s = await stat(p);
    if (s.size > MAX_METADATA_BYTES) throw new BosunError('E_IMAGE_MANIFEST', `${what}: blob ${d.digest} is too large for a manifest or config (${s.size} bytes)`);
    return await readFile(p);
  } catch (err) {
    if (err instanceof BosunError) throw err;
    throw new BosunError('E_IMAGE_BLOB_MISSING', `${what}: blob ${d.digest} missing from the layout`, { cause: err });
  }
}

export async function openOciLayout(spec: string, platform: Platform, ref = `oci-layout:${spec}`): Promise<ImageSource> {
  const { dir, tag, digest } = splitLayoutRef(spec);
  let index: Index;
  try {
    index = parseJsonBlob<Index>(await readFile(join(dir, 'index.json')), `${ref}: index.json`);
  } catch (err) {
    if (err instanceof BosunError) throw err;
    throw new BosunError('E_IMAGE_NOT_FOUND', `${ref}: not an OCI image layout (no readable index.json in ${dir})`, { cause: err });
  }
  const manifests = Array.isArray(index.manifests) ? index.manifests : [];
  let desc: Descriptor | undefined;
  if (digest !== undefined) desc = manifests.find((m) => m.digest === digest);
  else if (tag !== undefined) desc = manifests.find((m) => m.annotations?.[REF_NAME] === tag);
  else if (manifests.length === 1) desc = manifests[0];
  else if (manifests.length > 1) {
    const tags = manifests.map((m) => m.annotations?.[REF_NAME]).filter((t) => t !== undefined);
    throw new BosunError('E_USAGE', `${ref}: the layout holds ${manifests.length} images; name one with :TAG (${tags.join(', ')})`);
  }
  if (desc === undefined) throw new BosunError('E_IMAGE_NOT_FOUND', `${ref}: no image ${tag ?? digest ?? ''} in the layout`);
  const resolved = await resolveImage((d) => readBlob(dir, d, ref), desc, platform, ref);
  const layers = layerInfos(resolved.manifest.layers, resolved.config, ref);
  return {
    kind: 'oci-layout',
    ref,
    digest: resolved.manifestDigest,
    repoTags: tag === undefined ? [] : [tag],
    config: resolved.config,
    configDigest: resolved.configDigest,
    layers,
    openLayer(i) {
      const l = resolved.manifest.layers[i]!;
      return verifyDigest(createReadStream(blobPath(dir, l.digest), { highWaterMark: 256 * 1024 }), l.digest, `${ref}: layer ${l.digest}`, l.size);
    },
    close: async () => {},
  };
}
