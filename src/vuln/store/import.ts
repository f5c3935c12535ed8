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
import { openZip, readZip, type ZipEntry } from '../osv/zip.ts';
import { CHUNK, prepareChunk, unpackBatch, type WireBatch, type WorkerInput, type WorkerMessage } from './import-worker.ts';
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
 * per core but this one, up to `MAX_WORKERS`) and the SQLite writes here, in archive order.
 * The writes take less time than the parsing, so while the next chunk is not ready this thread
 * prepares one itself (at most `HELP_AHEAD` ahead). Same result as
 * `importEntries(w, readZip(path), …)`, which is the fallback when no worker can start.
 */
export async function importZip(w: StoreWriter, path: string, source: string, onProgress?: Progress, workerCount?: number): Promise<ImportStats> {
  const stats = newStats(source);
  // The writer (this thread) keeps a core of its own: on two cores one worker measured faster
  // than two (less switching, 40 % less memory), so workers = cores - 1.
  const count = Math.max(1, Math.min(MAX_WORKERS, workerCount ?? availableParallelism() - 1));
  const zip = openZip(path);
  const chunks = Math.ceil(zip.count / CHUNK);
  const state = new SharedArrayBuffer(4 * (count + 1));
  const shared = new Int32Array(state);
  const workers: Worker[] = [];
  try {
    try {
      for (let k = 0; k < count; k++) workers.push(new Worker(WORKER_URL, { workerData: { path, state, worker: k } satisfies WorkerInput }));
    } catch {
      await Promise.all(workers.map((x) => x.terminate()));
      return importEntries(w, readZip(path), source, onProgress);
    }
    await new Promise<void>((resolve, reject) => {
      // Chunks arrive in any order; they are written in archive order. Owner -1: this thread.
      const pending = new Map<number, { batch: WireBatch; owner: number }>();
      let next = 0;
      let settled = false;
      const fail = (err: unknown): void => {
        settled = true;
        reject(err);
      };
      const drain = (): void => {
        for (let p = pending.get(next); p !== undefined; p = pending.get(next)) {
          pending.delete(next);
          unpackBatch(p.batch, (r) => write(w, stats, r, onProgress), (s) => skip(stats, s.file, s.reason));
          if (p.owner >= 0) {
            Atomics.add(shared, 1 + p.owner, 1);
            Atomics.notify(shared, 1 + p.owner);
          }
          next++;
        }
        if (next >= chunks && !settled) {
          settled = true;
          resolve();
        }
      };
      const help = (): void => {
        if (settled || pending.has(next) || pending.size >= HELP_AHEAD) return;
        try {
          const chunk = Atomics.add(shared, 0, 1);
          if (chunk >= chunks) return;
          pending.set(chunk, { batch: prepareChunk(zip, chunk), owner: -1 });
          drain();
        } catch (err) {
          fail(err);
          return;
        }
        setImmediate(help);
      };
      workers.forEach((worker, k) => {
        worker.on('message', (m: WorkerMessage) => {
          if (settled) return;
          try {
            if ('batch' in m) {
              pending.set(m.chunk, { batch: m.batch, owner: k });
              drain();
              setImmediate(help);
            } else if ('error' in m) fail(new BosunError(m.error.code ?? 'E_IMPORT', m.error.message));
          } catch (err) {
            fail(err);
          }
        });
        worker.on('error', fail);
        worker.on('exit', (code) => {
          if (!settled && next < chunks && code !== 0) fail(new BosunError('E_IMPORT', `${path}: import worker ${k} stopped (exit code ${code})`));
        });
      });
      drain();
      setImmediate(help);
    });
  } finally {
    zip.close();
    await Promise.all(workers.map((x) => x.terminate()));
  }
  return stats;
}

/** Chunks this thread prepares ahead of the next one to write. */
const HELP_AHEAD = 2;

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
