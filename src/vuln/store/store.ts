/**
 * Reading the vulnerability store: lookups by (ecosystem, package name) for matching, and a
 * status summary. The store is a node:sqlite database (no native addon) opened read-only;
 * updates never write to it in place (see `swap.ts`).
 */
import { existsSync, statSync } from 'node:fs';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { BosunError } from '../../core/errors.ts';
import type { OsvAffected, OsvRecord } from '../osv/record.ts';
import { packageKey } from '../osv/record.ts';
import { restoreAffected } from './compact.ts';
import { defaultStorePath } from './paths.ts';
import { PACKAGE_KEY_BITS, SCHEMA_VERSION, schemaVersion } from './schema.ts';

export interface SourceStatus {
  /** Ecosystem directory of the export (`npm`, `Debian`), or `import:<path>`. */
  name: string;
  url: string | undefined;
  updatedAt: string;
  newestModified: string | undefined;
  records: number;
  skipped: number;
  mode: string | undefined;
}

export interface StoreStatus {
  path: string;
  schemaVersion: number;
  records: number;
  withdrawn: number;
  bytes: number;
  /** Records per affected ecosystem (`Debian:12`, `npm`). */
  ecosystems: Array<{ ecosystem: string; records: number }>;
  sources: SourceStatus[];
  /** The oldest `updatedAt` over the sources: what the freshness check uses. */
  updatedAt: string | undefined;
}

/** A record as matching first sees it: enough to evaluate, the rest parsed only on a hit. */
export interface Candidate {
  id: string;
  withdrawn: boolean;
  /** This package's entries only. */
  affected: OsvAffected[];
  /** The record trimmed as `lookup` returns it. */
  record(): OsvRecord;
}

export interface VulnStore {
  readonly path: string;
  /** The records naming the package, lazily: matching parses a record's head only when it matches. */
  candidates(ecosystem: string, name: string): Candidate[];
  /**
   * Records naming the package in `affected[]`, withdrawn ones included (matching skips them),
   * trimmed to what matching reads: no `details` or `credits`, and only this package's entries
   * in `affected`.
   */
  lookup(ecosystem: string, name: string): OsvRecord[];
  /** Record IDs only (for comparing matching cost with the bare lookup cost). */
  lookupIds(ecosystem: string, name: string): string[];
  /** Every distinct ecosystem in the store (`Debian:12`, `Alpine:v3.18`, `npm`), or those starting with `prefix`. */
  ecosystems(prefix?: string): string[];
  status(): StoreStatus;
  close(): void;
}

/** Opens the store read-only; `E_DB_MISSING` when there is none yet. */
export function openStore(path: string = defaultStorePath()): VulnStore {
  if (!existsSync(path)) throw new BosunError('E_DB_MISSING', `no vulnerability store at ${path}: run "bosun db update" (or "bosun db import PATH") first`);
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path, { readOnly: true });
    // Lookups jump around the file: mapped pages instead of a read call per page.
    db.exec('PRAGMA mmap_size = 4294967296');
  } catch (err) {
    throw new BosunError('E_DB_CORRUPT', `${path}: cannot open the vulnerability store (${(err as Error).message}); run "bosun db update --full"`, { cause: err });
  }
  const version = checkSchema(db, path);
  return readStore(db, path, version);
}

function checkSchema(db: DatabaseSync, path: string): number {
  let version: number;
  try {
    version = schemaVersion(db);
    db.prepare('SELECT count(*) FROM records').get();
  } catch (err) {
    db.close();
    throw new BosunError('E_DB_CORRUPT', `${path}: not a bosun vulnerability store (${(err as Error).message}); run "bosun db update --full"`, { cause: err });
  }
  if (version !== SCHEMA_VERSION) {
    db.close();
    if (version > SCHEMA_VERSION) throw new BosunError('E_DB_VERSION', `${path}: store schema version ${version} is newer than this bosun understands (${SCHEMA_VERSION}); upgrade bosun`);
    throw new BosunError('E_DB_VERSION', `${path}: store schema version ${version} is older than ${SCHEMA_VERSION}; run "bosun db update" to migrate it`);
  }
  return version;
}

