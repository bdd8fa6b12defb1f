import { describe, expect, it } from 'vitest';
import { confirmPendingMailFrom } from '../../ses/state/mail-from.js';
import type { Store } from '../database.js';
import { testDialects } from '../database.js';
import { migrations } from './index.js';
import { emptyDatabase } from './test-database.js';

const identity = (name: string, mailFrom: string | null) => ({
  account_id: '111111111111',
  region: 'us-east-1',
  identity: name,
  identity_type: 'Domain',
  verification_status: 'Success',
  verification_token: 't',
  dkim_enabled: 0,
  dkim_status: 'NotStarted',
  dkim_tokens: '[]',
  feedback_forwarding: 1,
  bounce_topic: null,
  complaint_topic: null,
  delivery_topic: null,
  headers_in_bounce: 0,
  headers_in_complaint: 0,
  headers_in_delivery: 0,
  mail_from_domain: mailFrom,
  mail_from_behavior: 'RejectMessage',
  configuration_set: null,
  tags: '[]',
  created_at: 1_000,
});

describe.each(testDialects())('migration 0081_mail_from_status (%s)', (dialect) => {
  it('starts existing MAIL FROM domains Pending from the upgrade; automatic verification confirms them', async () => {
    const { db, drop } = await emptyDatabase(dialect);
    try {
      for (const [name, m] of Object.entries(migrations)) {
        if (name >= '0081') break;
        await m.up(db, dialect);
      }
      await db
        .insertInto('ses_identities')
        .values([identity('with.example', 'mail.with.example'), identity('without.example', null)])
        .execute();
      const before = Date.now();
      await migrations['0081_mail_from_status']!.up(db, dialect);
      const after = Date.now();
      const rows = () =>
        db
          .selectFrom('ses_identities')
          .select(['identity', 'mail_from_status', 'mail_from_set_at'])
          .orderBy('identity')
          .execute();
      expect(
        (await rows()).map((r) => ({
          ...r,
          mail_from_set_at: r.mail_from_set_at && Number(r.mail_from_set_at),
        })),
      ).toEqual([
        { identity: 'with.example', mail_from_status: 'Pending', mail_from_set_at: expect.any(Number) },
        { identity: 'without.example', mail_from_status: null, mail_from_set_at: null },
      ]);
      // Its 72 hours run from the upgrade, not from the identity's creation (long past).
      const setAt = Number((await rows())[0]!.mail_from_set_at);
      expect(setAt).toBeGreaterThanOrEqual(before);
      expect(setAt).toBeLessThanOrEqual(after);
      const store = { db, dialect } as unknown as Store;
      expect(await confirmPendingMailFrom(store, { verification: 'dns', profile: 'aws' })).toBe(0);
      expect((await rows())[0]!.mail_from_status).toBe('Pending');
      expect(await confirmPendingMailFrom(store, { verification: 'auto', profile: 'aws' })).toBe(1);
      expect((await rows()).map((r) => r.mail_from_status)).toEqual(['Success', null]);
    } finally {
      await drop();
    }
  });
});
