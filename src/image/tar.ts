/**
 * A streaming tar reader (POSIX ustar, pax `x`/`g` headers, GNU long names `L`/`K`, base-256
 * sizes). It is fed decompressed chunks and calls back once per entry, with the body only when the
 * caller asked for it (up to a byte cap), so a layer is read exactly once and bodies nobody wants
 * are skipped without being copied. Format facts: POSIX.1-2001 pax, GNU tar manual "Standard".
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
  #pax: Record<string, string> = {};
  #globalPax: Record<string, string> = {};
  #longName: string | undefined;
  #longLink: string | undefined;
  #zeroBlocks = 0;
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
      const t = this.#metaType;
      this.#metaType = undefined;
      this.#meta = [];
      if (t === 'x') Object.assign(this.#pax, parsePax(data));
      else if (t === 'g') Object.assign(this.#globalPax, parsePax(data));
      else if (t === 'L') this.#longName = cString(data);
      else if (t === 'K') this.#longLink = cString(data);
    } else if (this.#header !== undefined) {
      const h = this.#header;
      this.#header = undefined;
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
    if (isZero(block)) {
      this.#zeroBlocks++;
      if (this.#zeroBlocks >= 2) this.#ended = true;
      return;
    }
    this.#zeroBlocks = 0;
    if (!checksumOk(block)) throw new BosunError('E_LAYER_CORRUPT', 'tar header checksum mismatch (not a tar stream, or corrupt)');
    const typeflag = String.fromCharCode(block[156]!);
    const size = parseNumber(block, 124, 12);
    this.#remaining = size;
    this.#padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (typeflag === 'x' || typeflag === 'g' || typeflag === 'L' || typeflag === 'K') {
      if (size > 1024 * 1024) throw new BosunError('E_LAYER_CORRUPT', `tar metadata header of ${size} bytes`);
      this.#metaType = typeflag;
      if (size === 0) this.#finishEntry();
      return;
    }
    const pax = { ...this.#globalPax, ...this.#pax };
    this.#pax = {};
    let name = pax['path'] ?? this.#longName;
    if (name === undefined) {
      const prefix = block.subarray(257, 263).toString('latin1').startsWith('ustar') ? cString(block.subarray(345, 500)) : '';
      const base = cString(block.subarray(0, 100));
      name = prefix === '' ? base : `${prefix}/${base}`;
    }
    const linkname = pax['linkpath'] ?? this.#longLink ?? cString(block.subarray(157, 257));
    this.#longName = undefined;
    this.#longLink = undefined;
    const type = TYPES[typeflag] ?? 'other';
    const realSize = pax['size'] !== undefined ? Number(pax['size']) : size;
    if (realSize !== size) {
      this.#remaining = realSize;
      this.#padding = (BLOCK - (realSize % BLOCK)) % BLOCK;
    }
    const header: TarHeader = {
      name,
      type,
      mode: parseNumber(block, 100, 8),
      size: type === 'file' ? realSize : 0,
      linkname,
      uid: pax['uid'] !== undefined ? Number(pax['uid']) : parseNumber(block, 108, 8),
      gid: pax['gid'] !== undefined ? Number(pax['gid']) : parseNumber(block, 116, 8),
    };
    this.entries++;
    this.#want = Math.min(this.#handler.onHeader(header), this.#remaining);
    if (this.#want > 0) this.#body = Buffer.allocUnsafe(this.#want);
    this.#header = header;
    if (this.#remaining === 0) this.#finishEntry();
  }
}

function isZero(block: Buffer): boolean {
  for (let i = 0; i < BLOCK; i += 8) if (block.readBigUInt64LE(i) !== 0n) return false;
  return true;
}

function checksumOk(block: Buffer): boolean {
  const stored = parseNumber(block, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
  return sum === stored;
}

function cString(buf: Buffer): string {
  const nul = buf.indexOf(0);
  return buf.toString('utf8', 0, nul === -1 ? buf.length : nul);
}

/** Octal (NUL/space terminated) or GNU base-256 (high bit of the first byte set). */
function parseNumber(block: Buffer, off: number, len: number): number {
  if ((block[off]! & 0x80) !== 0) {
    let v = block[off]! & 0x7f;
    for (let i = 1; i < len; i++) v = v * 256 + block[off + i]!;
    return v;
  }
  const s = block.toString('latin1', off, off + len).replace(/[\0 ]+.*$/s, '').trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new BosunError('E_LAYER_CORRUPT', `tar header: bad number field "${s}"`);
  return parseInt(s, 8);
}

/** pax records: "%d %s=%s\n" where the length counts the whole record. */
function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let off = 0;
  while (off < data.length) {
    const sp = data.indexOf(0x20, off);
    if (sp === -1) break;
    const len = parseInt(data.toString('latin1', off, sp), 10);
    if (!Number.isFinite(len) || len <= 0 || off + len > data.length) throw new BosunError('E_LAYER_CORRUPT', 'tar pax header: bad record length');
    const rec = data.toString('utf8', sp + 1, off + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    off += len;
  }
  return out;
}
