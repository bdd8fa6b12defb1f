// Shared builders for the policy tests: policies come from the real parser, requests from small
// defaults so each test states only what it is about.

import { parsePolicy } from '../../src/policy/parse.js';
import { authorize } from '../../src/policy/authorize.js';
import type {
  AuthorizationRequest,
  CallerPrincipal,
  Decision,
  NamedPolicy,
  PolicySource,
} from '../../src/policy/request.js';
import type { Policy } from '../../src/policy/types.js';

export const ACCT = '111122223333';
export const OTHER = '444455556666';
export const IDENTITY_ARN = `arn:aws:ses:us-east-1:${ACCT}:identity/example.com`;

export function pol(doc: unknown): Policy {
  const r = parsePolicy(doc);
  if (!r.ok) throw new Error(`test policy does not parse: ${JSON.stringify(r.errors)}`);
  return r.policy;
}

let seq = 0;
export function named(doc: unknown, source: PolicySource = 'user', id?: string): NamedPolicy {
  return { id: id ?? `p${++seq}`, source, policy: pol(doc) };
}

/** One-statement 2012-10-17 policy. */
export function stmt(s: Record<string, unknown>): NamedPolicy {
  return named({ Version: '2012-10-17', Statement: [s] });
}

export function user(name = 'alice', account = ACCT, path = '/'): CallerPrincipal {
  return { kind: 'User', arn: `arn:aws:iam::${account}:user${path}${name}`, accountId: account };
}

export function roleSession(role = 'r', session = 's', account = ACCT, path = '/'): CallerPrincipal {
  return {
    kind: 'AssumedRole',
    arn: `arn:aws:sts::${account}:assumed-role/${role}/${session}`,
    accountId: account,
    roleArn: `arn:aws:iam::${account}:role${path}${role}`,
  };
}

export function root(account = ACCT): CallerPrincipal {
  return { kind: 'Account', arn: `arn:aws:iam::${account}:root`, accountId: account };
}

export function request(over: Partial<AuthorizationRequest> = {}): AuthorizationRequest {
  return {
    principal: user(),
    action: 'ses:SendEmail',
    resource: IDENTITY_ARN,
    context: {},
    identityPolicies: [],
    ...over,
  };
}

export function decide(over: Partial<AuthorizationRequest> = {}): Decision['decision'] {
  const d = authorize(request(over));
  if (d.error) throw new Error(d.error);
  return d.decision;
}

/** Decision of one Condition block (as an Allow on ses:SendEmail/*) under a context. */
export function cond(
  condition: Record<string, unknown>,
  context: Record<string, string | string[]>,
  version = '2012-10-17',
): boolean {
  const p = named({
    Version: version,
    Statement: [{ Effect: 'Allow', Action: 'ses:SendEmail', Resource: '*', Condition: condition }],
  });
  const d = authorize(request({ identityPolicies: [p], context }));
  if (d.error) throw new Error(d.error);
  return d.decision === 'Allowed';
}
