/**
 * What bosun keeps in its cache directory, and removing it: image blobs (`blobs/<alg>/<hex>`,
 * see src/image/blob-cache.ts), per-layer analyses (`layers/sha256/<key>.json`,
 * src/image/layer-cache.ts) and the vulnerability store (`vuln/`, src/vuln/store). Everything
 * there can be fetched or computed again; nothing is removed outside these three folders, and
 * symbolic links are removed as links, never followed.
 */
import { lstat, readdir, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export const CACHE_PARTS = ['blobs', 'layers', 'vuln'] as const;
export type CachePart = (typeof CACHE_PARTS)[number];

export interface PartUsage {
  part: CachePart;
  path: string;
  files: number;
  bytes: number;
  /** Modification time of the oldest file (ms since the epoch), when there are files. */
  oldest?: number;
}

interface FileEntry {
  path: string;
  bytes: number;
  mtimeMs: number;
}

/** Every file under `dir` (not following links; a link counts as a small file). */
async function filesUnder(dir: string): Promise<FileEntry[]> {
  const out: FileEntry[] = [];
  const walk = async (d: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else {
        const s = await lstat(p).catch(() => undefined);
        if (s !== undefined) out.push({ path: p, bytes: s.size, mtimeMs: s.mtimeMs });
      }
    }
  };
  await walk(dir);
  return out;
}

export async function cacheUsage(cacheDir: string): Promise<PartUsage[]> {
  const out: PartUsage[] = [];
  for (const part of CACHE_PARTS) {
    const path = join(cacheDir, part);
    const files = await filesUnder(path);
    const usage: PartUsage = { part, path, files: files.length, bytes: files.reduce((s, f) => s + f.bytes, 0) };
    // (a loop: spreading a large cache's file list into Math.min overflows the stack)
    for (const f of files) if (usage.oldest === undefined || f.mtimeMs < usage.oldest) usage.oldest = f.mtimeMs;
    out.push(usage);
  }
  return out;
}

export interface CleanResult {
  part: CachePart;
  files: number;
  bytes: number;
}

/**
 * Removes the files of `parts` last written more than `olderThanMs` before `now` (all of them
 * without an age; the part's folder then goes too). A file being written by a concurrent scan is
 * a temporary file renamed into place only when complete, so removing it early only costs that
 * scan a fetch; the vulnerability store is swapped in by rename in the same way.
 */
export async function cleanCache(cacheDir: string, parts: readonly CachePart[], options: { olderThanMs?: number; now?: number } = {}): Promise<CleanResult[]> {
  const now = options.now ?? Date.now();
  const out: CleanResult[] = [];
  for (const part of parts) {
    const path = join(cacheDir, part);
    const files = await filesUnder(path);
    const doomed = options.olderThanMs === undefined ? files : files.filter((f) => now - f.mtimeMs > options.olderThanMs!);
    if (options.olderThanMs === undefined) await rm(path, { recursive: true, force: true });
    else for (const f of doomed) await unlink(f.path).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : Promise.reject(err)));
    out.push({ part, files: doomed.length, bytes: doomed.reduce((s, f) => s + f.bytes, 0) });
  }
  return out;
}
