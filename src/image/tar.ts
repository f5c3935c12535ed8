/**
 * A streaming tar reader (POSIX ustar, pax `x`/`g` headers, GNU long names `L`/`K`, base-256
 * sizes). It is fed decompressed chunks and calls back once per entry, with the body only when the
 * caller asked for it (up to a byte cap), so a layer is read exactly once and bodies nobody wants
 * are skipped without being copied. Format facts: POSIX.1-2001 pax, GNU tar manual "Standard".
 *
 * Headers are read as Go's archive/tar reads them, because that is how containerd and Docker
 * unpack a layer: a file read differently here is a file the scan does not see. So the ustar
 * prefix is only used under the ustar magic (GNU headers keep atime/ctime there), numbers may be
 * padded with spaces or NULs on either side, a checksum may be the signed sum, a legacy regular
 * file whose name ends in `/` is a directory, global pax headers do not rename later entries, and
 * a zero block followed by anything but another ends the stream with an error.
 * test/image/tar-differential.test.ts compares every entry with Go's reader.
 */
import { BosunError } from '../core/errors.ts';

export type EntryType = 'file' | 'hardlink' | 'symlink' | 'char' | 'block' | 'dir' | 'fifo' | 'other';

export interface TarHeader {
  /** As written in the archive (before normalisation). */
  name: string;
  type: EntryType;
  mode: number;
  size: number;
  linkname: string;
  uid: number;
  gid: number;
}

/**
 * Called when an entry's header is complete. Return the number of body bytes wanted
 * (0 = skip the body); `onBody` then receives them when the entry ends.
 */
export interface TarHandler {
  onHeader(h: TarHeader): number;
  onBody(h: TarHeader, body: Buffer, truncatedToCap: boolean): void;
}

const BLOCK = 512;
/** Largest pax header, GNU long name or sparse map read (they are held whole). */
const MAX_META_BYTES = 1024 * 1024;

const TYPES: Record<string, EntryType> = { '0': 'file', '\0': 'file', '7': 'file', '1': 'hardlink', '2': 'symlink', '3': 'char', '4': 'block', '5': 'dir', '6': 'fifo' };

export class TarReader {
  #handler: TarHandler;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  // Current entry state.
  #header: TarHeader | undefined;
  #remaining = 0;
  #padding = 0;
  #want = 0;
  /** The wanted body, allocated once at its final size: one copy out of the stream, no concat. */
  #body: Buffer | undefined;
  #bodyBytes = 0;
  #metaType: string | undefined;
  #meta: Buffer[] = [];
  readonly #headers = new TarHeaderParser();
  /** A pax sparse file being read (GNU 0.x/1.0 formats): its map, and where its data goes. */
  #sparse: SparseState | undefined;
  #ended = false;
  entries = 0;

  constructor(handler: TarHandler) {
    this.#handler = handler;
  }

  /** True once the end-of-archive marker (two zero blocks) was read. */
  get ended(): boolean {
    return this.#ended;
  }

