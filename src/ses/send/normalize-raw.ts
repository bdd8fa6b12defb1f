// Raw MIME (v1 SendRawEmail, v2 SendEmail Content.Raw, SMTP DATA) -> SendRequest. Only the header
// block is parsed (mailparser, for RFC 2047 and address lists); the body is never copied twice.
// Derivations follow docs/spec/ses.md §1.3 and §4.3: parameters beat X-SES-* headers, the first header wins.
import { isAscii } from 'node:buffer';
import { MailParser } from 'mailparser';
import addressparser from 'nodemailer/lib/addressparser';
import { parseMailbox } from './address.js';
import {
  firstHeader,
  isSesControlHeader,
  rebuildMessage,
  splitHeaders,
  type HeaderField,
} from './mime-headers.js';
import { AwsError } from '../../errors/aws-error.js';
import {
  SEND_ACTIONS,
  type ApiVersion,
  type AuthorizationArns,
  type ExtraMailboxes,
  type Mailbox,
  type MessageTag,
  type SendOperationName,
  type SendRequest,
} from './send-request.js';

export interface RawSendOptions {
  apiVersion: ApiVersion;
  operation: SendOperationName;
  actions: readonly string[];
  /** v1 `Source` / SMTP `MAIL FROM`: the envelope sender; it is also the feedback address. */
  source?: string;
  /** v1 `Destinations` / v2 `Destination` / SMTP `RCPT TO`: replaces the header recipients. */
  destinations?: string[];
  /** Authorization ARNs given as parameters (beat the X-SES-* headers). */
  arns?: AuthorizationArns;
  /** v2 `FromEmailAddressIdentityArn`: overrides X-SES-SOURCE-ARN and X-SES-FROM-ARN. */
  fromIdentityArn?: string;
  /** v2 `FromEmailAddress`: when given, the From key comes from it rather than the header. */
  fromAddress?: string;
  /** v2 `FeedbackForwardingEmailAddress` (+ its identity ARN). */
  feedbackAddress?: string;
  feedbackIdentityArn?: string;
  tags?: MessageTag[];
  configurationSetName?: string;
  /** v2 `TenantName` (beats the X-SES-TENANT header). */
  tenantName?: string;
}

/** The SMTP defaults: `ses:SendRawEmail` with ApiVersion 2 (docs/spec/ses.md §1.5). */
const SMTP_OPTIONS: RawSendOptions = { apiVersion: '2', operation: 'SMTP', actions: SEND_ACTIONS.smtp };

interface AddressHeaders {
  /** Every mailbox of the header, in order (usually one). */
  from: Mailbox[];
  sender: Mailbox[];
  returnPath: Mailbox[];
  to: string[];
  cc: string[];
  bcc: string[];
}

interface ParsedAddressValue {
  value: { address?: string; name?: string; group?: ParsedAddressValue['value'] }[];
  text: string;
}

function mailboxesOf(v: unknown): Mailbox[] {
  const out: Mailbox[] = [];
  const walk = (list: ParsedAddressValue['value']) => {
    for (const a of list) {
      if (a.group) walk(a.group);
      else if (a.address)
        out.push(
          a.name
            ? { address: a.address, name: a.name, text: a.address }
            : { address: a.address, text: a.address },
        );
    }
  };
  if (v && typeof v === 'object' && Array.isArray((v as ParsedAddressValue).value))
    walk((v as ParsedAddressValue).value);
  return out;
}

const ADDRESS_HEADERS = ['from', 'sender', 'return-path', 'to', 'cc', 'bcc'];

/**
 * The common header block — ASCII only, no encoded words, no punycode, each address header at most
 * once — is what mailparser reads with addressparser alone (its decoding changes nothing there):
 * parsed here directly, at a fraction of the cost of running mailparser over the block.
 */
export function plainAddressHeaders(
  headerBlock: Buffer,
  fields: readonly HeaderField[],
): Map<string, unknown> | undefined {
  if (!isAscii(headerBlock)) return undefined;
  const text = headerBlock.toString('latin1');
  if (text.includes('=?') || /xn--/i.test(text)) return undefined;
  const out = new Map<string, unknown>();
  for (const f of fields) {
    const name = f.name.toLowerCase();
    if (!ADDRESS_HEADERS.includes(name)) continue;
    if (out.has(name)) return undefined; // repeated fields: mailparser's merging rules
    const value = addressparser(f.value) as ParsedAddressValue['value'];
    const trim = (list: ParsedAddressValue['value']) => {
      for (const a of list) {
        a.name = (a.name ?? '').toString().trim();
        if (a.group) trim(a.group);
      }
    };
    trim(value);
    out.set(name, { value, text: f.value });
  }
  return out;
}

