/** Random access into an uncompressed tar file: names → body offset and size, reading headers only. */
import { open, type FileHandle } from 'node:fs/promises';
import { BosunError } from '../../core/errors.ts';

export interface TarMember {
  offset: number;
  size: number;
  type: string;
}

function field(b: Buffer, off: number, len: number): string {
  const nul = b.indexOf(0, off);
  return b.toString('utf8', off, nul === -1 || nul > off + len ? off + len : nul);
}

function octal(b: Buffer, off: number, len: number): number {
  if ((b[off]! & 0x80) !== 0) {
    let v = b[off]! & 0x7f;
    for (let i = 1; i < len; i++) v = v * 256 + b[off + i]!;
    return v;
  }
  const s = field(b, off, len).trim();
  return s === '' ? 0 : parseInt(s, 8);
}

/** POSIX header checksum: the byte sum with the checksum field counted as spaces (old writers summed signed bytes). */
function checksumOk(b: Buffer): boolean {
  let sum = 0;
  let signed = 0;
  for (let i = 0; i < 512; i++) {
    const v = i >= 148 && i < 156 ? 0x20 : b[i]!;
    sum += v;
    signed += v > 127 ? v - 256 : v;
  }
  const want = octal(b, 148, 8);
  return want === sum || want === signed;
}

export async function indexTarFile(path: string, what: string, maxEntries = 100000): Promise<Map<string, TarMember>> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    throw new BosunError('E_IMAGE_NOT_FOUND', `${what}: cannot open ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
  }
  try {
    const size = (await fh.stat()).size;
    const out = new Map<string, TarMember>();
    const block = Buffer.alloc(512);
    let off = 0;
    let longName: string | undefined;
    let paxPath: string | undefined;
    while (off + 512 <= size) {
      await fh.read(block, 0, 512, off);
      if (block.every((b) => b === 0)) break;
      if (!checksumOk(block)) {
        const gz = off === 0 && block[0] === 0x1f && block[1] === 0x8b;
        throw new BosunError('E_IMAGE_CORRUPT', gz ? `${what}: ${path} is gzip-compressed; decompress it to a plain tar first` : `${what}: not a tar archive (bad header checksum at byte ${off} of ${path})`);
      }
      const type = String.fromCharCode(block[156]!);
      const len = octal(block, 124, 12);
      const bodyOff = off + 512;
      if (bodyOff + len > size) throw new BosunError('E_IMAGE_TRUNCATED', `${what}: archive truncated`);
      if (type === 'L' || type === 'x') {
        if (len > 1024 * 1024) throw new BosunError('E_IMAGE_CORRUPT', `${what}: oversized tar metadata`);
        const body = Buffer.alloc(len);
        await fh.read(body, 0, len, bodyOff);
        if (type === 'L') longName = field(body, 0, len);
        else paxPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1];
      } else {
        const prefix = block.toString('latin1', 257, 262) === 'ustar' ? field(block, 345, 155) : '';
        const base = field(block, 0, 100);
        const name = (paxPath ?? longName ?? (prefix === '' ? base : `${prefix}/${base}`)).replace(/^\.\//, '');
        longName = undefined;
        paxPath = undefined;
        out.set(name, { offset: bodyOff, size: len, type });
        if (out.size > maxEntries) throw new BosunError('E_IMAGE_CORRUPT', `${what}: more than ${maxEntries} entries`);
      }
      off = bodyOff + Math.ceil(len / 512) * 512;
    }
    return out;
  } finally {
    await fh.close();
  }
}

export async function readMember(path: string, m: TarMember, limit: number, what: string): Promise<Buffer> {
  if (m.size > limit) throw new BosunError('E_IMAGE_MANIFEST', `${what}: ${m.size} bytes is too large`);
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(m.size);
    await fh.read(buf, 0, m.size, m.offset);
    return buf;
  } finally {
    await fh.close();
  }
}
