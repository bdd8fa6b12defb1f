// One receipt action, run with SES's semantics. An outcome is `done` (with what the step writes in
// its transaction, and whether the rule or the rule set stops), `failed` (SES's PublishFailure: the
// action cannot run; processing goes on with the next action) or `retry` (a temporary failure:
// the step is tried again later, until it expires as PublishExpired).
import type { S3Access } from '../s3/index.js';
import { S3Failure } from '../s3/index.js';
import { bucketRefused } from '../s3/bucket-access.js';
import { addressSyntaxError } from '../ses/send/address.js';
import { findSendingIdentity } from '../ses/state/identities.js';
import type { ActionMember, ReceiptAction } from '../ses/receiving/index.js';
import type { Store } from '../store/database.js';
import { queueDsn, type BounceSpec } from './bounce.js';
import { invokeFunction } from './lambda.js';
import { lambdaEvent, receiptObject, receivedNotification, type ReceivedMail } from './notification.js';
import { insertPublications, lambdaPublication, snsPublications, type PublicationScope } from './publish.js';
import type { PlannedRule } from './receive.js';
import type { Verdicts } from './verdicts.js';

export type ActionOutcome =
  | {
      kind: 'done';
      detail?: string;
      stop?: 'rule' | 'rule-set';
      header?: { name: string; value: string };
      write?: (tx: Store) => Promise<void>;
      /** After the step commits (e.g. wake the delivery workers for a DSN). */
      after?: () => void;
    }
  | { kind: 'failed'; detail: string }
  | { kind: 'retry'; detail: string };

export interface ActionEnv {
  s3?: S3Access;
  /** SNS topic -> subscriber URLs (SESAME_SNS_SUBSCRIPTIONS). */
  subscribers: ReadonlyMap<string, readonly string[]>;
  /** Lambda function ARN -> URL (SESAME_LAMBDA_FUNCTIONS). */
  functions: ReadonlyMap<string, string>;
  signingKey: Buffer;
  lambdaTimeoutMs: number;
  wakeDelivery: () => void;
  /** Whether an S3 action of this account may write this bucket (src/s3/bucket-access.ts). */
  mayUseBucket: (accountId: string, bucket: string) => boolean;
}

export interface ActionInput {
  env: ActionEnv;
  /** For reads an action needs (the Bounce action's Sender identity). */
  store: Store;
  accountId: string;
  region: string;
  messageId: string;
  mailFrom: string;
  rule: PlannedRule;
  step: string;
  raw: Buffer;
  mail: ReceivedMail;
  receivedAt: Date;
  verdicts: Verdicts;
  now: Date;
}

/** The largest message the SNS action publishes; larger ones bounce (SES's limit). */
export const SNS_CONTENT_LIMIT = 150 * 1024;

const receipt = (i: ActionInput, action: Record<string, unknown>) =>
  receiptObject({
    receivedAt: i.receivedAt,
    at: i.now,
    recipients: i.rule.recipients,
    verdicts: i.verdicts,
    scanEnabled: i.rule.scanEnabled,
    action,
  });

const scope = (i: ActionInput): PublicationScope => ({
  messageId: i.messageId,
  accountId: i.accountId,
  step: i.step,
  now: i.now,
});

/** The notification an action with a TopicArn publishes (no content: only SNS actions carry it). */
function notifyTopic(i: ActionInput, topicArn: string | undefined, action: Record<string, unknown>) {
  if (!topicArn) return [];
  return snsPublications(scope(i), i.env.subscribers, topicArn, () =>
    receivedNotification(i.mail, receipt(i, action)),
  );
}

const writing =
  (rows: ReturnType<typeof notifyTopic>) =>
  (tx: Store): Promise<void> =>
    insertPublications(tx, rows);

