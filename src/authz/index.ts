export {
  authorizeChecks,
  authorizeSend,
  buildAuthorizationRequest,
  decide,
  noteChecks,
  requestFor,
  type DecidingCaller,
  type DenialFamily,
} from './authorize-call.js';
export { callContextKeys, isoSeconds } from './request-context.js';
