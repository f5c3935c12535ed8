/**
 * rpm databases, read in TypeScript: SQLite (`rpmdb.sqlite`, RHEL 9+/Fedora/Mariner; table
 * `Packages(hnum, blob)`) through node:sqlite, and NDB (`Packages.db`, SUSE; rpm's
 * lib/backend/ndb: a slot table of {magic "Slot", pkgidx, blkoff, blkcnt} pointing at blobs
 * {magic "BlbS", pkgidx, generation, length} in 16-byte blocks) and Berkeley DB hash (`Packages`,
 * RHEL ≤ 8; bdb.ts).
 * version = VERSION-RELEASE, epoch separate; SOURCERPM gives the source package.
 */
import { DatabaseSync } from 'node:sqlite';
import { BosunError } from '../../../core/errors.ts';
import type { Analyzer } from '../types.ts';
import type { Package } from '../../types.ts';
import { normalizeLicense } from '../../licenses/normalize.ts';
import { isBerkeleyHash, readBerkeleyHashValues } from './bdb.ts';
import { parseRpmHeader, TAG, type HeaderValue } from './header.ts';

export function packageFromHeader(h: Map<number, HeaderValue>, path: string): Package | undefined {
  const name = h.get(TAG.name);
  const version = h.get(TAG.version);
  if (typeof name !== 'string' || typeof version !== 'string') return undefined;
  // gpg-pubkey pseudo packages carry keys, not software.
  if (name === 'gpg-pubkey') return undefined;
  const release = h.get(TAG.release);
  const pkg: Package = { name, version: typeof release === 'string' && release !== '' ? `${version}-${release}` : version, ecosystem: 'rpm', purl: '', licenses: [], path };
  const epoch = h.get(TAG.epoch);
  if (typeof epoch === 'number' && epoch !== 0) pkg.epoch = epoch;
  const arch = h.get(TAG.arch);
  if (typeof arch === 'string') pkg.arch = arch;
  const lic = h.get(TAG.license);
  if (typeof lic === 'string' && lic !== '') pkg.licenses = [normalizeLicense(lic)];
  const srpm = h.get(TAG.sourcerpm);
  if (typeof srpm === 'string' && srpm !== '' && srpm !== '(none)') {
    // name-version-release.src.rpm
    const m = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(srpm);
    if (m !== null) pkg.source = { name: m[1]!, version: `${m[2]}-${m[3]}` };
  }
  const req = h.get(TAG.requirename);
  if (Array.isArray(req)) {
    // Requires are capabilities; only those that are plain package names can become edges.
    const deps = [...new Set(req.filter((r) => /^[A-Za-z0-9_+-][A-Za-z0-9._+-]*$/.test(r) && !/\.so(\.|$)/.test(r)))];
    if (deps.length > 0) pkg.dependsOn = deps;
  }
  return pkg;
}

/**
 * Opened in memory with `deserialize`, so nothing is written to disk. rpm keeps the database in
 * WAL mode (header bytes 18–19 = 2), which an in-memory database cannot use; a copy with the
 * legacy journal mode (1) reads the same pages (sqlite.org/fileformat.html §1.3.3).
 */
export function parseRpmSqlite(content: Buffer, path: string): Package[] {
  if (content.length === 0) throw new BosunError('E_PACKAGE_DB', `${path}: empty rpm sqlite database`);
  const image = Buffer.from(content);
  if (image.length > 19 && image[18] === 2 && image[19] === 2) {
    image[18] = 1;
    image[19] = 1;
  }
  const db = new DatabaseSync(':memory:');
  try {
    try {
      (db as DatabaseSync & { deserialize(data: Uint8Array): void }).deserialize(image);
    } catch (err) {
      throw new BosunError('E_PACKAGE_DB', `${path}: not an SQLite rpm database (${(err as Error).message})`, { cause: err });
    }
    const rows = db.prepare('SELECT blob FROM Packages ORDER BY hnum').all() as { blob: Uint8Array }[];
    const out: Package[] = [];
    for (const r of rows) {
      const p = packageFromHeader(parseRpmHeader(r.blob), path);
      if (p !== undefined) out.push(p);
    }
    return out;
  } catch (err) {
    if (err instanceof BosunError) throw err;
    throw new BosunError('E_PACKAGE_DB', `${path}: cannot read rpm sqlite database (${(err as Error).message})`, { cause: err });
  } finally {
    db.close();
  }
}

