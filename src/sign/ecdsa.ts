/**
 * ECDSA verification over a digest the caller already has (FIPS 186-5 §6.4.2), for P-256 and
 * P-384. node:crypto only verifies over a message it hashes itself; Sigstore message signatures
 * must also verify from the artifact's digest alone (`--artifact-digest sha256:…`), as the
 * conformance suite runs every case both ways. Public inputs only, so constant time is not needed.
 */
import type { KeyObject } from 'node:crypto';

interface Curve {
  p: bigint;
  a: bigint;
  n: bigint;
  gx: bigint;
  gy: bigint;
  bytes: number;
}

const CURVES: Record<string, Curve> = {
  'prime256v1': {
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    a: 0xffffffff00000001000000000000000000000000fffffffffffffffffffffffcn,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    gx: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
    gy: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
    bytes: 32,
  },
  'secp384r1': {
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
    a: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffcn,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    gx: 0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7n,
    gy: 0x3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5fn,
    bytes: 48,
  },
};

type Point = { x: bigint; y: bigint } | null;

function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

function inverse(a: bigint, m: bigint): bigint {
  let [r0, r1] = [mod(a, m), m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0, m);
}

function add(c: Curve, P: Point, Q: Point): Point {
  if (P === null) return Q;
  if (Q === null) return P;
  let l: bigint;
  if (P.x === Q.x) {
    if (mod(P.y + Q.y, c.p) === 0n) return null;
    l = mod((3n * P.x * P.x + c.a) * inverse(2n * P.y, c.p), c.p);
  } else {
    l = mod((Q.y - P.y) * inverse(Q.x - P.x, c.p), c.p);
  }
  const x = mod(l * l - P.x - Q.x, c.p);
  return { x, y: mod(l * (P.x - x) - P.y, c.p) };
}

function multiply(c: Curve, k: bigint, P: Point): Point {
  let R: Point = null;
  let A = P;
  for (let e = k; e > 0n; e >>= 1n) {
    if (e & 1n) R = add(c, R, A);
    A = add(c, A, A);
  }
  return R;
}

/** Verifies a DER ECDSA signature over `digest` with an EC public key (P-256 or P-384). */
export function verifyDigest(key: KeyObject, digest: Uint8Array, signatureDer: Uint8Array): boolean {
  const curveName = key.asymmetricKeyDetails?.namedCurve ?? '';
  const c = CURVES[curveName];
  if (c === undefined) return false;
  const jwk = key.export({ format: 'jwk' });
  const Q = { x: BigInt(`0x${Buffer.from(jwk.x!, 'base64url').toString('hex')}`), y: BigInt(`0x${Buffer.from(jwk.y!, 'base64url').toString('hex')}`) };
  const sig = parseDerSignature(signatureDer);
  if (sig === undefined) return false;
  const { r, s } = sig;
  if (r <= 0n || r >= c.n || s <= 0n || s >= c.n) return false;
  // e = leftmost bits of the digest, as many as the order has.
  let e = BigInt(`0x${Buffer.from(digest).toString('hex') || '0'}`);
  const excess = digest.length * 8 - c.n.toString(2).length;
  if (excess > 0) e >>= BigInt(excess);
  const w = inverse(s, c.n);
  const X = add(c, multiply(c, mod(e * w, c.n), { x: c.gx, y: c.gy }), multiply(c, mod(r * w, c.n), Q));
  return X !== null && mod(X.x, c.n) === r;
}

function parseDerSignature(der: Uint8Array): { r: bigint; s: bigint } | undefined {
  const b = Buffer.from(der);
  let i = 0;
  if (b[i++] !== 0x30) return undefined;
  let len = b[i++]!;
  if (len & 0x80) i += len & 0x7f;
  const int = (): bigint | undefined => {
    if (b[i++] !== 0x02) return undefined;
    len = b[i++]!;
    const v = b.subarray(i, i + len);
    i += len;
    return v.length === 0 ? undefined : BigInt(`0x${v.toString('hex')}`);
  };
  const r = int();
  const s = int();
  return r === undefined || s === undefined ? undefined : { r, s };
}
