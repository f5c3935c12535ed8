/** Shared manifest handling: index → platform manifest → config → layers, every blob digest-checked. */
import { BosunError } from '../../core/errors.ts';
import { digestOf } from '../digest.ts';
import { selectPlatform } from '../platform.ts';
import type { ImageConfig, LayerInfo } from '../types.ts';
import { LAYER_MEDIA_TYPES, MEDIA, type Descriptor, type Index, type Manifest, type Platform } from './types.ts';

/** Manifests, indexes and configs are small: anything bigger is hostile. */
export const MAX_METADATA_BYTES = 8 * 1024 * 1024;

export function parseJsonBlob<T>(data: Buffer, what: string): T {
  try {
    return JSON.parse(data.toString('utf8')) as T;
  } catch (err) {
    throw new BosunError('E_IMAGE_MANIFEST', `${what}: not JSON (${(err as Error).message})`, { cause: err });
  }
}

export function checkBlob(data: Buffer, desc: { digest: string }, what: string): void {
  const got = digestOf(data, desc.digest.startsWith('sha512:') ? 'sha512' : 'sha256');
  if (got !== desc.digest) throw new BosunError('E_DIGEST_MISMATCH', `${what}: digest mismatch (expected ${desc.digest}, got ${got})`);
}

export function isIndex(mediaType: string | undefined, json: Record<string, unknown>): boolean {
  return mediaType === MEDIA.ociIndex || mediaType === MEDIA.dockerList || (mediaType === undefined && Array.isArray(json['manifests']));
}

export interface Resolved {
  manifestDigest: string;
  manifest: Manifest;
  config: ImageConfig;
  configDigest: string;
}

/**
 * Follows `desc` through nested indexes to one manifest for `platform`, then reads its config.
 * `fetch` returns a blob's bytes (already digest-verified or not: verified here again).
 */
export async function resolveImage(fetch: (d: Descriptor) => Promise<Buffer>, desc: Descriptor, platform: Platform, what: string): Promise<Resolved> {
  let current = desc;
  for (let depth = 0; depth < 4; depth++) {
    const data = await fetch(current);
    checkBlob(data, current, `${what}: manifest`);
    const json = parseJsonBlob<Record<string, unknown>>(data, `${what}: manifest ${current.digest}`);
    const mediaType = (json['mediaType'] as string | undefined) ?? current.mediaType;
    if (isIndex(mediaType, json)) {
      current = selectPlatform((json as unknown as Index).manifests ?? [], platform, what);
      continue;
    }
    if (mediaType !== MEDIA.ociManifest && mediaType !== MEDIA.dockerManifest && mediaType !== undefined) {
      throw new BosunError('E_IMAGE_MEDIA_TYPE', `${what}: unsupported manifest media type "${mediaType}"`);
    }
    const manifest = json as unknown as Manifest;
    if (manifest.config === undefined || !Array.isArray(manifest.layers)) throw new BosunError('E_IMAGE_MANIFEST', `${what}: manifest ${current.digest} has no config or layers`);
    for (const l of manifest.layers) {
      if (!LAYER_MEDIA_TYPES.has(l.mediaType)) throw new BosunError('E_IMAGE_MEDIA_TYPE', `${what}: layer ${l.digest} has unsupported media type "${l.mediaType}"`);
    }
    const configData = await fetch(manifest.config);
    checkBlob(configData, manifest.config, `${what}: config`);
    const config = parseJsonBlob<ImageConfig>(configData, `${what}: config`);
    return { manifestDigest: current.digest, manifest, config, configDigest: manifest.config.digest };
  }
  throw new BosunError('E_IMAGE_MANIFEST', `${what}: indexes nested too deeply`);
}

/** Layers in order with their diff IDs and the history line that created each. */
export function layerInfos(layers: { digest: string; mediaType?: string; size?: number }[], config: ImageConfig | undefined, what: string): LayerInfo[] {
  const diffIds = config?.rootfs?.diff_ids ?? [];
  if (config !== undefined && diffIds.length !== layers.length) {
    throw new BosunError('E_IMAGE_MANIFEST', `${what}: ${layers.length} layers but ${diffIds.length} diff IDs in the config`);
  }
  const createdBy = (config?.history ?? []).filter((h) => h.empty_layer !== true).map((h) => h.created_by ?? '');
  return layers.map((l, index) => {
    const info: LayerInfo = { index, digest: l.digest };
    if (l.mediaType !== undefined) info.mediaType = l.mediaType;
    if (l.size !== undefined) info.size = l.size;
    if (diffIds[index] !== undefined) info.diffId = diffIds[index];
    if (createdBy.length === layers.length && createdBy[index] !== '') info.createdBy = createdBy[index]!;
    return info;
  });
}
