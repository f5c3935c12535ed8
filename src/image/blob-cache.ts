/**
 * Blobs by digest under the user cache dir (`$BOSUN_CACHE_DIR`, else the platform's: see
 * src/vuln/store/paths.ts cacheDir): `blobs/<alg>/<hex>`. A blob is written to a temporary file while its
 * digest is computed and renamed into place only when it matches, so the cache never holds a
 * corrupt blob, and nothing is written outside the cache dir.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { BosunError } from '../core/errors.ts';
import { parseDigest } from './digest.ts';
import { cacheDir } from '../vuln/store/paths.ts';


export class BlobCache {
  readonly dir: string;
  constructor(dir: string = cacheDir()) {
    this.dir = dir;
  }

  path(digest: string): string {
    const { algorithm, hex } = parseDigest(digest);
    return join(this.dir, 'blobs', algorithm, hex);
  }

  async has(digest: string, size?: number): Promise<boolean> {
    const s = await stat(this.path(digest)).catch(() => undefined);
    return s !== undefined && s.isFile() && (size === undefined || s.size === size);
  }

  /** Stores `chunks` under `digest` if (and only if) they hash to it. Returns the byte count. */
  async put(digest: string, chunks: AsyncIterable<Buffer>, what: string, expectedSize?: number): Promise<number> {
    const { algorithm } = parseDigest(digest);
    const final = this.path(digest);
    const dir = join(this.dir, 'blobs', algorithm);
    await mkdir(dir, { recursive: true });
    const tmp = join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
    const out = createWriteStream(tmp, { mode: 0o644 });
    const h = createHash(algorithm);
    let size = 0;
    try {
      for await (const c of chunks) {
        size += c.length;
        if (expectedSize !== undefined && size > expectedSize) throw new BosunError('E_DIGEST_MISMATCH', `${what}: more bytes than the descriptor's size ${expectedSize}`);
        h.update(c);
        if (!out.write(c)) await new Promise<void>((r) => out.once('drain', () => r()));
      }
      out.end();
      await finished(out);
      const got = `${algorithm}:${h.digest('hex')}`;
      if (got !== digest) throw new BosunError('E_DIGEST_MISMATCH', `${what}: digest mismatch (expected ${digest}, got ${got}); nothing cached`);
      if (expectedSize !== undefined && size !== expectedSize) throw new BosunError('E_DIGEST_MISMATCH', `${what}: got ${size} bytes, the descriptor says ${expectedSize}; nothing cached`);
      await rename(tmp, final);
      return size;
    } catch (err) {
      out.destroy();
      await rm(tmp, { force: true });
      throw err;
    }
  }
}
