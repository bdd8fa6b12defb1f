// STS authorizes through authz/ like every front end, but answers its own denial sentence (no
// reason suffix), so its operations run their checks here instead of the dispatcher's generic path.
import type { AuthorizationCheck, CallContext } from '../api/operation.js';
import { decide, noteChecks } from '../authz/index.js';
import { stsAccessDenied } from './errors.js';

/** Runs every check; the first one not allowed throws AccessDenied with STS's message. */
export function authorizeStsChecks(ctx: CallContext, checks: readonly AuthorizationCheck[]): void {
  noteChecks(ctx, checks);
  for (const check of checks) {
    if (decide(ctx, check, false).decision === 'Allowed') {
      ctx.audit.decision = 'Allowed';
      continue;
    }
    const decision = decide(ctx, check, true);
    ctx.audit.decision = decision.decision;
    ctx.audit.explanation = { action: check.action, resource: check.resource, ...decision };
    throw stsAccessDenied(ctx.caller.principal.arn, check.action, check.resource);
  }
}
