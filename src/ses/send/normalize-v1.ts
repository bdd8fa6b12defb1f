// SES v1 send inputs (member names exactly as botocore's `ses` 2010-12-01 model) -> SendRequest.
import { AwsError } from '../../errors/aws-error.js';
import { parseMailbox } from './address.js';
import { composeMessage } from './compose.js';
import { checkRecipientCount } from './validate.js';
import { mergeTags, normalizeRawMessage } from './normalize-raw.js';
import {
  SEND_ACTIONS,
  type ComposeSpec,
  type Mailbox,
  type MessageTag,
  type SendEntry,
  type SendRequest,
} from './send-request.js';

export interface V1Destination {
  ToAddresses?: string[];
  CcAddresses?: string[];
  BccAddresses?: string[];
}
interface V1Content {
  Data: string;
  Charset?: string;
}
interface V1Common {
  Source: string;
  SourceArn?: string;
  ReplyToAddresses?: string[];
  ReturnPath?: string;
  ReturnPathArn?: string;
  ConfigurationSetName?: string;
}
export interface V1SendEmailInput extends V1Common {
  Destination: V1Destination;
  Message: { Subject: V1Content; Body: { Text?: V1Content; Html?: V1Content } };
  Tags?: MessageTag[];
}
export interface V1SendTemplatedEmailInput extends V1Common {
  Destination: V1Destination;
  Tags?: MessageTag[];
  Template: string;
  TemplateArn?: string;
  TemplateData: string;
}
export interface V1SendBulkTemplatedEmailInput extends V1Common {
  DefaultTags?: MessageTag[];
  Template: string;
  TemplateArn?: string;
  DefaultTemplateData: string;
  Destinations: {
    Destination: V1Destination;
    ReplacementTags?: MessageTag[];
    ReplacementTemplateData?: string;
  }[];
}
export interface V1SendRawEmailInput {
  Source?: string;
  Destinations?: string[];
  RawMessage: { Data: Buffer };
  FromArn?: string;
  SourceArn?: string;
  ReturnPathArn?: string;
  Tags?: MessageTag[];
  ConfigurationSetName?: string;
}
export interface V1SendBounceInput {
  OriginalMessageId: string;
  BounceSender: string;
  Explanation?: string;
  MessageDsn?: {
    ReportingMta: string;
    ArrivalDate?: Date;
    ExtensionFields?: { Name: string; Value: string }[];
  };
  BouncedRecipientInfoList: {
    Recipient: string;
    RecipientArn?: string;
    BounceType?: string;
    RecipientDsnFields?: unknown;
  }[];
  BounceSenderArn?: string;
}

const addressOf = (s: string): string => parseMailbox(s)?.address ?? s;

export function destinationRecipients(d: V1Destination | undefined): SendEntry['headerRecipients'] {
  return {
    to: (d?.ToAddresses ?? []).map(addressOf),
    cc: (d?.CcAddresses ?? []).map(addressOf),
    bcc: (d?.BccAddresses ?? []).map(addressOf),
  };
}

export const envelopeOf = (r: SendEntry['headerRecipients']): string[] => [
  ...new Set([...r.to, ...r.cc, ...r.bcc]),
];

/** Source, Return-Path and the authorization ARNs shared by SendEmail and the templated sends. */
function commonFields(
  input: V1Common,
): Pick<
  SendRequest,
  'source' | 'from' | 'returnPath' | 'feedbackAddress' | 'replyTo' | 'arns' | 'configurationSetName'
> {
  const source: Mailbox | undefined = parseMailbox(input.Source ?? '');
  const returnPath = input.ReturnPath ? parseMailbox(input.ReturnPath) : undefined;
  const out: ReturnType<typeof commonFields> = { replyTo: input.ReplyToAddresses ?? [], arns: {} };
  if (source) {
    out.source = source;
    out.from = source; // SES writes the From header from Source.
  }
  if (returnPath) out.returnPath = returnPath;
  // Feedback goes to ReturnPath if set, else to Source (docs/spec/ses.md §1.3).
  const feedback = returnPath ?? source;
  if (feedback) out.feedbackAddress = feedback.address;
  if (input.SourceArn) out.arns.source = input.SourceArn;
  if (input.ReturnPathArn) out.arns.returnPath = input.ReturnPathArn;
  if (input.ConfigurationSetName) out.configurationSetName = input.ConfigurationSetName;
  return out;
}

function composeSpec(input: V1Common, r: SendEntry['headerRecipients']): ComposeSpec {
  return {
    from: input.Source,
    to: r.to,
    cc: r.cc,
    replyTo: input.ReplyToAddresses ?? [],
    headers: [],
    attachments: [],
  };
}

