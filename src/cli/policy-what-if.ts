// `sesame policy what-if`: replays a policy change over the audit log of the last N days (the
// store of the data folder or SESAME_DATABASE_URL, as `audit tail` reads it) and prints the calls
// whose decision would flip. Exit 0: nothing flips; 1: something does; 2: bad input.
import type { Command } from 'commander';
import type { ChangeRequest, EntityKind } from '../what-if/change-input.js';
import type { WhatIfAnswer } from '../what-if/operation.js';
import type { FlipGroup } from '../what-if/report.js';
import { AwsError } from '../errors/aws-error.js';
import { readText } from './policy-input.js';

export interface WhatIfOptions {
  user?: string;
  group?: string;
  role?: string;
  identity?: string;
  policyName?: string;
  policyArn?: string;
  document?: string;
  delete?: boolean;
  attach?: string;
  detach?: string;
  boundary?: string;
  deleteBoundary?: boolean;
  account?: string;
  region?: string;
  days: string;
  json?: boolean;
}

class UsageError extends Error {}

function entity(o: WhatIfOptions): { entity: EntityKind; name: string } {
  const given = (['user', 'group', 'role'] as const).filter((k) => o[k] !== undefined);
  if (given.length !== 1) throw new UsageError('name one of --user, --group or --role');
  return { entity: given[0]!, name: o[given[0]!]! };
}

const need = (v: string | undefined, flag: string): string => {
  if (v === undefined) throw new UsageError(`${flag} is required here`);
  return v;
};

/** The options as the change they describe (the same change the API takes). */
export function changeFromOptions(o: WhatIfOptions): ChangeRequest {
  const document = o.document === undefined ? undefined : readText(o.document);
  if (o.identity !== undefined) {
    const policyName = need(o.policyName, '--policy-name');
    if (o.delete) return { kind: 'identity-policy', identity: o.identity, policyName };
    return {
      kind: 'identity-policy',
      identity: o.identity,
      policyName,
      document: need(document, '--document'),
    };
  }
  if (o.policyArn !== undefined && o.user === undefined && o.group === undefined && o.role === undefined)
    return { kind: 'managed', policyArn: o.policyArn, document: need(document, '--document') };
  const e = entity(o);
  if (o.attach !== undefined) return { kind: 'attach', ...e, policyArn: o.attach };
  if (o.detach !== undefined) return { kind: 'detach', ...e, policyArn: o.detach };
  if (o.boundary !== undefined || o.deleteBoundary) {
    if (e.entity === 'group') throw new UsageError('a permissions boundary is set on a user or a role');
    const b = { kind: 'boundary' as const, entity: e.entity, name: e.name };
    return o.boundary !== undefined ? { ...b, policyArn: o.boundary } : b;
  }
  const policyName = need(o.policyName, '--policy-name');
  if (o.delete) return { kind: 'inline', ...e, policyName };
  return { kind: 'inline', ...e, policyName, document: need(document, '--document') };
}

function group(g: FlipGroup): string[] {
  const lines = [`  ${g.From} -> ${g.To}  ${g.Count}x  ${g.Principal}  ${g.Action}`];
  const s = g.Statement;
  if (s)
    lines.push(
      `      ${s.Effect} statement ${s.StatementIndex}${s.Sid ? ` (${s.Sid})` : ''} of ${s.PolicyId} [${s.PolicyType}]${s.InChange ? ', in the change' : ''}`,
    );
  if (g.DecidedBy) lines.push(`      decided by the ${g.DecidedBy} policies`);
  lines.push(`      resources: ${g.Resources.join(', ')}`);
  lines.push(
    `      ${g.FirstSeen} .. ${g.LastSeen}; e.g. request ${g.Examples.map((e) => e.RequestId).join(', ')}`,
  );
  return lines;
}

export function formatWhatIf(a: WhatIfAnswer): string {
  const lines = [
    `What if: ${a.Change} (the last ${a.Window.Days} days, ${a.Window.Since} .. ${a.Window.Until})`,
    `Recorded calls in scope: ${a.Examined}; decided again: ${a.Replayed} (without request context: ${a.Skipped.NoRequestContext}, principal gone: ${a.Skipped.PrincipalGone}; decided differently today than recorded: ${a.ChangedSinceRecorded})${a.Truncated ? '; stopped at the record limit' : ''}`,
  ];
  if (a.Flips.length === 0) {
    lines.push('No recorded call would be decided differently.');
    return lines.join('\n');
  }
  lines.push(
    `${a.AllowedToDenied} allowed call(s) would be denied, ${a.DeniedToAllowed} denied call(s) allowed:`,
  );
  for (const g of a.Flips) lines.push(...group(g));
  return lines.join('\n');
}

export function registerWhatIfCommand(policy: Command): void {
  policy
    .command('what-if')
    .description(
      'Replay a policy change over the recorded calls of the last days: which would be decided differently?',
    )
    .option('--user <name>', 'the IAM user whose policy changes')
    .option('--group <name>', 'the IAM group whose policy changes')
    .option('--role <name>', 'the IAM role whose policy changes')
    .option('--identity <name>', 'the SES identity whose sending-authorization policy changes')
    .option('--policy-name <name>', 'the inline (or identity) policy put or deleted')
    .option('--policy-arn <arn>', 'a customer managed policy: --document becomes its default version')
    .option('--document <file>', 'the new policy document (JSON)')
    .option('--delete', 'delete the named policy instead of putting one')
    .option('--attach <arn>', 'attach this managed policy to the user, group or role')
    .option('--detach <arn>', 'detach this managed policy from the user, group or role')
    .option('--boundary <arn>', 'set this permissions boundary on the user or role')
    .option('--delete-boundary', 'remove the permissions boundary of the user or role')
    .option('--account <id>', 'the account (default: SESAME_ACCOUNT_ID)')
    .option('--region <region>', 'the region of SES identities (default: SESAME_REGION)')
    .option('--days <n>', 'how many days of the audit log to replay', '7')
    .option('--json', 'print the answer as JSON (the API’s shape)')
    .action(async (opts: WhatIfOptions) => {
      try {
        const change = changeFromOptions(opts);
        const days = Number(opts.days);
        if (!Number.isInteger(days) || days < 1 || days > 365)
          throw new UsageError('--days must be a whole number from 1 to 365');
        const { withOperatorStore } = await import('./operator-store.js');
        const { whatIf } = await import('../what-if/operation.js');
        const answer = await withOperatorStore(({ store, config }) =>
          whatIf(
            store,
            opts.account ?? config.accountId,
            opts.region ?? config.region,
            change,
            days,
            new Date(),
          ),
        );
        process.stdout.write(`${opts.json ? JSON.stringify(answer) : formatWhatIf(answer)}\n`);
        process.exitCode = answer.Flips.length > 0 ? 1 : 0;
      } catch (e) {
        // An AWS error (NoSuchEntity, MalformedPolicyDocument…) keeps its code; ours are plain.
        const text =
          e instanceof AwsError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
        process.stderr.write(`error: ${text}\n`);
        process.exitCode = 2;
      }
    });
}
