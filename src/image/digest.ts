/** Content digests (OCI image-spec descriptor.md): `algorithm:hex`, verified while bytes stream. */
import { createHash } from 'node:crypto';
import { BosunError } from '../core/errors.ts';

const DIGEST = /^(sha256|sha512):([a-f0-9]+)$/;

export function parseDigest(digest: string): { algorithm: 'sha256' | 'sha512'; hex: string } {
  const m = DIGEST.exec(digest);
  if (m === null || (m[1] === 'sha256' && m[2]!.length !== 64) || (m[1] === 'sha512' && m[2]!.length !== 128)) {
    throw new BosunError('E_IMAGE_DIGEST', `malformed digest "${digest.slice(0, 80)}"`);
  }
  return { algorithm: m[1] as 'sha256' | 'sha512', hex: m[2]! };
}

export function digestOf(data: Buffer | string, algorithm: 'sha256' | 'sha512' = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(data).digest('hex')}`;
}

/** Passes chunks through and throws E_DIGEST_MISMATCH at the end if the bytes do not hash to `expected`. */
export async function* verifyDigest(chunks: AsyncIterable<Buffer>, expected: string, what: string, expectedSize?: number): AsyncGenerator<Buffer> {
  const { algorithm } = parseDigest(expected);
  const h = createHash(algorithm);
  let size = 0;
  for await (const c of chunks) {
    size += c.length;
    if (expectedSize !== undefined && size > expectedSize) throw new BosunError('E_DIGEST_MISMATCH', `${what}: more bytes than the descriptor's size ${expectedSize}`);
    h.update(c);
    yield c;
  }
  const got = `${algorithm}:${h.digest('hex')}`;
  if (got !== expected) throw new BosunError('E_DIGEST_MISMATCH', `${what}: digest mismatch (expected ${expected}, got ${got})`);
  if (expectedSize !== undefined && size !== expectedSize) throw new BosunError('E_DIGEST_MISMATCH', `${what}: size ${size} differs from the descriptor's ${expectedSize}`);
}
