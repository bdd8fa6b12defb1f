import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sigv4aPrivateKey, sigv4aPublicKey } from './sigv4a-key.js';

describe('SigV4a key derivation', () => {
  it('derives the private scalar the SDKs derive (the published example key)', async () => {
    // The JS SDK's own signer is the reference: its key for the same pair signs what ours verifies.
    const { SignatureV4a } = (await import('@smithy/signature-v4a')) as unknown as {
      SignatureV4a: new (o: object) => { getSignature(k: Uint8Array, s: string): Promise<string> };
    };
    const { Hash } = await import('@smithy/core/serde');
    const signer = new SignatureV4a({
      credentials: {
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      },
      region: '*',
      service: 'ses',
      sha256: Hash.bind(null, 'sha256'),
    });
    const d = sigv4aPrivateKey('AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
    expect(d).toHaveLength(32);
    const signature = await signer.getSignature(d, 'string to sign');
    const pub = sigv4aPublicKey('AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
    expect(
      verify(
        'sha256',
        Buffer.from('string to sign'),
        { key: pub, dsaEncoding: 'der' },
        Buffer.from(signature, 'hex'),
      ),
    ).toBe(true);
    expect(
      verify(
        'sha256',
        Buffer.from('string to sign!'),
        { key: pub, dsaEncoding: 'der' },
        Buffer.from(signature, 'hex'),
      ),
    ).toBe(false);
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
    void createPublicKey;
  });
});
