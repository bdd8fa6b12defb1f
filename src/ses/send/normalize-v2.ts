// SES v2 send inputs (member names exactly as botocore's `sesv2` 2019-09-27 model) -> SendRequest.
// Simple -> ses:SendEmail, Raw -> ses:SendRawEmail, Template -> ses:SendTemplatedEmail, SendBulkEmail
// -> ses:SendBulkEmail + ses:SendBulkTemplatedEmail (docs/spec/ses.md §1.6).
import { AwsError } from '../../errors/aws-error.js';
import { parseMailbox } from './address.js';
import { composeMessage } from './compose.js';
import { checkRecipientCount } from './validate.js';
import { mergeTags, normalizeRawMessage } from './normalize-raw.js';
import { destinationRecipients, envelopeOf, type V1Destination } from './normalize-v1.js';
import {
  SEND_ACTIONS,
  type ComposeAttachment,
  type ComposeSpec,
  type ListManagement,
  type MessageTag,
  type SendEntry,
  type SendRequest,
  type TemplateRef,
} from './send-request.js';

interface V2Content {
  Data: string;
  Charset?: string;
}
interface V2Header {
  Name: string;
  Value: string;
}
interface V2Attachment {
  RawContent: Buffer;
  FileName: string;
  ContentDisposition?: 'ATTACHMENT' | 'INLINE';
  ContentDescription?: string;
  ContentId?: string;
  ContentTransferEncoding?: 'BASE64' | 'QUOTED_PRINTABLE' | 'SEVEN_BIT';
  ContentType?: string;
}
export interface V2Template {
  TemplateName?: string;
  TemplateArn?: string;
  TemplateContent?: { Subject?: string; Text?: string; Html?: string };
  TemplateData?: string;
  Headers?: V2Header[];
  Attachments?: V2Attachment[];
}
export interface V2SendEmailInput {
  FromEmailAddress?: string;
  FromEmailAddressIdentityArn?: string;
  Destination?: V1Destination;
  ReplyToAddresses?: string[];
  FeedbackForwardingEmailAddress?: string;
  FeedbackForwardingEmailAddressIdentityArn?: string;
  Content: {
    Simple?: {
      Subject: V2Content;
      Body: { Text?: V2Content; Html?: V2Content };
      Headers?: V2Header[];
      Attachments?: V2Attachment[];
    };
    Raw?: { Data: Buffer };
    Template?: V2Template;
  };
  EmailTags?: MessageTag[];
  ConfigurationSetName?: string;
  ListManagementOptions?: ListManagement;
  EndpointId?: string;
  TenantName?: string;
}
export interface V2SendBulkEmailInput {
  FromEmailAddress?: string;
  FromEmailAddressIdentityArn?: string;
  ReplyToAddresses?: string[];
  FeedbackForwardingEmailAddress?: string;
  FeedbackForwardingEmailAddressIdentityArn?: string;
  DefaultEmailTags?: MessageTag[];
  DefaultContent: { Template?: V2Template };
  BulkEmailEntries: {
    Destination: V1Destination;
    ReplacementTags?: MessageTag[];
    ReplacementEmailContent?: { ReplacementTemplate?: { ReplacementTemplateData?: string } };
    ReplacementHeaders?: V2Header[];
  }[];
  ConfigurationSetName?: string;
  EndpointId?: string;
  TenantName?: string;
}

const ENCODINGS = { BASE64: 'base64', QUOTED_PRINTABLE: 'quoted-printable', SEVEN_BIT: '7bit' } as const;

function attachments(list: V2Attachment[] | undefined): ComposeAttachment[] {
  return (list ?? []).map((a) => {
    const out: ComposeAttachment = { filename: a.FileName, content: a.RawContent };
    if (a.ContentType) out.contentType = a.ContentType;
    if (a.ContentDisposition) out.disposition = a.ContentDisposition === 'INLINE' ? 'inline' : 'attachment';
    if (a.ContentId) out.cid = a.ContentId;
    if (a.ContentDescription) out.description = a.ContentDescription;
    if (a.ContentTransferEncoding) out.encoding = ENCODINGS[a.ContentTransferEncoding];
    return out;
  });
}

type Common = Pick<
  SendRequest,
  'from' | 'returnPath' | 'feedbackAddress' | 'replyTo' | 'arns' | 'configurationSetName' | 'listManagement'