/** Parses the address headers of a header block with mailparser (decodes RFC 2047 names). */
async function parseAddressHeaders(
  headerBlock: Buffer,
  fields: readonly HeaderField[],
): Promise<AddressHeaders> {
  const plain = plainAddressHeaders(headerBlock, fields);
  const headers = plain ?? (await mailparserHeaders(headerBlock));
  return addressHeadersFrom(headers, fields);
}

/** Exported for the equivalence test: the same headers read by mailparser. */
export async function mailparserHeaders(headerBlock: Buffer): Promise<Map<string, unknown>> {
  return new Promise<Map<string, unknown>>((resolve, reject) => {
    const parser = new MailParser({ skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
    parser.once('headers', (h: Map<string, unknown>) => {
      resolve(h);
      parser.destroy();
    });
    parser.once('error', reject);
    parser.once('end', () => resolve(new Map()));
    parser.end(headerBlock);
  });
}

function addressHeadersFrom(headers: Map<string, unknown>, fields: readonly HeaderField[]): AddressHeaders {
  const all = (name: string, raw: string | undefined): Mailbox[] => {
    const parsed = mailboxesOf(headers.get(name));
    // One mailbox: error messages quote the header as written; several: each its own address.
    if (parsed.length === 1) return [{ ...parsed[0]!, text: raw ?? parsed[0]!.address }];
    if (parsed.length > 1) return parsed;
    // A value mailparser found no address in (e.g. `From: alice`) is still a From the validator refuses.
    const m = raw !== undefined ? parseMailbox(raw) : undefined;
    return m ? [m] : [];
  };
  const list = (name: string) => mailboxesOf(headers.get(name)).map((m) => m.address);
  return {
    from: all('from', firstHeader(fields, 'From')),
    sender: all('sender', firstHeader(fields, 'Sender')),
    returnPath: all('return-path', firstHeader(fields, 'Return-Path')),
    to: list('to'),
    cc: list('cc'),
    bcc: list('bcc'),
  };
}

/** `X-SES-MESSAGE-TAGS: name1=value1, name2=value2`. */
export function parseMessageTagsHeader(value: string): MessageTag[] {
  return value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? { Name: p, Value: '' } : { Name: p.slice(0, eq).trim(), Value: p.slice(eq + 1).trim() };
    });
}

/** Later tags replace earlier tags of the same name; order of first appearance is kept. */
export function mergeTags(...lists: (MessageTag[] | undefined)[]): MessageTag[] {
  const map = new Map<string, MessageTag>();
  for (const list of lists) for (const t of list ?? []) map.set(t.Name, t);
  return [...map.values()];
}

const dedupe = (xs: string[]): string[] => [...new Set(xs)];

/**
 * Header fields SES refuses to see twice ("Duplicate header 'X'."): RFC 5322's at-most-once fields,
 * the MIME ones, Return-Path, and those SES has been seen refusing in the field (DKIM-Signature,
 * List-Unsubscribe, Precedence, Delivered-To). Trace fields (Received), Comments, Keywords and
 * extension fields may repeat; the first X-SES-* control header wins.
 */
const SINGLE_OCCURRENCE = new Set([
  'date',
  'from',
  'sender',
  'reply-to',
  'to',
  'cc',
  'bcc',
  'message-id',
  'in-reply-to',
  'references',
  'subject',
  'return-path',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'dkim-signature',
  'list-unsubscribe',
  'list-unsubscribe-post',
  'precedence',
  'delivered-to',
]);

/** The first single-occurrence field name (as first written) that appears twice, if any. */
export function duplicatedHeader(fields: readonly HeaderField[]): string | undefined {
  const seen = new Map<string, string>();
  for (const f of fields) {
    const lower = f.name.toLowerCase();
    if (!SINGLE_OCCURRENCE.has(lower)) continue;
    const first = seen.get(lower);
    if (first !== undefined) return first;
    seen.set(lower, f.name);
  }
  return undefined;
}

/**
 * Normalizes a raw MIME message. `envelope` is SMTP's MAIL FROM / RCPT TO; `options` selects the
 * API front end (defaults to SMTP). X-SES-* headers are read and stripped from the stored message.
 */
