// Issue 3, end to end: hand-made HTTP requests (node fetch, signed with @smithy/signature-v4 or not
// at all) against a real Sesame server — every authentication failure with AWS's code, status and
// text, the presigned-URL form, and the wire shape of errors for Query services (XML) and SES v2
// (JSON). Signing does not depend on the store: SQLite only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hash } from '@smithy/core/serde';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import { XMLParser } from 'fast-xml-parser';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { ACCOUNT, ROOT_KEY, clientConfig, startTestServer, type TestServer } from '../support/server.js';

interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}
interface Spec {
  method?: string;
  path?: string;
  query?: Record<string, string>;
  body?: string;
  headers?: Record<string, string>;
  service?: string;
  creds?: Creds;
  at?: Date;
}
interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

const STS_BODY = 'Action=GetCallerIdentity&Version=2011-06-15';
const FORM = 'application/x-www-form-urlencoded; charset=utf-8';
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const xml = new XMLParser({ parseTagValue: false });

describe('SigV4 on the wire', () => {
  let server: TestServer;
  let host: string;
  let plainUser: Creds;

  function request(s: Spec): HttpRequest {
    const url = new URL(server.endpoint);
    return new HttpRequest({
      method: s.method ?? 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: s.path ?? '/',
      query: s.query ?? {},
      headers: { host, ...(s.method === 'GET' ? {} : { 'content-type': FORM }), ...s.headers },
      body: s.body ?? (s.method === 'GET' ? undefined : STS_BODY),
    });
  }

  function signer(s: Spec): SignatureV4 {
    return new SignatureV4({
      credentials: s.creds ?? ROOT_KEY,
      region: 'us-east-1',
      service: s.service ?? 'sts',
      sha256: Hash.bind(null, 'sha256'),
    });
  }

  async function send(r: {
    method: string;
    path: string;
    query?: Record<string, string | string[] | null>;
    headers: Record<string, string>;
    body?: unknown;
  }): Promise<Answer> {
    const qs = new URLSearchParams(
      Object.entries(r.query ?? {}).map(([k, v]): [string, string] => [k, String(v)]),
    ).toString();
    const headers = { ...r.headers };
    delete headers.host; // fetch sends the same Host itself
    const res = await fetch(`${server.endpoint}${r.path}${qs ? `?${qs}` : ''}`, {
      method: r.method,
      headers,
      body: typeof r.body === 'string' ? r.body : undefined,
    });
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  const signed = async (s: Spec = {}): Promise<Answer> =>
    send((await signer(s).sign(request(s), { signingDate: s.at ?? new Date() })) as never);

  /** A Query-protocol error: the whole ErrorResponse, with the request id matched to the header. */
  function queryError(a: Answer): { status: number; type: string; code: string; message: string } {
    const doc = xml.parse(a.text) as {
      ErrorResponse: { Error: { Type: string; Code: string; Message: string }; RequestId: string };
    };
    expect(Object.keys(doc).filter((k) => k !== '?xml')).toEqual(['ErrorResponse']);
    expect(doc.ErrorResponse.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.headers.get('x-amzn-requestid')).toBe(doc.ErrorResponse.RequestId);
    expect(a.headers.get('content-type')).toMatch(/^text\/xml/);
    const { Type, Code, Message } = doc.ErrorResponse.Error;
    return { status: a.status, type: Type, code: Code, message: Message };
  }

  beforeAll(async () => {
    server = await startTestServer();
    host = new URL(server.endpoint).host;
    const iam = new IAMClient(clientConfig(server, server.credentials));
    await iam.send(new CreateUserCommand({ UserName: 'plain' }));
    const k = (await iam.send(new CreateAccessKeyCommand({ UserName: 'plain' }))).AccessKey!;
    plainUser = { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
    iam.destroy();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers a correctly signed hand-made request', async () => {
    const a = await signed();
    expect(a.status).toBe(200);
    const doc = xml.parse(a.text) as {
      GetCallerIdentityResponse: { GetCallerIdentityResult: { Arn: string; Account: string } };
    };
    expect(doc.GetCallerIdentityResponse.GetCallerIdentityResult).toMatchObject({
      Arn: `arn:aws:iam::${ACCOUNT}:root`,
      Account: ACCOUNT,
    });
  });

  it('refuses a request without any authentication: MissingAuthenticationToken 403', async () => {
    const a = await send({ method: 'POST', path: '/', headers: { 'content-type': FORM }, body: STS_BODY });
    expect(queryError(a)).toEqual({
      status: 403,
      type: 'Sender',
      code: 'MissingAuthenticationToken',
      message: 'Request is missing Authentication Token',
    });
  });

  it('refuses a garbage Authorization header: IncompleteSignature 400 listing what is missing', async () => {
    const a = await send({
      method: 'POST',
      path: '/',
      headers: { 'content-type': FORM, authorization: 'garbage' },
      body: STS_BODY,
    });
    expect(queryError(a)).toEqual({
      status: 400,
      type: 'Sender',
      code: 'IncompleteSignature',
      message:
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
        "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a " +
        "'X-Amz-Date' or a 'Date' header. Authorization=garbage",
    });
  });

  it('refuses an unknown access key: InvalidClientTokenId 403', async () => {
    const a = await signed({
      creds: { accessKeyId: 'AKIAUNKNOWNKEY000001', secretAccessKey: 'x'.repeat(40) },
    });
    expect(queryError(a)).toEqual({
      status: 403,
      type: 'Sender',
      code: 'InvalidClientTokenId',
      message: 'The security token included in the request is invalid.',
    });
  });

  it('refuses a wrong secret: SignatureDoesNotMatch 403', async () => {
    const a = await signed({
      creds: {
        accessKeyId: plainUser.accessKeyId,
        // Its last character changed (to X, or to Y when it already was X: then the key was right).
        secretAccessKey: `${plainUser.secretAccessKey.slice(0, -1)}${plainUser.secretAccessKey.endsWith('X') ? 'Y' : 'X'}`,
      },
    });
    expect(queryError(a)).toEqual({
      status: 403,
      type: 'Sender',
      code: 'SignatureDoesNotMatch',
      message: MISMATCH,
    });
    // A body changed after signing is the same failure.
    const r = (await signer({}).sign(request({}), { signingDate: new Date() })) as HttpRequest;
    const tampered = await send({ ...r, body: 'Action=GetCallerIdentity&Version=2011-06-15&x=1' } as never);
    expect(queryError(tampered)).toMatchObject({
      status: 403,
      code: 'SignatureDoesNotMatch',
      message: MISMATCH,
    });
  });

  it('refuses a request signed 16 minutes ago with AWS\'s "Signature expired" text', async () => {
    const at = new Date(Date.now() - 16 * 60_000);
    const amz = (d: Date) =>
      d
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}/, '');
    const before = Date.now();
    const a = await signed({ at });
    const after = Date.now();
    const e = queryError(a);
    expect(e).toMatchObject({ status: 403, type: 'Sender', code: 'SignatureDoesNotMatch' });
    const m =
      /^Signature expired: (\d{8}T\d{6}Z) is now earlier than (\d{8}T\d{6}Z) \((\d{8}T\d{6}Z) - 15 min\.\)$/.exec(
        e.message,
      );
    expect(m, e.message).not.toBeNull();
    const parse = (s: string) =>
      Date.parse(
        `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`,
      );
    expect(m![1]).toBe(amz(at));
    const serverNow = parse(m![3]!);
    expect(serverNow).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(serverNow).toBeLessThanOrEqual(after);
    expect(parse(m![2]!)).toBe(serverNow - 15 * 60_000);
    // 14 minutes is inside the window.
    expect((await signed({ at: new Date(Date.now() - 14 * 60_000) })).status).toBe(200);
  });

  it('accepts a presigned GET URL for sts:GetCallerIdentity, and refuses it once altered', async () => {
    const spec: Spec = {
      method: 'GET',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      creds: plainUser,
    };
    const presigned = await signer(spec).presign(request(spec), { expiresIn: 300 });
    expect(Object.keys(presigned.query ?? {})).toEqual(
      expect.arrayContaining(['X-Amz-Signature', 'X-Amz-Credential', 'X-Amz-Expires']),
    );
    expect(presigned.headers.authorization).toBeUndefined();
    const a = await send(presigned as never);
    expect(a.status).toBe(200);
    expect(a.text).toContain(`<Arn>arn:aws:iam::${ACCOUNT}:user/plain</Arn>`);
    const altered = await send({
      ...presigned,
      query: { ...presigned.query, Version: '2011-06-16' },
    } as never);
    expect(queryError(altered)).toMatchObject({
      status: 403,
      code: 'SignatureDoesNotMatch',
      message: MISMATCH,
    });
  });

  it('answers IAM errors in the Query XML shape with the x-amzn-RequestId header', async () => {
    const a = await signed({ service: 'iam', body: 'Action=GetUser&Version=2010-05-08&UserName=ghost' });
    expect(queryError(a)).toEqual({
      status: 404,
      type: 'Sender',
      code: 'NoSuchEntity',
      message: 'The user with name ghost cannot be found.',
    });
    const denied = await signed({
      service: 'iam',
      creds: plainUser,
      body: 'Action=CreateUser&Version=2010-05-08&UserName=zed',
    });
    expect(queryError(denied)).toEqual({
      status: 403,
      type: 'Sender',
      code: 'AccessDenied',
      message: `User: arn:aws:iam::${ACCOUNT}:user/plain is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${ACCOUNT}:user/zed because no identity-based policy allows the iam:CreateUser action`,
    });
  });

  it('answers SES v2 errors as JSON: x-amzn-ErrorType header and {"__type","message"}', async () => {
    const get = (creds: Creds) =>
      signed({ method: 'GET', service: 'ses', path: '/v2/email/identities', creds });
    const json = (a: Answer) => ({
      status: a.status,
      errorType: a.headers.get('x-amzn-errortype'),
      contentType: a.headers.get('content-type')?.split(';')[0],
      requestIdHeader: typeof a.headers.get('x-amzn-requestid'),
      body: JSON.parse(a.text) as unknown,
    });
    expect(json(await get({ accessKeyId: 'AKIAUNKNOWNKEY000001', secretAccessKey: 'x'.repeat(40) }))).toEqual(
      {
        status: 403,
        errorType: 'UnrecognizedClientException',
        contentType: 'application/json',
        requestIdHeader: 'string',
        body: {
          __type: 'UnrecognizedClientException',
          message: 'The security token included in the request is invalid.',
        },
      },
    );
    expect(json(await get({ ...plainUser, secretAccessKey: 'y'.repeat(40) }))).toMatchObject({
      status: 403,
      errorType: 'InvalidSignatureException',
      body: { __type: 'InvalidSignatureException', message: MISMATCH },
    });
    expect(json(await get(plainUser))).toMatchObject({
      status: 403,
      errorType: 'AccessDeniedException',
      body: {
        __type: 'AccessDeniedException',
        message: `User: arn:aws:iam::${ACCOUNT}:user/plain is not authorized to perform: ses:ListEmailIdentities on resource: * because no identity-based policy allows the ses:ListEmailIdentities action`,
      },
    });
    const ok = await get(ROOT_KEY);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text)).toMatchObject({ EmailIdentities: [] });
  });
});