  write(chunk: Buffer): void {
    let off = 0;
    while (off < chunk.length && !this.#ended) {
      if (this.#header !== undefined || this.#metaType !== undefined) {
        off = this.#consumeBody(chunk, off);
        continue;
      }
      if (this.#padding > 0) {
        const n = Math.min(this.#padding, chunk.length - off);
        this.#padding -= n;
        off += n;
        continue;
      }
      // Gather one header block.
      const need = BLOCK - this.#pendingBytes;
      const n = Math.min(need, chunk.length - off);
      this.#pending.push(chunk.subarray(off, off + n));
      this.#pendingBytes += n;
      off += n;
      if (this.#pendingBytes === BLOCK) {
        const block = this.#pending.length === 1 ? this.#pending[0]! : Buffer.concat(this.#pending);
        this.#pending = [];
        this.#pendingBytes = 0;
        this.#onBlock(block);
      }
    }
  }

  /** Call at the end of the stream: a missing end marker after a complete entry is tolerated, a cut entry is not. */
  end(): void {
    if (this.#header !== undefined || this.#metaType !== undefined || this.#pendingBytes > 0) {
      throw new BosunError('E_LAYER_TRUNCATED', `tar stream ends inside an entry${this.#header ? ` (${this.#header.name})` : ''}`);
    }
  }

  #consumeBody(chunk: Buffer, off: number): number {
    const n = Math.min(this.#remaining, chunk.length - off);
    if (this.#metaType !== undefined) {
      this.#meta.push(chunk.subarray(off, off + n));
    } else if (this.#sparse !== undefined) {
      this.#sparseData(chunk.subarray(off, off + n));
    } else if (this.#bodyBytes < this.#want) {
      const take = Math.min(n, this.#want - this.#bodyBytes);
      // Copy: the decompressor reuses its buffers.
      chunk.copy(this.#body!, this.#bodyBytes, off, off + take);
      this.#bodyBytes += take;
    }
    this.#remaining -= n;
    off += n;
    if (this.#remaining === 0) this.#finishEntry();
    return off;
  }

  #finishEntry(): void {
    if (this.#metaType !== undefined) {
      const data = Buffer.concat(this.#meta);
      this.#metaType = undefined;
      this.#meta = [];
      this.#headers.meta(data);
    } else if (this.#header !== undefined) {
      const h = this.#header;
      this.#header = undefined;
      if (this.#sparse !== undefined) {
        const sp = this.#sparse;
        this.#sparse = undefined;
        if (sp.map === undefined || sp.index < sp.map.length) throw new BosunError('E_LAYER_CORRUPT', `tar sparse file ${h.name}: the data is shorter than its map`);
        // holes read as zeros: the whole logical prefix wanted is there
        this.#bodyBytes = Math.min(this.#want, h.size);
      }
      if (this.#want > 0) {
        const body = this.#body!.subarray(0, this.#bodyBytes);
        this.#body = undefined;
        const cut = h.size > this.#bodyBytes;
        this.#bodyBytes = 0;
        this.#want = 0;
        this.#handler.onBody(h, body, cut);
      }
    }
  }

  #onBlock(block: Buffer): void {
    const step = this.#headers.block(block);
    if (step.kind === 'zero') return;
    if (step.kind === 'end') {
      this.#ended = true;
      return;
    }
    if (step.kind === 'meta') {
      this.#metaType = step.typeflag;
      this.#remaining = step.size;
      this.#padding = (BLOCK - (step.size % BLOCK)) % BLOCK;
      if (step.size === 0) this.#finishEntry();
      return;
    }
    const { header, physical, sparse } = step;
    this.#remaining = physical;
    this.#padding = (BLOCK - (physical % BLOCK)) % BLOCK;
    if (sparse !== undefined) this.#sparse = { map: sparse.map, mapText: [], mapBytes: 0, newlines: 0, index: 0, within: 0, physical, logical: header.size };
    this.entries++;
    this.#want = Math.min(this.#handler.onHeader(header), sparse !== undefined ? header.size : physical);
    if (this.#want > 0) this.#body = sparse !== undefined ? Buffer.alloc(this.#want) : Buffer.allocUnsafe(this.#want);
    this.#header = header;
    if (this.#remaining === 0) this.#finishEntry();
  }

  /** Physical data of a pax sparse file: first (format 1.0) its map in whole blocks, then its fragments in order. */
  #sparseData(data: Buffer): void {
    const sp = this.#sparse!;
    let off = 0;
    // the 1.0 map: decimal lines (count, then offset and length per fragment) in whole blocks;
    // it is parsed once its text holds as many lines as it announces, and held to 1 MiB
    while (sp.map === undefined && off < data.length) {
      const take = Math.min(BLOCK - (sp.mapBytes % BLOCK), data.length - off);
      const part = data.subarray(off, off + take);
      // copy: the decompressor reuses its buffers
      sp.mapText.push(Buffer.from(part));
      for (const c of part) if (c === 0x0a) sp.newlines++;
      sp.mapBytes += take;
      off += take;
      if (sp.mapBytes % BLOCK !== 0) continue;
      if (sp.mapBytes > MAX_META_BYTES) throw new BosunError('E_LAYER_CORRUPT', `tar sparse file ${this.#header!.name}: map larger than ${MAX_META_BYTES} bytes`);
      const map = sp.newlines === 0 ? undefined : parseSparseMap1x0(Buffer.concat(sp.mapText).toString('latin1'), sp.newlines);
      if (map !== undefined) {
        validateSparse(map, sp.logical, this.#header!.name);
        sp.map = map;
        sp.mapText = [];
      } else if (sp.mapBytes >= sp.physical) throw new BosunError('E_LAYER_CORRUPT', `tar sparse file ${this.#header!.name}: map cut short`);
    }
    if (sp.map === undefined) return;
    while (off < data.length) {
      const frag = sp.map[sp.index];
      if (frag === undefined) throw new BosunError('E_LAYER_CORRUPT', `tar sparse file ${this.#header!.name}: data beyond its map`);
      const n = Math.min(frag.length - sp.within, data.length - off);
      const at = frag.offset + sp.within;
      if (at < this.#want) data.copy(this.#body!, at, off, off + Math.min(n, this.#want - at));
      sp.within += n;
      off += n;
      if (sp.within === frag.length) {
        sp.index++;
        sp.within = 0;
      }
    }
    // zero-length fragments at the end are complete without data
    while (sp.index < sp.map.length && sp.map[sp.index]!.length === 0) sp.index++;
  }
}

/** What one 512-byte block of a tar stream is, once read as Go's archive/tar reads it. */
export type HeaderStep =
  | { kind: 'zero' }
  | { kind: 'end' }
  /** A pax (`x`, `g`) or GNU long-name (`L`, `K`) header: pass its `size` bytes of data to meta(). */
  | { kind: 'meta'; typeflag: string; size: number }
  /** An entry: `physical` bytes of data follow (a sparse file's map and fragments, when `sparse`). */
  | { kind: 'entry'; header: TarHeader; physical: number; sparse?: { map: SparseEntry[] | undefined } };

/**
 * The header half of a tar reader, shared by the streaming reader and the archive index
 * (sources/tar-index.ts): the meaning of each header block, with the pax records and GNU long
 * names that came before it. A corrupt header is an E_LAYER_CORRUPT error.
 */
export class TarHeaderParser {
  #pax: Record<string, string> = {};
  #longName: string | undefined;
  #longLink: string | undefined;
  #metaType: string | undefined;
  #zeroBlocks = 0;

  block(block: Buffer): HeaderStep {
    if (isZero(block)) {
      this.#zeroBlocks++;
      return this.#zeroBlocks >= 2 ? { kind: 'end' } : { kind: 'zero' };
    }
    const corrupt = (why: string): never => {
      throw new BosunError('E_LAYER_CORRUPT', why);
    };
    if (this.#zeroBlocks > 0) corrupt('tar stream: a zero block followed by a header (a cut end-of-archive marker)');
    if (!checksumOk(block)) corrupt('tar header checksum mismatch (not a tar stream, or corrupt)');
    const typeflag = String.fromCharCode(block[156]!);
    const size = parseNumber(block, 124, 12);
    if (typeflag === 'x' || typeflag === 'g' || typeflag === 'L' || typeflag === 'K') {
      if (size > MAX_META_BYTES) corrupt(`tar metadata header of ${size} bytes`);
      this.#metaType = typeflag;
      return { kind: 'meta', typeflag, size };
    }
    if (typeflag === 'S') corrupt('tar: an old GNU sparse entry (type S), which container runtimes do not unpack');
    const pax = this.#pax;
    this.#pax = {};
    // Go's order: the header, then pax records (empty ones keep the header's value), then GNU long names
    let name = nonEmpty(this.#longName) ?? nonEmpty(pax['path']);
    if (name === undefined) {
      const prefix = ustarPrefix(block);
      const base = cString(block.subarray(0, 100));
      name = prefix === '' ? base : `${prefix}/${base}`;
    }
    const linkname = nonEmpty(this.#longLink) ?? nonEmpty(pax['linkpath']) ?? cString(block.subarray(157, 257));
    this.#longName = undefined;
    this.#longLink = undefined;
    // a legacy regular file (typeflag NUL) named with a trailing slash is a directory
    const type = typeflag === '\0' && name.endsWith('/') ? 'dir' : (TYPES[typeflag] ?? 'other');
    let realSize = nonEmpty(pax['size']) !== undefined ? paxInt(pax['size']!, 'size') : size;
    // links, directories, devices and fifos have no data, whatever their size field says
    const physical = HEADER_ONLY.has(type) ? 0 : realSize;
    const sparse = HEADER_ONLY.has(type) ? undefined : sparseOf(pax);
    if (sparse !== undefined) {
      if (sparse.name !== undefined) name = sparse.name;
      if (sparse.size !== undefined) realSize = sparse.size;
      if (sparse.map !== undefined) validateSparse(sparse.map, realSize, name);
    }
    const header: TarHeader = {
      name,
      type,
      mode: parseNumber(block, 100, 8),
      size: type === 'file' ? realSize : 0,
      linkname,
      uid: nonEmpty(pax['uid']) !== undefined ? paxInt(pax['uid']!, 'uid') : parseNumber(block, 108, 8),
      gid: nonEmpty(pax['gid']) !== undefined ? paxInt(pax['gid']!, 'gid') : parseNumber(block, 116, 8),
    };
    return { kind: 'entry', header, physical, ...(sparse !== undefined && { sparse: { map: sparse.map } }) };
  }

  /** The data of the last `meta` step. */
  meta(data: Buffer): void {
    const t = this.#metaType;
    this.#metaType = undefined;
    if (t === 'x') this.#pax = parsePax(data);
    else if (t === 'g') parsePax(data); // checked, not applied: Go's reader hands global headers to the caller, containerd ignores them
    else if (t === 'L') this.#longName = cString(data);
    else if (t === 'K') this.#longLink = cString(data);
  }
}

const HEADER_ONLY = new Set<EntryType>(['hardlink', 'symlink', 'char', 'block', 'dir', 'fifo']);

export interface SparseEntry {
  offset: number;
  length: number;
}

interface SparseState {
  /** Undefined until a 1.0 map is read from the data. */
  map: SparseEntry[] | undefined;
  mapText: Buffer[];
  mapBytes: number;
  /** Line ends in mapText so far: the map is parsed only once it has the lines it announces. */
  newlines: number;
  /** The fragment being filled, and how far. */
  index: number;
  within: number;
  physical: number;
  logical: number;
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s === '' ? undefined : s;
}

/** A pax decimal (Go's strconv.ParseInt): anything else is a corrupt header. */
function paxInt(v: string, key: string): number {
  if (!/^[-+]?[0-9]+$/.test(v)) throw new BosunError('E_LAYER_CORRUPT', `tar pax header: bad ${key} "${v.slice(0, 40)}"`);
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new BosunError('E_LAYER_CORRUPT', `tar pax header: ${key} ${v.slice(0, 40)} out of range`);
  return n;
}

/**
 * GNU's pax sparse formats, as Go's reader recognises them: 0.0/0.1 keep the map in records, 1.0
 * at the start of the data. The real name and size come from GNU.sparse.name and .size/.realsize.
 */
function sparseOf(pax: Record<string, string>): { name?: string; size?: number; map?: SparseEntry[] } | undefined {
  const major = pax['GNU.sparse.major'];
  const minor = pax['GNU.sparse.minor'];
  let is1x0: boolean;
  if (major === '0' && (minor === '0' || minor === '1')) is1x0 = false;
  else if (major === '1' && minor === '0') is1x0 = true;
  else if ((major ?? '') !== '' || (minor ?? '') !== '') return undefined; // an unknown version: a plain file, as Go reads it
  else if (nonEmpty(pax['GNU.sparse.map']) !== undefined) is1x0 = false;
  else return undefined;
  const out: { name?: string; size?: number; map?: SparseEntry[] } = {};
  const name = nonEmpty(pax['GNU.sparse.name']);
  if (name !== undefined) out.name = name;
  const size = nonEmpty(pax['GNU.sparse.size']) ?? nonEmpty(pax['GNU.sparse.realsize']);
  if (size !== undefined) out.size = paxInt(size, 'GNU.sparse.size');
  if (!is1x0) {
    const count = paxInt(pax['GNU.sparse.numblocks'] ?? '', 'GNU.sparse.numblocks');
    const parts = (pax['GNU.sparse.map'] ?? '') === '' ? [] : pax['GNU.sparse.map']!.split(',');
    if (parts.length !== 2 * count) throw new BosunError('E_LAYER_CORRUPT', 'tar pax header: GNU.sparse.map does not match GNU.sparse.numblocks');
    out.map = [];
    for (let i = 0; i < parts.length; i += 2) out.map.push({ offset: paxInt(parts[i]!, 'sparse offset'), length: paxInt(parts[i + 1]!, 'sparse length') });
  }
  return out;
}

/** The 1.0 map once its text (with `newlines` line ends) holds every line it announces, else undefined (read another block). */
function parseSparseMap1x0(text: string, newlines: number): SparseEntry[] | undefined {
  const first = text.slice(0, text.indexOf('\n'));
  const count = paxInt(first, 'sparse map count');
  if (newlines < 1 + 2 * count) return undefined;
  const lines = text.split('\n', 1 + 2 * count);
  const map: SparseEntry[] = [];
  for (let i = 0; i < count; i++) map.push({ offset: paxInt(lines[1 + 2 * i]!, 'sparse offset'), length: paxInt(lines[2 + 2 * i]!, 'sparse length') });
  return map;
}

/** Fragments in order, not overlapping, inside the file (the checks Go and BSD tar make). */
function validateSparse(map: SparseEntry[], size: number, name: string): void {
  let end = 0;
  for (const f of map) {
    if (f.offset < end || f.offset + f.length > size) throw new BosunError('E_LAYER_CORRUPT', `tar sparse file ${name}: fragments out of order or beyond its size`);
    end = f.offset + f.length;
  }
}

function isZero(block: Buffer): boolean {
  for (let i = 0; i < BLOCK; i += 8) if (block.readBigUInt64LE(i) !== 0n) return false;
  return true;
}

/** The stored checksum is the unsigned or (old Sun tar) the signed byte sum, the field counted as spaces. */
function checksumOk(block: Buffer): boolean {
  let stored: number;
  try {
    stored = parseOctal(block, 148, 8);
  } catch {
    return false; // not a number: not a header
  }
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const c = i >= 148 && i < 156 ? 32 : block[i]!;
    unsigned += c;
    signed += c < 128 ? c : c - 256;
  }
  return stored === unsigned || stored === signed;
}

/**
 * The name prefix: the ustar field under the ustar magic (131 bytes in star's layout), nothing
 * under GNU's magic, where atime and ctime live, except that, like Go's reader, a GNU header whose
 * times do not parse but whose field is ASCII gets it as a prefix (tars from Go before 1.8).
 */
function ustarPrefix(block: Buffer): string {
  const magic = block.toString('latin1', 257, 263);
  if (magic === 'ustar\0') {
    const star = block.toString('latin1', 508, 512) === 'tar\0';
    return cString(block.subarray(345, star ? 476 : 500));
  }
  if (magic === 'ustar ' && block.toString('latin1', 263, 265) === ' \0') {
    try {
      if (block[345] !== 0) parseNumber(block, 345, 12);
      if (block[357] !== 0) parseNumber(block, 357, 12);
      return '';
    } catch {
      const s = cString(block.subarray(345, 500));
      return /^[\x00-\x7f]*$/.test(s) ? s : '';
    }
  }
  return '';
}

function cString(buf: Buffer): string {
  const nul = buf.indexOf(0);
  return buf.toString('utf8', 0, nul === -1 ? buf.length : nul);
}

/** Octal, or GNU base-256 (high bit of the first byte set; negative values are refused). */
function parseNumber(block: Buffer, off: number, len: number): number {
  if ((block[off]! & 0x80) !== 0) {
    if ((block[off]! & 0x40) !== 0) throw new BosunError('E_LAYER_CORRUPT', 'tar header: negative base-256 number');
    let v = block[off]! & 0x7f;
    for (let i = 1; i < len; i++) v = v * 256 + block[off + i]!;
    if (!Number.isSafeInteger(v)) throw new BosunError('E_LAYER_CORRUPT', 'tar header: base-256 number too large');
    return v;
  }
  return parseOctal(block, off, len);
}

/** Octal as Go reads it: spaces and NULs trimmed from both ends, then up to the first NUL. */
function parseOctal(block: Buffer, off: number, len: number): number {
  let start = off;
  let end = off + len;
  while (start < end && (block[start] === 0x20 || block[start] === 0)) start++;
  while (end > start && (block[end - 1] === 0x20 || block[end - 1] === 0)) end--;
  const nul = block.indexOf(0, start);
  if (nul !== -1 && nul < end) end = nul;
  const s = block.toString('latin1', start, end);
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new BosunError('E_LAYER_CORRUPT', `tar header: bad number field "${s}"`);
  return parseInt(s, 8);
}

/**
 * pax records: "%d %s=%s\n" where the length counts the whole record; malformed records are a
 * corrupt header, as in Go. GNU 0.0 sparse maps repeat GNU.sparse.offset/numbytes: they are
 * gathered into GNU.sparse.map as Go does.
 */
function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  const sparseMap: string[] = [];
  let off = 0;
  const bad = (why: string): never => {
    throw new BosunError('E_LAYER_CORRUPT', `tar pax header: ${why}`);
  };
  while (off < data.length) {
    const sp = data.indexOf(0x20, off);
    if (sp === -1) bad('a record without a length');
    const lenText = data.toString('latin1', off, sp);
    const len = /^[0-9]+$/.test(lenText) ? Number(lenText) : NaN;
    if (!Number.isSafeInteger(len) || len < 5 || off + len > data.length || len <= sp - off + 1) bad('bad record length');
    if (data[off + len - 1] !== 0x0a) bad('a record not ending in a newline');
    const rec = data.toString('utf8', sp + 1, off + len - 1);
    const eq = rec.indexOf('=');
    if (eq <= 0) bad('a record without a key');
    const key = rec.slice(0, eq);
    const value = rec.slice(eq + 1);
    if (((key === 'path' || key === 'linkpath' || key === 'uname' || key === 'gname') && value.includes('\0')) || key.includes('\0')) bad(`NUL in ${key.replaceAll('\0', '')}`);
    if (key === 'GNU.sparse.offset' || key === 'GNU.sparse.numbytes') {
      if ((sparseMap.length % 2 === 0) !== (key === 'GNU.sparse.offset') || value.includes(',')) bad('GNU.sparse.offset/numbytes out of order');
      sparseMap.push(value);
    } else out[key] = value;
    off += len;
  }
  if (sparseMap.length > 0) out['GNU.sparse.map'] = sparseMap.join(',');
  return out;
}
