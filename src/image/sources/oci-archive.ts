/**
 * `oci-archive:FILE.tar[:TAG]`: an OCI image layout packed in a tar, as `skopeo copy … oci-archive:`
 * writes it (`oci-layout`, `index.json`, `blobs/<alg>/<hex>` as members). Read in place: the tar's
 * headers are indexed once and every blob is a byte range of the file, so nothing is unpacked.
 * Members whose names are absolute or climb out with `..` make the archive hostile and refused,
 * as are blob members that are not regular files (links could alias another member).
 */
import { createReadStream } from 'node:fs';
import { BosunError } from '../../core/errors.ts';
import { parseDigest } from '../digest.ts';
import { MAX_METADATA_BYTES } from './manifest.ts';
import { openLayoutStore, type LayoutStore } from './oci-layout.ts';
import { indexTarFile, readMember, type TarMember } from './tar-index.ts';
import type { ImageSource, Platform } from './types.ts';

export function splitArchiveSpec(spec: string): { file: string; tag?: string } {
  const m = /^(.*?\.tar):([^/]+)$/.exec(spec);
  return m === null ? { file: spec } : { file: m[1]!, tag: m[2]! };
}

/** Refuses names that leave the archive's root; returns the name without a leading `./`. */
export function checkMemberName(name: string, what: string): string {
  const segs = name.split('/');
  if (name.startsWith('/') || segs.includes('..')) throw new BosunError('E_TAR_UNSAFE_PATH', `${what}: member "${name.slice(0, 200)}" is outside the archive root; refusing the archive`);
  return segs.filter((s) => s !== '' && s !== '.').join('/');
}

/** Indexes the archive's members, refusing unsafe names. */
export async function indexArchive(file: string, what: string): Promise<Map<string, TarMember>> {
  const raw = await indexTarFile(file, what);
  const out = new Map<string, TarMember>();
  for (const [name, m] of raw) {
    const clean = checkMemberName(name, what);
    if (clean !== '') out.set(clean, m);
  }
  return out;
}

export function isOciArchive(members: Map<string, TarMember>): boolean {
  return members.has('oci-layout') && members.has('index.json');
}

export function archiveStore(file: string, members: Map<string, TarMember>, what: string): LayoutStore {
  const blob = (digest: string): TarMember => {
    const { algorithm, hex } = parseDigest(digest);
    const m = members.get(`blobs/${algorithm}/${hex}`);
    if (m === undefined) throw new BosunError('E_IMAGE_BLOB_MISSING', `${what}: blob ${digest} missing from the archive`);
    if (m.type !== 'file') throw new BosunError('E_IMAGE_CORRUPT', `${what}: blob ${digest} is not a regular file in the archive (a ${m.type})`);
    return m;
  };
  return {
    what,
    async readIndex() {
      const m = members.get('index.json');
      return m === undefined || m.type !== 'file' ? undefined : await readMember(file, m, MAX_METADATA_BYTES, `${what}: index.json`);
    },
    async readBlob(d) {
      const m = blob(d.digest);
      if (m.size > MAX_METADATA_BYTES) throw new BosunError('E_IMAGE_MANIFEST', `${what}: blob ${d.digest} is too large for a manifest or config (${m.size} bytes)`);
      return await readMember(file, m, MAX_METADATA_BYTES, what);
    },
    streamBlob(digest) {
      const m = blob(digest);
      if (m.size === 0) return (async function* () {})();
      return createReadStream(file, { start: m.offset, end: m.offset + m.size - 1, highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>;
    },
  };
}

export async function openOciArchive(spec: string, platform: Platform, ref = `oci-archive:${spec}`, members?: Map<string, TarMember>): Promise<ImageSource> {
  const { file, tag } = splitArchiveSpec(spec);
  const index = members ?? (await indexArchive(file, ref));
  if (!isOciArchive(index)) throw new BosunError('E_IMAGE_NOT_FOUND', `${ref}: not an OCI archive (no oci-layout and index.json in ${file})`);
  return openLayoutStore(archiveStore(file, index, ref), tag === undefined ? {} : { tag }, platform, 'oci-archive', `in ${file}`);
}
