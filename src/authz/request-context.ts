// The request context of one call: the global `aws:*` keys and the principal keys, derived in one
// place for every front end (SES v1, v2, SMTP, IAM, STS, console). Service keys (ses:FromAddress…)
// come from the operation's checks.
import type { CallContext } from '../api/operation.js';
import type { ContextValue } from '../policy/request.js';

/** `2026-11-28T11:52:00Z`: IAM's aws:CurrentTime has whole seconds. */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function callContextKeys(ctx: CallContext): Record<string, ContextValue> {
  const { caller, source } = ctx;
  const keys: Record<string, ContextValue> = {
    'aws:currenttime': isoSeconds(ctx.now),
    'aws:epochtime': String(Math.floor(ctx.now.getTime() / 1000)),
    'aws:securetransport': source.secureTransport ? 'true' : 'false',
    'aws:requestedregion': ctx.region,
    'aws:principalaccount': caller.accountId,
    'aws:principaltype': caller.principal.kind,
    'aws:userid': caller.userId,
    // For role sessions aws:PrincipalArn is the role ARN (with path), not the session ARN.
    'aws:principalarn': caller.principal.roleArn ?? caller.principal.arn,
  };
  if (source.ip !== undefined) keys['aws:sourceip'] = source.ip;
  if (source.userAgent !== undefined) keys['aws:useragent'] = source.userAgent;
  if (source.sourceVpc !== undefined) keys['aws:sourcevpc'] = source.sourceVpc;
  if (source.sourceVpce !== undefined) keys['aws:sourcevpce'] = source.sourceVpce;
  if (source.vpcSourceIp !== undefined) keys['aws:vpcsourceip'] = source.vpcSourceIp;
  if (caller.userName !== undefined) keys['aws:username'] = caller.userName;
  if (ctx.apiVersion !== undefined) keys['ses:apiversion'] = ctx.apiVersion;
  for (const [k, v] of Object.entries(caller.principalTags)) keys[`aws:principaltag/${k.toLowerCase()}`] = v;
  return keys;
}
