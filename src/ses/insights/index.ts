// Deliverability insights of SES v2: a message's events, an address's validity, the account's
// recommendations.
import type { OperationTable } from '../../api/operation.js';
import { addressInsightsOperations } from './address-insights.js';
import { messageInsightsOperations } from './message-insights.js';
import { recommendationOperations } from './recommendation-operations.js';

export const insightsOperations: OperationTable = {
  ...messageInsightsOperations,
  ...addressInsightsOperations,
  ...recommendationOperations,
};
