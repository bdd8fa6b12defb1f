import { describe, expect, it } from 'vitest';
import { Kysely, SqliteDialect } from 'kysely';
import BetterSqlite3 from 'better-sqlite3';
import { migrations } from './index.js';

describe('migration 0071_mailbox_decoded', () => {
  it('decodes the subject and the From name of messages captured before it, and makes them searchable', async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
    try {
      for (const [name, m] of Object.entries(migrations)) {
        if (name >= '0071') break;
        await m.up(db, 'sqlite');
      }
      const raw = Buffer.from(
        'From: =?UTF-8?B?SsO8cmdlbg==?= <j@example.com>\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n\r\nhi\r\n',
      );
      await db
        .insertInto('captured_messages')
        .values({
          capture_id: 'm1',
          message_id: 'm1',
          kind: 'outbound',
          account_id: 'A',
          region: 'us-east-1',
          principal_arn: 'arn:aws:iam::A:root',
          mail_from: 'm1@amazonses.com',
          from_address: 'j@example.com',
          recipients: '["Reader@Example.net"]',
          subject: '=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=', // as the header was written, before 0071
          raw,
          size: raw.length,
          created_at: 1,
          delivered_at: 2,
        })
        .execute();
      await migrations['0071_mailbox_decoded']!.up(db, 'sqlite');
      const row = await db
        .selectFrom('captured_messages')
        .select(['subject', 'from_name', 'search_text', 'outcomes'])
        .executeTakeFirstOrThrow();
      expect(row).toEqual({
        subject: 'Grüße',
        from_name: 'Jürgen',
        search_text: 'grüße\nj@example.com\njürgen\nreader@example.net',
        outcomes: null,
      });
    } finally {
      await db.destroy();
    }
  });
});
