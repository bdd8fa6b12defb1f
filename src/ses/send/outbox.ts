// The outbox: accepted messages, written in the same transaction as the quota ledger (docs/architecture.md
// rule 4), kept and listable; delivery workers lease rows later.
import type { Store } from '../../store/database.js';
import { insertRows } from '../../store/prepared-insert.js';
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { OutboxRow, OutboxStatus, OutboxTableRow } from '../../store/schema/outbox.js';
import type { ListManagement, MessageTag } from './send-request.js';

export interface OutboxMessage {
  messageId: string;
  accountId: string;
  region: string;
  principalArn: string;
  source: string;
  fromAddress?: string;
  sourceArn?: string;
  recipients: string[];
  raw: Buffer;
  configurationSet?: string;
  /** v2 TenantName: the tenant the send is attributed to. */
  tenantName?: string;
  tags: MessageTag[];
  apiVersion: '1' | '2';
  operation: string;
  createdAt: Date;
  /** v2 ListManagementOptions: delivery bounces contacts unsubscribed from the list or topic. */
  listManagement?: ListManagement;
  /** Accepted but never to be delivered (its template did not render): settled at once. */
  failed?: { error: string };
}

export interface OutboxSummary extends Omit<OutboxMessage, 'raw'> {
  size: number;
  status: OutboxStatus;
  attempts: number;
}

/** The message as delivery holds it; stored as an outbox row and its bytes (insertOutbox). */
export function outboxRow(m: OutboxMessage): OutboxRow {
  return {
    message_id: m.messageId,
    account_id: m.accountId,
    region: m.region,
    principal_arn: m.principalArn,
    source: m.source,
    from_address: m.fromAddress ?? null,
    source_arn: m.sourceArn ?? null,
    recipients: JSON.stringify(m.recipients),
    raw: m.raw,
    size: m.raw.length,
    configuration_set: m.configurationSet ?? null,
    tags: JSON.stringify(m.tags),
    api_version: m.apiVersion,
    operation: m.operation,
    created_at: m.createdAt.getTime(),
    status: m.failed ? 'failed' : 'queued',
    attempts: 0,
    lease_owner: null,
    lease_until: null,
    next_attempt_at: m.createdAt.getTime(),
    last_error: m.failed ? m.failed.error.slice(0, 1000) : null,
    tenant_name: m.tenantName ?? null,
    list_management: m.listManagement ? JSON.stringify(m.listManagement) : null,
  };
}

/**
 * Inserts messages with the store it is given (pass the transaction's store): rows and their bytes
 * together, in a transaction of their own when not given one (a worker must never claim a row
 * whose bytes are not there yet). On PostgreSQL the transaction holds both inserts and sends them
 * with its other writes as one statement (folded-writes.ts).
 */
export async function insertOutbox(store: Store, messages: readonly OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  if (!store.syncRun && !store.db.isTransaction)
    return store.db.transaction().execute((trx) => insertOutbox({ ...store, db: trx }, messages));
  const rows = messages.map(split);
  // The rows first: the bytes' foreign key refers to them.
  await insertRows(
    store,
    'outbox',
    rows.map((r) => r.row),
    { folded: true },
  );
  await insertRows(
    store,
    'outbox_bodies',
    rows.map((r) => r.body),
    { folded: true },
  );
}

/** A message as its outbox row and its bytes. */
function split(m: OutboxMessage): { row: OutboxTableRow; body: { message_id: string; raw: Buffer } } {
  const { raw, ...row } = outboxRow(m);
  return { row, body: { message_id: m.messageId, raw } };
}

/** Outbox rows with their MIME bytes (outbox_bodies), for those who read a message whole. */
export function selectOutboxRows(db: Kysely<Database>) {
  return db.selectFrom('outbox').selectAll().select(outboxBytes).$narrowType<{ raw: Buffer }>();
}

/** An outbox row's bytes, as column `raw` of a query on `outbox` (a select, or a claim's returning). */
export function outboxBytes(eb: ExpressionBuilder<Database, 'outbox'>) {
  return eb
    .selectFrom('outbox_bodies')
    .select('raw')
    .whereRef('outbox_bodies.message_id', '=', 'outbox.message_id')
    .as('raw');
}

/** The columns of an outbox row that make its summary (everything but the bytes and retry state). */
export const SUMMARY_COLUMNS = [
  'message_id',
  'account_id',
  'region',
  'principal_arn',
  'source',
  'from_address',
  'source_arn',
  'recipients',
  'size',
  'configuration_set',
  'tags',
  'api_version',
  'operation',
  'created_at',
  'status',
  'attempts',
  'tenant_name',
] as const;

export function toSummary(r: Pick<OutboxRow, (typeof SUMMARY_COLUMNS)[number]>): OutboxSummary {
  const s: OutboxSummary = {
    messageId: r.message_id,
    accountId: r.account_id,
    region: r.region,
    principalArn: r.principal_arn,
    source: r.source,
    recipients: JSON.parse(r.recipients) as string[],
    size: Number(r.size),
    tags: JSON.parse(r.tags) as MessageTag[],
    apiVersion: r.api_version as '1' | '2',
    operation: r.operation,
    createdAt: new Date(Number(r.created_at)),
    status: r.status,
    attempts: Number(r.attempts),
  };
  if (r.from_address !== null) s.fromAddress = r.from_address;
  if (r.source_arn !== null) s.sourceArn = r.source_arn;
  if (r.configuration_set !== null) s.configurationSet = r.configuration_set;
  if (r.tenant_name !== null) s.tenantName = r.tenant_name;
  return s;
}

/** An account's accepted messages, newest first (ties broken by id for a stable order). */
export async function listOutbox(
  store: Store,
  accountId: string,
  opts: { limit: number; region?: string } = { limit: 100 },
): Promise<OutboxSummary[]> {
  let q = store.db.selectFrom('outbox').select(SUMMARY_COLUMNS).where('account_id', '=', accountId);
  if (opts.region !== undefined) q = q.where('region', '=', opts.region);
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('message_id', 'desc')
    .limit(Math.max(1, Math.min(opts.limit, 1000)))
    .execute();
  return rows.map(toSummary);
}

/** One accepted message with its MIME bytes, or undefined. */
export async function getOutboxMessage(
  store: Store,
  messageId: string,
): Promise<(OutboxSummary & { raw: Buffer }) | undefined> {
  const r = await selectOutboxRows(store.db).where('message_id', '=', messageId).executeTakeFirst();
  if (!r) return undefined;
  return { ...toSummary(r), raw: Buffer.from(r.raw) };
}
