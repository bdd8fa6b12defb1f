// The mailbox API end to end: a real server, requests signed with SigV4 for service `sesame`,
// authorized by IAM (root allowed; users need sesame:* or the specific action).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ACCOUNT, startTestServer, type TestServer } from '../../test/support/server.js';
import {
  clientsFor,
  grantProduction,
  policyDoc,
  secondAccount,
  userWithPolicy,
  verify,
  type Clients,
  type Creds,
} from '../../test/support/ses-fixtures.js';
import { sesameCall } from '../../test/support/sesame-api.js';

let server: TestServer;
let root: Clients;
let messageId: string;
let sentRequestId: string;

const call = (creds: Creds, method: string, path: string, query: Record<string, string> = {}) =>
  sesameCall(server.endpoint, creds, method, path, { query });

const LIST = '/sesame/mailbox/messages';
const denied = (user: string, action: string, resource: string) =>
  `User: arn:aws:iam::${ACCOUNT}:user/${user} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;

beforeAll(async () => {
  server = await startTestServer();
  root = clientsFor(server, server.credentials);
  await grantProduction(server, ACCOUNT);
  await verify(root.v1, 'sender@example.com');
  const sent = await root.v2.send(
    new SendEmailCommand({
      FromEmailAddress: 'Sender <sender@example.com>',
      Destination: { ToAddresses: ['reader@example.net'] },
      Content: {
        Simple: {
          Subject: { Data: 'Quarterly numbers' },
          Body: { Text: { Data: 'All good.' }, Html: { Data: '<p>All good.</p>' } },
        },
      },
    }),
  );
  messageId = sent.MessageId!;
  sentRequestId = sent.$metadata.requestId!;
  // Delivery is asynchronous: wait until the capture transport has it.
  const end = Date.now() + 10_000;
  for (;;) {
    const r = await call(server.credentials, 'GET', LIST);
    if ((r.json.Messages as unknown[] | undefined)?.length) break;
    if (Date.now() > end) throw new Error('message never captured');
    await new Promise((res) => setTimeout(res, 50));
  }
}, 30_000);

afterAll(async () => {
  await server?.stop();
});

describe('mailbox API (SigV4 service sesame)', () => {
  it('root lists the captured message, filters by recipient and query, and pages', async () => {
    const r = await call(server.credentials, 'GET', LIST, { recipient: 'READER@example.net' });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const messages = r.json.Messages as Record<string, unknown>[];
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      Id: messageId,
      MessageId: messageId,
      Kind: 'outbound',
      From: 'sender@example.com',
      Recipients: ['reader@example.net'],
      Subject: 'Quarterly numbers',
    });
    expect(r.json.NextToken).toBeUndefined();
    expect(
      (await call(server.credentials, 'GET', LIST, { recipient: 'other@example.net' })).json.Messages,
    ).toEqual([]);
    expect((await call(server.credentials, 'GET', LIST, { q: 'quarterly' })).json.Messages).toHaveLength(1);
    expect((await call(server.credentials, 'GET', LIST, { q: 'nothing-like-it' })).json.Messages).toEqual([]);
    const page = await call(server.credentials, 'GET', LIST, { limit: '1' });
    expect(typeof page.json.NextToken).toBe('string');
    const next = await call(server.credentials, 'GET', LIST, {
      limit: '1',
      after: page.json.NextToken as string,
    });
    expect(next.json).toEqual({ Messages: [] });
    const bad = await call(server.credentials, 'GET', LIST, { limit: '0' });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({
      __type: 'BadRequestException',
      message: 'limit must be a whole number from 1 to 1000.',
    });
  });

  it('GetMessage parses the message; ?format=raw gives the MIME', async () => {
    const r = await call(server.credentials, 'GET', `${LIST}/${messageId}`);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      Id: messageId,
      Subject: 'Quarterly numbers',
      From: ['sender@example.com'],
      To: ['reader@example.net'],
      Attachments: [],
    });
    expect((r.json.Text as string).trim()).toBe('All good.');
    expect(r.json.Html).toBe('<p>All good.</p>');
    expect(
      (r.json.Headers as { Name: string; Value: string }[]).find((h) => h.Name === 'Subject')?.Value,
    ).toBe('Quarterly numbers');
    const raw = await call(server.credentials, 'GET', `${LIST}/${messageId}`, { format: 'raw' });
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toBe('message/rfc822');
    expect(raw.text).toMatch(/^Return-Path: /);
    expect(raw.text).toContain('Subject: Quarterly numbers\r\n');
  });

  it('a user without permission gets AccessDeniedException with the generic message', async () => {
    const u = await userWithPolicy(root, undefined, 'no-mailbox');
    const r = await call(u.creds, 'GET', LIST);
    expect(r.status).toBe(403);
    expect(r.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
    expect(r.json).toEqual({
      __type: 'AccessDeniedException',
      message: denied('no-mailbox', 'sesame:ListMessages', '*'),
    });
  });

  it('sesame:ListMessages alone lists but cannot GetMessage; sesame:* can', async () => {
    const lister = await userWithPolicy(
      root,
      policyDoc({ Effect: 'Allow', Action: 'sesame:ListMessages', Resource: '*' }),
      'lister',
    );
    const listed = await call(lister.creds, 'GET', LIST);
    expect(listed.status).toBe(200);
    expect((listed.json.Messages as { Id: string }[]).map((m) => m.Id)).toEqual([messageId]);
    const get = await call(lister.creds, 'GET', `${LIST}/${messageId}`);
    expect(get.status).toBe(403);
    expect(get.json).toEqual({
      __type: 'AccessDeniedException',
      message: denied(
        'lister',
        'sesame:GetMessage',
        `arn:aws:sesame:us-east-1:${ACCOUNT}:message/${messageId}`,
      ),
    });
    const all = await userWithPolicy(
      root,
      policyDoc({ Effect: 'Allow', Action: 'sesame:*', Resource: '*' }),
      'mailbox-admin',
    );
    expect((await call(all.creds, 'GET', `${LIST}/${messageId}`)).status).toBe(200);
  });

  it('another account sees none of it, and a missing message is NotFoundException 404', async () => {
    const missing = await call(server.credentials, 'GET', `${LIST}/no-such-message`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-amzn-errortype')).toBe('NotFoundException');
    expect(missing.json).toEqual({
      __type: 'NotFoundException',
      message: 'Message no-such-message does not exist.',
    });
    const other = await secondAccount(server);
    expect((await call(other.creds, 'GET', LIST)).json).toEqual({ Messages: [] });
    expect((await call(other.creds, 'GET', `${LIST}/${messageId}`)).status).toBe(404);
    expect((await call(other.creds, 'DELETE', `${LIST}/${messageId}`)).status).toBe(404);
    expect((await call(server.credentials, 'GET', `${LIST}/${messageId}`)).status).toBe(200);
    const unknown = await call(server.credentials, 'PUT', `${LIST}/${messageId}`);
    expect(unknown.status).toBe(404);
    expect(unknown.json.__type).toBe('UnknownOperationException');
  });

  it('the timeline shows the accepted message, then its events', async () => {
    const r = await call(server.credentials, 'GET', `${LIST}/${messageId}/timeline`);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      MessageId: messageId,
      Accepted: { Source: 'sender@example.com', Recipients: ['reader@example.net'], Operation: 'SendEmail' },
      // The authorization decision of the call that sent it, from the audit log.
      Authorization: {
        RequestId: sentRequestId,
        Decision: 'Allowed',
        Actions: ['ses:SendEmail'],
        Resources: [`arn:aws:ses:us-east-1:${ACCOUNT}:identity/sender@example.com`],
      },
      Status: 'delivered',
      Attempts: 1,
    });
    const events = r.json.Events as { Type: string; Recipients: string[] }[];
    expect(events.map((e) => e.Type)).toEqual(['Send', 'Delivery']);
    expect(events[1]!.Recipients).toEqual(['reader@example.net']);
    expect((r.json.Captured as { Id: string }[]).map((c) => c.Id)).toEqual([messageId]);
  });

  it('DeleteMessage removes it (then 404); a user needs sesame:DeleteMessage', async () => {
    const lister = await userWithPolicy(
      root,
      policyDoc({ Effect: 'Allow', Action: ['sesame:ListMessages', 'sesame:GetMessage'], Resource: '*' }),
      'reader-only',
    );
    const refused = await call(lister.creds, 'DELETE', `${LIST}/${messageId}`);
    expect(refused.status).toBe(403);
    expect(refused.json.message).toBe(
      denied(
        'reader-only',
        'sesame:DeleteMessage',
        `arn:aws:sesame:us-east-1:${ACCOUNT}:message/${messageId}`,
      ),
    );
    const del = await call(server.credentials, 'DELETE', `${LIST}/${messageId}`);
    expect(del.status).toBe(200);
    expect(del.json).toEqual({});
    expect((await call(server.credentials, 'GET', `${LIST}/${messageId}`)).status).toBe(404);
    expect((await call(server.credentials, 'DELETE', `${LIST}/${messageId}`)).status).toBe(404);
    expect((await call(server.credentials, 'GET', LIST)).json.Messages).toEqual([]);
  });
});
