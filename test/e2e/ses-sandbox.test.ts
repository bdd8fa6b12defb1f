// The sandbox (docs/spec/ses.md §5): only verified or simulator recipients, 200 recipients a day, 1 per second,
// with SES's exact rejections on v1 and v2; leaving it through PutAccountDetails (auto-approved).
// Each concern uses its own account, since the 1/s budget is per account.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetSendQuotaCommand, PutIdentityPolicyCommand, SendEmailCommand } from '@aws-sdk/client-ses';
import {
  GetAccountCommand,
  PutAccountDetailsCommand,
  SendEmailCommand as V2SendEmailCommand,
} from '@aws-sdk/client-sesv2';
import { setAccountQuota } from '../../src/ses/state/index.js';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import {
  clientsFor,
  errorOf,
  grantProduction,
  identityArn,
  outbox,
  policyDoc,
  secondAccount,
  sendDenied,
  userWithPolicy,
  v1SendInput,
  v2SendInput,
  verify,
  type Clients,
} from '../support/ses-fixtures.js';

let server: TestServer;
let root: Clients;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const notVerified = (ids: string) => ({
  name: 'MessageRejected',
  status: 400,
  message: `Email address is not verified. The following identities failed the check in region US-EAST-1: ${ids}`,
});

beforeAll(async () => {
  server = await startTestServer({ SESAME_AUTO_APPROVE_PRODUCTION: 'true' });
  root = clientsFor(server, server.credentials);
  await verify(root.v1, 'example.com', 'friend@inbox.org');
});
afterAll(async () => server?.stop());

/** A fresh account (in the sandbox) with example.com verified. */
async function sandboxAccount(): Promise<{ accountId: string; c: Clients }> {
  const acct = await secondAccount(server);
  await verify(acct.root.v1, 'example.com');
  return { accountId: acct.accountId, c: acct.root };
}

describe('a new account is in the sandbox', () => {
  it('GetSendQuota answers 200 / 1 / 0 and GetAccount says no production access', async () => {
    const q = await root.v1.send(new GetSendQuotaCommand({}));
    expect([q.Max24HourSend, q.MaxSendRate, q.SentLast24Hours]).toEqual([200, 1, 0]);
    const a = await root.v2.send(new GetAccountCommand({}));
    expect(a.ProductionAccessEnabled).toBe(false);
    expect(a.SendQuota).toEqual({ Max24HourSend: 200, MaxSendRate: 1, SentLast24Hours: 0 });
    expect(a.SendingEnabled).toBe(true);
    expect(a.EnforcementStatus).toBe('HEALTHY');
  });
});

describe('recipient gate', () => {
  it('an unverified recipient is MessageRejected on v1 and v2 (To, Cc and Bcc all count)', async () => {
    const before = (await outbox(server, ACCOUNT)).length;
    expect(
      await errorOf(
        root.v1.send(new SendEmailCommand(v1SendInput({ from: 'a@example.com', to: ['x@y.com'] }))),
      ),
    ).toEqual(notVerified('x@y.com'));
    expect(
      await errorOf(
        root.v2.send(new V2SendEmailCommand(v2SendInput({ from: 'a@example.com', to: ['x@y.com'] }))),
      ),
    ).toEqual(notVerified('x@y.com'));
    const p = root.v1.send(
      new SendEmailCommand(
        v1SendInput({ from: 'a@example.com', to: ['friend@inbox.org'], cc: ['c@y.com'], bcc: ['b@y.com'] }),
      ),
    );
    expect(await errorOf(p)).toEqual(notVerified('c@y.com, b@y.com'));
    expect((await outbox(server, ACCOUNT)).length).toBe(before);
  });
  it('an unverified sender is listed along with the recipients', async () => {
    expect(
      await errorOf(
        root.v2.send(new V2SendEmailCommand(v2SendInput({ from: 'me@nowhere.net', to: ['x@y.com'] }))),
      ),
    ).toEqual(notVerified('me@nowhere.net, x@y.com'));
  });
  it('verified recipients and mailbox-simulator addresses are accepted', async () => {
    const { accountId, c } = await sandboxAccount();
    await verify(c.v1, 'pal@inbox.org');
    const a = await c.v1.send(
      new SendEmailCommand(v1SendInput({ from: 'a@example.com', to: ['success@simulator.amazonses.com'] })),
    );
    await sleep(1100);
    const b = await c.v2.send(
      new V2SendEmailCommand(v2SendInput({ from: 'a@example.com', to: ['pal@inbox.org'] })),
    );
    const ids = (await outbox(server, accountId)).map((m) => m.messageId);
    expect(ids).toEqual(expect.arrayContaining([a.MessageId, b.MessageId]));
    // Simulator recipients do not count toward the daily quota; real ones do.
    expect((await c.v1.send(new GetSendQuotaCommand({}))).SentLast24Hours).toBe(1);
  });
  it('in the sandbox each recipient identity is authorized too (Resource naming only the sender fails)', async () => {
    const u = await userWithPolicy(
      root,
      policyDoc({
        Effect: 'Allow',
        Action: ['ses:SendEmail'],
        Resource: identityArn(ACCOUNT, 'example.com'),
      }),
    );
    const c = clientsFor(server, u.creds);
    expect(
      await errorOf(
        c.v2.send(new V2SendEmailCommand(v2SendInput({ from: 'a@example.com', to: ['friend@inbox.org'] }))),
      ),
    ).toEqual({
      name: 'AccessDeniedException',
      status: 403,
      message: sendDenied(u.arn, 'ses:SendEmail', identityArn(ACCOUNT, 'friend@inbox.org')),
    });
  });
  it('a delegate out of the sandbox sending as a sandboxed owner’s identity is still gated', async () => {
    const delegate = await secondAccount(server);
    await grantProduction(server, delegate.accountId);
    await root.v1.send(
      new PutIdentityPolicyCommand({
        Identity: 'example.com',
        PolicyName: 'delegate',
        Policy: policyDoc({
          Effect: 'Allow',
          Principal: { AWS: delegate.accountId },
          Action: ['ses:SendEmail'],
          Resource: identityArn(ACCOUNT, 'example.com'),
        }),
      }),
    );
    const input = v1SendInput({
      from: 'a@example.com',
      to: ['x@y.com'],
      fromArn: identityArn(ACCOUNT, 'example.com'),
    });
    expect(await errorOf(delegate.root.v1.send(new SendEmailCommand(input)))).toEqual(notVerified('x@y.com'));
  });
});

