// AWS's two AccessDenied families (docs/spec/ses.md §3.7). Family A is SES's own send-path sentence with
// backtick-open / apostrophe-close quotes and no reason; family B is the generic IAM sentence whose
// reason names the deciding policy type.

import type { Decision } from './request.js';
import type { PolicyType } from './types.js';

/** (A) `User `ARN' is not authorized to perform `ses:SendRawEmail' on resource `ARN'` */
export function sendPathDenialMessage(callerArn: string, action: string, resource: string): string {
  return `User \`${callerArn}' is not authorized to perform \`${action}' on resource \`${resource}'`;
}

/** How the generic message names a policy type ("... in a(n) X" / "because no X allows"). */
const TYPE_WORDS: Record<PolicyType, string> = {
  identity: 'identity-based policy',
  resource: 'resource-based policy',
  trust: 'resource-based policy',
  boundary: 'permissions boundary',
  session: 'session policy',
  scp: 'service control policy',
};

function article(words: string): string {
  return /^[aeiou]/i.test(words) ? 'an' : 'a';
}

/** The reason suffix for a denial, chosen from the Decision; '' when the decision is Allowed. */
export function denialReason(decision: Decision, action: string): string {
  if (decision.decision === 'Allowed') return '';
  const by = decision.decidedBy;
  const type: PolicyType = by === undefined || by === 'root' || by === 'default' ? 'identity' : by;
  const words = TYPE_WORDS[type];
  return decision.decision === 'ExplicitDeny'
    ? `with an explicit deny in ${article(words)} ${words}`
    : `because no ${words} allows the ${action} action`;
}

/**
 * (B) `User: ARN is not authorized to perform: ACTION on resource: R because no identity-based
 * policy allows the ACTION action` (or `with an explicit deny in a(n) ...`).
 */
export function genericDenialMessage(
  callerArn: string,
  action: string,
  resource: string,
  decision: Decision,
): string {
  const reason = denialReason(decision, action);
  const base = `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource}`;
  return reason ? `${base} ${reason}` : base;
}

export type DenialFamily = 'send' | 'generic';

/** The message for a denied request: family A for the SES send path, B otherwise. */
export function denialMessage(
  family: DenialFamily,
  request: { principal: { arn: string }; action: string; resource: string },
  decision: Decision,
): string {
  return family === 'send'
    ? sendPathDenialMessage(request.principal.arn, request.action, request.resource)
    : genericDenialMessage(request.principal.arn, request.action, request.resource, decision);
}
