// Issue 14, finding 7: malformed input that used to end in 500 InternalFailure gets AWS's error (or
// a clear one) instead: an undecodable presigned session token, a list index past every integer,
// and captured MIME bombs read through the mailbox API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendRawEmailCommand } from '@aws-sdk/client-ses';
import { GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import { clientsFor, grantProduction, verify, type Clients } from '../support/ses-fixtures.js';
import { queryErrorFields, signedFetch } from '../support/signed-fetch.js';
import { formatAmzDate } from '../../src/auth/sigv4/amz-date.js';

let server: TestServer;
let root: Clients;

beforeAll(async () => {
  server = await startTestServer();
  root = clientsFor(server, server.credentials);
  await verify(root.v1, 'example.com');
  await grantProduction(server, ACCOUNT);
});
afterAll(async () => server?.stop());

describe('malformed input gets a client error, never InternalFailure', () => {
  it('a presigned URL whose X-Amz-Security-Token is not percent-decodable: InvalidClientTokenId', async () => {
    const session = await root.sts.send(new GetSessionTokenCommand({}));
    const now = new Date();
    const keyId = session.Credentials!.AccessKeyId!;
    const query =
      'Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256' +
      `&X-Amz-Credential=${keyId}%2F${formatAmzDate(now).slice(0, 8)}%2Fus-east-1%2Fsts%2Faws4_request` +
      `&X-Amz-Date=${formatAmzDate(now)}&X-Amz-Expires=300&X-Amz-SignedHeaders=host` +
      '&X-Amz-Signature=' +
      '0'.repeat(64) +
      '&X-Amz-Security-Token=%E0%A4%A';
    const res = await fetch(`${server.endpoint}/?${query}`);
    const text = await res.text();
    expect(res.status).toBe(403);
    expect(queryErrorFields(text)).toEqual({
      code: 'InvalidClientTokenId',
      message: 'The security token included in the request is invalid.',
    });
  });

  const sendEmailWith = (recipientParameter: string) =>
    signedFetch(server.endpoint, {
      body: new URLSearchParams({
        Action: 'SendEmail',
        Version: '2010-12-01',
        Source: 'a@example.com',
        [recipientParameter]: 'b@example.com',
        'Message.Subject.Data': 's',
        'Message.Body.Text.Data': 'b',
      }).toString(),
    });

  it('a Query list index beyond every integer reads as an ordinary member', async () => {
    const res = await sendEmailWith('Destination.ToAddresses.member.99999999999999999999');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<MessageId>[0-9a-f-]+<\/MessageId>/);
  });

  it('a list member with only sub-fields is no member (not a TypeError)', async () => {
    const res = await sendEmailWith('Destination.ToAddresses.member.1.x');
    expect(res.status).toBe(400);
    expect(queryErrorFields(res.text)).toEqual({
      code: 'InvalidParameterValue',
      message: 'There are no recipients in this message.',
    });
  });

  describe('MIME bombs in the mailbox API', () => {
    function deep(levels: number): string {
      let s = 'From: a@example.com\r\nTo: b@example.com\r\nSubject: deep\r\nMIME-Version: 1.0\r\n';
      for (let i = 0; i < levels; i++)
        s += `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`;
      s += 'Content-Type: text/plain\r\n\r\nhi\r\n';
      for (let i = levels - 1; i >= 0; i--) s += `--b${i}--\r\n`;
      return s;
    }
    function wide(parts: number): string {
      let s =
        'From: a@example.com\r\nTo: b@example.com\r\nSubject: wide\r\nMIME-Version: 1.0\r\n' +
        'Content-Type: multipart/mixed; boundary="x"\r\n\r\n';
      for (let i = 0; i < parts; i++) s += `--x\r\nContent-Type: text/plain\r\n\r\np${i}\r\n`;
      return `${s}--x--\r\n`;
    }

    async function captured(messageId: string): Promise<string> {
      const end = Date.now() + 15_000;
      for (;;) {
        const r = await signedFetch(server.endpoint, {
          method: 'GET',
          path: '/sesame/mailbox/messages',
          service: 'sesame',
        });
        const list = (JSON.parse(r.text) as { Messages: { Id: string; MessageId: string }[] }).Messages;
        const hit = list.find((m) => m.MessageId === messageId);
        if (hit) return hit.Id;
        if (Date.now() > end) throw new Error('never captured');
        await new Promise((res) => setTimeout(res, 50));
      }
    }

    for (const [name, raw] of [
      ['2,000 levels of nesting', deep(2000)],
      ['50,000 parts', wide(50_000)],
    ] as const) {
      it(`${name}: 400 with a clear message, and the raw form still readable`, async () => {
        const sent = await root.v1.send(new SendRawEmailCommand({ RawMessage: { Data: Buffer.from(raw) } }));
        const id = await captured(sent.MessageId!);
        const r = await signedFetch(server.endpoint, {
          method: 'GET',
          path: `/sesame/mailbox/messages/${id}`,
          service: 'sesame',
        });
        expect(r.status).toBe(400);
        expect(JSON.parse(r.text)).toEqual({
          __type: 'BadRequestException',
          message: expect.stringMatching(
            new RegExp(`^Message ${id} cannot be shown parsed: .+\\. Read it with format=raw\\.$`),
          ) as unknown,
        });
        const rawForm = await signedFetch(server.endpoint, {
          method: 'GET',
          path: `/sesame/mailbox/messages/${id}`,
          query: { format: 'raw' },
          service: 'sesame',
        });
        expect(rawForm.status).toBe(200);
        expect(rawForm.text).toContain(name.startsWith('2') ? 'boundary="b1999"' : 'p49999');
      });
    }
  });
});
