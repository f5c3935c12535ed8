/**
 * Importing OSV records: from a zip export (read entry by entry) or a directory of JSON files
 * (read file by file), so memory stays flat whatever the size. Records that are not JSON or
 * break the OSV schema are skipped and counted, with the first few reasons kept for the user.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { BosunError } from '../../core/errors.ts';
import { Worker } from 'node:worker_threads';
import { readZip, type ZipEntry } from '../osv/zip.ts';
import type { WorkerInput, WorkerMessage } from './import-worker.ts';
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
 * Imports a zip export with the reading and parsing on a worker thread (`import-worker.ts`)
 * and the SQLite writes here, so both cores work on a large export. Same result as
 * `importEntries(w, readZip(path), …)`, which is the fallback when no worker can start.
 */
export async function importZip(w: StoreWriter, path: string, source: string, onProgress?: Progress): Promise<ImportStats> {
  const stats = newStats(source);
  const progress = new SharedArrayBuffer(4);
  const written = new Int32Array(progress);
  let worker: Worker;
  try {
    worker = new Worker(WORKER_URL, { workerData: { path, progress } satisfies WorkerInput });
  } catch {
    return importEntries(w, readZip(path), source, onProgress);
  }
  try {
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (m: WorkerMessage) => {
        try {
          if ('batch' in m) {
            for (const p of m.batch) write(w, stats, p, onProgress);
            Atomics.add(written, 0, 1);
            Atomics.notify(written, 0);
          } else if ('done' in m) resolve();
          else reject(new BosunError(m.error.code ?? 'E_IMPORT', m.error.message));
        } catch (err) {
          reject(err);
        }
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new BosunError('E_IMPORT', `${path}: import worker stopped (exit code ${code})`)));
    });
  } finally {
    await worker.terminate();
  }
  return stats;
}

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
}

/**
 * `bosun db import PATH`: imports a directory of OSV JSON files or a zip export into the store
 * (replacing what an earlier import of the same path brought), swapping it in atomically.
 */
export async function importOsv(path: string, options: ImportOptions = {}): Promise<ImportStats> {
  const source = `import:${resolve(path)}`;
  return withStoreUpdate(options.dbPath ?? defaultStorePath(), 'copy', async (w) => {
    w.dropSource(source);
    const stats = isDirectory(path) ? importEntries(w, readJsonDirectory(path), source, options.onProgress) : await importZip(w, path, source, options.onProgress);
    w.setSource({ name: source, url: resolve(path), newestModified: stats.newestModified, records: stats.records, skipped: stats.skipped, mode: 'import', updatedAt: (options.now ?? new Date()).toISOString() });
    return stats;
  });
}
