// The send pipeline on both store engines, with the real state module, authz/ and policy engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type Store } from '../../store/database.js';
import { sentInLast24Hours, sentInLast24HoursForSend } from '../state/index.js';
import { batchStats, batchedWrite } from '../../store/write-batch.js';
import { MESSAGE_ID_PATTERN } from './message-id.js';
import { getOutboxMessage, listOutbox } from './outbox.js';
import { acceptSend } from './pipeline.js';
import { normalizeRawMessage } from './normalize-raw.js';
import { normalizeV1SendEmail, normalizeV1SendRawEmail } from './normalize-v1.js';
import {
  REGION,
  NOW,
  allow,
  configurationSet,
  ctxFor,
  identityPolicy,
  nextAccount,
  pauseSending,
  production,
  quota,
  rejection,
  testDeps,
  verifiedIdentity,
} from './test-support.js';

const simple = { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } };
const sendEmail = (source: string, to: string[], extra: Record<string, unknown> = {}) =>
  normalizeV1SendEmail({ Source: source, Destination: { ToAddresses: to }, Message: simple, ...extra });
const notVerified = (...ids: string[]) => ({
  code: 'MessageRejected',
  status: 400,
  message: `Email address is not verified. The following identities failed the check in region US-EAST-1: ${ids.join(', ')}`,
});
const denied = (user: string, action: string, resource: string) => ({
  code: 'AccessDenied',
  status: 403,
  message: `User \`${user}' is not authorized to perform \`${action}' on resource \`${resource}'`,
});

