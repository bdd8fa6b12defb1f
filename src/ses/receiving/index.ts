// SES v1 receiving: receipt rule sets, rules and IP filters (the API). The receiver that acts on
// them is src/inbound/.
import type { OperationTable } from '../../api/operation.js';
import { filterOperations } from './filter-operations.js';
import { ruleOperations } from './rule-operations.js';
import { ruleSetOperations } from './rule-set-operations.js';

export const receivingOperations: OperationTable = {
  ...ruleSetOperations,
  ...ruleOperations,
  ...filterOperations,
};

export type * from './types.js';
export { getRuleSet, activeRuleSetName } from './rule-sets.js';
export { listFilters, parseCidr } from './filters.js';
export { receiptRuleArn, SETUP_NOTIFICATION_KEY } from './targets.js';
export { actionMembers } from './rule-check.js';
