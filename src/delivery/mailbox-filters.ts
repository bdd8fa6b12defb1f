// The mailbox's filters as one WHERE expression, shared by listing and deleting by filter, so
// "delete what I see" deletes exactly what the same filters list.
import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely';
import type { Database } from '../store/schema.js';

export interface MailboxFilter {
  accountId: string;
  region?: string;
  /** Only messages delivered to this address (case-insensitive). */
  recipient?: string;
  /** Case-insensitive substring of the decoded subject, the From address and name, the recipients. */
  query?: string;
  /** Only messages sent by this principal (its ARN, as in the audit log). */
  principal?: string;
  /** Only messages whose From address is this identity: the address itself, or any address of the domain. */
  identity?: string;
  /** Only messages of this kind (`outbound`, `simulated`, `auto-reply`, `inbound`). */
  kind?: string;
  since?: Date;
  until?: Date;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export function filterExpression(
  eb: ExpressionBuilder<Database, 'captured_messages'>,
  o: MailboxFilter,
): Expression<SqlBool> {
  const all: Expression<SqlBool>[] = [eb('account_id', '=', o.accountId)];
  if (o.region !== undefined) all.push(eb('region', '=', o.region));
  if (o.since) all.push(eb('delivered_at', '>=', o.since.getTime()));
  if (o.until) all.push(eb('delivered_at', '<=', o.until.getTime()));
  if (o.recipient !== undefined) {
    const pattern = `%"${escapeLike(o.recipient.toLowerCase())}"%`;
    all.push(sql<SqlBool>`lower(recipients) like ${pattern} escape '\\'`);
  }
  if (o.principal !== undefined) all.push(eb('principal_arn', '=', o.principal));
  if (o.kind !== undefined) all.push(eb('kind', '=', o.kind));
  if (o.identity !== undefined) {
    const id = o.identity.toLowerCase();
    all.push(
      id.includes('@')
        ? sql<SqlBool>`lower(coalesce(from_address, '')) = ${id}`
        : sql<SqlBool>`lower(coalesce(from_address, '')) like ${`%@${escapeLike(id)}`} escape '\\'`,
    );
  }
  if (o.query !== undefined && o.query !== '') {
    // search_text is lower-cased by JavaScript when stored; so is the query (ü, ß… included).
    const pattern = `%${escapeLike(o.query.toLowerCase())}%`;
    all.push(sql<SqlBool>`coalesce(search_text, '') like ${pattern} escape '\\'`);
  }
  return eb.and(all);
}
