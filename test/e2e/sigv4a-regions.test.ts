// SigV4a (AWS4-ECDSA-P256-SHA256) names its regions in X-Amz-Region-Set, not in the credential
// scope. The emulator profile, which checks the scope's region itself, refused every SigV4a request
// (its scope has none). The signed profile's region-set checks are in
// src/auth/sigv4/credential-scope.test.ts and test/e2e/ses-multi-region-endpoints.test.ts.
import { Hash } from '@smithy/core/serde';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4a } from '@aws-sdk/signature-v4a';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_KEY, startTestServer, type TestServer } from '../support/server.js';
import { FORM, queryErrorFields, type Answer } from '../support/signed-fetch.js';

/** A v1 Query call signed with SigV4a for `regionSet`. */
async function v4aCall(endpoint: string, regionSet: string, body: string): Promise<Answer> {
  const url = new URL(endpoint);
  const signer = new SignatureV4a({
    credentials: ROOT_KEY,
    region: regionSet,
    service: 'ses',
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      headers: { host: url.host, 'content-type': FORM },
      body,
    }),
    {},
  );
  const headers = { ...(signed.headers as Record<string, string>) };
  delete headers.host;
  const res = await fetch(`${endpoint}/`, { method: 'POST', headers, body });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const verifyIn = (endpoint: string, regionSet: string, address: string) =>
  v4aCall(
    endpoint,
    regionSet,
    `Action=VerifyEmailIdentity&EmailAddress=${encodeURIComponent(address)}&Version=2010-12-01`,
  );
const listIn = (endpoint: string, regionSet: string) =>
  v4aCall(endpoint, regionSet, 'Action=ListIdentities&Version=2010-12-01');

describe('SigV4a in the emulator profile', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ SESAME_PROFILE: 'emulator', SESAME_REGIONS: 'us-east-1,us-west-2' });
  });
  afterAll(async () => server?.stop());

  it('answers a SigV4a call in the region its set names, and refuses one naming none served', async () => {
    expect((await verifyIn(server.endpoint, '*', 'any@example.com')).status).toBe(200);
    expect((await listIn(server.endpoint, 'us-east-1')).text).toContain('<member>any@example.com</member>');
    expect((await verifyIn(server.endpoint, 'us-west-2', 'w@example.com')).status).toBe(200);
    expect((await listIn(server.endpoint, 'us-west-2')).text).toContain('<member>w@example.com</member>');
    const r = await listIn(server.endpoint, 'eu-west-1');
    expect(r.status).toBe(403);
    expect(queryErrorFields(r.text)).toEqual({
      code: 'SignatureDoesNotMatch',
      message: "Credential should be scoped to a valid region, not 'eu-west-1'.",
    });
  });
});
