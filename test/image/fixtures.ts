/** Hand-made tars and OCI layouts for bad-input and walker tests (the real images live in images.ts). */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, zstdCompressSync } from 'node:zlib';

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
