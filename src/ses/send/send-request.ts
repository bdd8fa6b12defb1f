// The one normalized send (docs/architecture.md rule 3): every front end (v1 Send*, v2 SendEmail/SendBulkEmail,
// SMTP DATA) becomes a SendRequest before any rule runs; condition keys, identity checks, limits
// and the outbox all read this shape, never the wire input.

export type ApiVersion = '1' | '2';

/** The operation as the caller named it (`SMTP` for SMTP DATA); audit and outbox record it. */
export type SendOperationName =
  | 'SendEmail'
  | 'SendRawEmail'
  | 'SendTemplatedEmail'
  | 'SendBulkTemplatedEmail'
  | 'SendBounce'
  | 'SendBulkEmail'
  | 'SMTP';

/** An RFC 5322 mailbox: the bare `local@domain` and its (RFC 2047 decoded) display name. */
export interface Mailbox {
  address: string;
  /** Absent when the mailbox has no display name. */
  name?: string;
  /** The text as the caller wrote it (error messages quote it). */
  text: string;
}

export interface MessageTag {
  Name: string;
  Value: string;
}

/** A template the message is rendered from (templated sends). */
export interface TemplateRef {
  /** Stored template by name (caller's account) or by ARN (possibly another account). */
  name?: string;
  arn?: string;
  /** v2 inline `TemplateContent`: no stored template, no template resource to authorize. */
  inline?: { subject?: string; text?: string; html?: string };
}

/** What a templated message is composed from once its template is rendered. */
export interface ComposeSpec {
  from: string;
  to: string[];
  cc: string[];
  replyTo: string[];
  headers: { name: string; value: string }[];
  attachments: ComposeAttachment[];
}

export interface ComposeAttachment {
  filename: string;
  content: Buffer;
  contentType?: string;
  disposition?: 'attachment' | 'inline';
  cid?: string;
  description?: string;
  encoding?: 'base64' | 'quoted-printable' | '7bit';
}

export interface HeaderRecipients {
  to: string[];
  cc: string[];
  bcc: string[];
}

/**
 * One message of the request. Single sends have one entry; SendBulkTemplatedEmail and
 * SendBulkEmail have one per destination, each becoming its own MessageId.
 */
export interface SendEntry {
  /** Recipients named in the message's headers (or Destination for composed messages). */
  headerRecipients: HeaderRecipients;
  /** Who the message is delivered to (the SMTP envelope): Destinations / RCPT TO / To+Cc+Bcc. */
  envelopeRecipients: string[];
  /** Templated sends: the JSON replacement data for this entry. */
  templateData?: string;
  tags: MessageTag[];
  /** Final MIME bytes; absent for templated entries until the template is rendered. */
  message?: Buffer;
  compose?: ComposeSpec;
  /** Simple content composed by the pipeline (list management replaces its placeholder first). */
  simple?: { subject: string; text?: string; html?: string };
}

/** Identity ARNs that authorize the addresses (docs/spec/ses.md §4.3): params beat X-SES-* headers. */
export interface AuthorizationArns {
  source?: string;
  from?: string;
  returnPath?: string;
}

export interface BounceInfo {
  originalMessageId: string;
  /** Bounced recipients, with the identity ARN that authorizes each when given. */
  recipients: { address: string; arn?: string }[];
}

/** v2 ListManagementOptions: the contact list (and topic) a message is sent for. */
export interface ListManagement {
  ContactListName: string;
  TopicName?: string;
}

export interface SendRequest {
  apiVersion: ApiVersion;
  operation: SendOperationName;
  /** IAM actions this send is authorized as (docs/spec/ses.md §1.6), each checked on every resource. */
  actions: string[];
  /** Envelope sender (v1 `Source`, SMTP `MAIL FROM`); v2 and composed sends use the From mailbox. */
  source?: Mailbox;
  /** The From mailbox the reader sees (`ses:FromAddress`, `ses:FromDisplayName`). */
  from?: Mailbox;
  /** The `Sender` header of raw messages: verified like From. */
  sender?: Mailbox;
  /** An explicitly given feedback / return-path address that must be verified itself. */
  returnPath?: Mailbox;
  /** `ses:FeedbackAddress`: where bounces and complaints go (derivation table §1.3). */
  feedbackAddress?: string;
  replyTo: string[];
  configurationSetName?: string;
  template?: TemplateRef;
  arns: AuthorizationArns;
  /** Request-level tags (EmailTags / Tags / X-SES-MESSAGE-TAGS); entries add their own. */
  tags: MessageTag[];
  entries: SendEntry[];
  /** Bytes of the message as submitted (raw) or composed; the largest entry for bulk sends. */
  size: number;
  bounce?: BounceInfo;
  /** v2 ListManagementOptions: unsubscribe links and headers, and unsubscribed contacts bounced. */
  listManagement?: ListManagement;
  /** Input-shape problems found while normalizing, reported by validate() after authorization. */
  problems: string[];
  /** v2 `TenantName` (SMTP and raw: `X-SES-TENANT`): `ses:TenantName`; resources must be its own. */
  tenantName?: string;
  /** v2 `EndpointId`: `ses:MultiRegionEndpointId`; the send runs in one of the endpoint's regions. */
  endpointId?: string;
  /**
   * Raw messages: the mailboxes after the first of the From, Sender and Return-Path headers (and,
   * with v2's FromEmailAddress, the header's From mailboxes), and the further ses:FeedbackAddress
   * values they imply. Each is verified and authorized like the first: reading only the first would
   * let `From: allowed@x, other@x` send as other@x.
   */
  extra?: ExtraMailboxes;
}

export interface ExtraMailboxes {
  from: Mailbox[];
  sender: Mailbox[];
  returnPath: Mailbox[];
  feedbackAddresses: string[];
}

/** Every envelope recipient of the request, in order, without duplicates (`ses:Recipients`). */
export function allRecipients(req: SendRequest): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const e of req.entries)
    for (const r of e.envelopeRecipients)
      if (!seen.has(r)) {
        seen.add(r);
        out.push(r);
      }
  return out;
}

/** IAM actions per operation (docs/spec/ses.md §1.6). */
export const SEND_ACTIONS = {
  v1SendEmail: ['ses:SendEmail'],
  v1SendRawEmail: ['ses:SendRawEmail'],
  v1SendTemplatedEmail: ['ses:SendTemplatedEmail'],
  v1SendBulkTemplatedEmail: ['ses:SendBulkTemplatedEmail'],
  v1SendBounce: ['ses:SendBounce'],
  v2Simple: ['ses:SendEmail'],
  // The denial names ses:SendRawEmail although the operation is SendEmail [OBS].
  v2Raw: ['ses:SendRawEmail'],
  v2Template: ['ses:SendTemplatedEmail'],
  v2SendBulkEmail: ['ses:SendBulkEmail', 'ses:SendBulkTemplatedEmail'],
  smtp: ['ses:SendRawEmail'],
} as const satisfies Record<string, readonly string[]>;
