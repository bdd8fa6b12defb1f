// Every operation of botocore's SES v1 (Query) and v2 (REST-JSON) models, called against a real
// Sesame with a minimal SigV4-signed request: none may answer InvalidAction (v1) or
// UnknownOperationException (v2), except the operations other branches are still building.
import { Hash } from '@smithy/core/serde';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/protocols/model.js';
import { ROOT_KEY, startTestServer, type TestServer } from '../support/server.js';

/**
 * Operations owned by other issues' branches; the lead removes each line as its branch merges
 * (a listed operation that answers is reported too, so the list cannot go stale).
 */
const AWAITING_OTHER_BRANCHES = new Set<string>([]);

interface Answer {
  status: number;
  code: string | undefined;
}

let server: TestServer;
const signer = new SignatureV4({
  credentials: ROOT_KEY,
  region: 'us-east-1',
  service: 'ses',
  sha256: Hash.bind(null, 'sha256'),
});

async function call(method: string, path: string, body: string, type: string): Promise<Answer> {
  const url = new URL(server.endpoint);
  const [pathname, query] = path.split('?') as [string, string | undefined];
  const req = new HttpRequest({
    method,
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: pathname,
    query: Object.fromEntries(new URLSearchParams(query ?? '')),
    headers: { host: url.host, ...(body !== '' ? { 'content-type': type } : {}) },
    ...(body !== '' ? { body } : {}),
  });
  const signed = await signer.sign(req);
  const headers = { ...signed.headers };
  delete headers.host;
  const res = await fetch(`${server.endpoint}${path}`, { method, headers, ...(body !== '' ? { body } : {}) });
  const text = await res.text();
  const code =
    res.headers.get('x-amzn-errortype')?.split(':')[0] ??
    /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ??
    undefined;
  return { status: res.status, code };
}

/** v1: `Action=<Op>` with no parameters (the operation answers, perhaps with a validation error). */
const callV1 = (op: string): Promise<Answer> =>
  call('POST', '/', `Action=${op}&Version=2010-12-01`, 'application/x-www-form-urlencoded');

/** v2: the operation's route with every label filled in, an empty JSON body where one is sent. */
function callV2(op: string): Promise<Answer> {
  const { http } = loadModel('sesv2').operations[op]!;
  const path = http.requestUri.replace(/\{[^}]+\}/g, 'x');
  const body = http.method === 'GET' || http.method === 'DELETE' ? '' : '{}';
  return call(http.method, path, body, 'application/json');
}

const unserved = (a: Answer): boolean => a.code === 'InvalidAction' || a.code === 'UnknownOperationException';

const apis = [
  { api: 'v1', model: 'ses' as const, call: callV1 },
  { api: 'v2', model: 'sesv2' as const, call: callV2 },
];

describe('every SES v1 and v2 operation is served', () => {
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.stop());

  it('walks the same operations as the installed botocore', () => {
    let installed: { ses: string[]; sesv2: string[] };
    try {
      installed = JSON.parse(
        execFileSync(
          'python3',
          [
            '-c',
            'import botocore.session as s,json;x=s.get_session();print(json.dumps({n:x.get_service_model(n).operation_names for n in ("ses","sesv2")}))',
          ],
          { encoding: 'utf8' },
        ),
      ) as { ses: string[]; sesv2: string[] };
    } catch {
      return; // botocore is not installed here: the trimmed models stand alone
    }
    for (const { model } of apis) {
      const trimmed = Object.keys(loadModel(model).operations);
      expect(
        installed[model].filter((o) => !trimmed.includes(o)),
        `${model} operations missing from src/protocols/models`,
      ).toEqual([]);
    }
  });

  it('tells an unknown operation apart (the check can fail)', async () => {
    expect(await callV1('NoSuchOperation')).toMatchObject({ status: 400, code: 'InvalidAction' });
    expect(await call('GET', '/v2/email/no-such-thing', '', 'application/json')).toMatchObject({
      status: 404,
      code: 'UnknownOperationException',
    });
  });

  for (const { api, model, call: callOp } of apis) {
    it(`${api}: answers every operation of the model`, async () => {
      const missing: string[] = [];
      const stale: string[] = [];
      for (const op of Object.keys(loadModel(model).operations).sort()) {
        const awaiting = AWAITING_OTHER_BRANCHES.has(`${api}:${op}`);
        const answer = await callOp(op);
        if (unserved(answer) && !awaiting) missing.push(op);
        if (!unserved(answer) && awaiting) stale.push(op);
      }
      expect(missing, `${api} operations answered as unknown`).toEqual([]);
      expect(stale, `${api} operations served but still in AWAITING_OTHER_BRANCHES`).toEqual([]);
    });
  }
});