function bounceSpec(
  i: ActionInput,
  b: { smtpReplyCode: string; statusCode?: string; message: string; sender: string },
): BounceSpec {
  return {
    inboundId: i.messageId,
    step: i.step,
    accountId: i.accountId,
    region: i.region,
    to: i.mailFrom,
    recipients: i.rule.recipients,
    original: i.raw,
    receivedAt: i.receivedAt,
    now: i.now,
    ...b,
  };
}

async function s3Action(i: ActionInput, a: NonNullable<ReceiptAction['S3Action']>): Promise<ActionOutcome> {
  if (!i.env.s3)
    return { kind: 'failed', detail: 'SESAME_S3_ENDPOINT is not set: there is no S3 store to write to.' };
  if (a.KmsKeyArn) return { kind: 'failed', detail: `Sesame cannot encrypt with AWS KMS (${a.KmsKeyArn}).` };
  // Checked again at run time: the grant may have changed since the rule was made.
  if (!i.env.mayUseBucket(i.accountId, a.BucketName))
    return { kind: 'failed', detail: bucketRefused(a.BucketName) };
  const key = `${a.ObjectKeyPrefix ?? ''}${i.messageId}`;
  try {
    await i.env.s3.putObject({ bucket: a.BucketName, key, body: i.raw });
  } catch (e) {
    const detail = `s3://${a.BucketName}/${key}: ${(e as Error).message}`;
    return e instanceof S3Failure && e.permanent ? { kind: 'failed', detail } : { kind: 'retry', detail };
  }
  const action = {
    type: 'S3',
    ...(a.TopicArn ? { topicArn: a.TopicArn } : {}),
    bucketName: a.BucketName,
    objectKeyPrefix: a.ObjectKeyPrefix ?? '',
    objectKey: key,
  };
  return {
    kind: 'done',
    detail: `s3://${a.BucketName}/${key}`,
    write: writing(notifyTopic(i, a.TopicArn, action)),
  };
}

function snsAction(i: ActionInput, a: NonNullable<ReceiptAction['SNSAction']>): ActionOutcome {
  if (i.raw.length > SNS_CONTENT_LIMIT) {
    // "Larger emails bounce": the sender learns it, and nothing further runs on the message.
    const spec = bounceSpec(i, {
      smtpReplyCode: '552',
      statusCode: '5.3.4',
      message: 'Message too large for its Amazon SNS notification (150 KB at most).',
      sender: `MAILER-DAEMON@${i.region}.amazonses.com`,
    });
    return {
      kind: 'done',
      detail: `bounced: ${i.raw.length} bytes is over the SNS action's 150 KB`,
      stop: 'rule-set',
      ...(i.mailFrom
        ? { write: async (tx: Store) => void (await queueDsn(tx, spec)), after: i.env.wakeDelivery }
        : {}),
    };
  }
  const encoding = a.Encoding === 'Base64' ? 'BASE64' : 'UTF8';
  const content = encoding === 'BASE64' ? i.raw.toString('base64') : i.raw.toString('utf8');
  const action = { type: 'SNS', topicArn: a.TopicArn, encoding };
  const rows = snsPublications(scope(i), i.env.subscribers, a.TopicArn, () =>
    receivedNotification(i.mail, receipt(i, action), content),
  );
  return { kind: 'done', detail: `${a.TopicArn} (${rows.length} subscriber(s))`, write: writing(rows) };
}

