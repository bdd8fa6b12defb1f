// Sending limits across processes: two stores on one PostgreSQL database stand for two nodes, two
// stores on one SQLite file opened as a node's workers open it stand for two workers (each has its
// own in-memory caches and batcher, as separate processes do). The real processes are
// tested in test/operations/cluster.test.ts; here the rules are pinned down one by one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../store/database.js';
import { acceptSend } from './pipeline.js';
import { normalizeV1SendEmail } from './normalize-v1.js';
import { normalizeV2SendBulkEmail } from './normalize-v2.js';
import type { AwsError } from '../../errors/aws-error.js';
import { defaultRateLimiter, createRateLimiter } from './rate-limiter.js';
import { fitQuotaUnderLock, quotaNeedsLock, takeSharedRate } from './cluster-limits.js';
import { authorizeSend } from '../../authz/index.js';
import { REGION, ctxFor, nextAccount, production, rejection, verifiedIdentity } from './test-support.js';

const base = process.env.SESAME_TEST_DATABASE_URL;
const simple = { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } };
const oneRecipient = (to: string) =>
  normalizeV1SendEmail({ Source: 'a@example.com', Destination: { ToAddresses: [to] }, Message: simple });

const shared = [
  ['nodes on one PostgreSQL', 'postgres'],
  ["a node's workers on one SQLite file", 'sqlite'],
] as const;

