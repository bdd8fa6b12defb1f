import type { SchemaMigration } from './types.js';

// SES state per (account, region): identities, their sending-authorization policies, templates,
// configuration sets and event destinations, the suppression list, account sending state and the
// ledger of accepted recipients that SentLast24Hours is computed from.
export const sesMigration: SchemaMigration = {
  async up(db, dialect) {
    await db.schema
      .createTable('ses_identities')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('identity', 'text', (c) => c.notNull())
      .addColumn('identity_type', 'text', (c) => c.notNull())
      .addColumn('verification_status', 'text', (c) => c.notNull())
      .addColumn('verification_token', 'text')
      .addColumn('dkim_enabled', 'integer', (c) => c.notNull())
      .addColumn('dkim_status', 'text', (c) => c.notNull())
      .addColumn('dkim_tokens', 'text', (c) => c.notNull())
      .addColumn('feedback_forwarding', 'integer', (c) => c.notNull())
      .addColumn('bounce_topic', 'text')
      .addColumn('complaint_topic', 'text')
      .addColumn('delivery_topic', 'text')
      .addColumn('headers_in_bounce', 'integer', (c) => c.notNull())
      .addColumn('headers_in_complaint', 'integer', (c) => c.notNull())
      .addColumn('headers_in_delivery', 'integer', (c) => c.notNull())
      .addColumn('mail_from_domain', 'text')
      .addColumn('mail_from_behavior', 'text', (c) => c.notNull())
      .addColumn('configuration_set', 'text')
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('ses_identities_pk', ['account_id', 'region', 'identity'])
      .execute();

    await db.schema
      .createTable('ses_identity_policies')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('identity', 'text', (c) => c.notNull())
      .addColumn('policy_name', 'text', (c) => c.notNull())
      .addColumn('policy', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('ses_identity_policies_pk', [
        'account_id',
        'region',
        'identity',
        'policy_name',
      ])
      .execute();

    await db.schema
      .createTable('ses_templates')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('subject', 'text')
      .addColumn('text_part', 'text')
      .addColumn('html_part', 'text')
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('ses_templates_pk', ['account_id', 'region', 'name'])
      .execute();

    await db.schema
      .createTable('ses_configuration_sets')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('sending_enabled', 'integer', (c) => c.notNull())
      .addColumn('reputation_metrics_enabled', 'integer', (c) => c.notNull())
      .addColumn('last_fresh_start', 'bigint')
      .addColumn('tracking_options', 'text')
      .addColumn('delivery_options', 'text')
      .addColumn('suppression_options', 'text')
      .addColumn('vdm_options', 'text')
      .addColumn('archiving_options', 'text')
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('ses_configuration_sets_pk', ['account_id', 'region', 'name'])
      .execute();

    await db.schema
      .createTable('ses_event_destinations')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('configuration_set', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('ses_event_destinations_pk', [
        'account_id',
        'region',
        'configuration_set',
        'name',
      ])
      .execute();

    await db.schema
      .createTable('ses_suppressed_destinations')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('email_address', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('last_update_time', 'bigint', (c) => c.notNull())
      .addColumn('message_id', 'text')
      .addColumn('feedback_id', 'text')
      .addPrimaryKeyConstraint('ses_suppressed_destinations_pk', ['account_id', 'region', 'email_address'])
      .execute();

    await db.schema
      .createTable('ses_accounts')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('production_access', 'integer', (c) => c.notNull())
      .addColumn('sending_enabled', 'integer', (c) => c.notNull())
      .addColumn('max_24_hour_send', 'double precision', (c) => c.notNull())
      .addColumn('max_send_rate', 'double precision', (c) => c.notNull())
      .addColumn('suppressed_reasons', 'text', (c) => c.notNull())
      .addColumn('enforcement_status', 'text', (c) => c.notNull())
      .addColumn('details', 'text')
      .addColumn('review_status', 'text')
      .addColumn('review_case_id', 'text')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('ses_accounts_pk', ['account_id', 'region'])
      .execute();

    await db.schema
      .createTable('ses_sending_ledger')
      .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
        dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
      )
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'bigint', (c) => c.notNull())
      .addColumn('recipients', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('ses_sending_ledger_window')
      .on('ses_sending_ledger')
      .columns(['account_id', 'region', 'sent_at'])
      .execute();
  },
};
