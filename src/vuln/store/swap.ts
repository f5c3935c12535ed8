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
import { INDEXES, INDEX_NAMES, PACKAGE_KEY_SPAN, migrate } from './schema.ts';

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
    db.exec('PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;');
    migrate(db, tmp);
    db.exec('BEGIN');
    const w = writer(db);
    const result = await fn(w);
    w.finish();
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

/**
 * The writer. Into a store that starts empty (a first import, a fresh build) the lookup
 * indexes are dropped and rebuilt once at the end, sorted, instead of being updated row by row;
 * two records with one ID in such a build are resolved then (the last one written wins), as an
 * update in place does for a store that already has records.
 */
function writer(db: DatabaseSync): StoreWriter & { finish(): void } {
  const bulk = db.prepare('SELECT 1 FROM records LIMIT 1').get() === undefined;
  let indexedById = !bulk;
  if (bulk) for (const name of INDEX_NAMES) db.exec(`DROP INDEX IF EXISTS ${name}`);
  const insertRecord: StatementSync = db.prepare('INSERT INTO records (id, modified, withdrawn, source) VALUES (?, ?, ?, ?)');
  const insertRaw: StatementSync = db.prepare('INSERT INTO raw (rid, head, data) VALUES (?, ?, ?)');
  const findRecord: StatementSync = db.prepare('SELECT rid FROM records WHERE id = ?');
  const updateRecord: StatementSync = db.prepare('UPDATE records SET modified = ?, withdrawn = ?, source = ? WHERE rid = ?');
  const updateRaw: StatementSync = db.prepare('UPDATE raw SET head = ?, data = ? WHERE rid = ?');
  const dropPackages: StatementSync = db.prepare('DELETE FROM affected WHERE key >= ? AND key < ?');
  const addPackage: StatementSync = db.prepare('INSERT INTO affected (key, ecosystem, name, data) VALUES (?, ?, ?, ?)');
  const sourceRow: StatementSync = db.prepare('SELECT sid, newest_modified FROM sources WHERE name = ?');
  const addSource: StatementSync = db.prepare("INSERT INTO sources (name, updated_at) VALUES (?, '') RETURNING sid");
  const sids = new Map<string, number>();
  const sidOf = (source: string): number => {
    let sid = sids.get(source);
    if (sid === undefined) {
      const row = (sourceRow.get(source) ?? addSource.get(source)) as { sid: number };
      sid = row.sid;
      sids.set(source, sid);
    }
    return sid;
  };
  const dropRecordPackages = (rid: number): void => {
    dropPackages.run(rid * PACKAGE_KEY_SPAN, (rid + 1) * PACKAGE_KEY_SPAN);
  };
  const putPrepared = (p: PreparedRecord, source: string): void => {
    const sid = sidOf(source);
    // In a bulk build there is no index on the ID yet: every record is a new row for now.
    const existing = indexedById ? (findRecord.get(p.id) as { rid: number } | undefined) : undefined;
    let rid: number;
    if (existing === undefined) {
      rid = Number(insertRecord.run(p.id, p.modified, p.withdrawn, sid).lastInsertRowid);
      insertRaw.run(rid, p.head, p.raw);
    } else {
      rid = existing.rid;
      updateRecord.run(p.modified, p.withdrawn, sid, rid);
      updateRaw.run(p.head, p.raw, rid);
      dropRecordPackages(rid);
    }
    const base = rid * PACKAGE_KEY_SPAN;
    for (let k = 0; k < p.affected.length; k++) {
      const [ecosystem, name, data] = p.affected[k]!;
      addPackage.run(base + k, ecosystem, name, data);
    }
  };
  const dropRecord = db.prepare('DELETE FROM records WHERE rid = ?');
  const dropRaw = db.prepare('DELETE FROM raw WHERE rid = ?');
  const removeRecord = (rid: number): void => {
    dropRecordPackages(rid);
    dropRaw.run(rid);
    dropRecord.run(rid);
  };
  return {
    put(record, json, source) {
      const p = prepareRecord(record, json, record.id);
      if (p.kind === 'skip') throw new BosunError('E_IMPORT', `${record.id}: ${p.reason}`);
      putPrepared(p, source);
    },
    putPrepared,
    dropSource(source) {
      const row = sourceRow.get(source) as { sid: number } | undefined;
      if (row === undefined) return;
      const rids = (db.prepare('SELECT rid FROM records WHERE source = ?').all(row.sid) as Array<{ rid: number }>).map((r) => r.rid);
      for (const rid of rids) removeRecord(rid);
    },
    setSource(s) {
      db.prepare(
        'INSERT INTO sources (name, url, updated_at, newest_modified, records, skipped, mode) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET url = excluded.url, updated_at = excluded.updated_at, newest_modified = excluded.newest_modified, records = excluded.records, skipped = excluded.skipped, mode = excluded.mode',
      ).run(s.name, s.url ?? null, s.updatedAt, s.newestModified ?? null, s.records, s.skipped, s.mode);
    },
    newestModified(source) {
      const row = sourceRow.get(source) as { newest_modified: string | null } | undefined;
      return row?.newest_modified ?? undefined;
    },
    hasSource(source) {
      const row = sourceRow.get(source) as { newest_modified: string | null } | undefined;
      return row !== undefined;
    },
    countSource(source) {
      const row = sourceRow.get(source) as { sid: number } | undefined;
      if (row === undefined) return 0;
      dedupe();
      return (db.prepare('SELECT count(*) AS n FROM records WHERE source = ?').get(row.sid) as { n: number }).n;
    },
    checkpoint() {
      db.exec('COMMIT');
      db.exec('BEGIN');
    },
    finish() {
      dedupe();
      for (const sql of INDEXES) db.exec(sql);
      // Sources that were created for writing but never described are not sources.
      db.exec("DELETE FROM sources WHERE updated_at = '' AND sid NOT IN (SELECT DISTINCT source FROM records)");
    },
  };

  /** Indexes the IDs of a bulk build and drops the records that a later one with the same ID replaced. */
  function dedupe(): void {
    if (indexedById) return;
    db.exec(INDEXES[0]!);
    indexedById = true;
    const twice = db.prepare('SELECT id FROM records GROUP BY id HAVING count(*) > 1').all() as Array<{ id: string }>;
    const rids = db.prepare('SELECT rid FROM records WHERE id = ? ORDER BY rid DESC');
    for (const { id } of twice) {
      for (const { rid } of (rids.all(id) as Array<{ rid: number }>).slice(1)) removeRecord(rid);
    }
  }
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
