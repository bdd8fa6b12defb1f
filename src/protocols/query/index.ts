// AWS Query protocol codec (SES v1, IAM, STS): translation only, no decisions.
export { parseQueryInput, resolveQueryAction } from './parse-input.js';
export { QUERY_CONTENT_TYPE, serializeQueryError, serializeQueryOutput } from './serialize.js';
export { checkParameterCount, MAX_QUERY_PARAMETERS } from './parameter-count.js';
