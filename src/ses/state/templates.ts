// Email templates: v1 templates and v2 email templates are the same objects (docs/spec/ses.md §2.2).
import type { Store } from '../../store/database.js';
import type { SesTemplateRow } from '../../store/schema/ses.js';
import type { Tag } from './json.js';
import { templateArn } from './arn.js';
import { dropResourceAssociations } from './tenants.js';

export interface TemplateContent {
  subject?: string;
  text?: string;
  html?: string;
}

export interface EmailTemplate extends TemplateContent {
  name: string;
  tags: Tag[];
  createdAt: Date;
}

function toTemplate(row: SesTemplateRow): EmailTemplate {
  const t: EmailTemplate = {
    name: row.name,
    tags: JSON.parse(row.tags) as Tag[],
    createdAt: new Date(Number(row.created_at)),
  };
  if (row.subject !== null) t.subject = row.subject;
  if (row.text_part !== null) t.text = row.text_part;
  if (row.html_part !== null) t.html = row.html_part;
  return t;
}

export async function getTemplate(
  store: Store,
  accountId: string,
  region: string,
  name: string,
): Promise<EmailTemplate | undefined> {
  const row = await store.db
    .selectFrom('ses_templates')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? toTemplate(row) : undefined;
}

/** True when created; false when a template of that name exists. */
export async function insertTemplate(
  store: Store,
  accountId: string,
  region: string,
  name: string,
  content: TemplateContent,
  tags: Tag[],
  now: Date,
): Promise<boolean> {
  const res = await store.db
    .insertInto('ses_templates')
    .values({
      account_id: accountId,
      region,
      name,
      subject: content.subject ?? null,
      text_part: content.text ?? null,
      html_part: content.html ?? null,
      tags: JSON.stringify(tags),
      created_at: now.getTime(),
    })
    .onConflict((oc) => oc.columns(['account_id', 'region', 'name']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Replaces the content; false when the template does not exist. */
export async function updateTemplate(
  store: Store,
  accountId: string,
  region: string,
  name: string,
  content: TemplateContent,
): Promise<boolean> {
  const res = await store.db
    .updateTable('ses_templates')
    .set({
      subject: content.subject ?? null,
      text_part: content.text ?? null,
      html_part: content.html ?? null,
    })
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('name', '=', name)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function deleteTemplate(
  store: Store,
  accountId: string,
  region: string,
  name: string,
): Promise<boolean> {
  const res = await store.db
    .deleteFrom('ses_templates')
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('name', '=', name)
    .executeTakeFirst();
  // Its tenant associations go with it (the tenants stay).
  await dropResourceAssociations(store, accountId, region, templateArn(region, accountId, name));
  return Number(res.numDeletedRows) > 0;
}

export async function listTemplates(
  store: Store,
  accountId: string,
  region: string,
  opts: { after?: string; limit: number },
): Promise<EmailTemplate[]> {
  let q = store.db
    .selectFrom('ses_templates')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('region', '=', region);
  if (opts.after !== undefined) q = q.where('name', '>', opts.after);
  const rows = await q.orderBy('name').limit(opts.limit).execute();
  return rows.map(toTemplate);
}
