/**
 * A zip reader for OSV exports: the central directory (with ZIP64, since an ecosystem's
 * `all.zip` can hold more than 65,535 records) is read from the end of the file, then entries
 * are inflated one at a time with node:zlib and checked against their CRC-32 and size. Only
 * stored and deflated entries exist in OSV exports; anything else, or any mismatch, is a
 * corrupt archive (`E_ZIP_CORRUPT`), so a damaged download never half-imports.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32, inflateRawSync } from 'node:zlib';
import { BosunError } from '../../core/errors.ts';

export interface ZipEntry {
  name: string;
  data: Buffer;
  /**
   * The entry's raw deflate stream as stored in the archive (deflated entries only), already
   * checked through `data`'s CRC-32. A view into the reader's window: valid only until the next
   * entry is read, so a consumer that keeps it copies it.
   */
  compressed?: Buffer;
}

interface CentralEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX = 0xffffffff;

/** One record larger than this is not an OSV record but an attack on memory. */
export const MAX_ENTRY_BYTES = 64 * 1024 * 1024;

function corrupt(path: string, why: string): BosunError {
  return new BosunError('E_ZIP_CORRUPT', `${path}: corrupt zip archive (${why})`);
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? buf : buf.subarray(0, done);
}

function findEnd(fd: number, size: number, path: string): { count: number; cdOffset: number; cdSize: number } {
  const tail = Math.min(size, 22 + 0xffff);
  const buf = readAt(fd, size - tail, tail);
  for (let i = buf.length - 22; i >= 0; i--) {
    if (buf.readUInt32LE(i) !== EOCD) continue;
    let count = buf.readUInt16LE(i + 10);
    let cdSize = buf.readUInt32LE(i + 12);
    let cdOffset = buf.readUInt32LE(i + 16);
    if (count === 0xffff || cdSize === MAX || cdOffset === MAX) {
      const locAt = size - tail + i - 20;
      if (locAt < 0) throw corrupt(path, 'ZIP64 locator missing');
      const loc = readAt(fd, locAt, 20);
      if (loc.readUInt32LE(0) !== ZIP64_LOCATOR) throw corrupt(path, 'ZIP64 locator missing');
      const z = readAt(fd, Number(loc.readBigUInt64LE(8)), 56);
      if (z.length < 56 || z.readUInt32LE(0) !== ZIP64_EOCD) throw corrupt(path, 'ZIP64 end record missing');
      count = Number(z.readBigUInt64LE(32));
      cdSize = Number(z.readBigUInt64LE(40));
      cdOffset = Number(z.readBigUInt64LE(48));
    }
    if (cdOffset + cdSize > size) throw corrupt(path, 'central directory lies beyond the end of the file (truncated?)');
    return { count, cdOffset, cdSize };
  }
  throw corrupt(path, 'no end-of-central-directory record (truncated or not a zip)');
}

/**
 * The central directory, checked entry by entry, kept as its bytes plus where each entry
 * starts: an export's 500,000 entries would otherwise be 500,000 objects on every thread that
 * reads it. `centralEntry` decodes one when it is read.
 */
interface CentralDirectory {
  cd: Buffer;
  starts: Float64Array;
}

function readCentral(fd: number, size: number, path: string): CentralDirectory {
  const { count, cdOffset, cdSize } = findEnd(fd, size, path);
  const cd = readAt(fd, cdOffset, cdSize);
  const starts = new Float64Array(count);
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL) throw corrupt(path, `central directory entry ${n} is damaged`);
    starts[n] = p;
    p += 46 + cd.readUInt16LE(p + 28) + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
  }
  if (p > cd.length) throw corrupt(path, `central directory entry ${count - 1} is damaged`);
  return { cd, starts };
}

function centralEntry(cd: Buffer, p: number): CentralEntry {
  const nameLen = cd.readUInt16LE(p + 28);
  const extraLen = cd.readUInt16LE(p + 30);
  const e: CentralEntry = {
    flags: cd.readUInt16LE(p + 8),
    method: cd.readUInt16LE(p + 10),
    crc: cd.readUInt32LE(p + 16),
    compressedSize: cd.readUInt32LE(p + 20),
    size: cd.readUInt32LE(p + 24),
    localOffset: cd.readUInt32LE(p + 42),
    name: cd.toString('utf8', p + 46, p + 46 + nameLen),
  };
  applyZip64Extra(e, cd.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen));
  return e;
}

