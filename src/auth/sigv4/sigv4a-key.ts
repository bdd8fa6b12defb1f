// SigV4a (AWS4-ECDSA-P256-SHA256): the ECDSA P-256 key pair every party derives from an access key
// and its secret (NIST SP 800-108 counter-mode KDF with HMAC-SHA256, as the SDKs implement it). The
// server holds the secret, so it derives the public key and verifies the client's signature with it.
import { createECDH, createHmac, createPublicKey, type KeyObject } from 'node:crypto';

export const ALGORITHM_V4A = 'AWS4-ECDSA-P256-SHA256';

// The order of P-256 minus two: a derived candidate above it is rejected and the counter moves on.
const N_MINUS_TWO = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc63254f');

/** The private scalar d (32 bytes, big-endian) of an access key pair. */
export function sigv4aPrivateKey(accessKeyId: string, secretAccessKey: string): Buffer {
  const key = Buffer.from(`AWS4A${secretAccessKey}`, 'utf8');
  for (let counter = 1; counter < 255; counter++) {
    const fixedInput = Buffer.concat([
      Buffer.from([0, 0, 0, 1]),
      Buffer.from(ALGORITHM_V4A, 'utf8'),
      Buffer.from([0]),
      Buffer.from(accessKeyId, 'utf8'),
      Buffer.from([counter]),
      Buffer.from([0, 0, 1, 0]), // 256 bits of output
    ]);
    const c = BigInt(`0x${createHmac('sha256', key).update(fixedInput).digest('hex')}`);
    if (c > N_MINUS_TWO) continue;
    return Buffer.from((c + 1n).toString(16).padStart(64, '0'), 'hex');
  }
  throw new Error('SigV4a key derivation found no candidate');
}

const cache = new Map<string, KeyObject>();

/** The public key a SigV4a signature made with this key pair verifies under (cached). */
export function sigv4aPublicKey(accessKeyId: string, secretAccessKey: string): KeyObject {
  const id = `${accessKeyId}\u0000${secretAccessKey}`;
  const hit = cache.get(id);
  if (hit) return hit;
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(sigv4aPrivateKey(accessKeyId, secretAccessKey));
  const point = ecdh.getPublicKey(); // 0x04 || X || Y
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33, 65).toString('base64url'),
    },
    format: 'jwk',
  });
  if (cache.size > 1000) cache.clear();
  cache.set(id, key);
  return key;
}