describe('sending rate 1/s', () => {
  it('a second message within the second is Throttling (v1, 400) / TooManyRequestsException (v2, 429)', async () => {
    const { accountId, c } = await sandboxAccount();
    const to = ['success@simulator.amazonses.com'];
    await c.v1.send(new SendEmailCommand(v1SendInput({ from: 'a@example.com', to })));
    expect(
      await errorOf(c.v1.send(new SendEmailCommand(v1SendInput({ from: 'a@example.com', to })))),
    ).toEqual({
      name: 'Throttling',
      status: 400,
      message: 'Maximum sending rate exceeded.',
    });
    expect(
      await errorOf(c.v2.send(new V2SendEmailCommand(v2SendInput({ from: 'a@example.com', to })))),
    ).toEqual({
      name: 'TooManyRequestsException',
      status: 429,
      message: 'Maximum sending rate exceeded.',
    });
    expect((await outbox(server, accountId)).length).toBe(1);
    await sleep(1100);
    expect(
      (await c.v2.send(new V2SendEmailCommand(v2SendInput({ from: 'a@example.com', to })))).MessageId,
    ).toBeTruthy();
  });
});

describe('daily quota', () => {
  it('"Daily message quota exceeded." once the 24-hour recipient count is reached', async () => {
    const { accountId, c } = await sandboxAccount();
    await setAccountQuota(server.app.store, accountId, 'us-east-1', { maxSendRate: 100, max24HourSend: 2 });
    await verify(c.v1, 'r1@inbox.org', 'r2@inbox.org', 'r3@inbox.org');
    await c.v1.send(
      new SendEmailCommand(v1SendInput({ from: 'a@example.com', to: ['r1@inbox.org', 'r2@inbox.org'] })),
    );
    expect(
      await errorOf(
        c.v1.send(new SendEmailCommand(v1SendInput({ from: 'a@example.com', to: ['r3@inbox.org'] }))),
      ),
    ).toEqual({
      name: 'Throttling',
      status: 400,
      message: 'Daily message quota exceeded.',
    });
    expect(
      await errorOf(
        c.v2.send(new V2SendEmailCommand(v2SendInput({ from: 'a@example.com', to: ['r3@inbox.org'] }))),
      ),
    ).toEqual({
      name: 'TooManyRequestsException',
      status: 429,
      message: 'Daily message quota exceeded.',
    });
    // Simulator recipients do not use the daily quota.
    await c.v1.send(
      new SendEmailCommand(v1SendInput({ from: 'a@example.com', to: ['success@simulator.amazonses.com'] })),
    );
    expect((await outbox(server, accountId)).length).toBe(2);
  });
});

describe('leaving the sandbox (PutAccountDetails, auto-approved)', () => {
  it('grants production access, the production quota, and lifts the recipient gate', async () => {
    const { c } = await sandboxAccount();
    await c.v2.send(
      new PutAccountDetailsCommand({
        MailType: 'TRANSACTIONAL',
        WebsiteURL: 'https://example.com',
        ContactLanguage: 'EN',
        UseCaseDescription: 'receipts',
        ProductionAccessEnabled: true,
      }),
    );
    const a = await c.v2.send(new GetAccountCommand({}));
    expect(a.ProductionAccessEnabled).toBe(true);
    expect(a.Details?.ReviewDetails?.Status).toBe('GRANTED');
    expect(a.Details?.MailType).toBe('TRANSACTIONAL');
    expect(a.SendQuota).toEqual({ Max24HourSend: 50000, MaxSendRate: 14, SentLast24Hours: 0 });
    const q = await c.v1.send(new GetSendQuotaCommand({}));
    expect([q.Max24HourSend, q.MaxSendRate]).toEqual([50000, 14]);
    expect(
      (await c.v1.send(new SendEmailCommand(v1SendInput({ from: 'a@example.com', to: ['x@y.com'] }))))
        .MessageId,
    ).toBeTruthy();
    // Senders must still be verified.
    expect(
      await errorOf(
        c.v2.send(new V2SendEmailCommand(v2SendInput({ from: 'me@nowhere.net', to: ['x@y.com'] }))),
      ),
    ).toEqual(notVerified('me@nowhere.net'));
  });
  it('without ProductionAccessEnabled the details are stored and the sandbox stays', async () => {
    const { c } = await sandboxAccount();
    await c.v2.send(
      new PutAccountDetailsCommand({ MailType: 'MARKETING', WebsiteURL: 'https://example.com' }),
    );
    const a = await c.v2.send(new GetAccountCommand({}));
    expect(a.ProductionAccessEnabled).toBe(false);
    expect(a.Details?.MailType).toBe('MARKETING');
    expect(a.Details?.ReviewDetails).toBeUndefined();
  });
});
