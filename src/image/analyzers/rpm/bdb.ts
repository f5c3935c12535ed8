/**
 * Berkeley DB hash databases as rpm ≤ 4.15 writes `Packages` (RHEL/CentOS ≤ 8, Amazon Linux 2):
 * page 0 is the hash metadata page (magic 0x061561, page size); every hash page (type 2 or 13)
 * holds key/value item pairs; rpm's values are header blobs stored off-page (H_OFFPAGE, type 3)
 * in a chain of overflow pages (type 7) or, when small, inline (H_KEYDATA, type 1).
 * Page header (26 bytes): lsn 8, pgno 4, prev 4, next 4, entries 2, hf_offset 2, level 1, type 1.
 */
import { BosunError } from '../../../core/errors.ts';

const HASH_MAGIC = 0x061561;
const P_HASH_UNSORTED = 2;
const P_HASH = 13;
const P_OVERFLOW = 7;
const H_KEYDATA = 1;
const H_OFFPAGE = 3;
const HEADER = 26;

export function isBerkeleyHash(buf: Buffer): boolean {
  return buf.length >= 512 && (buf.readUInt32LE(12) === HASH_MAGIC || buf.readUInt32BE(12) === HASH_MAGIC);
}

/** Every value of the hash database (rpm header blobs), in page order. */
export function readBerkeleyHashValues(buf: Buffer, path: string): Buffer[] {
  if (!isBerkeleyHash(buf)) throw new BosunError('E_PACKAGE_DB', `${path}: not a Berkeley DB hash database`);
  const le = buf.readUInt32LE(12) === HASH_MAGIC;
  const u32 = (off: number) => (le ? buf.readUInt32LE(off) : buf.readUInt32BE(off));
  const u16 = (off: number) => (le ? buf.readUInt16LE(off) : buf.readUInt16BE(off));
  const pageSize = u32(20);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) throw new BosunError('E_PACKAGE_DB', `${path}: bad Berkeley DB page size ${pageSize}`);
  const pages = Math.floor(buf.length / pageSize);
  const values: Buffer[] = [];
  for (let p = 1; p < pages; p++) {
    const base = p * pageSize;
    const type = buf[base + 25]!;
    if (type !== P_HASH && type !== P_HASH_UNSORTED) continue;
    const entries = u16(base + 20);
    // Offsets of items; pairs (key, value); an item ends where the previous (higher) one starts.
    const offsets: number[] = [];
    for (let i = 0; i < entries; i++) offsets.push(u16(base + HEADER + i * 2));
    for (let i = 1; i < entries; i += 2) {
      const off = offsets[i]!;
      if (off >= pageSize) throw new BosunError('E_PACKAGE_DB', `${path}: item offset outside page ${p}`);
      const itemType = buf[base + off]!;
      if (itemType === H_OFFPAGE) {
        values.push(readOverflow(buf, u32(base + off + 4), u32(base + off + 8), pageSize, pages, u32, u16, path));
      } else if (itemType === H_KEYDATA) {
        const end = i === 0 ? pageSize : offsets[i - 1]!;
        values.push(buf.subarray(base + off + 1, base + Math.min(end, pageSize)));
      }
    }
  }
  return values;
}

function readOverflow(buf: Buffer, first: number, total: number, pageSize: number, pages: number, u32: (o: number) => number, u16: (o: number) => number, path: string): Buffer {
  const parts: Buffer[] = [];
  let got = 0;
  let pg = first;
  const seen = new Set<number>();
  while (pg !== 0 && got < total) {
    if (pg >= pages || seen.has(pg)) throw new BosunError('E_PACKAGE_DB', `${path}: broken overflow chain at page ${pg}`);
    seen.add(pg);
    const base = pg * pageSize;
    if (buf[base + 25] !== P_OVERFLOW) throw new BosunError('E_PACKAGE_DB', `${path}: page ${pg} is not an overflow page`);
    const len = Math.min(u16(base + 22), pageSize - HEADER, total - got);
    parts.push(buf.subarray(base + HEADER, base + HEADER + len));
    got += len;
    pg = u32(base + 16);
  }
  if (got !== total) throw new BosunError('E_PACKAGE_DB', `${path}: overflow chain shorter than its ${total} bytes`);
  return Buffer.concat(parts);
}
