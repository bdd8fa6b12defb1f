import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type Store } from '../../store/database.js';
import { loadConfig } from '../../config/config.js';
import {
  decideProductionAccess,
  findSendingIdentity,
  getAccountSendingState,
  getIdentityPolicies,
  isSuppressed,
  markIdentityVerified,
  putSuppressedDestination,
  countSend,
  recordSend,
  renderTemplate,
  sentInLast24Hours,
  sentInLast24HoursForSend,
  writeSend,
  setAccountQuota,
  suppressedAmong,
} from './index.js';
import { insertIdentity } from './identities.js';
import { checkIdentityPolicy } from './identity-policies.js';

const A = '111111111111';
const R = 'us-east-1';
const now = new Date('2026-11-28T12:00:00Z');

describe.each(testDialects())('SES state on %s', (dialect) => {
  let store: Store;
  const stores: Store[] = [];
  beforeEach(async () => {
    store = await openTestStore(dialect);
    stores.push(store);
  });
  afterAll(async () => {
    for (const s of stores) await s.close();
  });

  describe('findSendingIdentity', () => {
    it('prefers a verified identity: address, then domain, then parent domain', async () => {
      await insertIdentity(store, A, R, {
        identity: 'a@mail.example.com',
        type: 'EmailAddress',
        status: 'Pending',
        now,
      });
      await insertIdentity(store, A, R, {
        identity: 'example.com',
        type: 'Domain',
        status: 'Success',
        now,
        dkimEnabled: true,
      });
      const found = await findSendingIdentity(store, A, R, 'a@Mail.Example.com');
      expect(found).toEqual({
        identity: 'example.com',
        identityArn: 'arn:aws:ses:us-east-1:111111111111:identity/example.com',
        identityType: 'Domain',
        verified: true,
        dkimEnabled: true,
        tags: [],
      });
      await markIdentityVerified(store, A, R, 'a@mail.example.com');
      expect((await findSendingIdentity(store, A, R, 'a@mail.example.com'))?.identity).toBe(
        'a@mail.example.com',
      );
    });

    it('returns the most specific unverified identity when none is verified, undefined when none exists', async () => {
      await insertIdentity(store, A, R, {
        identity: 'b@example.org',
        type: 'EmailAddress',
        status: 'Pending',
        now,
        configurationSet: 'cs1',
      });
      expect(await findSendingIdentity(store, A, R, 'b@example.org')).toMatchObject({
        identity: 'b@example.org',
        verified: false,
        defaultConfigurationSet: 'cs1',
      });
      expect(await findSendingIdentity(store, A, R, 'c@example.org')).toBeUndefined();
      expect(await findSendingIdentity(store, '222222222222', R, 'b@example.org')).toBeUndefined();
      expect(await findSendingIdentity(store, A, 'eu-west-1', 'b@example.org')).toBeUndefined();
    });
  });

  describe('account sending state', () => {
    it('starts in the sandbox with 200 / 1, and leaves it on grant with the production quota', async () => {
      expect(await getAccountSendingState(store, A, R)).toEqual({
        sandbox: true,
        sendingEnabled: true,
        max24HourSend: 200,
        maxSendRate: 1,
        suppressedReasons: ['BOUNCE', 'COMPLAINT'],
      });
      await decideProductionAccess(store, A, R, 'grant', {
        productionMaxSendRate: 14,
        productionMax24HourSend: 50000,
      });
      expect(await getAccountSendingState(store, A, R)).toMatchObject({
        sandbox: false,
        max24HourSend: 50000,
        maxSendRate: 14,
      });
      expect(await getAccountSendingState(store, A, 'eu-west-1')).toMatchObject({ sandbox: true });
    });

    it('deny keeps the sandbox; setAccountQuota sets the quota as given', async () => {
      await decideProductionAccess(store, A, R, 'deny', {
        productionMaxSendRate: 14,
        productionMax24HourSend: 50000,
      });
      expect(await getAccountSendingState(store, A, R)).toMatchObject({ sandbox: true, max24HourSend: 200 });
      await setAccountQuota(store, A, R, { maxSendRate: 5, max24HourSend: -1 });
      expect(await getAccountSendingState(store, A, R)).toMatchObject({
        sandbox: true,
        max24HourSend: -1,
        maxSendRate: 5,
      });
    });

    it('the emulator profile starts accounts out of the sandbox', async () => {
      const config = { ...loadConfig({}), profile: 'emulator' as const };
      expect(await getAccountSendingState(store, A, R, config)).toMatchObject({
        sandbox: false,
        maxSendRate: 14,
        max24HourSend: 50000,
      });
    });
  });

  describe('ledger', () => {
    it('sums recipients in the last 24 hours only, per account and region', async () => {
      await recordSend(store, A, R, new Date(now.getTime() - 25 * 3600_000), 7);
      await recordSend(store, A, R, new Date(now.getTime() - 3600_000), 3);
      await recordSend(store, A, R, now, 2);
      await recordSend(store, A, 'eu-west-1', now, 100);
      expect(await sentInLast24Hours(store, A, R, now)).toBe(5);
      expect(await sentInLast24Hours(store, '222222222222', R, now)).toBe(0);
    });

    it('keeps one row per minute and lets a send go between 24 h and 24 h + 1 min after it', async () => {
      const t = now.getTime() + 30_000; // 12:00:30
      for (let i = 0; i < 5; i++) await recordSend(store, A, R, new Date(t + i * 1000), 1);
      const rows = await store.db.selectFrom('ses_sending_ledger_minutes').selectAll().execute();
      expect(rows.map((r) => [Number(r.minute), Number(r.recipients)])).toEqual([[now.getTime(), 5]]);
      const DAY = 24 * 3600_000;
      expect(await sentInLast24Hours(store, A, R, new Date(t + DAY - 1))).toBe(5); // inside 24 h
      expect(await sentInLast24Hours(store, A, R, new Date(now.getTime() + DAY + 59_999))).toBe(5);
      expect(await sentInLast24Hours(store, A, R, new Date(now.getTime() + DAY + 60_000))).toBe(0);
    });

    it('answers the send path from memory, exact with its own sends, re-read at each new minute', async () => {
      expect(await sentInLast24HoursForSend(store, A, R, now)).toBe(0);
      await recordSend(store, A, R, now, 3);
      expect(await sentInLast24HoursForSend(store, A, R, new Date(now.getTime() + 10))).toBe(3);
      // A write behind its back is not seen within the minute (SQLite: this process is the only
      // sender; PostgreSQL: at most a second late)...
      await store.db
        .updateTable('ses_sending_ledger_minutes')
        .set({ recipients: 50 })
        .where('account_id', '=', A)
        .execute();
      const sameMinute = await sentInLast24HoursForSend(store, A, R, new Date(now.getTime() + 500));
      expect(sameMinute).toBe(3);
      // ...and is read at the next minute.
      expect(await sentInLast24HoursForSend(store, A, R, new Date(now.getTime() + 60_000))).toBe(50);
      // A send dated in a later minute than the cached one drops the cached count.
      await recordSend(store, A, R, new Date(now.getTime() + 120_000), 1);
      expect(await sentInLast24HoursForSend(store, A, R, new Date(now.getTime() + 120_000))).toBe(51);
    });

    it('does not keep a count read while a send was being counted (the read may have missed it)', async () => {
      // A send commits while the count is being read: its row is not in what the read saw.
      const reading = sentInLast24HoursForSend(store, A, R, now);
      countSend(store, A, R, now, 5);
      expect(await reading).toBe(0);
      await writeSend(store, A, R, now, 5); // the row that commit left
      // Kept, the stale 0 would be answered until the minute ends.
      expect(await sentInLast24HoursForSend(store, A, R, new Date(now.getTime() + 10))).toBe(5);
    });
  });

  describe('suppression', () => {
    it('matches addresses case-insensitively', async () => {
      await putSuppressedDestination(store, A, R, 'Bob@Example.com', 'BOUNCE', now);
      expect(await isSuppressed(store, A, R, 'bob@example.COM')).toMatchObject({
        emailAddress: 'bob@example.com',
        reason: 'BOUNCE',
      });
      expect(await isSuppressed(store, A, R, 'ann@example.com')).toBeUndefined();
    });

    it("answers which of a message's recipients are listed in one lookup, as they were given", async () => {
      await putSuppressedDestination(store, A, R, 'Bob@Example.com', 'BOUNCE', now);
      await putSuppressedDestination(store, A, R, 'eve@example.com', 'COMPLAINT', now);
      await putSuppressedDestination(store, '222222222222', R, 'ann@example.com', 'BOUNCE', now);
      await putSuppressedDestination(store, A, 'eu-west-1', 'ann@example.com', 'BOUNCE', now);
      const among = await suppressedAmong(store, A, R, [
        'ann@example.com', // listed only in another account and another region
        'BOB@example.com',
        "o'brien@example.com",
        'eve@example.com',
      ]);
      expect([...among]).toEqual(['BOB@example.com', 'eve@example.com']);
      expect(await suppressedAmong(store, A, R, ['ann@example.com'])).toEqual(new Set());
      expect(await suppressedAmong(store, A, R, [])).toEqual(new Set());
    });
  });

  describe('getIdentityPolicies', () => {
    it('parses stored policies; a stored policy that no longer parses becomes a deny-all', async () => {
      const t = now.getTime();
      await store.db
        .insertInto('ses_identity_policies')
        .values([
          {
            account_id: A,
            region: R,
            identity: 'example.com',
            policy_name: 'good',
            policy:
              '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"ses:SendEmail","Resource":"*"}]}',
            created_at: t,
            updated_at: t,
          },
          {
            account_id: A,
            region: R,
            identity: 'example.com',
            policy_name: 'broken',
            policy: '{not json',
            created_at: t,
            updated_at: t,
          },
        ])
        .execute();
      const ps = await getIdentityPolicies(store, A, R, 'example.com');
      expect(ps.map((p) => [p.id, p.source, p.policy.statements[0]?.effect])).toEqual([
        ['example.com/broken', 'resource', 'Deny'],
        ['example.com/good', 'resource', 'Allow'],
      ]);
    });
  });
});

