// Event publishing: SES events to SNS-style HTTP subscribers and an EventBridge-style webhook.
export { enqueuePublications, publishTargets, hasTargets, type PublishTargets } from './fanout.js';
export {
  startPublisher,
  listDeadLetters,
  DEFAULT_PUBLISHER_TUNING,
  type PublisherDeps,
  type PublisherHandle,
  type PublisherTuning,
} from './publisher.js';
export {
  snsEnvelope,
  eventBridgeEvent,
  identityNotification,
  signBody,
  verifyBody,
  SIGNATURE_HEADER,
  EVENT_SUBJECT,
} from './envelope.js';
export { loadOrCreateSigningKey, resolveSigningKey, SIGNING_KEY_FILE } from './signing-key.js';
