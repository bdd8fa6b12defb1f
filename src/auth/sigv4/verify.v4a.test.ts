// SigV4a (AWS4-ECDSA-P256-SHA256) requests signed by the JS SDK's own SigV4a signer, verified by
// Sesame: the right key passes, a wrong secret, a changed body or an unsigned region set do not.
import { Hash } from '@smithy/core/serde';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4a } from '@aws-sdk/signature-v4a';
import { describe, expect, it } from 'vitest';
import { verifySigV4, type IncomingSignedRequest, type StoredKey } from './verify.js';

const AT = new Date('2026-11-28T10:00:00Z');
const KEY: StoredKey = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  status: 'Active',
};
const BODY = '{"EndpointId":"abcd0000.ffff0000"}';

async function signed(secret = KEY.secretAccessKey, body = BODY): Promise<IncomingSignedRequest> {
  const signer = new SignatureV4a({
    credentials: { accessKeyId: KEY.accessKeyId, secretAccessKey: secret },
    region: '*',
    service: 'ses',
    sha256: Hash.bind(null, 'sha256'),
  });
  const req = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 8787,
      path: '/v2/email/outbound-emails',
      headers: { host: '127.0.0.1:8787', 'content-type': 'application/json' },
      body,
    }),
    { signingDate: AT },
  );
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = String(v);
  return {
    method: 'POST',
    rawPath: '/v2/email/outbound-emails',
    rawQuery: '',
    headers,
    body: Buffer.from(body),
  };
}

const verify = (req: IncomingSignedRequest) => verifySigV4(req, { now: AT, lookupKey: () => KEY });

describe('SigV4a verification', () => {
  it('accepts the SDK signature and answers the region set as the region', async () => {
    const r = await verify(await signed());
    expect(r).toMatchObject({ ok: true, scope: { date: '20261128', region: '*', service: 'ses' } });
  });

  it('refuses a signature by another secret, and a body changed after signing', async () => {
    const other = await verify(await signed('another-secret'));
    expect(other).toMatchObject({ ok: false, error: { code: 'SignatureDoesNotMatch' } });
    const req = await signed();
    const changed = await verify({ ...req, body: Buffer.from('{"EndpointId":"evil"}') });
    expect(changed).toMatchObject({ ok: false, error: { code: 'SignatureDoesNotMatch' } });
  });

  it('requires the region set to be a signed header', async () => {
    const req = await signed();
    const headers = { ...req.headers };
    delete headers['x-amz-region-set'];
    const r = await verify({ ...req, headers });
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'IncompleteSignature',
        message: "'X-Amz-Region-Set' must be a 'SignedHeader' in the AWS Authorization.",
      },
    });
  });
});
