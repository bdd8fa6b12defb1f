// Accounts and IAM (schema/iam.ts). Dependent rows (memberships, policies, tags, keys) are removed
// explicitly by the IAM operations, which refuse to delete entities that still have them (AWS's
// DeleteConflict), so no cascading foreign keys.
import type { SchemaMigration } from './types.js';

export const iamMigration: SchemaMigration = {
  async up(db) {
    await db.schema
      .createTable('accounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('iam_generations')
      .addColumn('account_id', 'text', (c) => c.primaryKey())
      .addColumn('generation', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('iam_users')
      .addColumn('user_id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('name_lower', 'text', (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('permissions_boundary_arn', 'text')
      .addUniqueConstraint('iam_users_name', ['account_id', 'name_lower'])
      .execute();

    await db.schema
      .createTable('iam_groups')
      .addColumn('group_id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('name_lower', 'text', (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('iam_groups_name', ['account_id', 'name_lower'])
      .execute();

    await db.schema
      .createTable('iam_group_members')
      .addColumn('group_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('added_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('iam_group_members_pk', ['group_id', 'user_id'])
      .execute();
    await db.schema.createIndex('iam_group_members_user').on('iam_group_members').column('user_id').execute();

    await db.schema
      .createTable('iam_roles')
      .addColumn('role_id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('name_lower', 'text', (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('assume_role_policy', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('max_session_duration', 'integer', (c) => c.notNull())
      .addColumn('permissions_boundary_arn', 'text')
      .addColumn('last_used_at', 'bigint')
      .addColumn('last_used_region', 'text')
      .addUniqueConstraint('iam_roles_name', ['account_id', 'name_lower'])
      .execute();

    await db.schema
      .createTable('iam_access_keys')
      .addColumn('access_key_id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('owner_kind', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text')
      .addColumn('secret_sealed', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_used_at', 'bigint')
      .addColumn('last_used_service', 'text')
      .addColumn('last_used_region', 'text')
      .execute();
    await db.schema
      .createIndex('iam_access_keys_owner')
      .on('iam_access_keys')
      .columns(['account_id', 'user_id'])
      .execute();

    await db.schema
      .createTable('iam_inline_policies')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('owner_kind', 'text', (c) => c.notNull())
      .addColumn('owner_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('iam_inline_policies_pk', ['owner_id', 'name'])
      .execute();

    await db.schema
      .createTable('iam_managed_policies')
      .addColumn('policy_id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('name_lower', 'text', (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('arn', 'text', (c) => c.notNull().unique())
      .addColumn('description', 'text')
      .addColumn('default_version_id', 'text', (c) => c.notNull())
      .addColumn('next_version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('iam_managed_policies_name', ['account_id', 'name_lower'])
      .execute();

    await db.schema
      .createTable('iam_policy_versions')
      .addColumn('policy_id', 'text', (c) => c.notNull())
      .addColumn('version_id', 'text', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('iam_policy_versions_pk', ['policy_id', 'version_id'])
      .execute();

    await db.schema
      .createTable('iam_policy_attachments')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('policy_id', 'text', (c) => c.notNull())
      .addColumn('entity_kind', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('attached_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('iam_policy_attachments_pk', ['entity_id', 'policy_id'])
      .execute();
    await db.schema
      .createIndex('iam_policy_attachments_policy')
      .on('iam_policy_attachments')
      .column('policy_id')
      .execute();

    await db.schema
      .createTable('iam_tags')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('resource_kind', 'text', (c) => c.notNull())
      .addColumn('resource_id', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('key_lower', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('iam_tags_pk', ['resource_id', 'key_lower'])
      .execute();

    await db.schema
      .createTable('iam_sessions')
      .addColumn('access_key_id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('secret_sealed', 'text', (c) => c.notNull())
      .addColumn('session_token_hash', 'text', (c) => c.notNull())
      .addColumn('role_id', 'text')
      .addColumn('role_arn', 'text')
      .addColumn('user_id', 'text')
      .addColumn('session_name', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('session_policy', 'text')
      .addColumn('session_policy_arns', 'text')
      .addColumn('session_tags', 'text', (c) => c.notNull())
      .addColumn('transitive_tag_keys', 'text', (c) => c.notNull())
      .addColumn('source_identity', 'text')
      .execute();
    await db.schema.createIndex('iam_sessions_expires').on('iam_sessions').column('expires_at').execute();
  },
};
