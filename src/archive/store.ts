// The mail archive of configuration sets with ArchivingOptions (SES's Mail Manager archive, served
// by Sesame itself): every message of the set as it was handed to the receiving server, with its
// recipients, kept by archive id (`a-…` of the ArchiveArn) and searchable by time, From,
// recipient and subject.
import { sql } from 'kysely';
import type { Store } from '../store/database.js';
import type { SesArchivedMessageRow } from '../store/schema/ses-v2-extras.js';

export interface ArchivedMessage {
  archiveId: string;
  messageId: string;
  configurationSet: string;
  from?: string;
  recipients: string[];
  subject?: string;
  size: number;
  archivedAt: Date;
}

export const archiveIdOf = (arn: string): string | undefined =>
  /:mailmanager-archive\/(a-[a-z0-9]+)$/.exec(arn)?.[1];

const toArchived = (r: Omit<SesArchivedMessageRow, 'raw'>): ArchivedMessage => ({
  archiveId: r.archive_id,
  messageId: r.message_id,
  configurationSet: r.configuration_set,
  ...(r.from_address !== null ? { from: r.from_address } : {}),
  recipients: JSON.parse(r.recipients) as string[],
  ...(r.subject !== null ? { subject: r.subject } : {}),
  size: Number(r.size),
  archivedAt: new Date(Number(r.archived_at)),
});

/** Keeps one message once (a retried delivery attempt archives nothing new). */
export async function archiveMessage(
  store: Store,
  m: Omit<ArchivedMessage, 'size'> & { accountId: string; region: string; raw: Buffer },
): Promise<void> {
  await store.db
    .insertInto('ses_archived_messages')
    .values({
      archive_id: m.archiveId,
      message_id: m.messageId,
      account_id: m.accountId,
      region: m.region,
      configuration_set: m.configurationSet,
      from_address: m.from ?? null,
      recipients: JSON.stringify(m.recipients),
      subject: m.subject ?? null,
      raw: m.raw,
      size: m.raw.length,
      archived_at: m.archivedAt.getTime(),
    })
    .onConflict((oc) => oc.columns(['archive_id', 'message_id']).doNothing())
    .execute();
}

export interface ArchiveSearch {
  accountId: string;
  /** The archive's region: its ARN names it, and the call's authorization was on that ARN. */
  region: string;
  archiveId: string;
  from?: string;
  to?: string;
  subject?: string;
  since?: Date;
  until?: Date;
  /** Continue after this (archived_at ms, message id), newest first. */
  before?: { at: number; messageId: string };
  limit: number;
}

const like = (s: string): string => `%${s.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** `lower(column) LIKE '%text%'` with the text as written: SQLite has no LIKE escape unless told. */
const contains = (column: 'from_address' | 'recipients' | 'subject', text: string) =>
  sql<boolean>`lower(${sql.ref(column)}) like ${like(text)} escape '\\'`;

export async function searchArchive(store: Store, q: ArchiveSearch): Promise<ArchivedMessage[]> {
  let sel = store.db
    .selectFrom('ses_archived_messages')
    .select([
      'archive_id',
      'message_id',
      'account_id',
      'region',
      'configuration_set',
      'from_address',
      'recipients',
      'subject',
      'size',
      'archived_at',
    ])
    .where('account_id', '=', q.accountId)
    .where('region', '=', q.region)
    .where('archive_id', '=', q.archiveId);
  if (q.since) sel = sel.where('archived_at', '>=', q.since.getTime());
  if (q.until) sel = sel.where('archived_at', '<', q.until.getTime());
  if (q.before) {
    const b = q.before;
    sel = sel.where((eb) =>
      eb.or([
        eb('archived_at', '<', b.at),
        eb.and([eb('archived_at', '=', b.at), eb('message_id', '<', b.messageId)]),
      ]),
    );
  }
  if (q.from) sel = sel.where(contains('from_address', q.from));
  if (q.to) sel = sel.where(contains('recipients', q.to));
  if (q.subject) sel = sel.where(contains('subject', q.subject));
  const rows = await sel
    .orderBy('archived_at', 'desc')
    .orderBy('message_id', 'desc')
    .limit(q.limit)
    .execute();
  return rows.map(toArchived);
}

export async function archivedRaw(
  store: Store,
  accountId: string,
  region: string,
  archiveId: string,
  messageId: string,
): Promise<(ArchivedMessage & { raw: Buffer }) | undefined> {
  const r = await store.db
    .selectFrom('ses_archived_messages')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('archive_id', '=', archiveId)
    .where('message_id', '=', messageId)
    .executeTakeFirst();
  return r ? { ...toArchived(r), raw: Buffer.from(r.raw) } : undefined;
}
