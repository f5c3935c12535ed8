/**
 * The store's schema and its migrations. `PRAGMA user_version` holds the schema version; a
 * store written by an older bosun is migrated step by step when opened for writing, and one
 * written by a newer bosun is refused rather than misread.
 */
import type { DatabaseSync } from 'node:sqlite';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { BosunError } from '../../core/errors.ts';
import type { OsvRecord } from '../osv/record.ts';
import { affectedRows, recordHead } from './compact.ts';

/**
 * Package rows are keyed `rid * 2^20 + k` (k-th package of record `rid`): a record's rows are
 * one key range, found and replaced without an index on the record.
 */
export const PACKAGE_KEY_BITS = 20;
export const PACKAGE_KEY_SPAN = 2 ** PACKAGE_KEY_BITS;

/** The lookup indexes; a store built from empty creates them after the bulk insert. */
export const INDEXES = [
  'CREATE INDEX IF NOT EXISTS records_id ON records (id)',
  'CREATE INDEX IF NOT EXISTS records_source ON records (source)',
  'CREATE INDEX IF NOT EXISTS affected_package ON affected (ecosystem, name)',
];
export const INDEX_NAMES = ['records_id', 'records_source', 'affected_package'];

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
  // (Schema 3 kept record heads and per-package entries beside the JSON; schema 4 replaces all
  // of it, so this step only makes the tables schema 4 reads from.)
  `CREATE TABLE heads (rid INTEGER PRIMARY KEY, id TEXT NOT NULL, withdrawn INTEGER NOT NULL, head TEXT NOT NULL);
   ALTER TABLE affected ADD COLUMN data TEXT;`,
  // 4: a third of the size and a quarter of the writes: the record's text deflated in a table of
  // its own (`raw`), narrow `records` rows with an integer source, package rows keyed by record
  // (no index on the record), and no copy of the record head (read from `raw` on a hit).
  (db) => {
    db.exec(`CREATE TABLE sources4 (
       sid INTEGER PRIMARY KEY,
       name TEXT NOT NULL UNIQUE,
       url TEXT,
       updated_at TEXT NOT NULL,
       newest_modified TEXT,
       records INTEGER NOT NULL DEFAULT 0,
       skipped INTEGER NOT NULL DEFAULT 0,
       mode TEXT
     );
     INSERT INTO sources4 (name, url, updated_at, newest_modified, records, skipped, mode) SELECT name, url, updated_at, newest_modified, records, skipped, mode FROM sources ORDER BY name;
     INSERT OR IGNORE INTO sources4 (name, updated_at) SELECT DISTINCT source, '' FROM records;
     CREATE TABLE records4 (rid INTEGER PRIMARY KEY, id TEXT NOT NULL, modified TEXT NOT NULL, withdrawn INTEGER NOT NULL, source INTEGER NOT NULL);
     CREATE TABLE raw (rid INTEGER PRIMARY KEY, data BLOB NOT NULL);
     CREATE TABLE affected4 (key INTEGER PRIMARY KEY, ecosystem TEXT NOT NULL, name TEXT NOT NULL, data TEXT NOT NULL);
     INSERT INTO records4 (rid, id, modified, withdrawn, source) SELECT r.rid, r.id, r.modified, r.withdrawn, s.sid FROM records r JOIN sources4 s ON s.name = r.source;`);
    const putRaw = db.prepare('INSERT INTO raw (rid, data) VALUES (?, ?)');
    const putPackage = db.prepare('INSERT INTO affected4 (key, ecosystem, name, data) VALUES (?, ?, ?, ?)');
    for (const row of db.prepare('SELECT rid, json FROM records').iterate() as Iterable<{ rid: number; json: string }>) {
      putRaw.run(row.rid, deflateRawSync(row.json));
      affectedRows(JSON.parse(row.json) as OsvRecord).forEach(([ecosystem, name, data], k) => putPackage.run(row.rid * PACKAGE_KEY_SPAN + k, ecosystem, name, data));
    }
    db.exec(`DROP TABLE heads; DROP TABLE affected; DROP TABLE records; DROP TABLE sources;
     ALTER TABLE sources4 RENAME TO sources;
     ALTER TABLE records4 RENAME TO records;
     ALTER TABLE affected4 RENAME TO affected;
     ${INDEXES.join(';\n')};`);
  },
  // 5: the record head (IDs, summary, severity, references: what a finding shows) as JSON beside
  // the deflated text, so a match reads a few hundred bytes instead of inflating the record.
  (db) => {
    db.exec("ALTER TABLE raw ADD COLUMN head TEXT NOT NULL DEFAULT ''");
    const setHead = db.prepare('UPDATE raw SET head = ? WHERE rid = ?');
    for (const row of db.prepare('SELECT rid, data FROM raw').iterate() as Iterable<{ rid: number; data: Uint8Array }>) {
      setHead.run(JSON.stringify(recordHead(JSON.parse(inflateRawSync(row.data).toString('utf8')) as OsvRecord)), row.rid);
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
