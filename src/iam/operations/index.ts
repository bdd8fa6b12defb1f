// Every IAM operation Sesame serves, by its API name (botocore iam 2010-05-08).
import type { OperationTable } from '../../api/operation.js';
import { accessKeyOperations } from './access-keys.js';
import { accountDetailOperations } from './account-details.js';
import { attachmentOperations } from './attachments.js';
import { boundaryOperations } from './boundaries.js';
import { groupOperations } from './groups.js';
import { inlinePolicyOperations } from './inline-policies.js';
import { managedPolicyOperations } from './managed-policies.js';
import { roleOperations } from './roles.js';
import { tagOperations } from './tags.js';
import { userOperations } from './users.js';

export const iamOperations: OperationTable = {
  ...userOperations,
  ...groupOperations,
  ...roleOperations,
  ...accessKeyOperations,
  ...inlinePolicyOperations,
  ...managedPolicyOperations,
  ...attachmentOperations,
  ...boundaryOperations,
  ...tagOperations,
  ...accountDetailOperations,
};
