// IAM as the store holds it (migration 0001_iam). IAM is global: everything is keyed by account,
// never by region. Times are epoch ms; booleans 0/1; policy documents are the text as submitted.

/** One AWS account served by this Sesame (SES keeps its per-region state elsewhere). */
export interface AccountRow {
  id: string; // 12 digits
  created_at: number;
}

/** Per-account counter bumped by every IAM write; principal caches compare against it. */
export interface IamGenerationRow {
  account_id: string;
  generation: number;
}

export interface IamUserRow {
  user_id: string; // AIDA…
  account_id: string;
  name: string;
  name_lower: string; // names are unique case-insensitively per account
  path: string; // '/' or '/a/b/'
  created_at: number;
  permissions_boundary_arn: string | null;
}

export interface IamGroupRow {
  group_id: string; // AGPA…
  account_id: string;
  name: string;
  name_lower: string;
  path: string;
  created_at: number;
}

export interface IamGroupMemberRow {
  group_id: string;
  user_id: string;
  account_id: string;
  added_at: number;
}

export interface IamRoleRow {
  role_id: string; // AROA…
  account_id: string;
  name: string;
  name_lower: string;
  path: string;
  created_at: number;
  assume_role_policy: string; // trust policy text
  description: string | null;
  max_session_duration: number; // seconds, 3600–43200
  permissions_boundary_arn: string | null;
  last_used_at: number | null;
  last_used_region: string | null;
}

export type AccessKeyOwnerKind = 'root' | 'user';
export type AccessKeyStatus = 'Active' | 'Inactive';

/** Long-term access keys (AKIA…) of the root user and of IAM users. */
export interface IamAccessKeyRow {
  access_key_id: string;
  account_id: string;
  owner_kind: AccessKeyOwnerKind;
  user_id: string | null; // null for root
  secret_sealed: string; // SecretBox-sealed secret access key, never plain
  status: AccessKeyStatus;
  created_at: number;
  last_used_at: number | null;
  last_used_service: string | null;
  last_used_region: string | null;
}

export type InlineOwnerKind = 'user' | 'group' | 'role';

export interface IamInlinePolicyRow {
  account_id: string;
  owner_kind: InlineOwnerKind;
  owner_id: string; // user_id / group_id / role_id
  name: string;
  document: string;
  updated_at: number;
}

/** Customer managed policies (`arn:aws:iam::A:policy/path/name`). */
export interface IamManagedPolicyRow {
  policy_id: string; // ANPA…
  account_id: string;
  name: string;
  name_lower: string;
  path: string;
  arn: string;
  description: string | null;
  default_version_id: string; // 'v1'…
  next_version: number; // version numbers are never reused
  created_at: number;
  updated_at: number;
}

export interface IamPolicyVersionRow {
  policy_id: string;
  version_id: string; // 'v1'…
  document: string;
  created_at: number;
}

export type AttachmentEntityKind = 'user' | 'group' | 'role';

export interface IamPolicyAttachmentRow {
  account_id: string;
  policy_id: string;
  entity_kind: AttachmentEntityKind;
  entity_id: string;
  attached_at: number;
}

export type TaggedResourceKind = 'user' | 'role' | 'policy';

export interface IamTagRow {
  account_id: string;
  resource_kind: TaggedResourceKind;
  resource_id: string;
  key: string;
  key_lower: string; // IAM tag keys are unique case-insensitively per resource
  value: string;
}

/**
 * Temporary credentials (ASIA…) issued by STS. `kind` 'role' = AssumeRole* (role_id set);
 * 'user' = GetSessionToken (user_id set, acts with the user's own policies).
 */
export interface IamSessionRow {
  access_key_id: string;
  account_id: string;
  kind: 'role' | 'user';
  secret_sealed: string;
  session_token_hash: string; // sha256 hex of the session token; the token itself is never stored
  role_id: string | null;
  role_arn: string | null; // with path, as it was at issue time
  user_id: string | null;
  session_name: string | null;
  created_at: number;
  expires_at: number;
  /** Inline session policy text (AssumeRole `Policy`), null when none was passed. */
  session_policy: string | null;
  /** JSON array of managed session policy ARNs (`PolicyArns`), null when none were passed. */
  session_policy_arns: string | null;
  /** JSON array of `{Key, Value}` session tags (empty array when none). */
  session_tags: string;
  /** JSON array of transitive tag keys. */
  transitive_tag_keys: string;
  source_identity: string | null;
}

export interface IamTables {
  accounts: AccountRow;
  iam_generations: IamGenerationRow;
  iam_users: IamUserRow;
  iam_groups: IamGroupRow;
  iam_group_members: IamGroupMemberRow;
  iam_roles: IamRoleRow;
  iam_access_keys: IamAccessKeyRow;
  iam_inline_policies: IamInlinePolicyRow;
  iam_managed_policies: IamManagedPolicyRow;
  iam_policy_versions: IamPolicyVersionRow;
  iam_policy_attachments: IamPolicyAttachmentRow;
  iam_tags: IamTagRow;
  iam_sessions: IamSessionRow;
}
