// SES API v1 (Query, 2010-12-01): every operation except sending (src/ses/send/).
import type { OperationTable } from '../../api/operation.js';
import { accountOperations } from './account.js';
import { configurationSetOperations } from './configuration-sets.js';
import { identityOperations } from './identities.js';
import { identityPolicyOperations } from './identity-policies.js';
import { templateOperations } from './templates.js';
import { customVerificationOperationsV1 } from '../verification/custom-template-operations.js';
import { receivingOperations } from '../receiving/index.js';

export const sesV1Operations: OperationTable = {
  ...identityOperations,
  ...identityPolicyOperations,
  ...templateOperations,
  ...configurationSetOperations,
  ...accountOperations,
  ...customVerificationOperationsV1,
  ...receivingOperations,
};
