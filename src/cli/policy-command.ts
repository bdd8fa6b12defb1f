// `sesame policy validate|simulate`: the policy library on the command line. Exit codes:
// validate 0 valid / 1 invalid; simulate 0 allowed / 1 denied; 2 unreadable input.

import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  authorize,
  denialMessage,
  parsePolicy,
  principalContext,
  validatePolicy,
  type AuthorizationRequest,
  type CallerPrincipal,
  type ContextValue,
  type Decision,
  type NamedPolicy,
  type PolicySource,
  type PolicyType,
} from '../policy/index.js';

const POLICY_TYPES: readonly PolicyType[] = ['identity', 'resource', 'trust', 'boundary', 'session', 'scp'];

class InputError extends Error {}

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

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`${file}: ${(e as Error).message}`);
  }
}

function loadPolicy(file: string, source: PolicySource): NamedPolicy {
  const text = readText(file);
  const r = parsePolicy(text);
  if (!r.ok) throw new InputError(`${file}: ${r.errors.map((e) => e.message).join('; ')}`);
  return { id: file, source, policy: r.policy, text };
}

function describe(decision: Decision, req: AuthorizationRequest): string {
  const lines = [`Decision: ${decision.decision}`, `Decided by: ${decision.decidedBy ?? '-'}`];
  if (decision.error) lines.push(`Error: ${decision.error}`);
  lines.push(
    `Per type: ${Object.entries(decision.perType)
      .map(([t, r]) => `${t}=${r}`)
      .join(' ')}`,
  );
  if (decision.matched.length > 0) {
    lines.push('Matched statements:');
    for (const m of decision.matched)
      lines.push(`  ${m.effect} ${m.policyId} statement ${m.index}${m.sid ? ` (${m.sid})` : ''}`);
  }
  if (decision.failedConditions.length > 0) {
    lines.push('Failed conditions:');
    for (const f of decision.failedConditions) {
      const got = f.requestValue === undefined ? 'absent' : JSON.stringify(f.requestValue);
      lines.push(
        `  ${f.policyId} statement ${f.index}${f.sid ? ` (${f.sid})` : ''}: ${f.operator} ${f.key} ${JSON.stringify(f.policyValues)}, request value ${got}`,
      );
    }
  }
  if (decision.missingContextKeys.length > 0)
    lines.push(`Missing context keys: ${decision.missingContextKeys.join(', ')}`);
  if (decision.decision !== 'Allowed') {
    const family = /^ses:send/i.test(req.action) ? 'send' : 'generic';
    lines.push(`Message: ${denialMessage(family, req, decision)}`);
  }
  return lines.join('\n');
}

interface SimulateOptions {
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

function run(fn: () => number): void {
  try {
    process.exitCode = fn();
  } catch (e) {
    if (!(e instanceof InputError) && !(e instanceof SyntaxError)) throw e;
    process.stderr.write(`error: ${e.message}\n`);
    process.exitCode = 2;
  }
}

export function registerPolicyCommands(program: Command): void {
  const policy = program.command('policy').description('Validate and simulate IAM policies');

  policy
    .command('validate')
    .description('Validate a policy document as IAM does; prints "valid" or the IAM error')
    .argument('<file>', 'policy document (JSON)')
    .option('--type <type>', `policy type: ${POLICY_TYPES.join('|')}`, 'identity')
    .action((file: string, opts: { type: string }) =>
      run(() => {
        if (!POLICY_TYPES.includes(opts.type as PolicyType))
          throw new InputError(`--type must be one of ${POLICY_TYPES.join(', ')}`);
        const r = validatePolicy(readText(file), opts.type as PolicyType);
        process.stdout.write(r.ok ? 'valid\n' : `${r.error.code}: ${r.error.message}\n`);
        return r.ok ? 0 : 1;
      }),
    );

  policy
    .command('simulate')
    .description('Decide one request against policies and explain the decision')
    .requiredOption('--policy <files...>', 'identity policy files')
    .option('--resource-policy <file>', 'resource-based policy (e.g. an SES identity policy)')
    .option('--boundary <file>', 'permissions boundary policy')
    .requiredOption('--action <action>', 'e.g. ses:SendRawEmail')
    .requiredOption('--resource <arn>', 'resource ARN or *')
    .requiredOption('--principal <arn>', 'caller ARN')
    .option('--resource-account <id>', 'account owning the resource (default: from the ARN)')
    .option('--context <pairs...>', 'context keys as key=value (repeat a key or use a JSON array for lists)')
    .option('--json', 'print the decision as JSON')
    .action((opts: SimulateOptions) =>
      run(() => {
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
        const decision = authorize(req);
        process.stdout.write(opts.json ? `${JSON.stringify(decision)}\n` : `${describe(decision, req)}\n`);
        return decision.decision === 'Allowed' ? 0 : 1;
      }),
    );
}
