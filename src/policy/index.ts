// Public API of the policy library: parse/validate (policy text -> Policy), compile/cache, and the
// authorizer with its explanations and AWS denial messages. Callers import from here only.

export type * from './types.js';
export { BASE_CONDITION_OPERATORS } from './types.js';
export type * from './request.js';

export {
  parsePolicy,
  readPolicy,
  policyToJson,
  splitConditionOperator,
  isKnownConditionOperator,
} from './parse.js';
export type { ParseResult, PolicyIssue, PolicyReading } from './parse.js';
export { POLICY_SIZE_LIMITS, policySize, measurePolicy } from './limits.js';
export { validatePolicy, type ValidationResult, type ValidateOptions } from './validate.js';

export {
  authorize,
  arnAccount,
  normalizeContext,
  DECISION_MATCH_BUDGET,
  type AuthorizeOptions,
} from './authorize.js';
export { MatchBudgetExceeded } from './glob.js';
export { UnknownOperatorError } from './conditions/index.js';
export { isPrincipalType } from './compile.js';
export { compilePolicy, type CompiledPolicy, type CompiledStatement } from './compile.js';
export { createPolicyCache, defaultPolicyCache, type PolicyCache } from './cache.js';
export {
  denialMessage,
  denialReason,
  genericDenialMessage,
  sendPathDenialMessage,
  type DenialFamily,
} from './messages.js';
export { principalContext } from './request.js';
export { globMatch, compileGlob } from './glob.js';
export { arnMatch, compileArnPattern } from './arn.js';
export { parseIamDate } from './conditions/date.js';
export { parseCidr, parseIp, cidrContains } from './conditions/ip.js';
export { lintPolicy, type LintFinding, type LintSeverity } from './lint.js';
