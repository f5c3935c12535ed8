/**
 * RPM header blobs as stored in the rpm database (rpm's lib/header.c "header image": big-endian
 * index count, data length, 16-byte index entries {tag, type, offset, count}, then the data
 * store). Only the tags the inventory needs are decoded.
 */
import { BosunError } from '../../../core/errors.ts';

export const TAG = { name: 1000, version: 1001, release: 1002, epoch: 1003, license: 1014, arch: 1022, sourcerpm: 1044, requirename: 1049 } as const;

const TYPE_INT32 = 4;
const TYPE_STRING = 6;
const TYPE_STRING_ARRAY = 8;
const TYPE_I18NSTRING = 9;

export type HeaderValue = string | string[] | number;

export function parseRpmHeader(blob: Uint8Array): Map<number, HeaderValue> {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (buf.length < 8) throw new BosunError('E_PACKAGE_DB', 'rpm header: truncated');
  const il = buf.readUInt32BE(0);
  const dl = buf.readUInt32BE(4);
  const dataStart = 8 + il * 16;
  if (il > 100000 || dataStart + dl > buf.length) throw new BosunError('E_PACKAGE_DB', 'rpm header: index or data out of range');
  const wanted = new Set<number>(Object.values(TAG));
  const out = new Map<number, HeaderValue>();
  for (let i = 0; i < il; i++) {
    const e = 8 + i * 16;
    const tag = buf.readUInt32BE(e);
    if (!wanted.has(tag)) continue;
    const type = buf.readUInt32BE(e + 4);
    const off = dataStart + buf.readInt32BE(e + 8);
    const count = buf.readUInt32BE(e + 12);
    if (off < dataStart || off > dataStart + dl) throw new BosunError('E_PACKAGE_DB', 'rpm header: entry offset out of range');
    if (type === TYPE_INT32) out.set(tag, buf.readInt32BE(off));
    else if (type === TYPE_STRING || type === TYPE_I18NSTRING) out.set(tag, cstr(buf, off, dataStart + dl));
    else if (type === TYPE_STRING_ARRAY) {
      const items: string[] = [];
      let p = off;
      for (let k = 0; k < count && p < dataStart + dl; k++) {
        const s = cstr(buf, p, dataStart + dl);
        items.push(s);
        p += Buffer.byteLength(s) + 1;
      }
      out.set(tag, items);
    }
  }
  return out;
}

function cstr(buf: Buffer, off: number, end: number): string {
  const nul = buf.indexOf(0, off);
  return buf.toString('utf8', off, nul === -1 || nul > end ? end : nul);
}
