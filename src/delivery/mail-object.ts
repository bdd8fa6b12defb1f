// The `mail` object of SES's event-publishing JSON (recorded SNS payloads, aws-recorded/ses-responses):
// who sent what to whom, the original headers (without the Message-ID/Date SES stamped), the
// common headers, and the tags (SES's automatic `ses:*` tags plus the caller's message tags).
import type { OutboxRow } from '../store/schema/outbox.js';
import { firstHeader, splitHeaders, type HeaderField } from '../ses/send/mime-headers.js';

export interface MailObject {
  timestamp: string;
  source: string;
  sourceArn?: string;
  sendingAccountId: string;
  messageId: string;
  destination: string[];
  headersTruncated: boolean;
  headers: { name: string; value: string }[];
  commonHeaders: Record<string, unknown>;
  tags: Record<string, string[]>;
}

// SES truncates the header list in events beyond this many bytes [INF: the limit is not published].
const HEADERS_LIMIT = 10 * 1024;

const SES_STAMPED = /^(message-id|date)$/i;

/** Splits an address-list header value at top-level commas (not inside quotes or angle brackets). */
export function splitAddressList(value: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let angle = 0;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '<') angle++;
    else if (!quoted && ch === '>') angle = Math.max(0, angle - 1);
    if (ch === ',' && !quoted && angle === 0) {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

function commonHeaders(fields: readonly HeaderField[], messageId: string): Record<string, unknown> {
  const first = (name: string) => firstHeader(fields, name);
  const list = (name: string) => {
    const v = first(name);
    return v === undefined ? undefined : splitAddressList(v);
  };
  const c: Record<string, unknown> = {};
  const returnPath = first('return-path');
  const from = list('from');
  const replyTo = list('reply-to');
  const to = list('to');
  const cc = list('cc');
  const bcc = list('bcc');
  const subject = first('subject');
  if (returnPath !== undefined) c.returnPath = returnPath.replace(/^<|>$/g, '');
  if (from) c.from = from;
  if (replyTo) c.replyTo = replyTo;
  if (to) c.to = to;
  if (cc) c.cc = cc;
  if (bcc) c.bcc = bcc;
  c.messageId = messageId;
  if (subject !== undefined) c.subject = subject;
  return c;
}

/** The IAM name SES puts in `ses:caller-identity`: the user or role-session name, or `root`. */
export function callerIdentityName(principalArn: string): string {
  const resource = principalArn.split(':').slice(5).join(':');
  if (resource === 'root') return 'root';
  const parts = resource.split('/');
  return parts[parts.length - 1] ?? resource;
}

/** The `headers` list of an event's `mail` object, cut where SES cuts it (`headersTruncated`). */
export function headerList(fields: readonly HeaderField[]): {
  headers: { name: string; value: string }[];
  headersTruncated: boolean;
} {
  const headers: { name: string; value: string }[] = [];
  let bytes = 0;
  for (const f of fields) {
    bytes += f.name.length + f.value.length + 4;
    if (bytes > HEADERS_LIMIT) return { headers, headersTruncated: true };
    headers.push({ name: f.name, value: f.value });
  }
  return { headers, headersTruncated: false };
}

export function buildMailObject(row: OutboxRow): MailObject {
  const split = splitHeaders(Buffer.from(row.raw));
  const fields = split.fields.filter((f) => !SES_STAMPED.test(f.name));
  const { headers, headersTruncated } = headerList(fields);
  const tags: Record<string, string[]> = { 'ses:operation': [row.operation] };
  if (row.configuration_set) tags['ses:configuration-set'] = [row.configuration_set];
  // SES tags a tenant's events with its name.
  if (row.tenant_name) tags['ses:tenant-name'] = [row.tenant_name];
  if (row.from_address)
    tags['ses:from-domain'] = [row.from_address.slice(row.from_address.lastIndexOf('@') + 1)];
  const custom = JSON.parse(row.tags) as { Name: string; Value: string }[];
  for (const t of custom) tags[t.Name] = [...(tags[t.Name] ?? []), t.Value];
  tags['ses:caller-identity'] = [callerIdentityName(row.principal_arn)];
  const mail: MailObject = {
    timestamp: new Date(Number(row.created_at)).toISOString(),
    source: row.source,
    sendingAccountId: row.account_id,
    messageId: row.message_id,
    destination: JSON.parse(row.recipients) as string[],
    headersTruncated,
    headers,
    commonHeaders: commonHeaders(fields, row.message_id),
    tags,
  };
  if (row.source_arn) mail.sourceArn = row.source_arn;
  return reorder(mail);
}

// Keep the key order of the recorded payloads (sourceArn right after source).
function reorder(m: MailObject): MailObject {
  const { timestamp, source, sourceArn, ...rest } = m;
  return sourceArn === undefined ? { timestamp, source, ...rest } : { timestamp, source, sourceArn, ...rest };
}
