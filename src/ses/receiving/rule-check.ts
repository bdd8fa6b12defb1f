// A receipt rule as a request carries it -> the rule as stored and described: defaults filled
// (Enabled false, TlsPolicy Optional, ScanEnabled false, Lambda Event, SNS UTF-8), recipients,
// limits and every action's syntax checked. The checks that need the world (the S3 bucket, the
// Lambda function, the IAM role) are in targets.ts; the model's own constraints (required members,
// enums, the role ARN pattern) were checked by the protocol front end.
import { addressSyntaxError } from '../send/address.js';
import { RECEIPT_LIMITS, receiptErrors } from './errors.js';
import { checkName } from './names.js';
import { ACTION_MEMBERS, type ReceiptAction, type ReceiptRule, type ReceiptRuleInput } from './types.js';

const DOMAIN =
  /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** `user@example.com`, `example.com` or `.example.com` (every subdomain of example.com). */
export function isRecipientSpec(r: string): boolean {
  if (r.includes('@'))
    return addressSyntaxError(r) === undefined && DOMAIN.test(r.slice(r.lastIndexOf('@') + 1));
  return DOMAIN.test(r.startsWith('.') ? r.slice(1) : r);
}

const TOPIC = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):[A-Za-z0-9_.-]{1,256}$/;
const FUNCTION =
  /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\d{12}):function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]{1,128})?$/;
const KMS_KEY = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(key\/[A-Za-z0-9-]+|alias\/[A-Za-z0-9/_-]+)$/;
const HEADER_NAME = /^[A-Za-z0-9-]{1,50}$/;

/** Topics of receipt actions must be SNS topic ARNs in the region of the rule (SES's requirement). */
function checkTopic(topic: string | undefined, region: string): void {
  if (topic === undefined) return;
  const m = TOPIC.exec(topic);
  if (!m || m[1] !== region) throw receiptErrors.topic(topic);
}

export function checkFunctionArn(arn: string, region: string): void {
  const m = FUNCTION.exec(arn);
  if (!m || m[1] !== region) throw receiptErrors.lambda(arn);
}

/** The members of one action element, syntax only; returns the element with defaults filled. */
function checkAction(a: ReceiptAction, region: string): ReceiptAction {
  const out: ReceiptAction = {};
  if (a.S3Action) {
    const s = a.S3Action;
    checkTopic(s.TopicArn, region);
    if (s.KmsKeyArn !== undefined && !KMS_KEY.test(s.KmsKeyArn)) throw receiptErrors.kmsKey(s.KmsKeyArn);
    out.S3Action = pick(s, ['TopicArn', 'BucketName', 'ObjectKeyPrefix', 'KmsKeyArn', 'IamRoleArn']);
  }
  if (a.BounceAction) {
    checkTopic(a.BounceAction.TopicArn, region);
    out.BounceAction = pick(a.BounceAction, ['TopicArn', 'SmtpReplyCode', 'StatusCode', 'Message', 'Sender']);
  }
  if (a.WorkmailAction) {
    checkTopic(a.WorkmailAction.TopicArn, region);
    out.WorkmailAction = pick(a.WorkmailAction, ['TopicArn', 'OrganizationArn']);
  }
  if (a.LambdaAction) {
    const l = a.LambdaAction;
    checkTopic(l.TopicArn, region);
    out.LambdaAction = {
      ...pick(l, ['TopicArn', 'FunctionArn']),
      InvocationType: l.InvocationType ?? 'Event',
    };
  }
  if (a.StopAction) {
    checkTopic(a.StopAction.TopicArn, region);
    out.StopAction = pick(a.StopAction, ['Scope', 'TopicArn']);
  }
  if (a.AddHeaderAction) {
    const h = a.AddHeaderAction;
    if (!HEADER_NAME.test(h.HeaderName))
      throw receiptErrors.invalid(
        `Invalid header name: ${h.HeaderName}. Header names have 1 to 50 letters, digits and dashes.`,
      );
    if (h.HeaderValue.length > 2048 || /[\r\n]/.test(h.HeaderValue))
      throw receiptErrors.invalid(
        'Invalid header value: at most 2048 characters, without carriage returns or newlines.',
      );
    out.AddHeaderAction = pick(h, ['HeaderName', 'HeaderValue']);
  }
  if (a.SNSAction) {
    checkTopic(a.SNSAction.TopicArn, region);
    out.SNSAction = { TopicArn: a.SNSAction.TopicArn, Encoding: a.SNSAction.Encoding ?? 'UTF-8' };
  }
  if (a.ConnectAction) out.ConnectAction = pick(a.ConnectAction, ['InstanceARN', 'IAMRoleARN']);
  return out;
}

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) out[k] = o[k];
  return out;
}

/** Validates a rule of a Create/UpdateReceiptRule request and returns it as it will be stored. */
export function canonicalRule(input: ReceiptRuleInput, region: string): ReceiptRule {
  const name = checkName(input.Name, 'rule.name', 'ruleName');
  const recipients = input.Recipients ?? [];
  if (recipients.length > RECEIPT_LIMITS.recipientsPerRule)
    throw receiptErrors.limit(
      `Too many recipients: a rule has at most ${RECEIPT_LIMITS.recipientsPerRule} recipients.`,
    );
  for (const r of recipients) if (!isRecipientSpec(r)) throw receiptErrors.invalid(`Invalid recipient: ${r}`);
  const actions = input.Actions ?? [];
  if (actions.length > RECEIPT_LIMITS.actionsPerRule)
    throw receiptErrors.limit(
      `Too many actions: a rule has at most ${RECEIPT_LIMITS.actionsPerRule} actions.`,
    );
  return {
    Name: name,
    Enabled: input.Enabled ?? false,
    TlsPolicy: input.TlsPolicy ?? 'Optional',
    Recipients: [...recipients],
    Actions: actions.map((a) => checkAction(a, region)),
    ScanEnabled: input.ScanEnabled ?? false,
  };
}

/** Every member of every action element, in run order (the model's member order within an element). */
export function actionMembers(
  rule: ReceiptRule,
): { member: (typeof ACTION_MEMBERS)[number]; index: number }[] {
  const out: { member: (typeof ACTION_MEMBERS)[number]; index: number }[] = [];
  rule.Actions.forEach((a, index) => {
    for (const member of ACTION_MEMBERS) if (a[member]) out.push({ member, index });
  });
  return out;
}
