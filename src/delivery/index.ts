// Delivery: outbox -> capture mailbox | SMTP relay | direct MX; SES events, suppression feedback,
// statistics and the mailbox API helpers.
export { startDelivery, DEFAULT_TUNING, type DeliveryDeps, type DeliveryHandle } from './worker.js';
export { notify } from './notify.js';
export { captureTransport, CAPTURE_RESPONSE } from './transports/capture.js';
export { relayTransport, type RelayOptions } from './transports/relay.js';
export { mxTransport, type MxOptions } from './transports/mx.js';
export type { Transport, OutgoingMessage, RecipientOutcome } from './transports/types.js';
export {
  recordEvents,
  eventsOfMessage,
  sendEvent,
  rejectEvent,
  deliveryEvent,
  bounceEvent,
  complaintEvent,
  deliveryDelayEvent,
  type SesEvent,
  type StoredEvent,
  type EventType,
  type EventScope,
} from './events.js';
export { buildMailObject, type MailObject } from './mail-object.js';
export { applyFeedback } from './feedback.js';
export { sendStatistics, type SendDataPoint } from './statistics.js';
export {
  listMessages,
  getMessage,
  deleteMessage,
  messageTimeline,
  type CapturedSummary,
  type MessageTimeline,
} from './mailbox.js';
export { simulatorScenario, type SimulatorScenario } from './simulator.js';
export { bounceAddress } from './prepare.js';
export { parseRelayUrl, transportFromConfig } from './transports/select.js';
export {
  enqueuePublications,
  publishTargets,
  hasTargets,
  startPublisher,
  listDeadLetters,
  loadOrCreateSigningKey,
  resolveSigningKey,
  signBody,
  verifyBody,
  SIGNATURE_HEADER,
  SIGNING_KEY_FILE,
  DEFAULT_PUBLISHER_TUNING,
  type PublishTargets,
  type PublisherHandle,
  type PublisherTuning,
} from './publishing/index.js';
