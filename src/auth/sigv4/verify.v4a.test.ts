// SigV4a (AWS4-ECDSA-P256-SHA256) requests signed by the JS SDK's own SigV4a signer, verified by
// Sesame: the right key passes, a wrong secret, a changed body or an unsigned region set do not.
import { Hash } from '@smithy/core/serde';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4a } from '@aws-sdk/signature-v4a';
import { describe, expect, it } from 'vitest';
import { verifySigV4, type IncomingSignedRequest, type StoredKey, type VerifyResult } from './verify.js';

const AT = new Date('2026-11-28T10:00:00Z');
const KEY: StoredKey = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  status: 'Active',
};
const BODY = '{"EndpointId":"abcd0000.ffff0000"}';

async function signed(
  secret = KEY.secretAccessKey,
  body = BODY,
  regionSet = '*',
): Promise<IncomingSignedRequest> {
  const signer = new SignatureV4a({
    credentials: { accessKeyId: KEY.accessKeyId, secretAccessKey: secret },
    region: regionSet,
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

// The endpoint takes SigV4a here (a multi-region endpoint send); see the last block for one that does not.
/** The refusal's code, status and text. */
const refusal = (r: VerifyResult) =>
  r.ok ? r : { code: r.error.code, status: r.error.httpStatus, message: r.error.message };

const verify = (req: IncomingSignedRequest) =>
  verifySigV4(req, { now: AT, lookupKey: () => KEY, acceptSigV4a: () => true });

describe('SigV4a verification', () => {
  it('accepts the SDK signature and answers the region set as the region', async () => {
    const r = await verify(await signed());
    expect(r).toMatchObject({ ok: true, scope: { date: '20261128', region: '*', service: 'ses' } });
    expect(r.ok && r.regionSet).toEqual(['*']);
  });

  it('answers a listed region set as its regions', async () => {
    const r = await verify(await signed(KEY.secretAccessKey, BODY, 'us-west-2,eu-*'));
    expect(r.ok && r.regionSet).toEqual(['us-west-2', 'eu-*']);
  });

  it('refuses a region set that names no region', async () => {
    const r = await verify(await signed(KEY.secretAccessKey, BODY, 'us west 2'));
    expect(refusal(r)).toEqual({
      code: 'SignatureDoesNotMatch',
      status: 403,
      message: "Credential should be scoped to a valid region set, not 'us west 2'.",
    });
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

describe('SigV4a where the endpoint does not take it', () => {
  it('is an algorithm the endpoint does not know: IncompleteSignature listing every parameter', async () => {
    const req = await signed();
    for (const acceptSigV4a of [undefined, () => false]) {
      const r = await verifySigV4(req, {
        now: AT,
        lookupKey: () => KEY,
        ...(acceptSigV4a ? { acceptSigV4a } : {}),
      });
      expect(refusal(r)).toEqual({
        code: 'IncompleteSignature',
        status: 400,
        message:
          "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
          `Authorization header requires 'SignedHeaders' parameter. Authorization=${String(req.headers.authorization)}`,
      });
    }
  });
});
