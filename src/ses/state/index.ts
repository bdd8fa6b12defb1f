// SES state shared by API v1, API v2 and the send path (src/ses/send/).
export { identityArn, templateArn, configurationSetArn } from './arn.js';
export {
  findSendingIdentity,
  getIdentity,
  markIdentityVerified,
  markDkimVerified,
  initialVerificationStatus,
  type SendingIdentity,
  type VerificationStatus,
} from './identities.js';
export {
  coveringIdentities,
  normalizeIdentity,
  isValidEmailAddress,
  isValidDomain,
  type IdentityType,
} from './identity-names.js';
export { getIdentityPolicies, MAX_POLICIES_PER_IDENTITY, MAX_POLICY_BYTES } from './identity-policies.js';
export {
  cachedAccountSendingState,
  cachedIdentity,
  cachedIdentityPolicies,
  cachedSendingIdentity,
} from './send-cache.js';
export { invalidateSendState } from './invalidate.js';
export {
  getAccountSendingState,
  getAccountState,
  setAccountQuota,
  decideProductionAccess,
  SANDBOX_MAX_24_HOUR_SEND,
  SANDBOX_MAX_SEND_RATE,
  type AccountSendingState,
  type AccountState,
  type AccountDefaults,
  type ProductionQuota,
  type SuppressionReason,
} from './account.js';
export { countSend, recordSend, sentInLast24Hours, sentInLast24HoursForSend, writeSend } from './ledger.js';
export { getTemplate, type EmailTemplate, type TemplateContent } from './templates.js';
export { renderTemplate, type RenderResult } from './render.js';
export {
  getConfigurationSet,
  listEventDestinations,
  type ConfigurationSet,
  type StoredEventDestination,
} from './configuration-sets.js';
export type { EventDestinationDefinition } from './event-destinations.js';
export {
  isSuppressed,
  putSuppressedDestination,
  suppressedAmong,
  type SuppressedDestination,
} from './suppression.js';
