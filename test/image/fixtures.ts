/** Hand-made tars and OCI layouts for bad-input and walker tests (the real images live in images.ts). */
import '../hermetic.ts';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync, gzipSync, zstdCompressSync } from 'node:zlib';

export interface TarEntry {
  name: string;
  type?: '0' | '1' | '2' | '3' | '5' | 'x';
  body?: string | Buffer;
  mode?: number;
  linkname?: string;
  /** Header size field override (for truncation tests). */
  size?: number;
}

function octal(n: number, len: number): string {
  return n.toString(8).padStart(len - 1, '0') + '\0';
}

export function tarHeader(e: TarEntry, bodyLen: number): Buffer {
  const h = Buffer.alloc(512);
  h.write(e.name.slice(0, 100), 0, 'utf8');
  h.write(octal(e.mode ?? (e.type === '5' ? 0o755 : 0o644), 8), 100);
  h.write(octal(0, 8), 108);
  h.write(octal(0, 8), 116);
  h.write(octal(e.size ?? bodyLen, 12), 124);
  h.write(octal(0, 12), 136);
  h.write('        ', 148);
  h.write(e.type ?? '0', 156);
  if (e.linkname !== undefined) h.write(e.linkname, 157);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + ' ', 148);
  return h;
}

export function makeTar(entries: TarEntry[], end = true): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const body = e.body === undefined ? Buffer.alloc(0) : Buffer.from(e.body);
    parts.push(tarHeader(e, body.length), body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  if (end) parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

export interface LayoutOptions {
  compression?: 'gzip' | 'zstd' | 'none';
  config?: Record<string, unknown>;
  layerMediaType?: string;
  /** Break the diff IDs in the config. */
  badDiffId?: boolean;
}

/** Writes an OCI layout with one image (tag `t`) whose layers are the given tars. */
export function writeLayout(dir: string, layers: Buffer[], opts: LayoutOptions = {}): void {
  mkdirSync(join(dir, 'blobs/sha256'), { recursive: true });
  const put = (b: Buffer) => {
    const d = sha(b);
    writeFileSync(join(dir, 'blobs/sha256', d.slice(7)), b);
    return d;
  };
  const comp = opts.compression ?? 'gzip';
  const descs = layers.map((tar) => {
    const blob = comp === 'gzip' ? gzipSync(tar) : comp === 'zstd' ? zstdCompressSync(tar) : tar;
    const mediaType = opts.layerMediaType ?? `application/vnd.oci.image.layer.v1.tar${comp === 'none' ? '' : comp === 'gzip' ? '+gzip' : '+zstd'}`;
    return { mediaType, digest: put(blob), size: blob.length };
  });
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, ...opts.config, rootfs: { type: 'layers', diff_ids: layers.map((t) => (opts.badDiffId ? sha(Buffer.from('x')) : sha(t))) } }));
  const cd = put(config);
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: cd, size: config.length }, layers: descs }));
  const md = put(manifest);
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: md, size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': 't' } }] }));
}

/** A zip archive (APPNOTE: local headers, central directory, end record); entries deflated. */
export function makeZip(entries: { name: string; body: string | Buffer; store?: boolean }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = Buffer.from(e.body);
    const comp = e.store === true ? data : deflateRawSync(data);
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.store === true ? 0 : 8, 8);
    local.writeUInt32LE(comp.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(e.store === true ? 0 : 8, 10);
    central.writeUInt32LE(comp.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, comp);
    centrals.push(central, name);
    offset += 30 + name.length + comp.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** A minimal 64-bit little-endian ELF with one named section (and the section-name table). */
export function makeElfWithSection(name: string, data: Buffer, padTo = 70 * 1024): Buffer {
  const shstr = Buffer.from(`\0${name}\0.shstrtab\0`);
  const dataOff = 64;
  const strOff = dataOff + data.length;
  const shoff = Math.ceil((strOff + shstr.length) / 8) * 8;
  const total = Math.max(shoff + 3 * 64, padTo);
  const b = Buffer.alloc(total);
  b.writeUInt32BE(0x7f454c46, 0);
  b[4] = 2;
  b[5] = 1;
  b[6] = 1;
  b.writeBigUInt64LE(BigInt(shoff), 0x28);
  b.writeUInt16LE(64, 0x34);
  b.writeUInt16LE(64, 0x3a);
  b.writeUInt16LE(3, 0x3c);
  b.writeUInt16LE(2, 0x3e);
  data.copy(b, dataOff);
  shstr.copy(b, strOff);
  const sh = (i: number, nameOff: number, off: number, size: number) => {
    const base = shoff + i * 64;
    b.writeUInt32LE(nameOff, base);
    b.writeUInt32LE(1, base + 4);
    b.writeBigUInt64LE(BigInt(off), base + 0x18);
    b.writeBigUInt64LE(BigInt(size), base + 0x20);
  };
  sh(1, 1, dataOff, data.length);
  sh(2, 2 + name.length, strOff, shstr.length);
  return b;
}

/** An OCI layout whose tag `t` is an index of per-platform images (one gzip layer each). */
export function writeMultiPlatformLayout(dir: string, images: { platform: { os: string; architecture: string; variant?: string }; layer: Buffer }[]): void {
  mkdirSync(join(dir, 'blobs/sha256'), { recursive: true });
  const put = (b: Buffer) => {
    const d = sha(b);
    writeFileSync(join(dir, 'blobs/sha256', d.slice(7)), b);
    return d;
  };
  const manifests = images.map(({ platform, layer }) => {
    const blob = gzipSync(layer);
    const config = Buffer.from(JSON.stringify({ architecture: platform.architecture, os: platform.os, ...(platform.variant !== undefined && { variant: platform.variant }), config: {}, rootfs: { type: 'layers', diff_ids: [sha(layer)] } }));
    const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: put(config), size: config.length }, layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: put(blob), size: blob.length }] }));
    return { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: put(manifest), size: manifest.length, platform };
  });
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }));
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: put(index), size: index.length, annotations: { 'org.opencontainers.image.ref.name': 't' } }] }));
}

/** `docker save` output as Docker 25+ writes it: an OCI layout plus manifest.json, in one tar. */
export function writeDockerArchiveOci(file: string, layers: Buffer[], repoTag: string): void {
  const entries: TarEntry[] = [];
  const blob = (b: Buffer) => {
    const d = sha(b);
    entries.push({ name: `blobs/sha256/${d.slice(7)}`, body: b });
    return d;
  };
  const layerDigests = layers.map(blob);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { User: 'app' }, rootfs: { type: 'layers', diff_ids: layers.map(sha) } }));
  const cd = blob(config);
  entries.push({ name: 'manifest.json', body: JSON.stringify([{ Config: `blobs/sha256/${cd.slice(7)}`, RepoTags: [repoTag], Layers: layerDigests.map((d) => `blobs/sha256/${d.slice(7)}`) }]) });
  entries.push({ name: 'oci-layout', body: '{"imageLayoutVersion":"1.0.0"}' });
  writeFileSync(file, makeTar(entries));
}
