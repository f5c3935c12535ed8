/** Random access into an uncompressed tar file: names → body offset and size, reading headers only. */
import { open, type FileHandle } from 'node:fs/promises';
import { BosunError } from '../../core/errors.ts';
import { TarHeaderParser, type EntryType, type HeaderStep } from '../tar.ts';

export interface TarMember {
  offset: number;
  size: number;
  type: EntryType;
}

/**
 * Every member of a plain tar file, by name (the last of a name wins, as unpacking it would),
 * with where its data lies. Headers are read as the layer reader reads them (tar.ts, as Go's
 * archive/tar does: `docker load` reads these archives with it), seeking past bodies.
 */
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
    const headers = new TarHeaderParser(); // its errors are re-raised as E_IMAGE_CORRUPT, naming the archive
    let off = 0;
    while (off + 512 <= size) {
      await fh.read(block, 0, 512, off);
      let step: HeaderStep;
      try {
        step = headers.block(block);
      } catch (err) {
        const gz = off === 0 && block[0] === 0x1f && block[1] === 0x8b;
        if (gz) throw new BosunError('E_IMAGE_CORRUPT', `${what}: ${path} is gzip-compressed; decompress it to a plain tar first`);
        const checksum = (err as Error).message.includes('checksum');
        throw new BosunError('E_IMAGE_CORRUPT', checksum ? `${what}: not a tar archive (bad header checksum at byte ${off} of ${path})` : `${what}: not a valid tar archive at byte ${off} of ${path} (${(err as Error).message})`, { cause: err });
      }
      off += 512;
      if (step.kind === 'end') break;
      if (step.kind === 'zero') continue;
      const len = step.kind === 'meta' ? step.size : step.physical;
      if (off + len > size) throw new BosunError('E_IMAGE_TRUNCATED', `${what}: archive truncated`);
      if (step.kind === 'meta') {
        const body = Buffer.alloc(len);
        await fh.read(body, 0, len, off);
        try {
          headers.meta(body);
        } catch (err) {
          throw new BosunError('E_IMAGE_CORRUPT', `${what}: ${(err as Error).message} at byte ${off} of ${path}`, { cause: err });
        }
      } else {
        if (step.sparse !== undefined) throw new BosunError('E_IMAGE_CORRUPT', `${what}: ${step.header.name} is a sparse file in the archive (blobs and metadata never are)`);
        const name = step.header.name.replace(/^\.\//, '');
        out.set(name, { offset: off, size: len, type: step.header.type });
        if (out.size > maxEntries) throw new BosunError('E_IMAGE_CORRUPT', `${what}: more than ${maxEntries} entries`);
      }
      off += Math.ceil(len / 512) * 512;
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
