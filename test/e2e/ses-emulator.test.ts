// The emulator profile (docs/architecture.md "Profiles"): any credentials act as the root of 123456789012,
// identities verify at once, and there is no sandbox recipient gate — for suites written against
// other SES emulators.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GetIdentityVerificationAttributesCommand,
  GetSendQuotaCommand,
  SendEmailCommand,
  SendRawEmailCommand,
  VerifyEmailIdentityCommand,
} from '@aws-sdk/client-ses';
import {
  CreateEmailIdentityCommand,
  GetAccountCommand,
  SendEmailCommand as V2SendEmailCommand,
} from '@aws-sdk/client-sesv2';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  clientsFor,
  errorOf,
  mime,
  outbox,
  v1SendInput,
  v2SendInput,
  type Clients,
} from '../support/ses-fixtures.js';

const EMULATOR_ACCOUNT = '123456789012';
let server: TestServer;
let anyone: Clients;
let someoneElse: Clients;

beforeAll(async () => {
  // `email` verification would leave identities Pending; the emulator profile verifies at once.
  server = await startTestServer({ SESAME_PROFILE: 'emulator', SESAME_VERIFICATION: 'email' });
  anyone = clientsFor(server, { accessKeyId: 'test', secretAccessKey: 'test' });
  someoneElse = clientsFor(
    server,
    { accessKeyId: 'AKIAANYTHING12345678', secretAccessKey: 'whatever' },
    'eu-west-1',
  );
});
afterAll(async () => server?.stop());

describe('emulator profile', () => {
  it('any credentials are the root of 123456789012', async () => {
    const who = await anyone.sts.send(new GetCallerIdentityCommand({}));
    expect(who.Account).toBe(EMULATOR_ACCOUNT);
    expect(who.Arn).toBe(`arn:aws:iam::${EMULATOR_ACCOUNT}:root`);
    expect((await someoneElse.sts.send(new GetCallerIdentityCommand({}))).Account).toBe(EMULATOR_ACCOUNT);
  });
  it('an unsigned request is served too', async () => {
    const res = await fetch(`${server.endpoint}/v2/email/account`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ProductionAccessEnabled: boolean };
    expect(body.ProductionAccessEnabled).toBe(true);
  });
  it('identities verify at once (v1 and v2)', async () => {
    await anyone.v1.send(new VerifyEmailIdentityCommand({ EmailAddress: 'me@example.com' }));
    const attrs = await anyone.v1.send(
      new GetIdentityVerificationAttributesCommand({ Identities: ['me@example.com'] }),
    );
    expect(attrs.VerificationAttributes?.['me@example.com']?.VerificationStatus).toBe('Success');
    const created = await anyone.v2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'example.org' }));
    expect(created.VerifiedForSendingStatus).toBe(true);
  });
  it('no sandbox: any recipient, production quota; mail lands in 123456789012’s outbox', async () => {
    const a = await anyone.v2.send(new GetAccountCommand({}));
    expect(a.ProductionAccessEnabled).toBe(true);
    expect((await anyone.v1.send(new GetSendQuotaCommand({}))).Max24HourSend).toBe(50000);
    const r1 = await anyone.v1.send(
      new SendEmailCommand(v1SendInput({ from: 'me@example.com', to: ['stranger@elsewhere.net'] })),
    );
    const r2 = await anyone.v2.send(
      new V2SendEmailCommand(v2SendInput({ from: 'x@example.org', to: ['other@elsewhere.net'] })),
    );
    const r3 = await anyone.v1.send(
      new SendRawEmailCommand({ RawMessage: { Data: mime({ From: 'me@example.com', To: 'z@q.net' }) } }),
    );
    const rows = await outbox(server, EMULATOR_ACCOUNT);
    for (const id of [r1.MessageId, r2.MessageId, r3.MessageId]) {
      const row = rows.find((m) => m.messageId === id);
      expect(row).toMatchObject({
        accountId: EMULATOR_ACCOUNT,
        principalArn: `arn:aws:iam::${EMULATOR_ACCOUNT}:root`,
      });
    }
  });
  it('senders must still be verified identities', async () => {
    expect(
      await errorOf(
        anyone.v1.send(new SendEmailCommand(v1SendInput({ from: 'who@unverified.net', to: ['a@b.net'] }))),
      ),
    ).toEqual({
      name: 'MessageRejected',
      status: 400,
      message:
        'Email address is not verified. The following identities failed the check in region US-EAST-1: who@unverified.net',
    });
  });
  it('regions stay apart: an identity verified in us-east-1 is not one in eu-west-1', async () => {
    expect(
      await errorOf(
        someoneElse.v2.send(new V2SendEmailCommand(v2SendInput({ from: 'me@example.com', to: ['a@b.net'] }))),
      ),
    ).toEqual({
      name: 'MessageRejected',
      status: 400,
      message:
        'Email address is not verified. The following identities failed the check in region EU-WEST-1: me@example.com',
    });
  });
});

