// rest-json protocol codec (SES v2): translation only, no decisions.
export { matchRestJsonRoute, parseRestJsonInput, type RequestHeaders } from './parse-input.js';
export type { RouteMatch } from './router.js';
export {
  REST_JSON_CONTENT_TYPE,
  serializeRestJsonError,
  serializeRestJsonOutput,
  type RestJsonResponse,
} from './serialize.js';
