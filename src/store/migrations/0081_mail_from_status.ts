import { sql } from 'kysely';
import type { SchemaMigration } from './types.js';

// A custom MAIL FROM domain has a status of its own (SES's MailFromDomainStatus): Pending until its
// MX record is seen (SESAME_VERIFICATION=dns) or at once (auto), Failed after 72 hours without it;
// only then does mail leave with it as envelope sender. It was derived from the verification mode
// when read; existing domains start Pending, their 72 hours from the upgrade, and a node in auto
// mode confirms them as it starts.
export const mailFromStatusMigration: SchemaMigration = {
  async up(db) {
    await db.schema.alterTable('ses_identities').addColumn('mail_from_status', 'text').execute();
    await db.schema.alterTable('ses_identities').addColumn('mail_from_set_at', 'bigint').execute();
    await db
      .updateTable('ses_identities' as never)
      .set({ mail_from_status: 'Pending', mail_from_set_at: Date.now() } as never)
      .where(sql`mail_from_domain`, 'is not', null)
      .execute();
  },
};
