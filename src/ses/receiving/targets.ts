// The checks of a rule's actions that need the world, run after the syntax (rule-check.ts) and
// before the rule is stored, as SES runs them on CreateReceiptRule and UpdateReceiptRule:
// - a Lambda function must exist: in Sesame, be mapped to a URL (SESAME_LAMBDA_FUNCTIONS);
// - an IAM role (S3Action.IamRoleArn, ConnectAction.IAMRoleARN) must exist and trust
//   ses.amazonaws.com (its trust policy is evaluated by the policy engine);
// - an S3 bucket must take SES's setup notification (`AMAZON_SES_SETUP_NOTIFICATION` under the
//   prefix), through SESAME_S3_ENDPOINT; without one the rule is kept and the action fails when it runs.
import type { CallContext } from '../../api/operation.js';
import { authorize } from '../../policy/index.js';
import { storedPolicy } from '../../iam/stored-policies.js';
import { findRoleByArn } from '../../sts/roles.js';
import { s3AccessFor } from '../../s3/index.js';
import { receiptErrors } from './errors.js';
import { bucketAllowed } from '../../s3/bucket-access.js';
import { checkFunctionArn } from './rule-check.js';
import type { ReceiptRule } from './types.js';

export const SETUP_NOTIFICATION_KEY = 'AMAZON_SES_SETUP_NOTIFICATION';

/** Whether ses.amazonaws.com may assume the role for this account (its trust policy allows it). */
export async function sesMayAssume(ctx: CallContext, roleArn: string, sourceArn: string): Promise<boolean> {
  const role = await findRoleByArn(ctx.store.db, roleArn);
  if (!role) return false;
  const decision = authorize({
    principal: { kind: 'Service', arn: 'ses.amazonaws.com', service: 'ses.amazonaws.com' },
    action: 'sts:AssumeRole',
    resource: roleArn,
    resourceAccount: role.account_id,
    context: {
      'aws:SourceAccount': ctx.caller.accountId,
      'aws:SourceArn': sourceArn,
      'aws:CurrentTime': ctx.now.toISOString(),
      'aws:EpochTime': String(Math.floor(ctx.now.getTime() / 1000)),
    },
    identityPolicies: [],
    resourcePolicies: [storedPolicy(`trust:role/${role.name}`, 'resource', role.assume_role_policy)],
    resourcePolicyKind: 'trust',
  });
  return decision.decision === 'Allowed';
}

function setupNotification(ctx: CallContext, bucket: string): Buffer {
  return Buffer.from(
    [
      `This object was written by Amazon SES (Sesame) on ${ctx.now.toISOString()} to check that it`,
      `can write received email to the bucket ${bucket} for account ${ctx.caller.accountId} in ${ctx.region}.`,
      '',
    ].join('\n'),
  );
}

/** The ARN SES gives a receipt rule (its aws:SourceArn towards roles, topics and functions). */
export const receiptRuleArn = (ctx: CallContext, ruleSet: string, rule: string): string =>
  `arn:aws:ses:${ctx.region}:${ctx.caller.accountId}:receipt-rule-set/${ruleSet}:receipt-rule/${rule}`;

export async function checkTargets(ctx: CallContext, ruleSet: string, rule: ReceiptRule): Promise<void> {
  const mapped = new Set(ctx.config.receiving.lambdaFunctions.map((f) => f.functionArn));
  for (const a of rule.Actions) {
    const fn = a.LambdaAction?.FunctionArn;
    if (fn !== undefined) {
      checkFunctionArn(fn, ctx.region);
      if (!mapped.has(fn)) throw receiptErrors.lambda(fn);
    }
  }
  for (const a of rule.Actions) {
    for (const role of [a.S3Action?.IamRoleArn, a.ConnectAction?.IAMRoleARN]) {
      if (role !== undefined && !(await sesMayAssume(ctx, role, receiptRuleArn(ctx, ruleSet, rule.Name))))
        throw receiptErrors.role();
    }
  }
  const s3 = s3AccessFor(ctx.config.s3, ctx.region);
  if (!s3) return;
  for (const a of rule.Actions) {
    const s = a.S3Action;
    if (!s) continue;
    if (!bucketAllowed(ctx.config, ctx.caller.accountId, s.BucketName))
      throw receiptErrors.bucket(s.BucketName);
    try {
      await s3.putObject({
        bucket: s.BucketName,
        key: `${s.ObjectKeyPrefix ?? ''}${SETUP_NOTIFICATION_KEY}`,
        body: setupNotification(ctx, s.BucketName),
        contentType: 'text/plain',
      });
    } catch {
      throw receiptErrors.bucket(s.BucketName);
    }
  }
}