/** ZIP64 extended information (0x0001): 64-bit values for the fields set to 0xFFFFFFFF, in order. */
function applyZip64Extra(e: CentralEntry, extra: Buffer): void {
  let q = 0;
  while (q + 4 <= extra.length) {
    const id = extra.readUInt16LE(q);
    const len = extra.readUInt16LE(q + 2);
    if (id === 0x0001) {
      let r = q + 4;
      const next = (): number => {
        const v = Number(extra.readBigUInt64LE(r));
        r += 8;
        return v;
      };
      if (e.size === MAX) e.size = next();
      if (e.compressedSize === MAX) e.compressedSize = next();
      if (e.localOffset === MAX) e.localOffset = next();
    }
    q += 4 + len;
  }
}

/**
 * Reads the archive through a large window: entries are small and stored one after the other,
 * so one read serves thousands of them instead of two reads each.
 */
class WindowReader {
  private buf: Buffer = Buffer.alloc(0);
  private start = 0;
  private readonly fd: number;
  constructor(fd: number) {
    this.fd = fd;
  }
  read(position: number, length: number): Buffer {
    if (position < this.start || position + length > this.start + this.buf.length) {
      this.buf = readAt(this.fd, position, Math.max(length, WINDOW_BYTES));
      this.start = position;
    }
    const from = position - this.start;
    return this.buf.subarray(from, Math.min(from + length, this.buf.length));
  }
}

const WINDOW_BYTES = 4 * 1024 * 1024;

function readEntry(reader: WindowReader, e: CentralEntry, path: string): ZipEntry {
  if ((e.flags & 1) !== 0) throw corrupt(path, `${e.name}: encrypted entries are not supported`);
  if (e.size > MAX_ENTRY_BYTES) throw corrupt(path, `${e.name}: entry of ${e.size} bytes exceeds ${MAX_ENTRY_BYTES}`);
  const header = reader.read(e.localOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL) throw corrupt(path, `${e.name}: local header missing`);
  const start = e.localOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const raw = reader.read(start, e.compressedSize);
  if (raw.length !== e.compressedSize) throw corrupt(path, `${e.name}: data truncated`);
  let data: Buffer;
  if (e.method === 0) data = Buffer.from(raw);
  else if (e.method === 8) {
    try {
      // One output chunk of the announced size (plus room to see the stream end) instead of
      // zlib's 16 KiB default: a third less work for the small entries exports are made of.
      data = inflateRawSync(raw, { maxOutputLength: MAX_ENTRY_BYTES, chunkSize: Math.max(64, e.size + 64) });
    } catch (err) {
      throw corrupt(path, `${e.name}: ${(err as Error).message}`);
    }
  } else throw corrupt(path, `${e.name}: compression method ${e.method} is not supported`);
  if (data.length !== e.size) throw corrupt(path, `${e.name}: size mismatch`);
  if (crc32(data) !== e.crc) throw corrupt(path, `${e.name}: CRC-32 mismatch`);
  return e.method === 8 ? { name: e.name, data, compressed: raw } : { name: e.name, data };
}

/** The files in a zip archive, one at a time (directories skipped). */
export function* readZip(path: string, options: { select?: (index: number) => boolean } = {}): Generator<ZipEntry> {
  const zip = openZip(path);
  try {
    for (let i = 0; i < zip.count; i++) {
      if (options.select !== undefined && !options.select(i)) continue;
      const entry = zip.entry(i);
      if (entry !== undefined) yield entry;
    }
  } finally {
    zip.close();
  }
}

export interface ZipArchive {
  /** Entries in the central directory, directories included. */
  count: number;
  /** Entry `i` (in central-directory order), read and checked; undefined for a directory. */
  entry(i: number): ZipEntry | undefined;
  close(): void;
}

/** Opens an archive and reads its central directory; entries are read on demand. */
export function openZip(path: string): ZipArchive {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new BosunError('E_INPUT', `${path}: cannot open (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
  }
  try {
    const { cd, starts } = readCentral(fd, fstatSync(fd).size, path);
    const reader = new WindowReader(fd);
    return {
      count: starts.length,
      entry(i) {
        const e = centralEntry(cd, starts[i]!);
        return e.name.endsWith('/') ? undefined : readEntry(reader, e, path);
      },
      close: () => closeSync(fd),
    };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}
