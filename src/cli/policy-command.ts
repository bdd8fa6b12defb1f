// `sesame policy validate|simulate|explain|lint`: the policy library on the command line.
// Exit codes: validate 0 valid / 1 invalid; simulate and explain 0 allowed / 1 denied; lint 0 no
// error or warning / 1 otherwise; every command 2 on unreadable input or bad options.

import type { Command } from 'commander';
import {
  authorize,
  denialMessage,
  validatePolicy,
  type AuthorizationRequest,
  type Decision,
} from '../policy/index.js';
import { explainDecision, formatExplanation } from './policy-explain.js';
import {
  buildRequest,
  denialFamilyOf,
  policyType,
  POLICY_TYPES,
  readText,
  run,
  type RequestOptions,
} from './policy-input.js';
import { lintText } from './policy-lint.js';
import { registerWhatIfCommand } from './policy-what-if.js';

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
      const got = f.requestValue === undefined ? 'missing' : JSON.stringify(f.requestValue);
      lines.push(
        `  ${f.policyId} statement ${f.index}${f.sid ? ` (${f.sid})` : ''}: ${f.operator} ${f.key} ${JSON.stringify(f.policyValues)}, request value ${got}`,
      );
    }
  }
  if (decision.missingContextKeys.length > 0)
    lines.push(`Missing context keys: ${decision.missingContextKeys.join(', ')}`);
  if (decision.decision !== 'Allowed') {
    lines.push(`Message: ${denialMessage(denialFamilyOf(req.action), req, decision)}`);
  }
  return lines.join('\n');
}

/** simulate and explain take the same request options. */
function requestCommand(parent: Command, name: string, description: string): Command {
  return parent
    .command(name)
    .description(description)
    .requiredOption('--policy <files...>', 'identity policy files')
    .option('--resource-policy <file>', 'resource-based policy (e.g. an SES identity policy)')
    .option('--boundary <file>', 'permissions boundary policy')
    .requiredOption('--action <action>', 'e.g. ses:SendRawEmail')
    .requiredOption('--resource <arn>', 'resource ARN or *')
    .requiredOption('--principal <arn>', 'caller ARN')
    .option('--resource-account <id>', 'account owning the resource (default: from the ARN)')
    .option('--context <pairs...>', 'context keys as key=value (repeat a key or use a JSON array for lists)')
    .option('--json', 'print JSON');
}

export function registerPolicyCommands(program: Command): void {
  const policy = program.command('policy').description('Validate, lint, simulate and explain IAM policies');
  registerWhatIfCommand(policy);

  policy
    .command('validate')
    .description('Validate a policy document as IAM does; prints "valid" or the IAM error')
    .argument('<file>', 'policy document (JSON)')
    .option('--type <type>', `policy type: ${POLICY_TYPES.join('|')}`, 'identity')
    .action((file: string, opts: { type: string }) =>
      run(() => {
        const r = validatePolicy(readText(file), policyType(opts.type));
        process.stdout.write(r.ok ? 'valid\n' : `${r.error.code}: ${r.error.message}\n`);
        return r.ok ? 0 : 1;
      }),
    );

  policy
    .command('lint')
    .description(
      'Report what IAM would refuse (errors) and what it accepts but probably should not (warnings)',
    )
    .argument('<file>', 'policy document (JSON)')
    .option('--type <type>', `policy type: ${POLICY_TYPES.join('|')}`, 'identity')
    .option('--json', 'print the findings as a JSON array')
    .action((file: string, opts: { type: string; json?: boolean }) =>
      run(() => {
        const type = policyType(opts.type);
        const r = lintText(readText(file), type, opts.json === true);
        process.stdout.write(`${r.output}\n`);
        return r.code;
      }),
    );

  requestCommand(policy, 'simulate', 'Decide one request against policies and explain the decision').action(
    (opts: RequestOptions) =>
      run(() => {
        const req = buildRequest(opts);
        const decision = authorize(req);
        process.stdout.write(opts.json ? `${JSON.stringify(decision)}\n` : `${describe(decision, req)}\n`);
        return decision.decision === 'Allowed' ? 0 : 1;
      }),
  );

  requestCommand(
    policy,
    'explain',
    'Decide one request and explain it: deciding statements, every condition with its values, missing keys',
  ).action((opts: RequestOptions) =>
    run(() => {
      const req = buildRequest(opts);
      const e = explainDecision(req, authorize(req));
      process.stdout.write(opts.json ? `${JSON.stringify(e)}\n` : `${formatExplanation(e)}\n`);
      return e.decision === 'Allowed' ? 0 : 1;
    }),
  );
}
