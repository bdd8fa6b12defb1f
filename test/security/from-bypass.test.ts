// Issue 14, finding 3: a user allowed only `marketing@a.example` could send as anyone of the domain
// by listing a second From mailbox or a second From header after the allowed one. Now every From
// mailbox is authorized as ses:FromAddress, and duplicated single-occurrence headers are refused as
// SES refuses them (InvalidParameterValue "Duplicate header 'From'." / SMTP 554 Transaction failed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { SendEmailCommand, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { SendEmailCommand as V2SendEmailCommand } from '@aws-sdk/client-sesv2';
import { smtpPasswordV4 } from '../../src/auth/smtp-password.js';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import {
  clientsFor,
  errorOf,
  grantProduction,
  identityArn,
  outbox,
  policyDoc,
  sendDenied,
  userWithPolicy,
  verify,
  type Clients,
  type Creds,
} from '../support/ses-fixtures.js';

let server: TestServer;
let root: Clients;
let user: { arn: string; creds: Creds };
let userClients: Clients;
const DOMAIN_ARN = identityArn(ACCOUNT, 'a.example');

beforeAll(async () => {
  server = await startTestServer({ SESAME_PRODUCTION_MAX_SEND_RATE: '1000' });
  root = clientsFor(server, server.credentials);
  await verify(root.v1, 'a.example', 'b.example');
  await grantProduction(server, ACCOUNT);
  user = await userWithPolicy(
    root,
    policyDoc({
      Effect: 'Allow',
      Action: ['ses:SendRawEmail', 'ses:SendEmail'],
      Resource: '*',
      Condition: { StringEquals: { 'ses:FromAddress': ['marketing@a.example', 'news@b.example'] } },
    }),
  );
  userClients = clientsFor(server, user.creds);
});
afterAll(async () => server?.stop());

const raw = (headers: string[]): Uint8Array =>
  Buffer.from([...headers, 'To: someone@example.net', 'Subject: s', '', 'body', ''].join('\r\n'));

const sendRawV1 = (headers: string[]) =>
  userClients.v1.send(new SendRawEmailCommand({ RawMessage: { Data: raw(headers) } }));
const sendRawV2 = (headers: string[]) =>
  userClients.v2.send(new V2SendEmailCommand({ Content: { Raw: { Data: raw(headers) } } }));

function smtpSend(headers: string[]) {
  return nodemailer
    .createTransport({
      host: '127.0.0.1',
      port: server.smtp.starttls as number,
      secure: false,
      requireTLS: true,
      tls: { rejectUnauthorized: false },
      auth: { user: user.creds.accessKeyId, pass: smtpPasswordV4(user.creds.secretAccessKey, 'us-east-1') },
    })
    .sendMail({
      envelope: { from: 'marketing@a.example', to: ['someone@example.net'] },
      raw: Buffer.from(raw(headers)),
    });
}

async function smtpError(headers: string[]): Promise<string> {
  try {
    await smtpSend(headers);
  } catch (e) {
    return (e as { response: string }).response;
  }
  throw new Error('expected SMTP to refuse the message');
}

