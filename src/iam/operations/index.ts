// Every IAM operation Sesame serves, by its API name (botocore iam 2010-05-08).
import type { OperationTable } from '../../api/operation.js';
import { refusingSessionTokenCredentials } from '../session-token-guard.js';
import { accessKeyOperations } from './access-keys.js';
import { accountDetailOperations } from './account-details.js';
import { attachmentOperations } from './attachments.js';
import { boundaryOperations } from './boundaries.js';
import { groupOperations } from './groups.js';
import { inlinePolicyOperations } from './inline-policies.js';
import { listPolicyOperations } from './list-policies.js';
import { managedPolicyOperations } from './managed-policies.js';
import { policyEntityOperations } from './policy-entities.js';
import { policyTagOperations } from './policy-tags.js';
import { policyVersionOperations } from './policy-versions.js';
import { roleOperations } from './roles.js';
import { tagOperations } from './tags.js';
import { userOperations } from './users.js';

// GetSessionToken credentials (without MFA) may call no IAM operation.
export const iamOperations: OperationTable = refusingSessionTokenCredentials({
  ...userOperations,
  ...groupOperations,
  ...roleOperations,
  ...accessKeyOperations,
  ...inlinePolicyOperations,
  ...managedPolicyOperations,
  ...policyVersionOperations,
  ...listPolicyOperations,
  ...policyTagOperations,
  ...attachmentOperations,
  ...policyEntityOperations,
  ...boundaryOperations,
  ...tagOperations,
  ...accountDetailOperations,
});
