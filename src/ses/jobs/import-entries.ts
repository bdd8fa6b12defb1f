// What an import's records mean, in the formats SES documents for its bulk imports:
// - suppression list, CSV: `address,REASON` per line (a header line naming emailAddress is skipped);
//   JSON: `{"emailAddress": …, "reason": "BOUNCE" | "COMPLAINT"}` per line. DELETE needs the address only.
// - contact list, CSV: a header line (`emailAddress,unsubscribeAll,attributesData,topicPreferences.<Topic>…`)
//   then one contact per line; JSON: `{"emailAddress", "unsubscribeAll", "attributesData",
//   "topicPreferences": [{"topicName", "subscriptionStatus"}]}` per line. DELETE needs the address only.
// A record that does not fit is refused with a reason (counted and reported); a CSV contact file
// without an emailAddress column fails the whole job.
import { texts } from '../errors.js';
import type { SuppressionReason } from '../state/account.js';
import { isValidEmailAddress } from '../state/identity-names.js';
import type { SubscriptionStatus, Topic, TopicPreference } from '../lists/topics.js';
import { listTexts } from '../lists/validate.js';
import { MAX_RECORD_CHARS, type SourceRecord } from './records.js';

export interface SuppressionEntry {
  emailAddress: string;
  /** Absent for DELETE. */
  reason?: SuppressionReason;
}

export interface ContactEntry {
  emailAddress: string;
  unsubscribeAll: boolean;
  attributesData?: string;
  topicPreferences: TopicPreference[];
}

export type Reading<T> = { entry: T } | { refused: string } | { header: true };

/** A job that cannot go on (its records cannot be read at all): the job fails with this message. */
export class ImportFailure extends Error {}

export interface EntryReader<T> {
  read(r: SourceRecord): Reading<T>;
}

const REASONS = new Set(['BOUNCE', 'COMPLAINT']);
const STATUSES = new Set(['OPT_IN', 'OPT_OUT']);

function jsonObject(raw: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(raw);
    return v !== null && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const NOT_JSON = 'The record is not a JSON object.';
const TOO_LONG = `The record is longer than ${MAX_RECORD_CHARS} characters.`;

export function suppressionReader(
  format: 'CSV' | 'JSON',
  action: 'PUT' | 'DELETE',
): EntryReader<SuppressionEntry> {
  let first = true;
  const entry = (email: unknown, reason: unknown): Reading<SuppressionEntry> => {
    const address = typeof email === 'string' ? email.trim() : '';
    if (!isValidEmailAddress(address)) return { refused: texts.invalidEmail(address) };
    if (action === 'DELETE') return { entry: { emailAddress: address } };
    const r = typeof reason === 'string' ? reason.trim() : '';
    if (!REASONS.has(r)) return { refused: `Invalid suppression reason: ${r}.` };
    return { entry: { emailAddress: address, reason: r as SuppressionReason } };
  };
  return {
    read(rec) {
      if (rec.tooLong) {
        first = false;
        return { refused: TOO_LONG };
      }
      if (format === 'JSON') {
        const o = jsonObject(rec.raw);
        return o ? entry(o.emailAddress, o.reason) : { refused: NOT_JSON };
      }
      const fields = rec.fields ?? [];
      const isHeader = first && /^email(address)?$/i.test(fields[0]?.trim() ?? '');
      first = false;
      return isHeader ? { header: true } : entry(fields[0], fields[1]);
    },
  };
}

const TOPIC_COLUMN = 'topicPreferences.';

/** The attributesData of a record: text that is a JSON object (SES stores it as given). */
function attributes(v: unknown): { ok: true; value?: string } | { ok: false } {
  if (v === undefined || v === null || v === '') return { ok: true };
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return jsonObject(text) ? { ok: true, value: text } : { ok: false };
}

function contactEntry(
  list: { name: string; topics: readonly Topic[] },
  action: 'PUT' | 'DELETE',
  email: unknown,
  unsubscribe: unknown,
  data: unknown,
  prefs: { topic: string; status: string }[],
): Reading<ContactEntry> {
  const address = typeof email === 'string' ? email.trim() : '';
  if (address === '') return { refused: listTexts.blankEmail };
  if (!isValidEmailAddress(address)) return { refused: listTexts.badEmail(address) };
  if (action === 'DELETE')
    return { entry: { emailAddress: address, unsubscribeAll: false, topicPreferences: [] } };
  const u = typeof unsubscribe === 'string' ? unsubscribe.trim().toLowerCase() : unsubscribe;
  if (u !== undefined && u !== '' && u !== true && u !== false && u !== 'true' && u !== 'false')
    return { refused: `unsubscribeAll must be true or false, got "${String(unsubscribe)}".` };
  const attrs = attributes(data);
  if (!attrs.ok) return { refused: 'attributesData must be a JSON object.' };
  const topics = new Set(list.topics.map((t) => t.TopicName));
  const topicPreferences: TopicPreference[] = [];
  for (const p of prefs) {
    if (p.status === '') continue;
    if (!topics.has(p.topic)) return { refused: listTexts.unknownTopic(list.name, p.topic) };
    if (!STATUSES.has(p.status))
      return { refused: `Invalid subscription status for topic ${p.topic}: ${p.status}.` };
    topicPreferences.push({ TopicName: p.topic, SubscriptionStatus: p.status as SubscriptionStatus });
  }
  return {
    entry: {
      emailAddress: address,
      unsubscribeAll: u === true || u === 'true',
      ...(attrs.value !== undefined ? { attributesData: attrs.value } : {}),
      topicPreferences,
    },
  };
}

export function contactReader(
  format: 'CSV' | 'JSON',
  action: 'PUT' | 'DELETE',
  list: { name: string; topics: readonly Topic[] },
): EntryReader<ContactEntry> {
  let columns: string[] | undefined;
  return {
    read(rec) {
      if (rec.tooLong && (format === 'JSON' || columns)) return { refused: TOO_LONG };
      if (format === 'JSON') {
        const o = jsonObject(rec.raw);
        if (!o) return { refused: NOT_JSON };
        const given = Array.isArray(o.topicPreferences) ? (o.topicPreferences as unknown[]) : [];
        const prefs = given.map((p) => {
          const q = (p ?? {}) as { topicName?: unknown; subscriptionStatus?: unknown };
          return { topic: String(q.topicName ?? ''), status: String(q.subscriptionStatus ?? '') };
        });
        return contactEntry(list, action, o.emailAddress, o.unsubscribeAll, o.attributesData, prefs);
      }
      const fields = rec.fields ?? [];
      if (!columns) {
        columns = fields.map((f) => f.trim());
        if (!columns.includes('emailAddress'))
          throw new ImportFailure(
            'The first line of a CSV contact list must be a header naming emailAddress.',
          );
        return { header: true };
      }
      const at = (name: string) => fields[columns!.indexOf(name)];
      const prefs = columns.flatMap((c, i) =>
        c.startsWith(TOPIC_COLUMN)
          ? [{ topic: c.slice(TOPIC_COLUMN.length), status: (fields[i] ?? '').trim() }]
          : [],
      );
      return contactEntry(
        list,
        action,
        at('emailAddress'),
        at('unsubscribeAll'),
        at('attributesData'),
        prefs,
      );
    },
  };
}
