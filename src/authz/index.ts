export {
  authorizeChecks,
  authorizeSend,
  buildAuthorizationRequest,
  decide,
  type DenialFamily,
} from './authorize-call.js';
export { callContextKeys, isoSeconds } from './request-context.js';