async function lambdaAction(
  i: ActionInput,
  a: NonNullable<ReceiptAction['LambdaAction']>,
): Promise<ActionOutcome> {
  const url = i.env.functions.get(a.FunctionArn);
  if (!url) return { kind: 'failed', detail: `${a.FunctionArn} is not mapped in SESAME_LAMBDA_FUNCTIONS.` };
  const invocationType = a.InvocationType ?? 'Event';
  const action = {
    type: 'Lambda',
    ...(a.TopicArn ? { topicArn: a.TopicArn } : {}),
    functionArn: a.FunctionArn,
    invocationType,
  };
  const event = lambdaEvent(i.mail, receipt(i, action));
  const notification = notifyTopic(i, a.TopicArn, action);
  if (invocationType === 'Event') {
    const rows = [lambdaPublication(scope(i), a.FunctionArn, url, event), ...notification];
    return { kind: 'done', detail: `${a.FunctionArn} (Event)`, write: writing(rows) };
  }
  const r = await invokeFunction(url, event, i.env.signingKey, i.env.lambdaTimeoutMs);
  if (r.kind !== 'ok') return r;
  return {
    kind: 'done',
    detail: `${a.FunctionArn} (RequestResponse): ${r.disposition}`,
    ...(r.disposition === 'STOP_RULE' ? { stop: 'rule' as const } : {}),
    ...(r.disposition === 'STOP_RULE_SET' ? { stop: 'rule-set' as const } : {}),
    write: writing(notification),
  };
}

async function bounceAction(
  i: ActionInput,
  a: NonNullable<ReceiptAction['BounceAction']>,
): Promise<ActionOutcome> {
  const action = {
    type: 'Bounce',
    ...(a.TopicArn ? { topicArn: a.TopicArn } : {}),
    smtpReplyCode: a.SmtpReplyCode,
    ...(a.StatusCode ? { statusCode: a.StatusCode } : {}),
    message: a.Message,
    sender: a.Sender,
  };
  const rows = notifyTopic(i, a.TopicArn, action);
  if (!i.mailFrom) return { kind: 'done', detail: 'null sender: no bounce is sent', write: writing(rows) };
  if (addressSyntaxError(a.Sender) !== undefined)
    return { kind: 'failed', detail: `The bounce Sender is not an email address: ${a.Sender}` };
  // As SendBounce's BounceSender: the DSN goes out From an identity of this account, never anyone's.
  if (!(await findSendingIdentity(i.store, i.accountId, i.region, a.Sender))?.verified)
    return {
      kind: 'failed',
      detail: `The bounce Sender ${a.Sender} is not an identity this account has verified.`,
    };
  const spec = bounceSpec(i, {
    smtpReplyCode: a.SmtpReplyCode,
    message: a.Message,
    sender: a.Sender,
    ...(a.StatusCode ? { statusCode: a.StatusCode } : {}),
  });
  return {
    kind: 'done',
    detail: `bounce to ${i.mailFrom}`,
    write: async (tx) => {
      await queueDsn(tx, spec);
      await insertPublications(tx, rows);
    },
    after: i.env.wakeDelivery,
  };
}

export async function runAction(
  i: ActionInput,
  member: ActionMember,
  element: ReceiptAction,
): Promise<ActionOutcome> {
  switch (member) {
    case 'S3Action':
      return s3Action(i, element.S3Action!);
    case 'SNSAction':
      return snsAction(i, element.SNSAction!);
    case 'LambdaAction':
      return lambdaAction(i, element.LambdaAction!);
    case 'BounceAction':
      return bounceAction(i, element.BounceAction!);
    case 'AddHeaderAction': {
      const h = element.AddHeaderAction!;
      return {
        kind: 'done',
        detail: `${h.HeaderName}: ${h.HeaderValue}`,
        header: { name: h.HeaderName, value: h.HeaderValue },
      };
    }
    case 'StopAction': {
      const s = element.StopAction!;
      const action = { type: 'Stop', ...(s.TopicArn ? { topicArn: s.TopicArn } : {}) };
      return {
        kind: 'done',
        detail: 'rule set stopped',
        stop: 'rule-set',
        write: writing(notifyTopic(i, s.TopicArn, action)),
      };
    }
    case 'WorkmailAction':
      return { kind: 'failed', detail: 'Sesame cannot run Amazon WorkMail actions (stored, not run).' };
    case 'ConnectAction':
      return { kind: 'failed', detail: 'Sesame cannot run Amazon Connect actions (stored, not run).' };
  }
}
