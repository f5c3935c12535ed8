/**
 * The layer walker: each layer is read once, as a stream, in order. Compression is recognised by
 * its magic bytes (gzip, zstd, or a plain tar), decompressed bytes are capped per layer (bombs)
 * and hashed against the config's diff ID, and every regular file is offered to the analyzers;
 * only wanted bodies are kept. Results are stored per path, so a later layer's file, whiteout
 * (`.wh.<name>`) or opaque marker (`.wh..wh..opq`) removes what lower layers said about it
 * (OCI image-spec layer.md "Whiteouts").
 */
import { createHash } from 'node:crypto';
import { lstat, opendir, open } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip, createZstdDecompress } from 'node:zlib';
import { BosunError } from '../core/errors.ts';
import type { InputError } from '../core/finding.ts';
import type { AnalysisResult, Analyzer } from './analyzers/types.ts';
import type { ImageSource } from './sources/types.ts';
import { TarReader, type TarHeader } from './tar.ts';
import type { LayerInfo } from './types.ts';

export const DEFAULT_WALK_LIMITS = {
  /** Decompressed bytes per layer (gzip/zstd bombs). */
  maxLayerBytes: 16 * 1024 * 1024 * 1024,
  /** Tar entries per layer. */
  maxEntries: 2_000_000,
  /**
   * Decompressed ÷ compressed bytes above which a layer is treated as a bomb, checked once more
   * than `ratioCheckAfterBytes` came out (real layers stay well under 50:1).
   */
  maxCompressionRatio: 500,
  ratioCheckAfterBytes: 256 * 1024 * 1024,
};

export type WalkLimits = typeof DEFAULT_WALK_LIMITS;

export interface StoredResult {
  analyzer: string;
  layer: number;
  path: string;
  result: AnalysisResult;
}

export interface LayerStats {
  index: number;
  digest?: string;
  diffId?: string;
  compression: 'gzip' | 'zstd' | 'none';
  compressedBytes: number;
  bytes: number;
  entries: number;
}

export interface WalkResult {
  /** Results visible in the final filesystem, in layer order. */
  results: StoredResult[];
  /** Results of `persistent` analyzers, from every layer whatever happened later. */
  persistent: StoredResult[];
  layers: LayerStats[];
  /** Unsafe entries (path traversal, links escaping the root): skipped and reported. */
  warnings: InputError[];
}

export interface WalkProgress {
  layer: number;
  layers: number;
  bytes: number;
}

export interface WalkOptions {
  limits?: Partial<WalkLimits>;
  onProgress?: (p: WalkProgress) => void;
  /** Check each layer's uncompressed digest against the config's diff IDs (default true). */
  verifyDiffIds?: boolean;
  /** Directory sources: directory names never descended into (`.git`, `node_modules`). */
  skipDirs?: string[];
}

/** `a/./b/../c` → `a/c`; undefined when `..` climbs above the root. Leading `/` and `./` are dropped. */
export function normalizeEntryPath(name: string): string | undefined {
  const out: string[] = [];
  for (const seg of name.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(seg);
  }
  return out.join('/');
}

/** Where a link target lands, relative to the root; undefined when it escapes. */
export function resolveLinkTarget(entryPath: string, target: string, hard: boolean): string | undefined {
  if (target.startsWith('/')) return normalizeEntryPath(target);
  const base = hard ? '' : entryPath.includes('/') ? entryPath.slice(0, entryPath.lastIndexOf('/')) : '';
  return normalizeEntryPath(base === '' ? target : `${base}/${target}`);
}

class ResultStore {
  byPath = new Map<string, StoredResult[]>();
  persistent: StoredResult[] = [];

  /** A new entry at `path` in `layer` hides what lower layers recorded there. */
  replace(path: string, layer: number): void {
    const list = this.byPath.get(path);
    if (list === undefined) return;
    const kept = list.filter((r) => r.layer >= layer);
    if (kept.length === 0) this.byPath.delete(path);
    else this.byPath.set(path, kept);
  }

