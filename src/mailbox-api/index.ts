// The mailbox API: captured messages over HTTP (SigV4 service `sesame`, IAM actions `sesame:*`).
export { mailboxOperations, messageArn, MAX_LIMIT } from './operations.js';
export { messagePartOperations } from './message-parts.js';
export { mailboxSurface, routeMailbox } from './surface.js';
export { parseMessage, type ParsedMessage } from './parse-message.js';