>;

/** From, feedback address and ARNs; `fallbackFeedbackToFrom` is false for SendBulkEmail (§1.3). */
function commonFields(
  input: V2SendEmailInput | V2SendBulkEmailInput,
  fallbackFeedbackToFrom: boolean,
): Common {
  const from = input.FromEmailAddress ? parseMailbox(input.FromEmailAddress) : undefined;
  const feedback = input.FeedbackForwardingEmailAddress
    ? parseMailbox(input.FeedbackForwardingEmailAddress)
    : undefined;
  const out: Common = { replyTo: input.ReplyToAddresses ?? [], arns: {} };
  if (from) out.from = from;
  if (feedback) out.returnPath = feedback;
  const feedbackAddress = feedback?.address ?? (fallbackFeedbackToFrom ? from?.address : undefined);
  if (feedbackAddress !== undefined) out.feedbackAddress = feedbackAddress;
  if (input.FromEmailAddressIdentityArn) out.arns.from = input.FromEmailAddressIdentityArn;
  if (input.FeedbackForwardingEmailAddressIdentityArn)
    out.arns.returnPath = input.FeedbackForwardingEmailAddressIdentityArn;
  if (input.ConfigurationSetName) out.configurationSetName = input.ConfigurationSetName;
  // SendEmail only: SendBulkEmail has no ListManagementOptions (botocore's model).
  if ('ListManagementOptions' in input && input.ListManagementOptions)
    out.listManagement = listManagementOf(input.ListManagementOptions);
  return out;
}

const listManagementOf = (o: ListManagement): ListManagement => ({
  ContactListName: o.ContactListName,
  ...(o.TopicName !== undefined ? { TopicName: o.TopicName } : {}),
});

function composeSpec(
  input: { FromEmailAddress?: string; ReplyToAddresses?: string[] },
  r: SendEntry['headerRecipients'],
  headers: V2Header[] | undefined,
  files: V2Attachment[] | undefined,
): ComposeSpec {
  return {
    from: input.FromEmailAddress ?? '',
    to: r.to,
    cc: r.cc,
    replyTo: input.ReplyToAddresses ?? [],
    headers: (headers ?? []).map((h) => ({ name: h.Name, value: h.Value })),
    attachments: attachments(files),
  };
}

function templateRef(t: V2Template): TemplateRef {
  const ref: TemplateRef = {};
  if (t.TemplateName) ref.name = t.TemplateName;
  if (t.TemplateArn) ref.arn = t.TemplateArn;
  if (t.TemplateContent)
    ref.inline = {
      subject: t.TemplateContent.Subject,
      text: t.TemplateContent.Text,
      html: t.TemplateContent.Html,
    };
  return ref;
}

const withoutUndefined = (c: { subject: string; text: string | undefined; html: string | undefined }) => ({
  subject: c.subject,
  ...(c.text !== undefined ? { text: c.text } : {}),
  ...(c.html !== undefined ? { html: c.html } : {}),
});

function badContent(message: string): AwsError {
  // v1 code; the v2 handler maps every error through toV2Error (-> BadRequestException).
  return new AwsError('InvalidParameterValue', message);
}

/** TenantName and EndpointId, as given. */
function routing(input: {
  TenantName?: string;
  EndpointId?: string;
}): Pick<SendRequest, 'tenantName' | 'endpointId'> {
  return {
    ...(input.TenantName !== undefined ? { tenantName: input.TenantName } : {}),
    ...(input.EndpointId !== undefined ? { endpointId: input.EndpointId } : {}),
  };
}

export async function normalizeV2SendEmail(input: V2SendEmailInput): Promise<SendRequest> {
  return { ...(await normalizeContent(input)), ...routing(input) };
}

