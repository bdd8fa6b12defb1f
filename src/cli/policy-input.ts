// What the `sesame policy` commands read: files, policy types, principals, context keys, and the
// authorization request that simulate and explain share. Bad input throws InputError (exit 2).

import { readFileSync } from 'node:fs';
import {
  parsePolicy,
  principalContext,
  type AuthorizationRequest,
  type CallerPrincipal,
  type ContextValue,
  type NamedPolicy,
  type PolicySource,
  type PolicyType,
} from '../policy/index.js';

export const POLICY_TYPES: readonly PolicyType[] = [
  'identity',
  'resource',
  'trust',
  'boundary',
  'session',
  'scp',
];

export class InputError extends Error {}

/** Which of AWS's two denial texts an action gets: the send path's, or the management calls'. */
export const denialFamilyOf = (action: string): 'send' | 'generic' =>
  /^ses:send/i.test(action) ? 'send' : 'generic';

/** Runs a command body: its number is the exit code; bad input prints `error: ...` and exits 2. */
export function run(fn: () => number): void {
  try {
    process.exitCode = fn();
  } catch (e) {
    if (!(e instanceof InputError) && !(e instanceof SyntaxError)) throw e;
    process.stderr.write(`error: ${e.message}\n`);
    process.exitCode = 2;
  }
}

export function policyType(value: string): PolicyType {
  if (!POLICY_TYPES.includes(value as PolicyType))
    throw new InputError(`--type must be one of ${POLICY_TYPES.join(', ')}`);
  return value as PolicyType;
}

export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`${file}: ${(e as Error).message}`);
  }
}

/** Caller principal from its ARN (`arn:aws:iam::A:user/n`, `:root`, `arn:aws:sts::A:assumed-role/r/s`, ...). */
export function principalFromArn(arn: string): CallerPrincipal {
  if (arn === '*' || arn === 'anonymous') return { kind: 'Anonymous', arn: 'anonymous' };
  if (/^[a-z0-9.-]+\.amazonaws\.com$/.test(arn)) return { kind: 'Service', arn, service: arn };
  const m = /^arn:([^:]+):(iam|sts)::(\d{12}):(.+)$/.exec(arn);
  if (!m) throw new InputError(`--principal: not a principal ARN: ${arn}`);
  const [, partition, service, account, rest] = m as unknown as [string, string, string, string, string];
  if (service === 'iam' && rest === 'root') return { kind: 'Account', arn, accountId: account };
  if (service === 'iam' && rest.startsWith('user/')) return { kind: 'User', arn, accountId: account };
  const session = /^assumed-role\/([^/]+)\/[^/]+$/.exec(rest);
  if (service === 'sts' && session) {
    return {
      kind: 'AssumedRole',
      arn,
      accountId: account,
      roleArn: `arn:${partition}:iam::${account}:role/${session[1]}`,
    };
  }
  if (service === 'sts' && rest.startsWith('federated-user/'))
    return { kind: 'FederatedUser', arn, accountId: account };
  throw new InputError(`--principal: unsupported principal ARN: ${arn}`);
}

/** `key=value` pairs; a repeated key or a JSON array value makes a multivalued key. */
export function parseContext(pairs: readonly string[]): Record<string, ContextValue> {
  const out: Record<string, ContextValue> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new InputError(`--context: expected key=value, got ${pair}`);
    const key = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    let value: ContextValue = raw;
    if (raw.startsWith('[')) {
      const parsed: unknown = JSON.parse(raw);
      if (!Array.isArray(parsed)) throw new InputError(`--context: ${key}: not a JSON array`);
      value = parsed.map(String);
    }
    const prev = out[key];
    out[key] =
      prev === undefined
        ? value
        : [...(typeof prev === 'string' ? [prev] : prev), ...(typeof value === 'string' ? [value] : value)];
  }
  return out;
}

export function loadPolicy(file: string, source: PolicySource): NamedPolicy {
  const text = readText(file);
  const r = parsePolicy(text);
  if (!r.ok) throw new InputError(`${file}: ${r.errors.map((e) => e.message).join('; ')}`);
  return { id: file, source, policy: r.policy, text };
}

/** The options simulate and explain share. */
export interface RequestOptions {
  policy: string[];
  resourcePolicy?: string;
  boundary?: string;
  action: string;
  resource: string;
  principal: string;
  resourceAccount?: string;
  context?: string[];
  json?: boolean;
}

export function buildRequest(opts: RequestOptions): AuthorizationRequest {
  const principal = principalFromArn(opts.principal);
  const req: AuthorizationRequest = {
    principal,
    action: opts.action,
    resource: opts.resource,
    context: { ...principalContext(principal), ...parseContext(opts.context ?? []) },
    identityPolicies: opts.policy.map((f) => loadPolicy(f, 'user')),
    explain: true,
  };
  if (opts.resourcePolicy) req.resourcePolicies = [loadPolicy(opts.resourcePolicy, 'resource')];
  if (opts.boundary) req.permissionsBoundary = loadPolicy(opts.boundary, 'boundary');
  if (opts.resourceAccount) req.resourceAccount = opts.resourceAccount;
  return req;
}
