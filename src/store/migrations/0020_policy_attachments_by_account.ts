import type { SchemaMigration } from './types.js';

// AWS managed policies are shared by every account, so one policy id has attachment rows in many
// accounts: an account's AttachmentCount, ListEntitiesForPolicy and ListPolicies' usage counts read
// its own rows by (account, policy) instead of every account's rows of that policy.
export const policyAttachmentsByAccountMigration: SchemaMigration = {
  async up(db) {
    await db.schema
      .createIndex('iam_policy_attachments_account_policy')
      .on('iam_policy_attachments')
      .columns(['account_id', 'policy_id'])
      .execute();
  },
};
