/**
 * `docker-archive:FILE.tar[:REPO:TAG]`: `docker save` output, read in place. Both layouts carry
 * `manifest.json` ([{Config, RepoTags, Layers}]): the classic one names `<id>/layer.tar` and
 * `<hex>.json`, Docker 25+ writes an OCI layout inside the tar (`blobs/sha256/<hex>`). Blob names
 * that are digests are verified as they stream; every layer is also checked against its diff ID.
 */
import { createReadStream, existsSync } from 'node:fs';
import { BosunError } from '../../core/errors.ts';
import { digestOf, verifyDigest } from '../digest.ts';
import { layerInfos, MAX_METADATA_BYTES, parseJsonBlob } from './manifest.ts';
import { indexArchive, isOciArchive, openOciArchive } from './oci-archive.ts';
import { readMember, type TarMember } from './tar-index.ts';
import type { ImageSource, Platform } from './types.ts';
import type { ImageConfig } from '../types.ts';

interface ArchiveManifest {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

export function splitArchiveRef(spec: string): { file: string; name?: string } {
  if (existsSync(spec)) return { file: spec };
  const m = /^(.*?\.tar):(.+)$/.exec(spec);
  return m === null ? { file: spec } : { file: m[1]!, name: m[2]! };
}

function digestFromName(name: string): string | undefined {
  const m = /(?:^|\/)(?:blobs\/sha256\/)?([a-f0-9]{64})(?:\.json)?$/.exec(name);
  return m === null ? undefined : `sha256:${m[1]}`;
}

/**
 * A tar whatever wrote it: `docker save` output (manifest.json, also when Docker 25+ adds an OCI
 * layout beside it) or an OCI archive (oci-layout + index.json only).
 */
export async function openArchive(spec: string, platform: Platform, ref: string): Promise<ImageSource> {
  const { file, name } = splitArchiveRef(spec);
  const members = await indexArchive(file, ref);
  if (!members.has('manifest.json') && isOciArchive(members)) return openOciArchive(name === undefined ? file : `${file}:${name}`, platform, ref, members);
  return openDockerArchive(spec, ref, members);
}

export async function openDockerArchive(spec: string, ref = `docker-archive:${spec}`, indexed?: Map<string, TarMember>): Promise<ImageSource> {
  const { file, name } = splitArchiveRef(spec);
  const members = indexed ?? (await indexArchive(file, ref));
  const member = (n: string): TarMember => {
    const m = members.get(n.replace(/^\.\//, ''));
    if (m === undefined) throw new BosunError('E_IMAGE_BLOB_MISSING', `${ref}: ${n} missing from the archive`);
    return m;
  };
  const mf = members.get('manifest.json');
  if (mf === undefined) throw new BosunError('E_IMAGE_MANIFEST', `${ref}: no manifest.json (not a docker save archive)`);
  const entries = parseJsonBlob<ArchiveManifest[]>(await readMember(file, mf, MAX_METADATA_BYTES, ref), `${ref}: manifest.json`);
  if (!Array.isArray(entries) || entries.length === 0) throw new BosunError('E_IMAGE_MANIFEST', `${ref}: manifest.json lists no image`);
  let entry: ArchiveManifest | undefined;
  if (name !== undefined) entry = entries.find((e) => (e.RepoTags ?? []).some((t) => t === name || t === `docker.io/${name}`));
  else if (entries.length === 1) entry = entries[0];
  else throw new BosunError('E_USAGE', `${ref}: the archive holds ${entries.length} images; name one with :REPO:TAG (${entries.flatMap((e) => e.RepoTags ?? []).join(', ')})`);
  if (entry === undefined) throw new BosunError('E_IMAGE_NOT_FOUND', `${ref}: no image ${name} in the archive`);

  const configData = await readMember(file, member(entry.Config), MAX_METADATA_BYTES, ref);
  const configDigest = digestOf(configData);
  const named = digestFromName(entry.Config);
  if (named !== undefined && named !== configDigest) throw new BosunError('E_DIGEST_MISMATCH', `${ref}: config digest mismatch (expected ${named}, got ${configDigest})`);
  const config = parseJsonBlob<ImageConfig>(configData, `${ref}: config`);
  const layerMembers = entry.Layers.map(member);
  const blobDigests = entry.Layers.map((l) => (l.startsWith('blobs/') ? digestFromName(l) : undefined));
  const layers = layerInfos(
    entry.Layers.map((l, i) => ({ digest: blobDigests[i] ?? config.rootfs?.diff_ids?.[i] ?? l, size: layerMembers[i]!.size })),
    config,
    ref,
  );
  return {
    kind: 'docker-archive',
    ref,
    digest: configDigest,
    repoTags: entry.RepoTags ?? [],
    config,
    configDigest,
    layers,
    openLayer(i) {
      const m = layerMembers[i]!;
      const stream = createReadStream(file, { start: m.offset, end: m.offset + m.size - 1, highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>;
      const d = blobDigests[i];
      return d === undefined ? stream : verifyDigest(stream, d, `${ref}: layer ${entry.Layers[i]}`, m.size);
    },
    close: async () => {},
  };
}
