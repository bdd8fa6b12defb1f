// Endpoints that suites written against other SES emulators call (SESAME_PROFILE=emulator only):
// moto's state reset and LocalStack's listing of accepted messages. They bypass IAM by design:
// the emulator profile has no IAM to speak of (every caller is the root of 123456789012).
import type { FastifyInstance } from 'fastify';
import { simpleParser } from 'mailparser';
import type { App } from '../app.js';
import { ensureDefaultAccount } from '../accounts/default-account.js';
import { accountExists, createAccount } from '../accounts/accounts.js';
import { EMULATOR_ACCOUNT_ID } from '../http/principal-resolver.js';
import { announceReset, resetGenerations } from '../iam/generation.js';
import { forgetSendCounts } from '../ses/state/ledger.js';
import { selectOutboxRows } from '../ses/send/outbox.js';

/** Empties every table but the migration bookkeeping, then recreates the bootstrap accounts. */
export async function resetState(app: App): Promise<void> {
  const tables = await app.store.db.introspection.getTables();
  await app.store.db.transaction().execute(async (trx) => {
    for (const t of tables) {
      if (t.name.startsWith('kysely_')) continue;
      await trx.deleteFrom(t.name as never).execute();
    }
  });
  // Everything cached about any account (principals, send state, quota counts) is gone with it.
  app.principals.clear();
  resetGenerations(app.store);
  forgetSendCounts(app.store);
  // The node's other workers drop theirs before the reset is answered.
  await announceReset();
  await ensureDefaultAccount(app.store, app.box, app.config);
  if (!(await accountExists(app.store, EMULATOR_ACCOUNT_ID)))
    await createAccount(app.store, app.box, { accountId: EMULATOR_ACCOUNT_ID });
}

interface LocalStackMessage {
  Id: string;
  Region: string;
  Destination: { ToAddresses: string[] };
  Source: string;
  Subject: string | null;
  Body: { text_part: string | null; html_part: string | null };
  RawData: string;
  Timestamp: string;
}

async function acceptedMessages(
  app: App,
  filter: { id?: string; email?: string },
): Promise<LocalStackMessage[]> {
  let q = selectOutboxRows(app.store.db).orderBy('created_at', 'asc');
  if (filter.id) q = q.where('message_id', '=', filter.id);
  if (filter.email) q = q.where('source', '=', filter.email);
  const rows = await q.limit(10_000).execute();
  const out: LocalStackMessage[] = [];
  for (const r of rows) {
    // A message the parser refuses (a MIME bomb) is still listed, with its raw data only.
    const parsed = await simpleParser(r.raw, { skipImageLinks: true, skipTextToHtml: true }).catch(() => ({
      subject: undefined,
      text: undefined,
      html: false as const,
    }));
    out.push({
      Id: r.message_id,
      Region: r.region,
      Destination: { ToAddresses: JSON.parse(r.recipients) as string[] },
      Source: r.source,
      Subject: parsed.subject ?? null,
      Body: {
        // LocalStack answers the Text part as sent: without the line end that ends the MIME body.
        text_part: parsed.text?.replace(/\r?\n$/, '') ?? null,
        html_part: typeof parsed.html === 'string' ? parsed.html : null,
      },
      RawData: r.raw.toString('utf8'),
      Timestamp: new Date(r.created_at).toISOString(),
    });
  }
  return out;
}

export function registerEmulatorRoutes(app: App, server: FastifyInstance): void {
  server.post('/moto-api/reset', async () => {
    await resetState(app);
    return { status: 'ok' };
  });
  // moto toggles its IAM enforcement here; the emulator profile never enforces IAM, so this only
  // acknowledges (use SESAME_PROFILE=aws for enforcement).
  server.post('/moto-api/reset-auth', async () => ({ PAYLOAD: 'OK' }));
  server.get('/_aws/ses', async (request) => {
    const q = request.query as { id?: string; email?: string };
    return { messages: await acceptedMessages(app, { id: q.id, email: q.email }) };
  });
  server.delete('/_aws/ses', async (request, reply) => {
    const q = request.query as { id?: string };
    let del = app.store.db.deleteFrom('outbox');
    if (q.id) del = del.where('message_id', '=', q.id);
    await del.execute();
    return reply.code(204).send();
  });
}
