/**
 * Importing OSV records: from a zip export (read entry by entry) or a directory of JSON files
 * (read file by file), so memory stays flat whatever the size. Records that are not JSON or
 * break the OSV schema are skipped and counted, with the first few reasons kept for the user.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { BosunError } from '../../core/errors.ts';
import { osvProblem, type OsvRecord } from '../osv/record.ts';
import { readZip, type ZipEntry } from '../osv/zip.ts';
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

/** Writes every record among `entries` into the store under `source`. */
export function importEntries(w: StoreWriter, entries: Iterable<ZipEntry>, source: string, onProgress?: Progress): ImportStats {
  const stats: ImportStats = { source, records: 0, skipped: 0, problems: [], newestModified: undefined };
  for (const entry of entries) {
    if (!entry.name.endsWith('.json')) continue;
    const text = entry.data.toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      skip(stats, entry.name, `not JSON (${(err as Error).message})`);
      continue;
    }
    const problem = osvProblem(value);
    if (problem !== undefined) {
      skip(stats, entry.name, problem);
      continue;
    }
    const record = value as OsvRecord;
    w.put(record, text, source);
    stats.records++;
    if (stats.newestModified === undefined || record.modified > stats.newestModified) stats.newestModified = record.modified;
    if (stats.records % CHECKPOINT_EVERY === 0) w.checkpoint();
    if (onProgress !== undefined && stats.records % PROGRESS_EVERY === 0) onProgress({ phase: 'import', source, done: stats.records });
  }
  return stats;
}

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

/** A zip archive or a directory of OSV JSON files, as entries. */
export function osvEntries(path: string): Iterable<ZipEntry> {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (err) {
    throw new BosunError('E_INPUT', `${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
  }
  return isDir ? readJsonDirectory(path) : readZip(path);
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
    const stats = importEntries(w, osvEntries(path), source, options.onProgress);
    w.setSource({ name: source, url: resolve(path), newestModified: stats.newestModified, records: stats.records, skipped: stats.skipped, mode: 'import', updatedAt: (options.now ?? new Date()).toISOString() });
    return stats;
  });
}