describe('checkIdentityPolicy', () => {
  const arn = 'arn:aws:ses:us-east-1:111111111111:identity/example.com';
  const doc = (extra: Record<string, unknown> = {}) =>
    JSON.stringify(
      {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: '222222222222' },
            Action: 'ses:SendEmail',
            Resource: arn,
            ...extra,
          },
        ],
      },
      null,
      2,
    );
  it('accepts a valid policy (stored as submitted)', () => {
    expect(checkIdentityPolicy(doc(), arn)).toEqual({ ok: true });
  });
  it('refuses upper-case AWS: condition keys, other resources and oversize documents', () => {
    expect(
      checkIdentityPolicy(doc({ Condition: { StringEquals: { 'AWS:SourceAccount': '1' } } }), arn),
    ).toEqual({
      ok: false,
      reason: 'invalid',
      message: "Unknown or unapplicable condition field 'AWS:SourceAccount'.",
    });
    expect(checkIdentityPolicy(doc({ Resource: `${arn}x` }), arn)).toMatchObject({
      ok: false,
      reason: 'invalid',
    });
    expect(checkIdentityPolicy(doc({ Sid: 'x'.repeat(4096) }), arn)).toEqual({
      ok: false,
      reason: 'size',
      message: 'Policy exceeds the maximum allowed size of 4096 bytes.',
    });
  });
});

describe('renderTemplate', () => {
  it('renders subject and text unescaped, HTML escaped', () => {
    const r = renderTemplate(
      { subject: 'Hi {{name}}', text: 'a {{x}}', html: '<p>{{x}}</p>' },
      '{"name":"Ann","x":"<b>"}',
    );
    expect(r).toEqual({ ok: true, subject: 'Hi Ann', text: 'a <b>', html: '<p>&lt;b&gt;</p>' });
  });
  it('reports a missing attribute and malformed data in SES words', () => {
    expect(renderTemplate({ subject: 'Hi {{name}}' }, '{}')).toEqual({
      ok: false,
      reason: 'MissingRenderingAttribute',
      message: "Attribute 'name' is not present in the rendering data.",
    });
    expect(renderTemplate({ subject: 'x' }, '{oops')).toMatchObject({
      ok: false,
      reason: 'InvalidRenderingParameter',
    });
    expect(renderTemplate({ subject: 'x' }, '[1]')).toMatchObject({
      ok: false,
      reason: 'InvalidRenderingParameter',
    });
  });
});