describe('every From mailbox is authorized', () => {
  it('the allowed mailbox alone is accepted (v1, v2, SMTP)', async () => {
    const before = (await outbox(server, ACCOUNT)).length;
    await sendRawV1(['From: marketing@a.example']);
    await sendRawV2(['From: Marketing <marketing@a.example>']);
    expect((await smtpSend(['From: marketing@a.example'])).response).toMatch(/^250 Ok /);
    expect((await outbox(server, ACCOUNT)).length).toBe(before + 3);
  });

  it('a second mailbox in From is authorized too: ceo@ is denied on v1, v2 and SMTP', async () => {
    const before = (await outbox(server, ACCOUNT)).length;
    const from = ['From: marketing@a.example, ceo@a.example'];
    expect(await errorOf(sendRawV1(from))).toEqual({
      name: 'AccessDenied',
      status: 403,
      message: sendDenied(user.arn, 'ses:SendRawEmail', DOMAIN_ARN),
    });
    expect(await errorOf(sendRawV2(from))).toEqual({
      name: 'AccessDeniedException',
      status: 403,
      message: sendDenied(user.arn, 'ses:SendRawEmail', DOMAIN_ARN),
    });
    expect(await smtpError(from)).toBe(
      `554 Access denied: ${sendDenied(user.arn, 'ses:SendRawEmail', DOMAIN_ARN)}`,
    );
    // A group, a display name or the order change nothing.
    expect(
      (await errorOf(sendRawV1(['From: Staff: marketing@a.example, "Boss" <ceo@a.example>;']))).name,
    ).toBe('AccessDenied');
    expect((await errorOf(sendRawV1(['From: ceo@a.example, marketing@a.example']))).name).toBe(
      'AccessDenied',
    );
    expect((await outbox(server, ACCOUNT)).length).toBe(before);
  });

  it('several From mailboxes that are all allowed (and verified) are accepted', async () => {
    const sent = await sendRawV1([
      'From: marketing@a.example, news@b.example',
      'Sender: marketing@a.example',
    ]);
    expect(sent.MessageId).toMatch(/^[0-9a-f]{16}-/);
  });

  it("v2 Raw with FromEmailAddress: the header's own From mailbox is authorized too", async () => {
    const send = (header: string) =>
      userClients.v2.send(
        new V2SendEmailCommand({
          FromEmailAddress: 'marketing@a.example',
          Content: { Raw: { Data: raw([header]) } },
        }),
      );
    expect((await errorOf(send('From: ceo@a.example'))).name).toBe('AccessDeniedException');
    expect((await send('From: marketing@a.example')).MessageId).toMatch(/^[0-9a-f]{16}-/);
  });

  it('a Source parameter holding two mailboxes is refused, not sent as both', async () => {
    const before = (await outbox(server, ACCOUNT)).length;
    const err = await errorOf(
      userClients.v1.send(
        new SendEmailCommand({
          Source: 'Marketing <marketing@a.example>, ceo@a.example',
          Destination: { ToAddresses: ['someone@example.net'] },
          Message: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } },
        }),
      ),
    );
    expect(err).toEqual({
      name: 'InvalidParameterValue',
      status: 400,
      message: 'Local address contains control or whitespace',
    });
    expect((await outbox(server, ACCOUNT)).length).toBe(before);
  });

  it('every From mailbox must be verified, not only the first', async () => {
    expect(await errorOf(sendRawV1(['From: marketing@a.example, x@unverified.example']))).toEqual({
      name: 'MessageRejected',
      status: 400,
      message:
        'Email address is not verified. The following identities failed the check in region US-EAST-1: x@unverified.example',
    });
  });
});

describe('duplicated headers are refused as SES refuses them', () => {
  for (const [name, headers] of [
    ['From', ['From: marketing@a.example', 'From: ceo@a.example']],
    [
      'Sender',
      ['From: marketing@a.example', 'Sender: marketing@a.example', 'sender: ceo@unverified.example'],
    ],
    [
      'Return-Path',
      ['From: marketing@a.example', 'Return-Path: <a@a.example>', 'Return-Path: <b@x.example>'],
    ],
    ['Subject', ['From: marketing@a.example', 'Subject: again']],
  ] as const) {
    it(`two ${name} headers: InvalidParameterValue / BadRequestException / 554, nothing stored`, async () => {
      const before = (await outbox(server, ACCOUNT)).length;
      const message = `Duplicate header '${name}'.`;
      expect(await errorOf(sendRawV1([...headers]))).toEqual({
        name: 'InvalidParameterValue',
        status: 400,
        message,
      });
      expect(await errorOf(sendRawV2([...headers]))).toEqual({
        name: 'BadRequestException',
        status: 400,
        message,
      });
      expect(await smtpError([...headers])).toBe(`554 Transaction failed: ${message}`);
      expect((await outbox(server, ACCOUNT)).length).toBe(before);
    });
  }

  it('headers that may repeat (Received, Comments, X-*) still pass', async () => {
    const sent = await sendRawV1([
      'Received: from a by b',
      'Received: from c by d',
      'Comments: one',
      'Comments: two',
      'X-Custom: 1',
      'X-Custom: 2',
      'From: marketing@a.example',
    ]);
    expect(sent.MessageId).toMatch(/^[0-9a-f]{16}-/);
  });
});
