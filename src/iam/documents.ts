// Policy documents at the IAM API edge: validation on write (policy/validate.ts decides the texts),
// the per-entity inline aggregate quota, and the URL encoding IAM applies to returned documents.
import { validatePolicy } from '../policy/validate.js';
import { INLINE_POLICY_AGGREGATE_LIMITS, inlineAggregateLimitMessage, policySize } from '../policy/limits.js';
import type { Policy, PolicyType } from '../policy/types.js';
import { limitExceeded, malformedPolicy, type EntityKind } from './errors.js';

/**
 * Throws MalformedPolicyDocument (400) or LimitExceeded (409) with the validator's message;
 * returns the policy as read, for checks that need its statements.
 */
export function requireValidPolicy(text: string, type: PolicyType): Policy {
  const r = validatePolicy(text, type);
  if (r.ok) return r.policy;
  throw r.error.code === 'LimitExceeded' ? limitExceeded(r.error.message) : malformedPolicy(r.error.message);
}

/**
 * Inline policies: valid identity policy, and all of the entity's inline documents together within
 * 2048 (user) / 5120 (group) / 10240 (role) characters, whitespace not counted.
 */
export function requireValidInlinePolicy(
  text: string,
  kind: EntityKind,
  entityName: string,
  otherDocuments: readonly string[],
): void {
  const tooBig = () => limitExceeded(inlineAggregateLimitMessage(kind, entityName));
  const r = validatePolicy(text, 'identity');
  if (!r.ok) throw r.error.code === 'LimitExceeded' ? tooBig() : malformedPolicy(r.error.message);
  const total = otherDocuments.reduce((n, d) => n + policySize(d), policySize(text));
  if (total > INLINE_POLICY_AGGREGATE_LIMITS[kind]) throw tooBig();
}

/** RFC 3986 percent-encoding, as IAM returns policy documents. */
export function encodePolicyDocument(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase(),
  );
}
