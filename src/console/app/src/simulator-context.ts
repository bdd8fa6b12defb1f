// The simulator's request: SES's request fields (one input each) and any other context key (rows of
// key, type and values), as IAM context entries. A recorded request (the audit log's "Why?") fills
// both from its keys.
import type { ContextEntry } from '@aws-sdk/client-iam';

export type ContextValue = string | string[];
export type KeyType = NonNullable<ContextEntry['ContextKeyType']>;

/** The form's fields and the keys they stand for (`recipients` takes a list). */
export const FIELDS = [
  ['from', 'ses:FromAddress', 'From address (ses:FromAddress)', 'sender@example.com'],
  ['displayName', 'ses:FromDisplayName', 'From display name (ses:FromDisplayName)', ''],
  ['recipients', 'ses:Recipients', 'Recipients, comma separated (ses:Recipients)', ''],
  ['feedback', 'ses:FeedbackAddress', 'Feedback address (ses:FeedbackAddress)', ''],
  ['apiVersion', 'ses:ApiVersion', 'API version (ses:ApiVersion)', ''],
  ['time', 'aws:CurrentTime', 'Time (aws:CurrentTime)', '2026-01-01T00:00:00Z'],
  ['sourceIp', 'aws:SourceIp', 'Source IP (aws:SourceIp)', '203.0.113.7'],
  // A request through a VPC endpoint carries these three instead of aws:SourceIp.
  ['sourceVpc', 'aws:SourceVpc', 'VPC (aws:SourceVpc)', 'vpc-0123456789abcdef0'],
  ['sourceVpce', 'aws:SourceVpce', 'VPC endpoint (aws:SourceVpce)', 'vpce-0123456789abcdef0'],
  ['vpcSourceIp', 'aws:VpcSourceIp', 'Source IP in the VPC (aws:VpcSourceIp)', '10.0.1.25'],
] as const;

const FIELD_TYPES: Record<string, KeyType> = {
  from: 'string',
  displayName: 'string',
  recipients: 'stringList',
  feedback: 'string',
  apiVersion: 'string',
  time: 'date',
  sourceIp: 'ip',
  sourceVpc: 'string',
  sourceVpce: 'string',
  vpcSourceIp: 'ip',
};

export interface OtherKey {
  key: string;
  type: KeyType;
  /** One value per line. */
  values: string;
}

/** IAM's type for a key: what its values are compared as. */
export function typeOfKey(key: string, value: ContextValue): KeyType {
  const k = key.toLowerCase();
  if (k === 'aws:currenttime') return 'date';
  if (k === 'aws:epochtime') return 'numeric';
  if (k === 'aws:sourceip' || k === 'aws:vpcsourceip') return 'ip';
  if (k === 'aws:securetransport') return 'boolean';
  return Array.isArray(value) ? 'stringList' : 'string';
}

const list = (v: string) =>
  v
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** The filled fields and rows as context entries. */
export function contextEntries(
  fields: Record<string, string>,
  others: readonly OtherKey[] = [],
): ContextEntry[] {
  const out: ContextEntry[] = [];
  for (const [name, key] of FIELDS) {
    const raw = fields[name] ?? '';
    const values = name === 'recipients' ? list(raw) : raw.trim() ? [raw.trim()] : [];
    if (values.length)
      out.push({ ContextKeyName: key, ContextKeyType: FIELD_TYPES[name], ContextKeyValues: values });
  }
  for (const o of others) {
    if (!o.key.trim()) continue;
    const values = o.type.endsWith('List') ? list(o.values) : [o.values.trim()];
    out.push({ ContextKeyName: o.key.trim(), ContextKeyType: o.type, ContextKeyValues: values });
  }
  return out;
}

/** A recorded request's keys as the form's fields, and the rest as rows. */
export function fromContext(keys: Readonly<Record<string, ContextValue>>): {
  fields: Record<string, string>;
  others: OtherKey[];
} {
  const fields: Record<string, string> = {};
  const others: OtherKey[] = [];
  for (const [key, value] of Object.entries(keys)) {
    const field = FIELDS.find(([, k]) => k.toLowerCase() === key.toLowerCase());
    if (field) fields[field[0]] = Array.isArray(value) ? value.join(', ') : value;
    else
      others.push({
        key,
        type: typeOfKey(key, value),
        values: Array.isArray(value) ? value.join('\n') : value,
      });
  }
  return { fields, others };
}
