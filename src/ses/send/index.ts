// The send pipeline's public surface: operation tables for the protocol layers, the normalizers
// for other front ends (SMTP), the pipeline itself, and the outbox listing.
export {
  sesV1SendOperations,
  sesV2SendOperations,
  createV1SendOperations,
  createV2SendOperations,
} from './operations.js';
export { toV2Error, v1BulkStatus, v2BulkStatus } from './errors.js';
export { acceptSend, defaultSendDeps, type SendDeps, type SendResult, type EntryResult } from './pipeline.js';
export { normalizeRawMessage, type RawSendOptions } from './normalize-raw.js';
export { sendConditionKeys, type SendConditionKeys } from './condition-keys.js';
export { validateSend, MAX_RECIPIENTS, maxMessageBytes } from './validate.js';
export { listOutbox, getOutboxMessage, type OutboxSummary } from './outbox.js';
export { newMessageId, MESSAGE_ID_PATTERN } from './message-id.js';
export { createRateLimiter, defaultRateLimiter, type RateLimiter } from './rate-limiter.js';
export { SEND_ACTIONS, type SendRequest, type SendEntry, type Mailbox } from './send-request.js';
