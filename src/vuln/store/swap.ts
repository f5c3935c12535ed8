/**
 * Writing the store without ever exposing a half-written one: every update builds a new file
 * next to the store (a copy of it, for incremental updates), and only when the whole update
 * has succeeded is the new file renamed over the old one, an atomic step on one filesystem.
 * Readers holding the old file keep reading it. A failure, a kill or a power cut leaves the
 * previous store as it was, plus at most a stray temporary file that the next update removes.
 * A lock file keeps two updates from racing.
 */
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { BosunError } from '../../core/errors.ts';
import type { OsvRecord } from '../osv/record.ts';
import { prepareRecord, type PreparedRecord } from './prepare.ts';
import { migrate } from './schema.ts';

export interface StoreWriter {
  /** Inserts or replaces one record (by ID); `json` is the record's text as published. */
  put(record: OsvRecord, json: string, source: string): void;
  /** The same, for a record already reduced to its rows (`prepare.ts`). */
  putPrepared(p: PreparedRecord, source: string): void;
  /** Drops every record last written by `source` (before re-importing a full export). */
  dropSource(source: string): void;
  setSource(info: { name: string; url?: string | undefined; newestModified?: string | undefined; records: number; skipped: number; mode: string; updatedAt: string }): void;
  newestModified(source: string): string | undefined;
  hasSource(source: string): boolean;
  countSource(source: string): number;
  /** Commit what was written so far and start a new transaction (bounds the journal). */
  checkpoint(): void;
}

const TMP_MARK = '.tmp-';

/**
 * Runs `fn` against a new copy of the store (`base: 'copy'`) or an empty one (`'fresh'`) and
 * swaps it in if `fn` resolves. The store file need not exist yet.
 */
export async function withStoreUpdate<T>(path: string, base: 'copy' | 'fresh', fn: (w: StoreWriter) => Promise<T>): Promise<T> {
  mkdirSync(dirname(path), { recursive: true });
  const release = acquireLock(path);
  const tmp = `${path}${TMP_MARK}${process.pid}-${Date.now()}`;
  let db: DatabaseSync | undefined;
  try {
    removeStaleTemporaries(path);
    if (base === 'copy' && existsSync(path)) copyFileSync(path, tmp);
    db = new DatabaseSync(tmp);
    // No rollback journal and no syncs while building: a failed build is discarded whole, and
    // the rename below is what makes the result visible.
    db.exec('PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;');
    migrate(db, tmp);
    db.exec('BEGIN');
    const result = await fn(writer(db));
    db.exec('COMMIT');
    db.exec('PRAGMA journal_mode = DELETE');
    db.close();
    fsyncFile(tmp);
    db = undefined;
    renameSync(tmp, path);
    return result;
  } catch (err) {
    try {
      db?.close();
    } catch {
      // already closed or never opened
    }
    rmSync(tmp, { force: true });
    rmSync(`${tmp}-journal`, { force: true });
    throw err;
  } finally {
    release();
  }
}

function writer(db: DatabaseSync): StoreWriter {
  const upsert: StatementSync = db.prepare(
    'INSERT INTO records (id, modified, withdrawn, source, json) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET modified = excluded.modified, withdrawn = excluded.withdrawn, source = excluded.source, json = excluded.json RETURNING rid',
  );
  const insert: StatementSync = db.prepare('INSERT INTO records (id, modified, withdrawn, source, json) VALUES (?, ?, ?, ?, ?)');
  const putHead: StatementSync = db.prepare('INSERT OR REPLACE INTO heads (rid, id, withdrawn, head) VALUES (?, ?, ?, ?)');
  const dropAffected = db.prepare('DELETE FROM affected WHERE rid = ?');
  const addAffected = db.prepare('INSERT INTO affected (rid, ecosystem, name, data) VALUES (?, ?, ?, ?)');
  const sourceNewest = db.prepare('SELECT newest_modified FROM sources WHERE name = ?');
  // Into an empty store, a record seen for the first time has no package rows to replace.
  const startedEmpty = db.prepare('SELECT 1 FROM records LIMIT 1').get() === undefined;
  const written = new Set<string>();
  const putPrepared = (p: PreparedRecord, source: string): void => {
    let rid: number | bigint;
    if (startedEmpty && !written.has(p.id)) {
      // First write of this ID into an empty store: a plain insert, no package rows to replace.
      rid = insert.run(p.id, p.modified, p.withdrawn, source, p.json).lastInsertRowid;
      written.add(p.id);
    } else {
      rid = (upsert.get(p.id, p.modified, p.withdrawn, source, p.json) as { rid: number }).rid;
      dropAffected.run(rid);
    }
    putHead.run(rid, p.id, p.withdrawn, p.head);
    for (const [ecosystem, name, data] of p.affected) addAffected.run(rid, ecosystem, name, data);
  };
  return {
    put(record, json, source) {
      putPrepared(prepareRecord(record, json, record.id) as PreparedRecord, source);
    },
    putPrepared,
    dropSource(source) {
      db.prepare('DELETE FROM affected WHERE rid IN (SELECT rid FROM records WHERE source = ?)').run(source);
      db.prepare('DELETE FROM heads WHERE rid IN (SELECT rid FROM records WHERE source = ?)').run(source);
      db.prepare('DELETE FROM records WHERE source = ?').run(source);
    },
    setSource(s) {
      db.prepare(
        'INSERT INTO sources (name, url, updated_at, newest_modified, records, skipped, mode) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET url = excluded.url, updated_at = excluded.updated_at, newest_modified = excluded.newest_modified, records = excluded.records, skipped = excluded.skipped, mode = excluded.mode',
      ).run(s.name, s.url ?? null, s.updatedAt, s.newestModified ?? null, s.records, s.skipped, s.mode);
    },
    newestModified(source) {
      const row = sourceNewest.get(source) as { newest_modified: string | null } | undefined;
      return row?.newest_modified ?? undefined;
    },
    hasSource(source) {
      return sourceNewest.get(source) !== undefined;
    },
    countSource(source) {
      return (db.prepare('SELECT count(*) AS n FROM records WHERE source = ?').get(source) as { n: number }).n;
    },
    checkpoint() {
      db.exec('COMMIT');
      db.exec('BEGIN');
    },
  };
}

/** The new store must be on disk before the rename publishes it. */
function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function removeStaleTemporaries(path: string): void {
  const dir = dirname(path);
  const prefix = `${basename(path)}${TMP_MARK}`;
  for (const name of readdirSync(dir)) {
    if (name.startsWith(prefix)) rmSync(join(dir, name), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** An exclusive lock file holding our PID; a lock left by a dead process is taken over. */
function acquireLock(path: string): () => void {
  const lock = `${path}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lock, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(lock, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
        throw new BosunError('E_DB_LOCKED', `${path}: another bosun (pid ${holder}) is updating the vulnerability store; try again when it has finished`);
      }
      rmSync(lock, { force: true });
    }
  }
  throw new BosunError('E_DB_LOCKED', `${path}: cannot take the update lock ${lock}`);
}
