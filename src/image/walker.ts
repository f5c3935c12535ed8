/**
 * The layer walker: each layer is read once, as a stream, in order. Compression is recognised by
 * its magic bytes (gzip, zstd, or a plain tar), decompressed bytes are capped per layer (bombs)
 * and hashed against the config's diff ID, and every regular file is offered to the analyzers;
 * only wanted bodies are kept. Results are stored per path, so a later layer's file, whiteout
 * (`.wh.<name>`) or opaque marker (`.wh..wh..opq`) removes what lower layers said about it
 * (OCI image-spec layer.md "Whiteouts"). What a layer does to the results is also kept as a log
 * (`LayerEvent`) that the layer cache stores and replays instead of reading the layer. Hardlinks
 * are analysed with their target's content; reading a layer again for that happens only when an
 * analyzer still needs a target's body (docs/images.md).
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
import { TarReader, type TarHandler, type TarHeader } from './tar.ts';
import type { LayerInfo } from './types.ts';
import { analyzerSetKey, chainIds, type LayerCache } from './layer-cache.ts';
import { PathTable } from './path-table.ts';

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
  /** Results came from the layer cache; the blob was not read in this scan. */
  cached?: boolean;
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
  /** Reuse and store per-layer results (layer-cache.ts); layers are then read only when not cached. */
  layerCache?: LayerCache;
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

  /** A new entry at `path` in `layer` hides what lower layers recorded there; true when it did. */
  replace(path: string, layer: number): boolean {
    const list = this.byPath.get(path);
    if (list === undefined) return false;
    const kept = list.filter((r) => r.layer >= layer);
    if (kept.length === list.length) return false;
    if (kept.length === 0) this.byPath.delete(path);
    else this.byPath.set(path, kept);
    return true;
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

/**
 * What one layer did to the result store, in order: the layer cache stores it and replays it.
 * A `replace` is logged only when it hid something, which is exact because a log is replayed
 * only on top of the same lower layers (its cache key is the chain ID).
 */
export type LayerEvent =
  | { op: 'replace'; path: string }
  | { op: 'remove'; path: string; self: boolean }
  | { op: 'add'; analyzer: string; path: string; result: AnalysisResult; persistent: boolean };

class LayerLog {
  readonly events: LayerEvent[] = [];
  readonly store: ResultStore;
  readonly layer: number;
  constructor(store: ResultStore, layer: number) {
    this.store = store;
    this.layer = layer;
  }
  replace(path: string): void {
    if (this.store.replace(path, this.layer)) this.events.push({ op: 'replace', path });
  }
  remove(path: string, self: boolean): void {
    this.store.remove(path, this.layer, self);
    this.events.push({ op: 'remove', path, self });
  }
  add(analyzer: string, path: string, result: AnalysisResult, persistent: boolean): void {
    this.store.add({ analyzer, layer: this.layer, path, result }, persistent);
    this.events.push({ op: 'add', analyzer, path, result, persistent });
  }
}

function replayLayer(store: ResultStore, layer: number, events: readonly LayerEvent[]): void {
  for (const e of events) {
    if (e.op === 'replace') store.replace(e.path, layer);
    else if (e.op === 'remove') store.remove(e.path, layer, e.self);
    else store.add({ analyzer: e.analyzer, layer, path: e.path, result: e.result }, e.persistent);
  }
}

/**
 * Runs `analyzers` on one file. Returns the bit set (by position in `all`) of those that
 * looked and found nothing, so a hardlink to this file can skip them.
 */
function runAnalyzers(log: LayerLog, analyzers: Analyzer[], path: string, mode: number, size: number, content: Buffer, truncatedToCap: boolean, warnings: InputError[], where: string, all: readonly Analyzer[]): number {
  let quiet = 0;
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
    if (result !== undefined) log.add(a.name, path, result, a.persistent === true);
    else {
      const bit = all.indexOf(a);
      if (bit >= 0 && bit < 31) quiet |= 1 << bit;
    }
  }
  return quiet;
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

interface ReadOptions {
  limits: WalkLimits;
  /** Check the uncompressed bytes against the diff ID (the first read of a layer). */
  verify: boolean;
  onProgress?: WalkOptions['onProgress'];
  total: number;
}

/** Streams one layer through a tar handler under the limits; the stats of that read. */
async function readLayer(source: ImageSource, info: LayerInfo, handler: TarHandler, where: string, opts: ReadOptions): Promise<LayerStats> {
  const stats: LayerStats = { index: info.index, compression: 'none', compressedBytes: 0, bytes: 0, entries: 0 };
  if (info.digest !== undefined) stats.digest = info.digest;
  if (info.diffId !== undefined) stats.diffId = info.diffId;
  const reader = new TarReader(handler);
  const hash = opts.verify && info.diffId?.startsWith('sha256:') ? createHash('sha256') : undefined;
  const chunks = decompress(source.openLayer(info.index), (k) => (stats.compression = k), (n) => (stats.compressedBytes += n));
  const { limits } = opts;
  let lastReport = 0;
  try {
    for await (const chunk of chunks) {
      stats.bytes += chunk.length;
      if (stats.bytes > limits.maxLayerBytes) {
        throw new BosunError('E_LAYER_TOO_LARGE', `decompresses to more than ${limits.maxLayerBytes} bytes (limit; raise it with --max-layer-size)`);
      }
      if (stats.compression !== 'none' && stats.bytes > limits.ratioCheckAfterBytes && stats.bytes > stats.compressedBytes * limits.maxCompressionRatio) {
        throw new BosunError('E_LAYER_TOO_LARGE', `decompresses more than ${limits.maxCompressionRatio} times its compressed size (a compression bomb?)`);
      }
      hash?.update(chunk);
      if (!reader.ended) reader.write(chunk);
      if (reader.entries > limits.maxEntries) throw new BosunError('E_LAYER_TOO_LARGE', `more than ${limits.maxEntries} entries`);
      if (opts.onProgress !== undefined && stats.bytes - lastReport > 8 * 1024 * 1024) {
        lastReport = stats.bytes;
        opts.onProgress({ layer: info.index, layers: opts.total, bytes: stats.bytes });
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

/** A hardlink some analyzer may want: analysed with its target's content under its own path. */
interface LinkRequest {
  path: string;
  target: string;
  analyzers: Analyzer[];
}

export interface LayerWalk {
  stats: LayerStats;
  events: LayerEvent[];
  /** This layer's warnings (also pushed to the walk's list). */
  warnings: InputError[];
}

interface LayerContext {
  source: ImageSource;
  analyzers: Analyzer[];
  log: LayerLog;
  warnings: InputError[];
  where: string;
  read: ReadOptions;
}

async function walkLayer(source: ImageSource, info: LayerInfo, analyzers: Analyzer[], store: ResultStore, read: ReadOptions): Promise<LayerWalk> {
  const where = layerName(source, info);
  const log = new LayerLog(store, info.index);
  const warnings: InputError[] = [];
  const ctx: LayerContext = { source, analyzers, log, warnings, where, read };
  // Regular files of this layer (size, mode, analyzers that found nothing), for hardlinks; and
  // hardlinks already seen, to their regular file.
  const files = new PathTable();
  const links = new Map<string, string>();
  const sameLayerLinks: LinkRequest[] = [];
  const lowerLayerLinks: { path: string; target: string }[] = [];
  let wanted: Analyzer[] = [];
  const handler: TarHandler = {
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
        if (base === OPAQUE) log.remove(dir, false);
        else log.remove(`${dir === '' ? '' : `${dir}/`}${base.slice(WHITEOUT.length)}`, true);
        return 0;
      }
      log.replace(path);
      if (h.type === 'symlink' || h.type === 'hardlink') {
        const target = resolveLinkTarget(path, h.linkname, h.type === 'hardlink');
        if (target === undefined) {
          warnings.push({ code: 'E_TAR_LINK_ESCAPE', file: where, message: `${where}: ${h.type} /${path} → "${h.linkname}" points outside the image root; ignored` });
        } else if (h.type === 'hardlink' && target !== path) {
          hardlink(path, target);
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
      if (wanted.length === 0) {
        files.set(path, { size: h.size, mode: h.mode, quiet: 0 });
        return 0;
      }
      if (max === 0) {
        const quiet = runAnalyzers(log, wanted, path, h.mode, h.size, Buffer.alloc(0), false, warnings, where, analyzers);
        files.set(path, { size: h.size, mode: h.mode, quiet });
        wanted = [];
        return 0;
      }
      return Math.min(max, h.size);
    },
    onBody(h: TarHeader, body: Buffer, cut: boolean): void {
      const path = normalizeEntryPath(h.name)!;
      const quiet = runAnalyzers(log, wanted, path, h.mode, h.size, body, cut, warnings, where, analyzers);
      files.set(path, { size: h.size, mode: h.mode, quiet });
      wanted = [];
    },
  };
  /** A hardlink is its target's content under another path: analysed for what wants that path. */
  function hardlink(path: string, target: string): void {
    const real = links.get(target) ?? target;
    const seen = files.get(real);
    if (seen === undefined) {
      lowerLayerLinks.push({ path, target });
      return;
    }
    links.set(path, real);
    const want: Analyzer[] = [];
    for (let i = 0; i < analyzers.length; i++) {
      const a = analyzers[i]!;
      // An analyzer that read the target and found nothing finds nothing under another name.
      if (i < 31 && (seen.quiet & (1 << i)) !== 0) continue;
      if (a.wants(path, seen.mode, seen.size)) want.push(a);
    }
    const headerOnly = want.filter((a) => a.maxBytes === 0);
    if (headerOnly.length > 0) runAnalyzers(log, headerOnly, path, seen.mode, seen.size, Buffer.alloc(0), false, warnings, where, analyzers);
    const needBody = want.filter((a) => a.maxBytes > 0);
    if (needBody.length > 0) sameLayerLinks.push({ path, target: real, analyzers: needBody });
  }
  const stats = await readLayer(source, info, handler, where, read);
  files.clear();
  links.clear();
  if (sameLayerLinks.length > 0) await analyzeLinkTargets(ctx, info, sameLayerLinks);
  if (lowerLayerLinks.length > 0) await resolveLowerLayerLinks(ctx, info.index, lowerLayerLinks);
  return { stats, events: log.events, warnings };
}

/** Reads `layer` again for the bodies of hardlink targets found in it and analyses each link. */
async function analyzeLinkTargets(ctx: LayerContext, layer: LayerInfo, links: LinkRequest[]): Promise<void> {
  const byTarget = new Map<string, LinkRequest[]>();
  for (const l of links) byTarget.set(l.target, [...(byTarget.get(l.target) ?? []), l]);
  let current: LinkRequest[] = [];
  await readLayer(ctx.source, layer, {
    onHeader(h) {
      current = [];
      if (h.type !== 'file') return 0;
      const path = normalizeEntryPath(h.name);
      const reqs = path === undefined ? undefined : byTarget.get(path);
      if (reqs === undefined) return 0;
      byTarget.delete(path!);
      current = reqs;
      return Math.min(h.size, Math.max(...reqs.flatMap((r) => r.analyzers.map((a) => a.maxBytes))));
    },
    onBody(h, body, cut) {
      for (const r of current) runAnalyzers(ctx.log, r.analyzers, r.path, h.mode, h.size, body, cut, ctx.warnings, ctx.where, ctx.analyzers);
      current = [];
    },
  }, layerName(ctx.source, layer), { ...ctx.read, verify: false, total: ctx.read.total, onProgress: undefined });
}

/**
 * Hardlinks whose target is not in their own layer point into a lower one (OCI image-spec
 * layer.md allows it; Docker and BuildKit do not write them, so this costs extra reads only for
 * unusual layers, and once: the layer cache keeps the outcome). Lower layers are read again from
 * the nearest down until the target is found as a regular file, or a whiteout shows it deleted.
 */
async function resolveLowerLayerLinks(ctx: LayerContext, index: number, links: { path: string; target: string }[]): Promise<void> {
  let pending = links;
  for (let k = index - 1; k >= 0 && pending.length > 0; k--) {
    const info = ctx.source.layers[k]!;
    const byTarget = new Map<string, { path: string; target: string }[]>();
    for (const l of pending) byTarget.set(l.target, [...(byTarget.get(l.target) ?? []), l]);
    const found = new Set<string>();
    const gone = new Set<string>();
    let current: LinkRequest[] = [];
    // One pass over layer k: a target found as a regular file is analysed right there (a file
    // beats a whiteout in the same layer); a whiteout of it ends the search for that link.
    await readLayer(ctx.source, info, {
      onHeader(h) {
        current = [];
        const path = normalizeEntryPath(h.name);
        if (path === undefined || path === '') return 0;
        const slash = path.lastIndexOf('/');
        const base = path.slice(slash + 1);
        if (base.startsWith(WHITEOUT)) {
          const dir = slash === -1 ? '' : path.slice(0, slash);
          const under = dir === '' ? '' : `${dir}/`;
          const hidden = base === OPAQUE ? undefined : `${under}${base.slice(WHITEOUT.length)}`;
          for (const t of byTarget.keys()) {
            if (hidden === undefined ? t.startsWith(under) : t === hidden || t.startsWith(`${hidden}/`)) gone.add(t);
          }
          return 0;
        }
        const reqs = byTarget.get(path);
        if (reqs === undefined || found.has(path)) return 0;
        found.add(path);
        if (h.type !== 'file') {
          for (const l of reqs) ctx.warnings.push(linkWarning(ctx.where, l, `is a ${h.type} in layer ${k + 1}, not a regular file`));
          return 0;
        }
        let max = 0;
        for (const l of reqs) {
          const want = ctx.analyzers.filter((a) => a.wants(l.path, h.mode, h.size));
          const headerOnly = want.filter((a) => a.maxBytes === 0);
          if (headerOnly.length > 0) runAnalyzers(ctx.log, headerOnly, l.path, h.mode, h.size, Buffer.alloc(0), false, ctx.warnings, ctx.where, ctx.analyzers);
          const needBody = want.filter((a) => a.maxBytes > 0);
          if (needBody.length > 0) current.push({ ...l, analyzers: needBody });
          for (const a of needBody) max = Math.max(max, a.maxBytes);
        }
        return Math.min(max, h.size);
      },
      onBody(h, body, cut) {
        for (const r of current) runAnalyzers(ctx.log, r.analyzers, r.path, h.mode, h.size, body, cut, ctx.warnings, ctx.where, ctx.analyzers);
        current = [];
      },
    }, layerName(ctx.source, info), { ...ctx.read, verify: false, onProgress: undefined });
    const next: { path: string; target: string }[] = [];
    for (const l of pending) {
      if (found.has(l.target)) continue;
      if (gone.has(l.target)) ctx.warnings.push(linkWarning(ctx.where, l, 'was deleted by a lower layer'));
      else next.push(l);
    }
    pending = next;
  }
  for (const l of pending) ctx.warnings.push(linkWarning(ctx.where, l, 'is in neither this layer nor a lower one'));
}

function linkWarning(where: string, l: { path: string; target: string }, why: string): InputError {
  return { code: 'E_TAR_LINK_TARGET', file: where, message: `${where}: hardlink /${l.path} → /${l.target}: the target ${why}; ignored` };
}

/** Walks a directory in place as a single layer: lstat only, symlinks never followed, special files skipped. */
async function walkDirectory(root: string, analyzers: Analyzer[], store: ResultStore, warnings: InputError[], where: string, skipDirs: ReadonlySet<string>): Promise<LayerStats> {
  const log = new LayerLog(store, 0);
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
      runAnalyzers(log, wanted, path, st.mode, st.size, content, st.size > max, warnings, where, analyzers);
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
    return { results: store.results(), persistent: store.persistent, layers, warnings };
  }
  const verify = options.verifyDiffIds ?? true;
  const read: ReadOptions = { limits, verify, total: source.layers.length, ...(options.onProgress !== undefined && { onProgress: options.onProgress }) };
  // Layers are cacheable while every one so far has a verified diff ID (the chain ID needs them all).
  const diffIds = source.layers.map((l) => l.diffId);
  const chain = options.layerCache !== undefined && verify && diffIds.every((d) => d?.startsWith('sha256:')) ? chainIds(diffIds as string[]) : undefined;
  const analyzerKey = analyzerSetKey(analyzers);
  for (const info of source.layers) {
    const where = layerName(source, info);
    const key = chain === undefined ? undefined : options.layerCache!.key(chain[info.index]!, analyzerKey);
    const cached = key === undefined ? undefined : await options.layerCache!.get(key, where);
    if (cached !== undefined) {
      replayLayer(store, info.index, cached.events);
      warnings.push(...cached.warnings);
      layers.push({ ...cached.stats, index: info.index, cached: true });
      continue;
    }
    const walked = await walkLayer(source, info, analyzers, store, read);
    warnings.push(...walked.warnings);
    layers.push(walked.stats);
    if (key !== undefined) await options.layerCache!.put(key, walked, where);
  }
  return { results: store.results(), persistent: store.persistent, layers, warnings };
}