describe('endpoints of other emulators', () => {
  it('GET /_aws/ses lists accepted messages LocalStack-style, filterable by id and source; DELETE removes them', async () => {
    await anyone.v1.send(new VerifyEmailIdentityCommand({ EmailAddress: 'list@example.com' }));
    const sent = await anyone.v1.send(
      new SendEmailCommand({
        Source: 'list@example.com',
        Destination: { ToAddresses: ['to@example.net'] },
        Message: { Subject: { Data: 'Listed' }, Body: { Text: { Data: 'plain body' } } },
      }),
    );
    const byId = (await (await fetch(`${server.endpoint}/_aws/ses?id=${sent.MessageId}`)).json()) as {
      messages: {
        Id: string;
        Source: string;
        Subject: string;
        Destination: { ToAddresses: string[] };
        Body: { text_part: string };
      }[];
    };
    expect(byId.messages).toHaveLength(1);
    expect(byId.messages[0]).toMatchObject({
      Id: sent.MessageId,
      Source: 'list@example.com',
      Subject: 'Listed',
      Destination: { ToAddresses: ['to@example.net'] },
    });
    expect(byId.messages[0]?.Body.text_part).toBe('plain body');
    const bySource = (await (await fetch(`${server.endpoint}/_aws/ses?email=nobody@example.com`)).json()) as {
      messages: unknown[];
    };
    expect(bySource.messages).toEqual([]);
    const del = await fetch(`${server.endpoint}/_aws/ses?id=${sent.MessageId}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    const after = (await (await fetch(`${server.endpoint}/_aws/ses?id=${sent.MessageId}`)).json()) as {
      messages: unknown[];
    };
    expect(after.messages).toEqual([]);
  });

  it('POST /moto-api/reset forgets every identity and message; reset-auth is acknowledged', async () => {
    await anyone.v1.send(new VerifyEmailIdentityCommand({ EmailAddress: 'gone@example.com' }));
    const send = () =>
      anyone.v1.send(new SendEmailCommand(v1SendInput({ from: 'gone@example.com', to: ['a@b.net'] })));
    expect((await send()).MessageId).toBeTruthy(); // the send path now holds the identity in memory
    expect((await fetch(`${server.endpoint}/moto-api/reset`, { method: 'POST' })).status).toBe(200);
    // ...and forgets it with the reset, like everything stored.
    expect(await errorOf(send())).toEqual({
      name: 'MessageRejected',
      status: 400,
      message:
        'Email address is not verified. The following identities failed the check in region US-EAST-1: gone@example.com',
    });
    const attrs = await anyone.v1.send(
      new GetIdentityVerificationAttributesCommand({ Identities: ['gone@example.com'] }),
    );
    expect(attrs.VerificationAttributes?.['gone@example.com']).toBeUndefined();
    const listed = (await (await fetch(`${server.endpoint}/_aws/ses`)).json()) as { messages: unknown[] };
    expect(listed.messages).toEqual([]);
    expect((await anyone.sts.send(new GetCallerIdentityCommand({}))).Account).toBe(EMULATOR_ACCOUNT);
    expect(
      (await fetch(`${server.endpoint}/moto-api/reset-auth`, { method: 'POST', body: '0' })).status,
    ).toBe(200);
  });
});
