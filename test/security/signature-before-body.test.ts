// Issue 14, findings 1 and 9: the signature is checked before a body is buffered where the protocol
// allows it. A client that declares the body's SHA-256 (the JS SDK v3 does) is authenticated first
// and streams its body outside the unauthenticated budget; a body that does not match the declared
// hash fails the signature; UNSIGNED-PAYLOAD is refused for IAM, STS and SES as AWS refuses it; a
// body without a declared hash counts against the budget until its signature is checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import { clientsFor, grantProduction, verify, type Clients } from '../support/ses-fixtures.js';
import { queryErrorFields, signedFetch } from '../support/signed-fetch.js';

const MIB = 1024 * 1024;
const STS = 'Action=GetCallerIdentity&Version=2011-06-15';
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

let server: TestServer;
let root: Clients;

beforeAll(async () => {
  server = await startTestServer({
    SESAME_HTTP_UNAUTHENTICATED_BODY_BYTES: String(MIB),
    SESAME_PRODUCTION_MAX_SEND_RATE: '1000',
  });
  root = clientsFor(server, server.credentials);
  await verify(root.v1, 'example.com');
  await grantProduction(server, ACCOUNT);
});
afterAll(async () => server?.stop());

const rawMessage = (bytes: number) =>
  Buffer.from(`From: a@example.com\r\nTo: b@example.net\r\nSubject: big\r\n\r\n${'x'.repeat(bytes)}\r\n`);

describe('signature before body', () => {
  it('an SDK v3 client (declared SHA-256) sends 8 MB although only 1 MB may wait unauthenticated', async () => {
    const sent = await root.v2.send(
      new SendEmailCommand({ Content: { Raw: { Data: rawMessage(8 * MIB) } } }),
    );
    expect(sent.MessageId).toMatch(/^[0-9a-f]{16}-/);
  });

  it('a body without a declared hash, larger than the budget: 503 ServiceUnavailable (SDKs retry it)', async () => {
    const body = `${STS}&Pad=${'x'.repeat(2 * MIB)}`;
    const r = await signedFetch(server.endpoint, { service: 'sts', body, declareHash: false });
    expect(r.status).toBe(503);
    expect(queryErrorFields(r.text)).toEqual({
      code: 'ServiceUnavailable',
      message: 'Service is unable to handle request.',
    });
    expect(r.headers.get('connection')).toBe('close');
    // Within the budget the same kind of request is served.
    expect(
      (await signedFetch(server.endpoint, { service: 'sts', body: STS, declareHash: false })).status,
    ).toBe(200);
  });

  it('a body that does not match the hash it was signed with: SignatureDoesNotMatch', async () => {
    const url = new URL(server.endpoint);
    const { SignatureV4 } = await import('@smithy/signature-v4');
    const { HttpRequest } = await import('@smithy/core/protocols');
    const { Hash } = await import('@smithy/core/serde');
    const signer = new SignatureV4({
      credentials: server.credentials,
      region: 'us-east-1',
      service: 'sts',
      sha256: Hash.bind(null, 'sha256'),
    });
    const signed = await signer.sign(
      new HttpRequest({
        method: 'POST',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: '/',
        headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded' },
        body: STS,
      }),
    );
    const headers = { ...(signed.headers as Record<string, string>) };
    delete headers.host;
    expect(headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
    const r = await fetch(`${server.endpoint}/`, { method: 'POST', headers, body: `${STS}&Other=1` });
    expect(r.status).toBe(403);
    expect(queryErrorFields(await r.text())).toEqual({ code: 'SignatureDoesNotMatch', message: MISMATCH });
  });

  it("Fastify's own routes (health, console, sign-in), read before any authentication, take small bodies only", async () => {
    const r = await fetch(`${server.endpoint}/health`, { method: 'POST', body: 'x'.repeat(100 * 1024) });
    expect(r.status).toBe(413);
    const small = await fetch(`${server.endpoint}/sesame/console/operator-session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer wrong-token-xxxxxxxxxxxx' },
      body: '{}',
    });
    expect(small.status).toBe(403);
  });

  it('UNSIGNED-PAYLOAD is refused for IAM, STS and SES (finding 9)', async () => {
    for (const [service, body] of [
      ['sts', STS],
      ['iam', 'Action=ListUsers&Version=2010-05-08'],
      ['ses', 'Action=ListIdentities&Version=2010-12-01'],
    ] as const) {
      const r = await signedFetch(server.endpoint, {
        service,
        body,
        headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      });
      expect(r.status).toBe(403);
      expect(queryErrorFields(r.text)).toEqual({ code: 'SignatureDoesNotMatch', message: MISMATCH });
    }
    // The same request with its real hash is accepted.
    expect((await root.sts.send(new GetCallerIdentityCommand({}))).Account).toBe(ACCOUNT);
  });
});