describe.each(testDialects())('send pipeline on %s', (dialect) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(dialect);
  });
  afterAll(async () => {
    await store.close();
  });

  /** An account out of the sandbox with a verified domain. */
  async function productionAccount(domain = 'example.com') {
    const acct = nextAccount();
    await production(store, acct);
    await verifiedIdentity(store, acct, domain);
    return acct;
  }

  describe('acceptance and the outbox', () => {
    it('returns an SES MessageId only for a message committed to the outbox, with the ledger', async () => {
      const acct = await productionAccount();
      const ctx = ctxFor(store, acct);
      const { messageIds } = await acceptSend(
        ctx,
        await sendEmail('Ann <ann@example.com>', ['b@elsewhere.org', 'c@elsewhere.org']),
        testDeps(),
      );
      expect(messageIds).toHaveLength(1);
      const id = messageIds[0]!;
      expect(id).toMatch(MESSAGE_ID_PATTERN);
      const row = await getOutboxMessage(store, id);
      expect(row).toMatchObject({
        messageId: id,
        accountId: acct,
        region: REGION,
        principalArn: `arn:aws:iam::${acct}:root`,
        source: 'ann@example.com',
        fromAddress: 'ann@example.com',
        sourceArn: `arn:aws:ses:${REGION}:${acct}:identity/example.com`,
        recipients: ['b@elsewhere.org', 'c@elsewhere.org'],
        apiVersion: '1',
        operation: 'SendEmail',
        status: 'queued',
        attempts: 0,
      });
      const text = row!.raw.toString();
      expect(text).toContain(`Message-ID: <${id}@${REGION}.amazonses.com>`);
      expect(text).toContain('Date: Sat, 28 Nov 2026 12:00:00 +0000');
      expect(text.match(/^Message-ID:/gim)).toHaveLength(1);
      expect((await listOutbox(store, acct, { limit: 10 })).map((m) => m.messageId)).toEqual([id]);
      expect(await sentInLast24Hours(store, acct, REGION, NOW)).toBe(2);
    });

    it('writes nothing when the send is refused', async () => {
      const acct = await productionAccount();
      await rejection(
        acceptSend(ctxFor(store, acct), await sendEmail('ann@unverified.com', ['b@x.org']), testDeps()),
      );
      expect(await listOutbox(store, acct, { limit: 10 })).toEqual([]);
      expect(await sentInLast24Hours(store, acct, REGION, NOW)).toBe(0);
    });

    it('stores raw messages without X-SES-* headers', async () => {
      const acct = await productionAccount();
      const raw = Buffer.from(
        'From: a@example.com\r\nTo: t@x.org\r\nX-SES-MESSAGE-TAGS: k=v\r\nSubject: s\r\n\r\nbody\r\n',
      );
      const { messageIds } = await acceptSend(
        ctxFor(store, acct),
        await normalizeV1SendRawEmail({ RawMessage: { Data: raw } }),
        testDeps(),
      );
      const row = await getOutboxMessage(store, messageIds[0]!);
      expect(row!.raw.toString()).not.toContain('X-SES');
      expect(row!.raw.toString().endsWith('\r\n\r\nbody\r\n')).toBe(true);
      expect(row!.tags).toEqual([{ Name: 'k', Value: 'v' }]);
    });
  });

  describe('identities', () => {
    it('lists every unverified sender identity (Source and ReturnPath)', async () => {
      const acct = await productionAccount();
      await verifiedIdentity(store, acct, 'pending.com', 'Pending');
      const req = await sendEmail('Ann <ann@pending.com>', ['b@x.org'], { ReturnPath: 'rp@nowhere.com' });
      expect(await rejection(acceptSend(ctxFor(store, acct), req, testDeps()))).toEqual(
        notVerified('Ann <ann@pending.com>', 'rp@nowhere.com'),
      );
    });

    it('accepts an address identity and a parent-domain identity', async () => {
      const acct = nextAccount();
      await production(store, acct);
      await verifiedIdentity(store, acct, 'ann@one.com');
      await verifiedIdentity(store, acct, 'two.com');
      const ctx = ctxFor(store, acct);
      await expect(
        acceptSend(ctx, await sendEmail('ann@one.com', ['x@y.org']), testDeps()),
      ).resolves.toBeDefined();
      await expect(
        acceptSend(ctx, await sendEmail('bob@mail.two.com', ['x@y.org']), testDeps()),
      ).resolves.toBeDefined();
      expect(
        await rejection(acceptSend(ctx, await sendEmail('bob@one.com', ['x@y.org']), testDeps())),
      ).toEqual(notVerified('bob@one.com'));
    });

    it('checks the raw From and Sender headers too', async () => {
      const acct = await productionAccount();
      const raw = Buffer.from('From: a@example.com\r\nSender: s@other.com\r\nTo: t@x.org\r\n\r\nx');
      const req = await normalizeV1SendRawEmail({ RawMessage: { Data: raw } });
      expect(await rejection(acceptSend(ctxFor(store, acct), req, testDeps()))).toEqual(
        notVerified('s@other.com'),
      );
    });
  });

  describe('sandbox', () => {
    it('refuses unverified recipients, allows verified ones and simulator addresses', async () => {
      const acct = nextAccount();
      await verifiedIdentity(store, acct, 'example.com');
      await verifiedIdentity(store, acct, 'friend@ok.org');
      const ctx = ctxFor(store, acct);
      const bad = await sendEmail('a@example.com', [
        'friend@ok.org',
        'stranger@x.org',
        'success@simulator.amazonses.com',
      ]);
      expect(await rejection(acceptSend(ctx, bad, testDeps()))).toEqual(notVerified('stranger@x.org'));
      const good = await sendEmail('a@example.com', ['friend@ok.org', 'success@simulator.amazonses.com']);
      expect((await acceptSend(ctx, good, testDeps())).messageIds).toHaveLength(1);
      // Simulator recipients skip the daily count.
      expect(await sentInLast24Hours(store, acct, REGION, NOW)).toBe(1);
    });

    it('out of the sandbox, any recipient', async () => {
      const acct = await productionAccount();
      const req = await sendEmail('a@example.com', ['stranger@x.org']);
      expect((await acceptSend(ctxFor(store, acct), req, testDeps())).messageIds).toHaveLength(1);
    });
  });

  describe('authorization', () => {
    it('checks the configuration set ARN: an identity-only grant is denied on it', async () => {
      const acct = await productionAccount();
      await configurationSet(store, acct, 'cs');
      const identity = `arn:aws:ses:${REGION}:${acct}:identity/example.com`;
      const ctx = ctxFor(store, acct, { user: 'alice', policies: [allow('ses:SendEmail', identity)] });
      const plain = await sendEmail('a@example.com', ['b@x.org']);
      expect((await acceptSend(ctx, plain, testDeps())).messageIds).toHaveLength(1);
      const withSet = await sendEmail('a@example.com', ['b@x.org'], { ConfigurationSetName: 'cs' });
      expect(await rejection(acceptSend(ctx, withSet, testDeps()))).toEqual(
        denied(
          `arn:aws:iam::${acct}:user/alice`,
          'ses:SendEmail',
          `arn:aws:ses:${REGION}:${acct}:configuration-set/cs`,
        ),
      );
    });

    it("checks the identity's default configuration set", async () => {
      const acct = nextAccount();
      await production(store, acct);
      await verifiedIdentity(store, acct, 'example.com', 'Success', 'default-cs');
      await configurationSet(store, acct, 'default-cs');
      const identity = `arn:aws:ses:${REGION}:${acct}:identity/example.com`;
      const ctx = ctxFor(store, acct, { user: 'alice', policies: [allow('ses:SendEmail', identity)] });
      expect(
        await rejection(acceptSend(ctx, await sendEmail('a@example.com', ['b@x.org']), testDeps())),
      ).toEqual(
        denied(
          `arn:aws:iam::${acct}:user/alice`,
          'ses:SendEmail',
          `arn:aws:ses:${REGION}:${acct}:configuration-set/default-cs`,
        ),
      );
    });

    it('evaluates the condition keys (ses:FromAddress, ses:Recipients)', async () => {
      const acct = await productionAccount();
      const policy = allow('ses:SendEmail', '*', {
        StringEquals: { 'ses:FromAddress': 'news@example.com' },
        'ForAllValues:StringLike': { 'ses:Recipients': ['*@partner.org'] },
      });
      const ctx = ctxFor(store, acct, { user: 'bob', policies: [policy] });
      const identity = `arn:aws:ses:${REGION}:${acct}:identity/example.com`;
      expect(
        (await acceptSend(ctx, await sendEmail('News <news@example.com>', ['a@partner.org']), testDeps()))
          .messageIds,
      ).toHaveLength(1);
      expect(
        await rejection(acceptSend(ctx, await sendEmail('other@example.com', ['a@partner.org']), testDeps())),
      ).toEqual(denied(`arn:aws:iam::${acct}:user/bob`, 'ses:SendEmail', identity));
      expect(
        await rejection(
          acceptSend(ctx, await sendEmail('news@example.com', ['a@partner.org', 'x@evil.org']), testDeps()),
        ),
      ).toEqual(denied(`arn:aws:iam::${acct}:user/bob`, 'ses:SendEmail', identity));
    });

    it('in the sandbox, authorizes each recipient identity', async () => {
      const acct = nextAccount();
      await verifiedIdentity(store, acct, 'example.com');
      await verifiedIdentity(store, acct, 'test@gmail.com');
      const identity = `arn:aws:ses:${REGION}:${acct}:identity/example.com`;
      const ctx = ctxFor(store, acct, { user: 'carol', policies: [allow('ses:SendEmail', identity)] });
      expect(
        await rejection(acceptSend(ctx, await sendEmail('a@example.com', ['test@gmail.com']), testDeps())),
      ).toEqual(
        denied(
          `arn:aws:iam::${acct}:user/carol`,
          'ses:SendEmail',
          `arn:aws:ses:${REGION}:${acct}:identity/test@gmail.com`,
        ),
      );
    });

    it('an identity policy Deny binds same-account users', async () => {
      const acct = await productionAccount();
      await identityPolicy(store, acct, 'example.com', 'NoRaw', {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 'ses:SendEmail',
            Resource: `arn:aws:ses:${REGION}:${acct}:identity/example.com`,
          },
        ],
      });
      const ctx = ctxFor(store, acct, { user: 'dave', policies: [allow('ses:*', '*')] });
      expect(
        (await rejection(acceptSend(ctx, await sendEmail('a@example.com', ['b@x.org']), testDeps()))).code,
      ).toBe('AccessDenied');
    });

    it('checks the recipient count before any per-recipient work, for allowed and denied callers alike', async () => {
      const acct = await productionAccount();
      const to = Array.from({ length: 51 }, (_, i) => `r${i}@x.org`);
      const deniedCtx = ctxFor(store, acct, { user: 'erin', policies: [] });
      const rawTo = () =>
        normalizeV1SendRawEmail({
          RawMessage: { Data: Buffer.from('From: a@example.com\r\nSubject: s\r\n\r\nx') },
          Destinations: to,
        });
      expect((await rejection(acceptSend(deniedCtx, await rawTo(), testDeps()))).code).toBe(
        'InvalidParameterValue',
      );
      // v1 SendEmail refuses before composing the message for the recipients.
      expect(await rejection(sendEmail('a@example.com', to))).toMatchObject({
        code: 'InvalidParameterValue',
        message: 'Recipient count exceeds 50.',
      });
      expect(await rejection(acceptSend(ctxFor(store, acct), await rawTo(), testDeps()))).toEqual({
        code: 'InvalidParameterValue',
        status: 400,
        message: 'Recipient count exceeds 50.',
      });
    });
  });

  describe('delegated sending (cross-account)', () => {
    async function owner() {
      const o = await productionAccount('owner.com');
      return { o, arn: `arn:aws:ses:${REGION}:${o}:identity/owner.com` };
    }

    it("needs the owner's identity policy and the delegate's IAM policy; quota counts against the delegate", async () => {
      const { o, arn } = await owner();
      const d = nextAccount();
      await production(store, d);
      const ctx = ctxFor(store, d, { user: 'sender', policies: [allow('ses:SendRawEmail', arn)] });
      const raw = Buffer.from(
        `From: billing@owner.com\r\nTo: c@customer.org\r\nX-SES-FROM-ARN: ${arn}\r\n\r\nx`,
      );
      const req = () =>
        normalizeRawMessage(raw, undefined, {
          apiVersion: '1',
          operation: 'SendRawEmail',
          actions: ['ses:SendRawEmail'],
        });
      expect(await rejection(acceptSend(ctx, await req(), testDeps()))).toEqual(
        denied(`arn:aws:iam::${d}:user/sender`, 'ses:SendRawEmail', arn),
      );

      await identityPolicy(store, o, 'owner.com', 'Delegate', {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: d }, Action: ['ses:SendRawEmail'], Resource: arn }],
      });
      const { messageIds } = await acceptSend(ctx, await req(), testDeps());
      const row = await getOutboxMessage(store, messageIds[0]!);
      expect(row).toMatchObject({ accountId: d, sourceArn: arn });
      expect(await sentInLast24Hours(store, d, REGION, NOW)).toBe(1);
      expect(await sentInLast24Hours(store, o, REGION, NOW)).toBe(0);

      // Without its own IAM permission the delegate is refused even though the owner allows.
      const noIam = ctxFor(store, d, { user: 'nobody', policies: [] });
      expect((await rejection(acceptSend(noIam, await req(), testDeps()))).code).toBe('AccessDenied');
    });

    it('refuses a named identity that does not cover the address', async () => {
      const { arn } = await owner();
      const d = await productionAccount('delegate.com');
      const req = await sendEmail('x@other.com', ['c@customer.org'], { SourceArn: arn });
      expect(await rejection(acceptSend(ctxFor(store, d), req, testDeps()))).toEqual(
        notVerified('x@other.com'),
      );
    });
  });

  describe('account state and quotas', () => {
    it('refuses when account sending is paused', async () => {
      const acct = await productionAccount();
      await pauseSending(store, acct);
      expect(
        await rejection(
          acceptSend(ctxFor(store, acct), await sendEmail('a@example.com', ['b@x.org']), testDeps()),
        ),
      ).toEqual({
        code: 'AccountSendingPausedException',
        status: 400,
        message: 'Sending is paused for this account.',
      });
    });

    it('refuses a configuration set that does not exist', async () => {
      const acct = await productionAccount();
      const req = await sendEmail('a@example.com', ['b@x.org'], { ConfigurationSetName: 'nope' });
      expect(await rejection(acceptSend(ctxFor(store, acct), req, testDeps()))).toEqual({
        code: 'ConfigurationSetDoesNotExist',
        status: 400,
        message: 'Configuration set <nope> does not exist.',
      });
    });

    it('enforces the rolling 24-hour quota in recipients, simulator recipients excepted', async () => {
      const acct = await productionAccount();
      await quota(store, acct, 100, 3);
      const ctx = ctxFor(store, acct);
      const deps = testDeps();
      await acceptSend(ctx, await sendEmail('a@example.com', ['1@x.org', '2@x.org']), deps);
      await acceptSend(ctx, await sendEmail('a@example.com', ['success@simulator.amazonses.com']), deps);
      expect(
        await rejection(acceptSend(ctx, await sendEmail('a@example.com', ['3@x.org', '4@x.org']), deps)),
      ).toEqual({
        code: 'Throttling',
        status: 400,
        message: 'Daily message quota exceeded.',
      });
      await acceptSend(ctx, await sendEmail('a@example.com', ['3@x.org']), deps);
      // The ledger counts whole minutes: 24 h later the sends still count until their minute ends...
      const day = ctxFor(store, acct, { now: new Date(NOW.getTime() + 24 * 3600 * 1000 + 1) });
      expect(await rejection(acceptSend(day, await sendEmail('a@example.com', ['5@x.org']), deps))).toEqual({
        code: 'Throttling',
        status: 400,
        message: 'Daily message quota exceeded.',
      });
      // ...and then the window has rolled.
      const later = ctxFor(store, acct, { now: new Date(NOW.getTime() + 24 * 3600 * 1000 + 60_000) });
      await expect(
        acceptSend(later, await sendEmail('a@example.com', ['5@x.org']), deps),
      ).resolves.toBeDefined();
    });

    it('counts a send once, after its commit, even when its group commit failed and was retried', async () => {
      const acct = await productionAccount();
      // Far from the quota: on PostgreSQL, sends near it commit alone under a lock (cluster-limits.ts).
      await quota(store, acct, 1000, 1_000_000);
      const ctx = ctxFor(store, acct);
      const deps = testDeps();
      await acceptSend(ctx, await sendEmail('a@example.com', ['1@x.org']), deps); // the count is in memory now
      // A write that fails joins the same shared transaction *after* both sends' writes (queued from
      // the second send's authorization, many microtasks later, still before the batch runs): the
      // batch rolls back and each write is retried alone.
      let bad: Promise<unknown> | undefined;
      const failLater: typeof deps = {
        ...deps,
        authorizer: (c, checks) => {
          deps.authorizer(c, checks);
          let p: Promise<void> = Promise.resolve();
          for (let i = 0; i < 50; i++) p = p.then(() => undefined);
          bad = p.then(() =>
            batchedWrite(store, async () => {
              throw new Error('refused');
            }),
          );
        },
      };
      const [one, two] = [
        await sendEmail('a@example.com', ['2@x.org']),
        await sendEmail('a@example.com', ['3@x.org']),
      ];
      const before = batchStats(store);
      const sends = await Promise.allSettled([acceptSend(ctx, one, deps), acceptSend(ctx, two, failLater)]);
      await expect(bad).rejects.toThrow('refused');
      expect(sends.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
      const after = batchStats(store);
      expect([after.writes - before.writes, after.transactions - before.transactions]).toEqual([3, 1]);
      expect(await sentInLast24Hours(store, acct, REGION, NOW)).toBe(3);
      // Counted before the commit, the retried writes would have counted twice (5).
      expect(await sentInLast24HoursForSend(store, acct, REGION, NOW)).toBe(3);
    });

    it('enforces the maximum send rate per account', async () => {
      const acct = await productionAccount();
      await quota(store, acct, 1, 1000);
      const deps = testDeps();
      const ctx = ctxFor(store, acct);
      await acceptSend(ctx, await sendEmail('a@example.com', ['1@x.org', '2@x.org']), deps);
      expect(await rejection(acceptSend(ctx, await sendEmail('a@example.com', ['3@x.org']), deps))).toEqual({
        code: 'Throttling',
        status: 400,
        message: 'Maximum sending rate exceeded.',
      });
      const later = ctxFor(store, acct, { now: new Date(NOW.getTime() + 2000) });
      await expect(
        acceptSend(later, await sendEmail('a@example.com', ['3@x.org']), deps),
      ).resolves.toBeDefined();
      // Another account has its own budget.
      const other = await productionAccount();
      await quota(store, other, 1, 1000);
      await expect(
        acceptSend(ctxFor(store, other), await sendEmail('a@example.com', ['3@x.org']), deps),
      ).resolves.toBeDefined();
    });
  });
});