describe.each(shared.filter(([, d]) => d === 'sqlite' || base))(
  'sending limits shared by %s',
  (_, dialect) => {
    let nodeA: Store;
    let nodeB: Store;
    let name = '';
    let dataDir = '';
    beforeAll(async () => {
      if (dialect === 'sqlite') {
        dataDir = mkdtempSync(join(tmpdir(), 'sesame-workers-'));
        nodeA = await openStore({ dataDir, sharedWriters: true, checkpoints: false });
        nodeB = await openStore({ dataDir, sharedWriters: true, checkpoints: false });
        return;
      }
      name = `cl_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
      const admin = new pg.Client({ connectionString: base });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = base!.replace(/\/[^/]*$/, `/${name}`);
      nodeA = await openStore({ dataDir: '', databaseUrl: url });
      nodeB = await openStore({ dataDir: '', databaseUrl: url });
    });
    afterAll(async () => {
      await nodeA?.close();
      await nodeB?.close();
      if (dialect === 'sqlite') return rmSync(dataDir, { recursive: true, force: true });
      const admin = new pg.Client({ connectionString: base });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    });

    it('one rate bucket for all nodes: what one node took, the other cannot take again', async () => {
      const acct = nextAccount();
      expect(await takeSharedRate(nodeA, acct, REGION, 1, 1)).toBe(true);
      expect(await takeSharedRate(nodeB, acct, REGION, 1, 1)).toBe(false);
      expect(await takeSharedRate(nodeA, acct, REGION, 1, 1)).toBe(false);
      // Refilled by the clock: one token a second.
      await new Promise((r) => setTimeout(r, 1050));
      expect(await takeSharedRate(nodeB, acct, REGION, 1, 1)).toBe(true);
      // Each node's own bucket (SQLite's) would have let both take.
      const a = createRateLimiter();
      const b = createRateLimiter();
      expect([a.tryTake(acct, 1, 1, new Date()), b.tryTake(acct, 1, 1, new Date())]).toEqual([true, true]);
    });

    it('admits a multi-recipient send while any budget remains, then refuses until it recovers (SES)', async () => {
      const acct = nextAccount();
      expect(await takeSharedRate(nodeA, acct, REGION, 3, 10)).toBe(true); // 3 - 10 = -7
      expect(await takeSharedRate(nodeB, acct, REGION, 3, 1)).toBe(false);
      expect(await takeSharedRate(nodeA, acct, REGION, 3, 1)).toBe(false);
    });

    it('the send path takes from the shared bucket (MaxSendRate 2: two sends, then Throttling)', async () => {
      const acct = nextAccount();
      await production(nodeA, acct, 2, 1000);
      await verifiedIdentity(nodeA, acct, 'example.com');
      const deps = { authorizer: authorizeSend, rateLimiter: defaultRateLimiter };
      const now = new Date();
      await acceptSend(ctxFor(nodeA, acct, { now }), await oneRecipient('1@x.org'), deps);
      await acceptSend(ctxFor(nodeB, acct, { now }), await oneRecipient('2@x.org'), deps);
      expect(
        await rejection(acceptSend(ctxFor(nodeA, acct, { now }), await oneRecipient('3@x.org'), deps)),
      ).toEqual({
        code: 'Throttling',
        status: 400,
        message: 'Maximum sending rate exceeded.',
      });
    });

    it('near the 24-hour quota, concurrent sends on both nodes accept exactly the quota', async () => {
      const acct = nextAccount();
      await production(nodeA, acct, -1, 10); // no rate limit: every send takes the locked path
      await verifiedIdentity(nodeA, acct, 'example.com');
      const deps = { authorizer: authorizeSend, rateLimiter: defaultRateLimiter };
      const now = new Date();
      const sends = await Promise.allSettled(
        Array.from({ length: 20 }, async (_, i) =>
          acceptSend(ctxFor(i % 2 ? nodeA : nodeB, acct, { now }), await oneRecipient(`${i}@x.org`), deps),
        ),
      );
      expect(sends.filter((s) => s.status === 'fulfilled')).toHaveLength(10);
      const refused = sends.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
      expect(refused).toHaveLength(10);
      for (const r of refused) expect((r.reason as Error).message).toBe('Daily message quota exceeded.');
    });

    it('near the quota, concurrent bulk sends keep the entries that fit and refuse the others one by one', async () => {
      const acct = nextAccount();
      await production(nodeA, acct, -1, 10);
      await verifiedIdentity(nodeA, acct, 'example.com');
      const deps = { authorizer: authorizeSend, rateLimiter: defaultRateLimiter };
      const now = new Date();
      const bulk = (n: number) =>
        normalizeV2SendBulkEmail({
          FromEmailAddress: 'a@example.com',
          DefaultContent: { Template: { TemplateContent: { Subject: 's', Text: 't' }, TemplateData: '{}' } },
          BulkEmailEntries: Array.from({ length: 5 }, (_, i) => ({
            Destination: { ToAddresses: [`b${n}-${i}@x.org`] },
          })),
        });
      // Four bulk sends of 5 at once on both nodes: each counted the same few sends before any
      // committed, so the recount under the lock is what decides.
      const sends = await Promise.all(
        Array.from({ length: 4 }, (_, n) =>
          acceptSend(ctxFor(n % 2 ? nodeA : nodeB, acct, { now }), bulk(n), deps),
        ),
      );
      const results = sends.flatMap((s) => s.results);
      expect(results.filter((r) => 'messageId' in r)).toHaveLength(10);
      const refused = results.filter((r): r is { error: AwsError } => 'error' in r);
      expect(refused).toHaveLength(10);
      for (const r of refused)
        expect([r.error.code, r.error.message]).toEqual(['Throttling', 'Daily message quota exceeded.']);
      // The ids answered are the messages stored: none more, none less.
      const stored = await nodeA.db
        .selectFrom('outbox')
        .select('message_id')
        .where('account_id', '=', acct)
        .execute();
      expect(new Set(stored.map((r) => r.message_id))).toEqual(new Set(sends.flatMap((s) => s.messageIds)));
      expect(stored).toHaveLength(10);
    });

    it('under the lock, an entry that does not fit is skipped and smaller ones after it still fit', async () => {
      const acct = nextAccount();
      await production(nodeA, acct, -1, 10);
      await verifiedIdentity(nodeA, acct, 'example.com');
      const deps = { authorizer: authorizeSend, rateLimiter: defaultRateLimiter };
      const now = new Date();
      for (let i = 0; i < 7; i++)
        await acceptSend(ctxFor(nodeB, acct, { now }), await oneRecipient(`s${i}@x.org`), deps);
      expect(await fitQuotaUnderLock(nodeA, acct, REGION, now, [5, 1, 1, 1], 10)).toEqual([
        false,
        true,
        true,
        true,
      ]);
    });

    it('takes the locked path only within the rate-derived margin of the quota, and never on a store of its own', () => {
      const account = { maxSendRate: 14, max24HourSend: 50_000 };
      expect(quotaNeedsLock(nodeA, account, 49_000)).toBe(false);
      expect(quotaNeedsLock(nodeA, account, 50_000 - 14 * 5 - 50)).toBe(false);
      expect(quotaNeedsLock(nodeA, account, 50_000 - 14 * 5 - 49)).toBe(true);
      expect(quotaNeedsLock(nodeA, { maxSendRate: -1, max24HourSend: 50_000 }, 0)).toBe(true);
      expect(quotaNeedsLock(nodeA, { maxSendRate: -1, max24HourSend: -1 }, 10 ** 9)).toBe(false);
      expect(quotaNeedsLock({ ...nodeA, shared: false }, account, 50_000)).toBe(false);
    });
  },
);