async function normalizeContent(input: V2SendEmailInput): Promise<SendRequest> {
  const content = input.Content ?? {};
  const kinds = (['Simple', 'Raw', 'Template'] as const).filter((k) => content[k] !== undefined);
  if (kinds.length !== 1)
    throw badContent('Exactly one of Simple, Raw or Template content must be specified.');
  const destination = input.Destination ? destinationRecipients(input.Destination) : undefined;

  if (content.Raw) {
    if (!Buffer.isBuffer(content.Raw.Data)) throw badContent('Raw message data must be base64-encoded MIME.');
    const raw = await normalizeRawMessage(content.Raw.Data, undefined, {
      apiVersion: '2',
      operation: 'SendEmail',
      actions: SEND_ACTIONS.v2Raw,
      destinations: destination ? envelopeOf(destination) : undefined,
      fromIdentityArn: input.FromEmailAddressIdentityArn,
      fromAddress: input.FromEmailAddress,
      feedbackAddress: input.FeedbackForwardingEmailAddress,
      feedbackIdentityArn: input.FeedbackForwardingEmailAddressIdentityArn,
      tags: input.EmailTags,
      configurationSetName: input.ConfigurationSetName,
    });
    return input.ListManagementOptions
      ? { ...raw, listManagement: listManagementOf(input.ListManagementOptions) }
      : raw;
  }

  const headerRecipients = destination ?? { to: [], cc: [], bcc: [] };
  const base = {
    apiVersion: '2' as const,
    operation: 'SendEmail' as const,
    ...commonFields(input, true),
    tags: input.EmailTags ?? [],
    problems: [],
  };
  if (content.Simple) {
    const s = content.Simple;
    const envelopeRecipients = envelopeOf(headerRecipients);
    checkRecipientCount(envelopeRecipients);
    const spec = composeSpec(input, headerRecipients, s.Headers, s.Attachments);
    const simple = { subject: s.Subject?.Data ?? '', text: s.Body?.Text?.Data, html: s.Body?.Html?.Data };
    if (input.ListManagementOptions) {
      // Composed by the pipeline, once the unsubscribe link can replace its placeholder.
      const entry = { headerRecipients, envelopeRecipients, tags: [] };
      return {
        ...base,
        actions: [...SEND_ACTIONS.v2Simple],
        entries: [{ ...entry, compose: spec, simple: withoutUndefined(simple) }],
        size: 0,
      };
    }
    const message = await composeMessage(spec, simple);
    return {
      ...base,
      actions: [...SEND_ACTIONS.v2Simple],
      entries: [{ headerRecipients, envelopeRecipients, tags: [], message }],
      size: message.length,
    };
  }
  const t = content.Template as V2Template;
  if (!t.TemplateName && !t.TemplateArn && !t.TemplateContent)
    throw badContent('Template name, ARN or content must be specified.');
  return {
    ...base,
    actions: [...SEND_ACTIONS.v2Template],
    template: templateRef(t),
    entries: [
      {
        headerRecipients,
        envelopeRecipients: envelopeOf(headerRecipients),
        templateData: t.TemplateData ?? '{}',
        tags: [],
        compose: composeSpec(input, headerRecipients, t.Headers, t.Attachments),
      },
    ],
    size: 0,
  };
}

export function normalizeV2SendBulkEmail(input: V2SendBulkEmailInput): SendRequest {
  return { ...normalizeBulkContent(input), ...routing(input) };
}

function normalizeBulkContent(input: V2SendBulkEmailInput): SendRequest {
  const t = input.DefaultContent?.Template;
  if (!t || (!t.TemplateName && !t.TemplateArn && !t.TemplateContent))
    throw badContent('Template name, ARN or content must be specified.');
  const entries: SendEntry[] = (input.BulkEmailEntries ?? []).map((e) => {
    const headerRecipients = destinationRecipients(e.Destination);
    return {
      headerRecipients,
      envelopeRecipients: envelopeOf(headerRecipients),
      templateData:
        e.ReplacementEmailContent?.ReplacementTemplate?.ReplacementTemplateData ?? t.TemplateData ?? '{}',
      tags: mergeTags(input.DefaultEmailTags, e.ReplacementTags),
      compose: composeSpec(
        input,
        headerRecipients,
        [...(t.Headers ?? []), ...(e.ReplacementHeaders ?? [])],
        t.Attachments,
      ),
    };
  });
  return {
    apiVersion: '2',
    operation: 'SendBulkEmail',
    actions: [...SEND_ACTIONS.v2SendBulkEmail],
    ...commonFields(input, false),
    template: templateRef(t),
    tags: [],
    entries,
    size: 0,
    problems: entries.length > 50 ? ['Destination count exceeds 50.'] : [],
  };
}
