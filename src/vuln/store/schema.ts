/**
 * The store's schema and its migrations. `PRAGMA user_version` holds the schema version; a
 * store written by an older bosun is migrated step by step when opened for writing, and one
 * written by a newer bosun is refused rather than misread.
 */
import type { DatabaseSync } from 'node:sqlite';
import { BosunError } from '../../core/errors.ts';
import type { OsvRecord } from '../osv/record.ts';
import { affectedByPackage, recordHead } from './compact.ts';

/** Each entry upgrades from version i to i + 1: SQL, or a function for data rewrites. */
const MIGRATIONS: ReadonlyArray<string | ((db: DatabaseSync) => void)> = [
  // 1: records (the OSV JSON as published), one row per affected package for lookups.
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE records (
     rid INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     modified TEXT NOT NULL,
     withdrawn INTEGER NOT NULL,
     source TEXT NOT NULL,
     json TEXT NOT NULL
   );
   CREATE TABLE affected (rid INTEGER NOT NULL, ecosystem TEXT NOT NULL, name TEXT NOT NULL);
   CREATE INDEX affected_package ON affected (ecosystem, name);
   CREATE INDEX affected_rid ON affected (rid);
   CREATE TABLE sources (
     name TEXT PRIMARY KEY,
     url TEXT,
     updated_at TEXT NOT NULL,
     newest_modified TEXT,
     records INTEGER NOT NULL DEFAULT 0,
     skipped INTEGER NOT NULL DEFAULT 0
   );`,
  // 2: how each source was last fetched (full export or incremental), and records by age.
  `ALTER TABLE sources ADD COLUMN mode TEXT;
   CREATE INDEX records_source ON records (source);`,
  // 3: compact copies of what matching reads: record heads in a table of their own (a row
  // holding the whole advisory would have to be read past), per-package affected entries.
  (db) => {
    db.exec('CREATE TABLE heads (rid INTEGER PRIMARY KEY, id TEXT NOT NULL, withdrawn INTEGER NOT NULL, head TEXT NOT NULL); ALTER TABLE affected ADD COLUMN data TEXT;');
    const setHead = db.prepare('INSERT INTO heads (rid, id, withdrawn, head) VALUES (?, ?, ?, ?)');
    const setData = db.prepare('UPDATE affected SET data = ? WHERE rid = ? AND ecosystem = ? AND name = ?');
    for (const row of db.prepare('SELECT rid, json FROM records').iterate() as Iterable<{ rid: number; json: string }>) {
      const record = JSON.parse(row.json) as OsvRecord;
      setHead.run(row.rid, String(record.id), record.withdrawn === undefined ? 0 : 1, recordHead(record));
      for (const a of affectedByPackage(record).values()) setData.run(a.data, row.rid, a.ecosystem, a.name);
    }
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function schemaVersion(db: DatabaseSync): number {
  return (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
}

/** Brings `db` to SCHEMA_VERSION (or to `target`, for tests of the migrations themselves). */
export function migrate(db: DatabaseSync, path: string, target = SCHEMA_VERSION): void {
  const from = schemaVersion(db);
  if (from > SCHEMA_VERSION) {
    throw new BosunError('E_DB_VERSION', `${path}: store schema version ${from} is newer than this bosun understands (${SCHEMA_VERSION}); upgrade bosun or run bosun db update --full`);
  }
  for (let v = from; v < target; v++) {
    db.exec('BEGIN');
    try {
      const step = MIGRATIONS[v]!;
      if (typeof step === 'string') db.exec(step);
      else step(db);
      db.exec(`PRAGMA user_version = ${v + 1}`);
      db.exec('COMMIT');
    } catch (err) {
      try {
        db.exec('ROLLBACK');
      } catch {
        // without a journal (a store being built) there is nothing to roll back: the file is discarded
      }
      throw err;
    }
  }
}