const NDB_MAGIC = 0x506d7052; // "RpmP"
const SLOT_MAGIC = 0x746f6c53; // "Slot"
const BLOB_MAGIC = 0x53626c42; // "BlbS"
const NDB_PAGE = 4096;
const NDB_BLOCK = 16;

export function parseRpmNdb(buf: Buffer, path: string): Package[] {
  if (buf.length < 32 || buf.readUInt32LE(0) !== NDB_MAGIC) throw new BosunError('E_PACKAGE_DB', `${path}: not an rpm NDB database`);
  const slotPages = buf.readUInt32LE(12);
  const slotsEnd = Math.min(slotPages * NDB_PAGE, buf.length);
  const out: Package[] = [];
  // The first two 16-byte slots hold the file header.
  for (let off = 32; off + 16 <= slotsEnd; off += 16) {
    if (buf.readUInt32LE(off) !== SLOT_MAGIC) continue;
    const pkgIdx = buf.readUInt32LE(off + 4);
    const blkOff = buf.readUInt32LE(off + 8);
    if (pkgIdx === 0) continue;
    const start = blkOff * NDB_BLOCK;
    if (start + 16 > buf.length || buf.readUInt32LE(start) !== BLOB_MAGIC) throw new BosunError('E_PACKAGE_DB', `${path}: NDB slot points at no blob`);
    const len = buf.readUInt32LE(start + 12);
    if (start + 16 + len > buf.length) throw new BosunError('E_PACKAGE_DB', `${path}: NDB blob truncated`);
    const p = packageFromHeader(parseRpmHeader(buf.subarray(start + 16, start + 16 + len)), path);
    if (p !== undefined) out.push(p);
  }
  return out;
}

const SQLITE = new Set(['var/lib/rpm/rpmdb.sqlite', 'usr/lib/sysimage/rpm/rpmdb.sqlite', 'usr/share/rpm/rpmdb.sqlite']);
const NDB = new Set(['var/lib/rpm/Packages.db', 'usr/lib/sysimage/rpm/Packages.db']);
const BDB = new Set(['var/lib/rpm/Packages', 'usr/lib/sysimage/rpm/Packages']);

export function parseRpmDb(content: Buffer, path: string): Package[] {
  if (content.subarray(0, 16).toString('latin1').startsWith('SQLite format 3')) return parseRpmSqlite(content, path);
  if (content.length >= 4 && content.readUInt32LE(0) === NDB_MAGIC) return parseRpmNdb(content, path);
  if (content.length === 0) throw new BosunError('E_PACKAGE_DB', `${path}: empty rpm database`);
  if (isBerkeleyHash(content)) {
    const out: Package[] = [];
    for (const blob of readBerkeleyHashValues(content, path)) {
      // Key 0 of rpm's Packages holds the next free instance number, not a header.
      if (blob.length < 16) continue;
      const p = packageFromHeader(parseRpmHeader(blob), path);
      if (p !== undefined) out.push(p);
    }
    return out;
  }
  throw new BosunError('E_PACKAGE_DB', `${path}: not an rpm database (SQLite, NDB or Berkeley DB)`);
}

export const rpmAnalyzer: Analyzer = {
  name: 'rpm',
  version: 1,
  maxBytes: 512 * 1024 * 1024,
  wants: (path) => SQLITE.has(path) || NDB.has(path) || BDB.has(path),
  analyze: (file) => ({ packages: parseRpmDb(file.content, file.path) }),
};
