// Custom verification email templates as stored: v1 and v2 read and write the same rows.
import { sql } from 'kysely';
import type { Store } from '../../store/database.js';
import type { SesCustomVerificationTemplateRow } from '../../store/schema/lists.js';
import { readJson, type Tag } from '../state/json.js';

export interface CustomVerificationTemplate {
  name: string;
  fromEmailAddress: string;
  subject: string;
  content: string;
  successRedirectionUrl: string;
  failureRedirectionUrl: string;
  tags: Tag[];
  createdAt: Date;
}

export type TemplateFields = Omit<CustomVerificationTemplate, 'name' | 'tags' | 'createdAt'>;

/** SES keeps at most 50 custom verification email templates per account (developer guide, Q1). */
export const MAX_CUSTOM_VERIFICATION_TEMPLATES = 50;

function toTemplate(r: SesCustomVerificationTemplateRow): CustomVerificationTemplate {
  return {
    name: r.name,
    fromEmailAddress: r.from_email_address,
    subject: r.subject,
    content: r.content,
    successRedirectionUrl: r.success_url,
    failureRedirectionUrl: r.failure_url,
    tags: readJson<Tag[]>(r.tags, []),
    createdAt: new Date(Number(r.created_at)),
  };
}

export async function getCustomVerificationTemplate(
  store: Store,
  accountId: string,
  region: string,
  name: string,
): Promise<CustomVerificationTemplate | undefined> {
  const row = await store.db
    .selectFrom('ses_custom_verification_templates')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? toTemplate(row) : undefined;
}

export type InsertOutcome = 'created' | 'exists' | 'limit';

/** Creates the template unless the name is taken or the account holds the maximum already. */
export async function insertCustomVerificationTemplate(
  store: Store,
  accountId: string,
  region: string,
  t: TemplateFields & { name: string; tags: Tag[] },
  now: Date,
): Promise<InsertOutcome> {
  return store.db.transaction().execute(async (trx) => {
    // PostgreSQL: creators in one account take turns, so the count below sees the others' rows
    // (SQLite's single writer gives that already).
    if (store.dialect === 'postgres')
      await sql`select pg_advisory_xact_lock(hashtext(${`cvet:${accountId}:${region}`}))`.execute(trx);
    const res = await trx
      .insertInto('ses_custom_verification_templates')
      .values({
        account_id: accountId,
        region,
        name: t.name,
        from_email_address: t.fromEmailAddress,
        subject: t.subject,
        content: t.content,
        success_url: t.successRedirectionUrl,
        failure_url: t.failureRedirectionUrl,
        tags: JSON.stringify(t.tags),
        created_at: now.getTime(),
      })
      .onConflict((oc) => oc.columns(['account_id', 'region', 'name']).doNothing())
      .executeTakeFirst();
    if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0) return 'exists';
    const count = await trx
      .selectFrom('ses_custom_verification_templates')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .executeTakeFirst();
    if (Number(count?.n ?? 0) > MAX_CUSTOM_VERIFICATION_TEMPLATES) {
      await trx
        .deleteFrom('ses_custom_verification_templates')
        .where('account_id', '=', accountId)
        .where('region', '=', region)
        .where('name', '=', t.name)
        .execute();
      return 'limit';
    }
    return 'created';
  });
}

/** Writes the given fields; false when the template does not exist. */
export async function updateCustomVerificationTemplate(
  store: Store,
  accountId: string,
  region: string,
  name: string,
  fields: Partial<TemplateFields>,
): Promise<boolean> {
  const set = {
    ...(fields.fromEmailAddress !== undefined ? { from_email_address: fields.fromEmailAddress } : {}),
    ...(fields.subject !== undefined ? { subject: fields.subject } : {}),
    ...(fields.content !== undefined ? { content: fields.content } : {}),
    ...(fields.successRedirectionUrl !== undefined ? { success_url: fields.successRedirectionUrl } : {}),
    ...(fields.failureRedirectionUrl !== undefined ? { failure_url: fields.failureRedirectionUrl } : {}),
  };
  const q = store.db
    .updateTable('ses_custom_verification_templates')
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('name', '=', name);
  // Nothing to change still answers whether the template exists.
  const res = await (Object.keys(set).length > 0 ? q.set(set) : q.set({ name })).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function deleteCustomVerificationTemplate(
  store: Store,
  accountId: string,
  region: string,
  name: string,
): Promise<boolean> {
  const res = await store.db
    .deleteFrom('ses_custom_verification_templates')
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('name', '=', name)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export async function listCustomVerificationTemplates(
  store: Store,
  accountId: string,
  region: string,
  opts: { after?: string; limit: number },
): Promise<CustomVerificationTemplate[]> {
  let q = store.db
    .selectFrom('ses_custom_verification_templates')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('region', '=', region);
  if (opts.after !== undefined) q = q.where('name', '>', opts.after);
  const rows = await q.orderBy('name').limit(opts.limit).execute();
  return rows.map(toTemplate);
}
