import { createPrivateKey, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sigv4aPrivateKey, sigv4aPublicKey } from './sigv4a-key.js';

describe('SigV4a key derivation', () => {
  // That the SDK derives the same key is proven end to end in verify.v4a.test.ts (its own signer).
  it('derives a stable scalar in [1, n-1] from both the access key id and the secret', () => {
    const d = sigv4aPrivateKey('AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
    expect(d).toHaveLength(32);
    const n = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
    const value = BigInt(`0x${d.toString('hex')}`);
    expect(value > 0n && value < n).toBe(true);
    expect(sigv4aPrivateKey('AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY')).toEqual(d);
    expect(sigv4aPrivateKey('AKIDEXAMPLF', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY')).not.toEqual(d);
  });

  it('gives another key pair another key', () => {
    const a = sigv4aPublicKey('AKIDEXAMPLE', 'secret-one');
    const b = sigv4aPublicKey('AKIDEXAMPLE', 'secret-two');
    expect(a.export({ format: 'jwk' })).not.toEqual(b.export({ format: 'jwk' }));
    // A signature by one pair's private key does not verify under the other's public key.
    const d = sigv4aPrivateKey('AKIDEXAMPLE', 'secret-one');
    const jwk = { ...(a.export({ format: 'jwk' }) as object), d: d.toString('base64url') };
    const priv = createPrivateKey({ key: jwk as never, format: 'jwk' });
    const sig = sign('sha256', Buffer.from('x'), { key: priv, dsaEncoding: 'der' });
    expect(verify('sha256', Buffer.from('x'), { key: a, dsaEncoding: 'der' }, sig)).toBe(true);
    expect(verify('sha256', Buffer.from('x'), { key: b, dsaEncoding: 'der' }, sig)).toBe(false);
  });
});