  /** Whiteout: `path` and everything below it from lower layers is gone. */
  remove(path: string, layer: number, includeSelf: boolean): void {
    const prefix = path === '' ? '' : `${path}/`;
    for (const [p, list] of this.byPath) {
      if ((includeSelf && p === path) || p.startsWith(prefix)) {
        const kept = list.filter((r) => r.layer >= layer);
        if (kept.length === 0) this.byPath.delete(p);
        else this.byPath.set(p, kept);
      }
    }
  }

  add(r: StoredResult, persistent: boolean): void {
    if (persistent) {
      this.persistent.push(r);
      return;
    }
    const list = this.byPath.get(r.path);
    if (list === undefined) this.byPath.set(r.path, [r]);
    else list.push(r);
  }

  results(): StoredResult[] {
    return [...this.byPath.values()].flat().sort((a, b) => a.layer - b.layer || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}

function runAnalyzers(store: ResultStore, analyzers: Analyzer[], layer: number, path: string, mode: number, size: number, content: Buffer, truncatedToCap: boolean, warnings: InputError[], where: string): void {
  for (const a of analyzers) {
    const max = a.maxBytes;
    const body = content.length > max ? content.subarray(0, max) : content;
    let result: AnalysisResult | undefined;
    try {
      result = a.analyze({ path, mode, size, content: body, truncated: truncatedToCap || size > max });
    } catch (err) {
      if (!(err instanceof BosunError)) throw err;
      warnings.push({ code: err.code, file: `${where}:/${path}`, message: `${where}: /${path}: ${err.message}` });
      continue;
    }
    if (result !== undefined) store.add({ analyzer: a.name, layer, path, result }, a.persistent === true);
  }
}

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

function layerName(source: ImageSource, info: LayerInfo): string {
  return `${source.ref}: layer ${info.index + 1} (${info.diffId ?? info.digest ?? '?'})`;
}

/** Peeks at the first bytes to pick the decompressor; media types lie often enough (`tar` that is gzip). */
async function* decompress(chunks: AsyncIterable<Buffer>, onKind: (k: LayerStats['compression']) => void, onCompressed: (n: number) => void): AsyncGenerator<Buffer> {
  const it = chunks[Symbol.asyncIterator]();
  let first = await it.next();
  while (!first.done && first.value.length < 4) {
    const more = await it.next();
    if (more.done) break;
    first = { done: false, value: Buffer.concat([first.value, more.value]) };
  }
  if (first.done) return;
  const head = first.value;
  const kind = head[0] === 0x1f && head[1] === 0x8b ? 'gzip' : head.readUInt32LE(0) === 0xfd2fb528 ? 'zstd' : 'none';
  onKind(kind);
  async function* all(): AsyncGenerator<Buffer> {
    onCompressed(head.length);
    yield head;
    for (;;) {
      const n = await it.next();
      if (n.done) return;
      onCompressed(n.value.length);
      yield n.value;
    }
  }
  if (kind === 'none') {
    yield* all();
    return;
  }
  const inflater = kind === 'gzip' ? createGunzip({ chunkSize: 256 * 1024 }) : createZstdDecompress({ chunkSize: 256 * 1024 });
  const src = Readable.from(all());
  src.on('error', (err) => inflater.destroy(err));
  src.pipe(inflater);
  try {
    for await (const c of inflater) yield c as Buffer;
  } catch (err) {
    if (err instanceof BosunError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code === 'ENOENT') throw new BosunError('E_IMAGE_BLOB_MISSING', 'layer blob missing', { cause: err });
    throw new BosunError(code === 'Z_BUF_ERROR' ? 'E_LAYER_TRUNCATED' : 'E_LAYER_CORRUPT', `${kind} stream: ${(err as Error).message}`, { cause: err });
  } finally {
    src.destroy();
    inflater.destroy();
  }
}

async function walkLayer(source: ImageSource, info: LayerInfo, analyzers: Analyzer[], store: ResultStore, warnings: InputError[], opts: Required<Pick<WalkOptions, 'verifyDiffIds'>> & { limits: WalkLimits; onProgress?: WalkOptions['onProgress'] }, total: number): Promise<LayerStats> {
  const where = layerName(source, info);
  const stats: LayerStats = { index: info.index, compression: 'none', compressedBytes: 0, bytes: 0, entries: 0 };
  if (info.digest !== undefined) stats.digest = info.digest;
  if (info.diffId !== undefined) stats.diffId = info.diffId;
  const layer = info.index;
  let wanted: Analyzer[] = [];
  const reader = new TarReader({
    onHeader(h: TarHeader): number {
      wanted = [];
      const path = normalizeEntryPath(h.name);
      // Absolute names are taken relative to the root, as container runtimes unpack them;
      // names that climb out of it with `..` are hostile.
      if (path === undefined) {
        warnings.push({ code: 'E_TAR_UNSAFE_PATH', file: where, message: `${where}: entry "${h.name}" is outside the image root; skipped` });
        return 0;
      }
      if (path === '') return 0;
      const slash = path.lastIndexOf('/');
      const base = path.slice(slash + 1);
      if (base.startsWith(WHITEOUT)) {
        const dir = slash === -1 ? '' : path.slice(0, slash);
        if (base === OPAQUE) store.remove(dir, layer, false);
        else store.remove(`${dir === '' ? '' : `${dir}/`}${base.slice(WHITEOUT.length)}`, layer, true);
        return 0;
      }
      store.replace(path, layer);
      if (h.type === 'symlink' || h.type === 'hardlink') {
        if (resolveLinkTarget(path, h.linkname, h.type === 'hardlink') === undefined) {
          warnings.push({ code: 'E_TAR_LINK_ESCAPE', file: where, message: `${where}: ${h.type} /${path} → "${h.linkname}" points outside the image root; ignored` });
        }
        return 0;
      }
      // Directories, devices, fifos: nothing to analyse and nothing is ever created on disk.
      if (h.type !== 'file') return 0;
      let max = 0;
      for (const a of analyzers) {
        if (a.wants(path, h.mode, h.size)) {
          wanted.push(a);
          if (a.maxBytes > max) max = a.maxBytes;
        }
      }
      if (wanted.length > 0 && max === 0) {
        runAnalyzers(store, wanted, layer, path, h.mode, h.size, Buffer.alloc(0), false, warnings, where);
        wanted = [];
      }
      return wanted.length === 0 ? 0 : Math.min(max, h.size);
    },
    onBody(h: TarHeader, body: Buffer, cut: boolean): void {
      const path = normalizeEntryPath(h.name)!;
      runAnalyzers(store, wanted, layer, path, h.mode, h.size, body, cut, warnings, where);
      wanted = [];
    },
  });
  const hash = opts.verifyDiffIds && info.diffId?.startsWith('sha256:') ? createHash('sha256') : undefined;
  const chunks = decompress(source.openLayer(info.index), (k) => (stats.compression = k), (n) => (stats.compressedBytes += n));
  let lastReport = 0;
  try {
    for await (const chunk of chunks) {
      stats.bytes += chunk.length;
      if (stats.bytes > opts.limits.maxLayerBytes) {
        throw new BosunError('E_LAYER_TOO_LARGE', `decompresses to more than ${opts.limits.maxLayerBytes} bytes (limit; raise it with --max-layer-size)`);
      }
      if (stats.compression !== 'none' && stats.bytes > opts.limits.ratioCheckAfterBytes && stats.bytes > stats.compressedBytes * opts.limits.maxCompressionRatio) {
        throw new BosunError('E_LAYER_TOO_LARGE', `decompresses more than ${opts.limits.maxCompressionRatio} times its compressed size (a compression bomb?)`);
      }
      hash?.update(chunk);
      if (!reader.ended) reader.write(chunk);
      if (reader.entries > opts.limits.maxEntries) throw new BosunError('E_LAYER_TOO_LARGE', `more than ${opts.limits.maxEntries} entries`);
      if (opts.onProgress !== undefined && stats.bytes - lastReport > 8 * 1024 * 1024) {
        lastReport = stats.bytes;
        opts.onProgress({ layer: info.index, layers: total, bytes: stats.bytes });
      }
    }
    reader.end();
  } catch (err) {
    if (err instanceof BosunError) throw new BosunError(err.code, `${where}: ${err.message.replace(/^[^:]*: layer [^:]*: /, '')}`, { cause: err });
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new BosunError('E_IMAGE_BLOB_MISSING', `${where}: blob missing`, { cause: err });
    throw err;
  }
  stats.entries = reader.entries;
  if (hash !== undefined) {
    const got = `sha256:${hash.digest('hex')}`;
    if (got !== info.diffId) throw new BosunError('E_DIGEST_MISMATCH', `${where}: uncompressed content does not match the config's diff ID (got ${got})`);
  }
  return stats;
}

/** Walks a directory in place as a single layer: lstat only, symlinks never followed, special files skipped. */
async function walkDirectory(root: string, analyzers: Analyzer[], store: ResultStore, warnings: InputError[], where: string, skipDirs: ReadonlySet<string>): Promise<LayerStats> {
  const stats: LayerStats = { index: 0, compression: 'none', compressedBytes: 0, bytes: 0, entries: 0 };
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let handle;
    try {
      handle = await opendir(dir);
    } catch (err) {
      warnings.push({ code: 'E_READ', file: dir, message: `${where}: cannot read ${dir} (${(err as NodeJS.ErrnoException).code})` });
      continue;
    }
    const names: { name: string; dir: boolean; file: boolean }[] = [];
    for await (const d of handle) names.push({ name: d.name, dir: d.isDirectory(), file: d.isFile() });
    names.sort((a, b) => (a.name < b.name ? 1 : -1));
    for (const d of names) {
      const full = join(dir, d.name);
      stats.entries++;
      if (d.dir) {
        if (!skipDirs.has(d.name)) stack.push(full);
        continue;
      }
      if (!d.file) continue;
      const path = relative(root, full).split('\\').join('/');
      const st = await lstat(full);
      const wanted = analyzers.filter((a) => a.wants(path, st.mode, st.size));
      if (wanted.length === 0) continue;
      const max = Math.min(st.size, Math.max(...wanted.map((a) => a.maxBytes)));
      let content = Buffer.alloc(0);
      if (max > 0) {
        const fh = await open(full, 'r');
        try {
          content = Buffer.alloc(max);
          const { bytesRead } = await fh.read(content, 0, max, 0);
          content = content.subarray(0, bytesRead);
        } finally {
          await fh.close();
        }
      }
      stats.bytes += content.length;
      runAnalyzers(store, wanted, 0, path, st.mode, st.size, content, st.size > max, warnings, where);
    }
  }
  return stats;
}

export async function walkImage(source: ImageSource, analyzers: Analyzer[], options: WalkOptions = {}): Promise<WalkResult> {
  const limits = { ...DEFAULT_WALK_LIMITS, ...options.limits };
  const store = new ResultStore();
  const warnings: InputError[] = [];
  const layers: LayerStats[] = [];
  if (source.directory !== undefined) {
    layers.push(await walkDirectory(source.directory, analyzers, store, warnings, source.ref, new Set(options.skipDirs ?? [])));
  } else {
    for (const info of source.layers) {
      layers.push(await walkLayer(source, info, analyzers, store, warnings, { limits, verifyDiffIds: options.verifyDiffIds ?? true, ...(options.onProgress !== undefined && { onProgress: options.onProgress }) }, source.layers.length));
    }
  }
  return { results: store.results(), persistent: store.persistent, layers, warnings };
}