export async function normalizeV1SendEmail(input: V1SendEmailInput): Promise<SendRequest> {
  const headerRecipients = destinationRecipients(input.Destination);
  const envelopeRecipients = envelopeOf(headerRecipients);
  checkRecipientCount(envelopeRecipients);
  const message = await composeMessage(composeSpec(input, headerRecipients), {
    subject: input.Message.Subject.Data,
    text: input.Message.Body.Text?.Data,
    html: input.Message.Body.Html?.Data,
  });
  return {
    apiVersion: '1',
    operation: 'SendEmail',
    actions: [...SEND_ACTIONS.v1SendEmail],
    ...commonFields(input),
    tags: input.Tags ?? [],
    entries: [{ headerRecipients, envelopeRecipients, tags: [], message }],
    size: message.length,
    problems: [],
  };
}

function templateRef(name: string, arn: string | undefined): SendRequest['template'] {
  return arn ? { name, arn } : { name };
}

export function normalizeV1SendTemplatedEmail(input: V1SendTemplatedEmailInput): SendRequest {
  const headerRecipients = destinationRecipients(input.Destination);
  return {
    apiVersion: '1',
    operation: 'SendTemplatedEmail',
    actions: [...SEND_ACTIONS.v1SendTemplatedEmail],
    ...commonFields(input),
    template: templateRef(input.Template, input.TemplateArn),
    tags: input.Tags ?? [],
    entries: [
      {
        headerRecipients,
        envelopeRecipients: envelopeOf(headerRecipients),
        templateData: input.TemplateData,
        tags: [],
        compose: composeSpec(input, headerRecipients),
      },
    ],
    size: 0,
    problems: [],
  };
}

export function normalizeV1SendBulkTemplatedEmail(input: V1SendBulkTemplatedEmailInput): SendRequest {
  const entries: SendEntry[] = input.Destinations.map((d) => {
    const headerRecipients = destinationRecipients(d.Destination);
    return {
      headerRecipients,
      envelopeRecipients: envelopeOf(headerRecipients),
      // Replacement data replaces the default as a whole (it is not merged key by key).
      templateData: d.ReplacementTemplateData ?? input.DefaultTemplateData,
      tags: mergeTags(input.DefaultTags, d.ReplacementTags),
      compose: composeSpec(input, headerRecipients),
    };
  });
  return {
    apiVersion: '1',
    operation: 'SendBulkTemplatedEmail',
    actions: [...SEND_ACTIONS.v1SendBulkTemplatedEmail],
    ...commonFields(input),
    template: templateRef(input.Template, input.TemplateArn),
    tags: [],
    entries,
    size: 0,
    problems: input.Destinations.length > 50 ? ['Destination count exceeds 50.'] : [],
  };
}

export function normalizeV1SendRawEmail(input: V1SendRawEmailInput): Promise<SendRequest> {
  const arns: SendRequest['arns'] = {};
  if (input.SourceArn) arns.source = input.SourceArn;
  if (input.FromArn) arns.from = input.FromArn;
  if (input.ReturnPathArn) arns.returnPath = input.ReturnPathArn;
  const data = input.RawMessage?.Data;
  if (!Buffer.isBuffer(data))
    throw new AwsError('InvalidParameterValue', 'RawMessage.Data must be base64-encoded MIME.');
  return normalizeRawMessage(data, undefined, {
    apiVersion: '1',
    operation: 'SendRawEmail',
    actions: SEND_ACTIONS.v1SendRawEmail,
    source: input.Source,
    destinations: input.Destinations,
    arns,
    tags: input.Tags,
    configurationSetName: input.ConfigurationSetName,
  });
}

/** SendBounce: only ses:FromAddress (the BounceSender) is a key; the DSN is composed here. */
export async function normalizeV1SendBounce(input: V1SendBounceInput): Promise<SendRequest> {
  const from = parseMailbox(input.BounceSender);
  const recipients = input.BouncedRecipientInfoList.map((r) =>
    r.RecipientArn
      ? { address: addressOf(r.Recipient), arn: r.RecipientArn }
      : { address: addressOf(r.Recipient) },
  );
  const lines = [
    input.Explanation ?? 'The following recipients could not be reached.',
    '',
    ...input.BouncedRecipientInfoList.map((r) => `${r.Recipient}: ${r.BounceType ?? 'Undefined'}`),
  ];
  const message = await composeMessage(
    {
      from: input.BounceSender,
      to: [],
      cc: [],
      replyTo: [],
      headers: [{ name: 'In-Reply-To', value: `<${input.OriginalMessageId}>` }],
      attachments: [],
    },
    { subject: 'Delivery Status Notification (Failure)', text: lines.join('\n') },
  );
  const req: SendRequest = {
    apiVersion: '1',
    operation: 'SendBounce',
    actions: [...SEND_ACTIONS.v1SendBounce],
    replyTo: [],
    arns: input.BounceSenderArn ? { from: input.BounceSenderArn } : {},
    tags: [],
    // The bounce goes back to the original message's sender, which the delivery side resolves.
    entries: [{ headerRecipients: { to: [], cc: [], bcc: [] }, envelopeRecipients: [], tags: [], message }],
    size: message.length,
    bounce: { originalMessageId: input.OriginalMessageId, recipients },
    problems: [],
  };
  if (from) req.from = from;
  return req;
}