export async function normalizeRawMessage(
  raw: Buffer,
  envelope?: { from?: string; to: string[] },
  options: RawSendOptions = SMTP_OPTIONS,
): Promise<SendRequest> {
  const split = splitHeaders(raw);
  const duplicate = duplicatedHeader(split.fields);
  if (duplicate !== undefined)
    throw new AwsError('InvalidParameterValue', `Duplicate header '${duplicate}'.`);
  const h = await parseAddressHeaders(raw.subarray(0, split.bodyOffset), split.fields);
  const opts: RawSendOptions = {
    ...options,
    source: envelope?.from ?? options.source,
    destinations: envelope?.to ?? options.destinations,
  };

  const header = (n: string) => firstHeader(split.fields, n);
  const params = opts.arns ?? {};
  const arns: AuthorizationArns = {
    source: opts.fromIdentityArn ?? params.source ?? header('X-SES-SOURCE-ARN'),
    from: opts.fromIdentityArn ?? params.from ?? header('X-SES-FROM-ARN'),
    returnPath: opts.feedbackIdentityArn ?? params.returnPath ?? header('X-SES-RETURN-PATH-ARN'),
  };
  for (const k of Object.keys(arns) as (keyof AuthorizationArns)[]) if (arns[k] === undefined) delete arns[k];

  const source = opts.source !== undefined && opts.source !== '' ? parseMailbox(opts.source) : undefined;
  const [headerFrom, ...otherHeaderFrom] = h.from;
  const from = opts.fromAddress !== undefined ? parseMailbox(opts.fromAddress) : headerFrom;
  const explicitFeedback =
    opts.feedbackAddress !== undefined ? parseMailbox(opts.feedbackAddress) : undefined;
  // The Return-Path that must be verified: the feedback parameter, else the Return-Path header.
  const returnPath = explicitFeedback ?? h.returnPath[0];
  // Feedback goes to Source (envelope), else the feedback parameter, else Return-Path, else From.
  const feedbackAddress = (source ?? explicitFeedback ?? h.returnPath[0] ?? from)?.address;
  // Every mailbox a reader or a bounce may see is authorized, not only the first of each header.
  const extra: ExtraMailboxes = {
    from: (opts.fromAddress !== undefined ? h.from : otherHeaderFrom).filter(
      (m) => m.address !== from?.address,
    ),
    sender: h.sender.slice(1),
    returnPath: explicitFeedback ? [] : h.returnPath.slice(1),
    feedbackAddresses: [],
  };
  if (source === undefined && explicitFeedback === undefined)
    extra.feedbackAddresses = (h.returnPath[0] ? extra.returnPath : extra.from).map((m) => m.address);

  const headerRecipients = { to: h.to, cc: h.cc, bcc: h.bcc };
  const envelopeRecipients =
    opts.destinations !== undefined && opts.destinations.length > 0
      ? dedupe(opts.destinations.map((d) => parseMailbox(d)?.address ?? d))
      : dedupe([...h.to, ...h.cc, ...h.bcc]);

  const configurationSetName = opts.configurationSetName ?? header('X-SES-CONFIGURATION-SET');
  const headerTags = header('X-SES-MESSAGE-TAGS');
  const tags = mergeTags(headerTags !== undefined ? parseMessageTagsHeader(headerTags) : [], opts.tags);

  const hasControlHeaders = split.fields.some(isSesControlHeader);
  const message = hasControlHeaders ? rebuildMessage(raw, split, isSesControlHeader) : raw;

  const req: SendRequest = {
    apiVersion: opts.apiVersion,
    operation: opts.operation,
    actions: [...opts.actions],
    replyTo: [],
    arns,
    tags,
    entries: [{ headerRecipients, envelopeRecipients, tags: [], message }],
    size: raw.length,
    problems: [],
  };
  if (source) req.source = source;
  if (from) req.from = from;
  if (h.sender[0]) req.sender = h.sender[0];
  if (extra.from.length + extra.sender.length + extra.returnPath.length > 0) req.extra = extra;
  if (returnPath) req.returnPath = returnPath;
  if (feedbackAddress !== undefined) req.feedbackAddress = feedbackAddress;
  if (configurationSetName !== undefined && configurationSetName !== '')
    req.configurationSetName = configurationSetName;
  const tenantName = opts.tenantName ?? header('X-SES-TENANT');
  if (tenantName !== undefined && tenantName !== '') req.tenantName = tenantName;
  return req;
}
