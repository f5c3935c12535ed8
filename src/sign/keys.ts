/**
 * cosign-compatible key pairs (cosign pkg/cosign/keys.go): ECDSA P-256; the public key is a PKIX
 * `PUBLIC KEY` PEM; the private key is a PEM of type `ENCRYPTED SIGSTORE PRIVATE KEY` whose body
 * is go-securesystemslib's `encrypted` JSON:
 *
 *   {"kdf":{"name":"scrypt","params":{"N":32768,"r":8,"p":1},"salt":"<b64>"},
 *    "cipher":{"name":"nacl/secretbox","nonce":"<b64 24 bytes>"},"ciphertext":"<b64>"}
 *
 * ciphertext = NaCl secretbox (XSalsa20-Poly1305, tweetnacl) of the PKCS#8 DER private key under
 * scrypt(password, salt) (32 bytes). Reading also accepts the legacy `ENCRYPTED COSIGN PRIVATE
 * KEY` type, other scrypt parameters, and unencrypted PKCS#8 / SEC1 PEMs.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, scryptSync, type KeyObject } from 'node:crypto';
import nacl from 'tweetnacl';
import { SignatureError } from './errors.ts';

export const ENCRYPTED_KEY_PEM_TYPE = 'ENCRYPTED SIGSTORE PRIVATE KEY';
const ACCEPTED_ENCRYPTED_TYPES = [ENCRYPTED_KEY_PEM_TYPE, 'ENCRYPTED COSIGN PRIVATE KEY'];

/** cosign's defaults (securesystemslib encrypted.Encrypt). */
export const SCRYPT_DEFAULTS = { N: 32768, r: 8, p: 1 } as const;

export interface KeyPairPem {
  privateKey: string;
  publicKey: string;
}

export function generateKeyPair(password: string, scrypt: { N: number; r: number; p: number } = SCRYPT_DEFAULTS): KeyPairPem {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey: encryptPrivateKey(privateKey, password, scrypt), publicKey: publicKey.export({ type: 'spki', format: 'pem' }) as string };
}

export function encryptPrivateKey(key: KeyObject, password: string, scrypt: { N: number; r: number; p: number } = SCRYPT_DEFAULTS): string {
  const der = key.export({ type: 'pkcs8', format: 'der' });
  const salt = randomBytes(32);
  const nonce = randomBytes(nacl.secretbox.nonceLength);
  const secret = deriveKey(password, salt, scrypt);
  const ciphertext = nacl.secretbox(new Uint8Array(der), new Uint8Array(nonce), new Uint8Array(secret));
  const body = JSON.stringify({
    kdf: { name: 'scrypt', params: { N: scrypt.N, r: scrypt.r, p: scrypt.p }, salt: salt.toString('base64') },
    cipher: { name: 'nacl/secretbox', nonce: nonce.toString('base64') },
    ciphertext: Buffer.from(ciphertext).toString('base64'),
  });
  return pem(ENCRYPTED_KEY_PEM_TYPE, Buffer.from(body));
}

/** Reads a cosign private key; `password` is needed for the encrypted types. */
export function readPrivateKey(text: string, password: string): KeyObject {
  const block = /-----BEGIN ([A-Z ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
  if (block === null) throw new SignatureError('KEY_FORMAT_ERROR', 'no PEM block in the private key file');
  const type = block[1]!;
  if (!ACCEPTED_ENCRYPTED_TYPES.includes(type)) {
    try {
      return createPrivateKey(text);
    } catch (err) {
      throw new SignatureError('KEY_FORMAT_ERROR', `unsupported private key (${type}): ${(err as Error).message}`, { cause: err });
    }
  }
  let data: { kdf?: { name?: string; params?: { N?: number; r?: number; p?: number }; salt?: string }; cipher?: { name?: string; nonce?: string }; ciphertext?: string };
  try {
    data = JSON.parse(Buffer.from(block[2]!.replace(/\s+/g, ''), 'base64').toString('utf8'));
  } catch (err) {
    throw new SignatureError('KEY_FORMAT_ERROR', 'encrypted key body is not JSON', { cause: err });
  }
  const params = data.kdf?.params;
  if (data.kdf?.name !== 'scrypt' || data.cipher?.name !== 'nacl/secretbox' || params?.N === undefined || params.r === undefined || params.p === undefined) {
    throw new SignatureError('KEY_FORMAT_ERROR', `unsupported key encryption (kdf ${String(data.kdf?.name)}, cipher ${String(data.cipher?.name)})`);
  }
  const secret = deriveKey(password, Buffer.from(data.kdf.salt ?? '', 'base64'), { N: params.N, r: params.r, p: params.p });
  const opened = nacl.secretbox.open(new Uint8Array(Buffer.from(data.ciphertext ?? '', 'base64')), new Uint8Array(Buffer.from(data.cipher.nonce ?? '', 'base64')), new Uint8Array(secret));
  if (opened === null) throw new SignatureError('KEY_DECRYPT_ERROR', 'wrong password for the private key (or the key file is corrupt)');
  return createPrivateKey({ key: Buffer.from(opened), format: 'der', type: 'pkcs8' });
}

export function publicKeyPem(key: KeyObject): string {
  return createPublicKey(key).export({ type: 'spki', format: 'pem' }) as string;
}

function deriveKey(password: string, salt: Buffer, p: { N: number; r: number; p: number }): Buffer {
  // scrypt needs 128·N·r bytes; allow that plus headroom instead of node's 32 MiB default.
  return scryptSync(Buffer.from(password, 'utf8'), salt, 32, { N: p.N, r: p.r, p: p.p, maxmem: 256 * p.N * p.r + 1024 * 1024 });
}

function pem(type: string, body: Buffer): string {
  return `-----BEGIN ${type}-----\n${body.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END ${type}-----\n`;
}
