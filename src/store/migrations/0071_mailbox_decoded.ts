import { decodeHeaders, searchText } from '../../delivery/decoded-headers.js';
import type { SchemaMigration } from './types.js';

// The mailbox shows and searches what a person reads: the decoded Subject (it held the header as
// written, RFC 2047 words and all), the From display name, and a lower-cased search text; simulated
// mail (kind `simulated`) keeps the outcome SES simulated per recipient. Existing rows are decoded
// here, a batch at a time.
export const mailboxDecodedMigration: SchemaMigration = {
  async up(db) {
    await db.schema.alterTable('captured_messages').addColumn('from_name', 'text').execute();
    await db.schema.alterTable('captured_messages').addColumn('search_text', 'text').execute();
    await db.schema.alterTable('captured_messages').addColumn('outcomes', 'text').execute();
    for (let after = ''; ;) {
      const rows = (await db
        .selectFrom('captured_messages')
        .select(['capture_id', 'raw', 'from_address', 'recipients'])
        .where('capture_id', '>', after)
        .orderBy('capture_id')
        .limit(200)
        .execute()) as { capture_id: string; raw: Buffer; from_address: string | null; recipients: string }[];
      if (rows.length === 0) break;
      for (const r of rows) {
        const h = await decodeHeaders(Buffer.from(r.raw));
        await db
          .updateTable('captured_messages')
          .set({
            subject: h.subject ?? null,
            from_name: h.fromName ?? null,
            search_text: searchText(h, r.from_address ?? undefined, JSON.parse(r.recipients) as string[]),
          })
          .where('capture_id', '=', r.capture_id)
          .execute();
      }
      after = rows[rows.length - 1]!.capture_id;
    }
  },
};
