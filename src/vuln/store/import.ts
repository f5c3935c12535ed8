/**
 * Importing OSV records: from a zip export (read entry by entry) or a directory of JSON files
 * (read file by file), so memory stays flat whatever the size. Records that are not JSON or
 * break the OSV schema are skipped and counted, with the first few reasons kept for the user.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { BosunError } from '../../core/errors.ts';
import { Worker } from 'node:worker_threads';
import { readZip, type ZipEntry } from '../osv/zip.ts';
import { unpackBatch, type WireBatch, type WorkerInput, type WorkerMessage } from './import-worker.ts';
import { prepareEntry, type PreparedRecord, type SkippedEntry } from './prepare.ts';
import { defaultStorePath } from './paths.ts';
import { withStoreUpdate, type StoreWriter } from './swap.ts';

export interface SkippedRecord {
  file: string;
  reason: string;
}

export interface ImportStats {
  source: string;
  records: number;
  skipped: number;
  /** The first reasons for skipping (at most `MAX_PROBLEMS`). */
  problems: SkippedRecord[];
  newestModified: string | undefined;
}

export type Progress = (event: { phase: 'download' | 'import'; source: string; done: number; total?: number | undefined }) => void;

const MAX_PROBLEMS = 20;
const PROGRESS_EVERY = 2000;
const CHECKPOINT_EVERY = 100_000;

/** Writes every record among `entries` into the store under `source`, on this thread. */
export function importEntries(w: StoreWriter, entries: Iterable<ZipEntry>, source: string, onProgress?: Progress): ImportStats {
  const stats = newStats(source);
  for (const entry of entries) {
    const prepared = prepareEntry(entry);
    if (prepared !== undefined) write(w, stats, prepared, onProgress);
  }
  return stats;
}

function newStats(source: string): ImportStats {
  return { source, records: 0, skipped: 0, problems: [], newestModified: undefined };
}

function write(w: StoreWriter, stats: ImportStats, p: PreparedRecord | SkippedEntry, onProgress: Progress | undefined): void {
  if (p.kind === 'skip') {
    skip(stats, p.file, p.reason);
    return;
  }
  w.putPrepared(p, stats.source);
  stats.records++;
  if (stats.newestModified === undefined || p.modified > stats.newestModified) stats.newestModified = p.modified;
  if (stats.records % CHECKPOINT_EVERY === 0) w.checkpoint();
  if (onProgress !== undefined && stats.records % PROGRESS_EVERY === 0) onProgress({ phase: 'import', source: stats.source, done: stats.records });
}

/**
 * Imports a zip export with the reading and parsing on worker threads (`import-worker.ts`, one
 * per core but this one, up to `MAX_WORKERS`) and the SQLite writes here, in archive order, so every core
 * works on a large export. Same result as `importEntries(w, readZip(path), …)`, which is the
 * fallback when no worker can start.
 */
export async function importZip(w: StoreWriter, path: string, source: string, onProgress?: Progress, workerCount?: number): Promise<ImportStats> {
  const stats = newStats(source);
  // The writer (this thread) keeps a core of its own: on two cores one worker measured faster
  // than two (less switching, 40 % less memory), so workers = cores - 1.
  const count = Math.max(1, Math.min(MAX_WORKERS, workerCount ?? availableParallelism() - 1));
  const progress = new SharedArrayBuffer(4 * count);
  const written = new Int32Array(progress);
  const workers: Worker[] = [];
  try {
    for (let k = 0; k < count; k++) workers.push(new Worker(WORKER_URL, { workerData: { path, progress, worker: k, workers: count } satisfies WorkerInput }));
  } catch {
    await Promise.all(workers.map((x) => x.terminate()));
    return importEntries(w, readZip(path), source, onProgress);
  }
  try {
    await new Promise<void>((resolve, reject) => {
      // Chunks arrive in any order across workers; they are written in archive order.
      const pending = new Map<number, WireBatch>();
      let next = 0;
      let done = 0;
      const finished = new Set<number>();
      workers.forEach((worker, k) => {
        worker.on('message', (m: WorkerMessage) => {
          try {
            if ('batch' in m) {
              pending.set(m.chunk, m.batch);
              for (let b = pending.get(next); b !== undefined; b = pending.get(next)) {
                pending.delete(next);
                unpackBatch(b, (p) => write(w, stats, p, onProgress), (s) => skip(stats, s.file, s.reason));
                const owner = next % count;
                Atomics.add(written, owner, 1);
                Atomics.notify(written, owner);
                next++;
              }
            } else if ('done' in m) {
              finished.add(k);
              if (++done === count) {
                if (pending.size > 0) reject(new BosunError('E_IMPORT', `${path}: import workers stopped before chunk ${next}`));
                else resolve();
              }
            } else reject(new BosunError(m.error.code ?? 'E_IMPORT', m.error.message));
          } catch (err) {
            reject(err);
          }
        });
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (!finished.has(k)) reject(new BosunError('E_IMPORT', `${path}: import worker ${k} stopped (exit code ${code})`));
        });
      });
    });
  } finally {
    await Promise.all(workers.map((x) => x.terminate()));
  }
  return stats;
}

/** Workers beyond this add little: the single SQLite writer becomes the limit. */
const MAX_WORKERS = 4;

/** The worker module next to this one (`.ts` when run from source, `.js` when built). */
const WORKER_URL = new URL(`./import-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

function skip(stats: ImportStats, file: string, reason: string): void {
  stats.skipped++;
  if (stats.problems.length < MAX_PROBLEMS) stats.problems.push({ file, reason });
}

/** The JSON files under `dir` (recursively, sorted), read one at a time. */
export function* readJsonDirectory(dir: string): Generator<ZipEntry> {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.json')) files.push(p);
    }
  };
  walk(dir);
  files.sort();
  for (const f of files) yield { name: relative(dir, f), data: readFileSync(f) };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch (err) {
    throw new BosunError('E_INPUT', `${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
  }
}

export interface ImportOptions {
  /** The store file (default: in the user cache directory). */
  dbPath?: string;
  onProgress?: Progress;
  now?: Date;
  /** Threads preparing a zip's records (default: one per core but one, at most 4). */
  workers?: number;
}

/**
 * `bosun db import PATH`: imports a directory of OSV JSON files or a zip export into the store
 * (replacing what an earlier import of the same path brought), swapping it in atomically.
 */
export async function importOsv(path: string, options: ImportOptions = {}): Promise<ImportStats> {
  const source = `import:${resolve(path)}`;
  return withStoreUpdate(options.dbPath ?? defaultStorePath(), 'copy', async (w) => {
    w.dropSource(source);
    const stats = isDirectory(path) ? importEntries(w, readJsonDirectory(path), source, options.onProgress) : await importZip(w, path, source, options.onProgress, options.workers);
    w.setSource({ name: source, url: resolve(path), newestModified: stats.newestModified, records: stats.records, skipped: stats.skipped, mode: 'import', updatedAt: (options.now ?? new Date()).toISOString() });
    return stats;
  });
}