function readStore(db: DatabaseSync, path: string, version: number): VulnStore {
  const byPackage: StatementSync = db.prepare(`SELECT r.rid AS rid, r.id AS id, r.withdrawn AS withdrawn, a.data AS data FROM affected a JOIN records r ON r.rid = a.key >> ${PACKAGE_KEY_BITS} WHERE a.ecosystem = ? AND a.name = ?`);
  const idsByPackage: StatementSync = db.prepare(`SELECT DISTINCT r.id AS id FROM affected a JOIN records r ON r.rid = a.key >> ${PACKAGE_KEY_BITS} WHERE a.ecosystem = ? AND a.name = ?`);
  const headText: StatementSync = db.prepare('SELECT head FROM raw WHERE rid = ?');
  const firstEcosystem: StatementSync = db.prepare('SELECT ecosystem FROM affected WHERE ecosystem >= ? ORDER BY ecosystem LIMIT 1');
  const nextEcosystem: StatementSync = db.prepare('SELECT ecosystem FROM affected WHERE ecosystem > ? ORDER BY ecosystem LIMIT 1');
  // Record heads are shared between packages of one scan (a GHSA lists many packages).
  const heads = new Map<number, OsvRecord>();
  const headOf = (rid: number): OsvRecord => {
    let head = heads.get(rid);
    if (head === undefined) {
      const row = headText.get(rid) as { head: string } | undefined;
      if (row === undefined) throw new BosunError('E_DB_CORRUPT', `${path}: record ${rid} has no stored head; run "bosun db update --full"`);
      head = JSON.parse(row.head) as OsvRecord;
      heads.set(rid, head);
    }
    return head;
  };
  const candidates = (ecosystem: string, name: string): Candidate[] => {
    const key = packageKey(ecosystem, name);
    return (byPackage.all(ecosystem, key) as Array<{ rid: number; id: string; withdrawn: number; data: string }>).map((row) => {
      const affected = restoreAffected(ecosystem, key, row.data);
      return { id: row.id, withdrawn: row.withdrawn !== 0, affected, record: () => ({ ...headOf(row.rid), affected }) };
    });
  };
  return {
    path,
    candidates,
    lookup(ecosystem, name) {
      return candidates(ecosystem, name).map((c) => c.record());
    },
    lookupIds(ecosystem, name) {
      return (idsByPackage.all(ecosystem, packageKey(ecosystem, name)) as Array<{ id: string }>).map((r) => r.id);
    },
    ecosystems(prefix = '') {
      // A skip scan over the package index: one probe per distinct ecosystem, not one per row.
      const out: string[] = [];
      let row = firstEcosystem.get(prefix) as { ecosystem: string } | undefined;
      while (row !== undefined && row.ecosystem.startsWith(prefix)) {
        out.push(row.ecosystem);
        row = nextEcosystem.get(row.ecosystem) as { ecosystem: string } | undefined;
      }
      return out;
    },
    status() {
      return storeStatus(db, path, version);
    },
    close() {
      heads.clear();
      db.close();
    },
  };
}

function storeStatus(db: DatabaseSync, path: string, version: number): StoreStatus {
  const totals = db.prepare('SELECT count(*) AS records, coalesce(sum(withdrawn), 0) AS withdrawn FROM records').get() as { records: number; withdrawn: number };
  const ecosystems = db.prepare(`SELECT ecosystem, count(DISTINCT key >> ${PACKAGE_KEY_BITS}) AS records FROM affected GROUP BY ecosystem ORDER BY ecosystem`).all() as Array<{ ecosystem: string; records: number }>;
  const sources = (db.prepare("SELECT name, url, updated_at, newest_modified, records, skipped, mode FROM sources WHERE updated_at <> '' ORDER BY name").all() as Array<Record<string, string | number | null>>).map(
    (r): SourceStatus => ({
      name: String(r['name']),
      url: r['url'] === null ? undefined : String(r['url']),
      updatedAt: String(r['updated_at']),
      newestModified: r['newest_modified'] === null ? undefined : String(r['newest_modified']),
      records: Number(r['records']),
      skipped: Number(r['skipped']),
      mode: r['mode'] === null ? undefined : String(r['mode']),
    }),
  );
  const updatedAt = sources.map((s) => s.updatedAt).sort()[0];
  return { path, schemaVersion: version, records: totals.records, withdrawn: totals.withdrawn, bytes: statSync(path).size, ecosystems: ecosystems.map((e) => ({ ecosystem: e.ecosystem, records: e.records })), sources, updatedAt };
}

export interface Freshness {
  ok: boolean;
  /** Age of the oldest source, in milliseconds (undefined for an empty store). */
  ageMs: number | undefined;
  message: string | undefined;
}

/** Is the store younger than `maxAgeMs`? The message says how old it is and what to run. */
export function checkFreshness(status: StoreStatus, maxAgeMs: number, now: Date = new Date()): Freshness {
  if (status.updatedAt === undefined) return { ok: false, ageMs: undefined, message: `vulnerability store ${status.path} has never been updated: run "bosun db update"` };
  const ageMs = now.getTime() - Date.parse(status.updatedAt);
  if (ageMs <= maxAgeMs) return { ok: true, ageMs, message: undefined };
  return { ok: false, ageMs, message: `vulnerability store is ${formatAge(ageMs)} old (limit ${formatAge(maxAgeMs)}): run "bosun db update"` };
}

export function formatAge(ms: number): string {
  const h = ms / 3_600_000;
  if (h < 1) return `${Math.max(0, Math.round(ms / 60_000))}m`;
  if (h < 48) return `${Math.round(h)}h`;
  return `${Math.round(h / 24)}d`;
}

/** `7d`, `36h`, `90m` → milliseconds; `flag` names the option in the error. */
export function parseAge(text: string, flag = '--max-db-age'): number {
  const m = /^(\d+)(m|h|d)$/.exec(text.trim());
  if (m === null) throw new BosunError('E_USAGE', `${flag}: "${text}" is not an age such as 24h, 7d or 90m`);
  return Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd'];
}
