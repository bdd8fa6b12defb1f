// SES API v2 (REST-JSON, 2019-09-27): every operation except sending (src/ses/send/).
import type { OperationTable } from '../../api/operation.js';
import { accountOperations } from './account.js';
import { configurationSetOperations } from './configuration-sets.js';
import { identityOperations } from './identities.js';
import { identityPolicyOperations } from './identity-policies.js';
import { suppressionOperations } from './suppression.js';
import { templateOperations } from './templates.js';
import { metricsOperations } from './metrics.js';
import { tagOperations } from './tags.js';
import { dedicatedIpOperations } from './dedicated-ips.js';
import { tenantOperations } from './tenants.js';
import { multiRegionEndpointOperations } from './multi-region-endpoints.js';
import { reputationOperations } from './reputation.js';
import { deliverabilityOperations } from './deliverability.js';
import { testReportOperations } from './test-reports.js';
import { vdmArchivingOperations } from './vdm-archiving.js';
import { contactListOperations } from '../lists/list-operations.js';
import { dkimSigningOperations } from './dkim-signing.js';
import { insightsOperations } from '../insights/index.js';
import { contactOperations } from '../lists/contact-operations.js';
import { customVerificationOperationsV2 } from '../verification/custom-template-operations.js';
import { jobOperations } from '../jobs/index.js';

export const sesV2Operations: OperationTable = {
  ...identityOperations,
  ...identityPolicyOperations,
  ...templateOperations,
  ...configurationSetOperations,
  ...suppressionOperations,
  ...accountOperations,
  ...metricsOperations,
  ...tagOperations,
  ...dedicatedIpOperations,
  ...tenantOperations,
  ...multiRegionEndpointOperations,
  ...reputationOperations,
  ...deliverabilityOperations,
  ...testReportOperations,
  ...vdmArchivingOperations,
  ...dkimSigningOperations,
  ...contactListOperations,
  ...contactOperations,
  ...customVerificationOperationsV2,
  ...insightsOperations,
  ...jobOperations,
};
