import { Kysely, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAuditEvent } from '../audit/audit-log.js';
import { writeSend } from '../ses/state/ledger.js';
import { dropTestDatabase, openStore, openTestStore, testDialects, type Store } from './database.js';
import { foldStatement, FoldingPostgresDialect, renumber } from './folded-writes.js';
import { insertRows } from './prepared-insert.js';
import type { Database } from './schema.js';

const audit = (name: string) => ({
  time: new Date(1_000),
  eventSource: 'test',
  eventName: name,
  actions: [],
  resources: [],
  decision: 'Allowed' as const,
  requestId: name,
});
const orphanBody = { message_id: 'no-such-message', raw: Buffer.from('x') };
const T = new Date(Date.UTC(2026, 11, 8, 4, 0, 30));

describe('folding writes into one statement', () => {
  it('shifts placeholders, and leaves quoted literals and identifiers alone', () => {
    const sql = `select '$1', "a$2", $1, $10 from x where y = 'it''s $3' and z = $2`;
    expect(renumber(sql, 5)).toBe(`select '$1', "a$2", $6, $15 from x where y = 'it''s $3' and z = $7`);
    expect(renumber(sql, 0)).toBe(sql);
  });

  it('makes every write but the last a CTE, their parameters in order', () => {
    const folded = foldStatement([
      { sql: 'insert into "a" values ($1, $2)', parameters: [1, 2], table: 'a', plain: true },
      { sql: 'update "b" set v = $1', parameters: [3], table: 'b', plain: false },
      { sql: 'insert into "c" values ($1)', parameters: [4], table: 'c', plain: true },
    ]);
    expect(folded).toEqual({
      sql: 'with "fold0" as (insert into "a" values ($1, $2)), "fold1" as (update "b" set v = $3) insert into "c" values ($4)',
      parameters: [1, 2, 3, 4],
    });
  });
});

describe.each(testDialects())('held writes on %s keep the transaction whole', (dialect) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(dialect);
  });
  afterAll(async () => {
    await store.close();
  });
  const names = async () =>
    (await store.db.selectFrom('audit_events').select('event_name').orderBy('event_name').execute()).map(
      (r) => r.event_name,
    );
  const minute = async () =>
    (await store.db.selectFrom('ses_sending_ledger_minutes').select('recipients').execute()).map((r) =>
      Number(r.recipients),
    );

  it('adds up two counts of one ledger minute in one transaction', async () => {
    await store.db.transaction().execute(async (trx) => {
      const tx = { ...store, db: trx };
      await writeSend(tx, '111122223333', 'us-east-1', T, 2);
      await writeSend(tx, '111122223333', 'us-east-1', T, 3);
    });
    expect(await minute()).toEqual([5]);
  });

  it('keeps nothing of a transaction whose held write fails, and says why', async () => {
    const failing = store.db.transaction().execute(async (trx) => {
      const tx = { ...store, db: trx };
      await insertAuditEvent(tx, audit('kept-only-with-the-body'));
      await insertRows(tx, 'outbox_bodies', [orphanBody], { folded: true });
    });
    await expect(failing).rejects.toThrow(/foreign key/i);
    expect(await names()).not.toContain('kept-only-with-the-body');
  });

  it('lets a read in the transaction see the writes held before it', async () => {
    const seen = await store.db.transaction().execute(async (trx) => {
      await insertAuditEvent({ ...store, db: trx }, audit('seen-by-the-read'));
      return trx
        .selectFrom('audit_events')
        .select('event_name')
        .where('event_name', '=', 'seen-by-the-read')
        .execute();
    });
    expect(seen).toEqual([{ event_name: 'seen-by-the-read' }]);
  });
});

describe.runIf(testDialects().includes('postgres'))('held writes on postgres: what is sent', () => {
  let store: Store;
  let counted: Store;
  let pool: pg.Pool;
  const sent: string[] = [];
  const url = process.env.SESAME_TEST_DATABASE_URL ?? '';
  const name = `t_${process.pid}_folded`;
  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const dbUrl = url.replace(/\/[^/]*$/, `/${name}`);
    store = await openStore({ dataDir: '', databaseUrl: dbUrl });
    // The same dialect over a pool that notes every statement it is handed.
    pool = new pg.Pool({ connectionString: dbUrl, max: 2 });
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...a: unknown[]) => unknown;
      (client as { query: unknown }).query = (...a: unknown[]) => {
        sent.push(String(a[0]).split(' ').slice(0, 3).join(' '));
        return query(...a);
      };
    });
    counted = { ...store, db: new Kysely<Database>({ dialect: new FoldingPostgresDialect({ pool }) }) };
  });
  afterAll(async () => {
    await counted.db.destroy();
    await store.close();
    await dropTestDatabase(url, name);
  });
  const clear = () => sent.splice(0);
  const names = async () =>
    (await store.db.selectFrom('audit_events').select('event_name').orderBy('event_name').execute()).map(
      (r) => r.event_name,
    );
  const inTx = <T>(work: (tx: Store) => Promise<T>) =>
    counted.db.transaction().execute((trx) => work({ ...counted, db: trx }));

  it('sends a transaction of held writes as one statement, without BEGIN or COMMIT', async () => {
    clear();
    await inTx(async (tx) => {
      await insertAuditEvent(tx, audit('one-a'));
      await writeSend(tx, '111122223333', 'eu-west-1', T, 1);
      await insertAuditEvent(tx, audit('one-b')); // a plain insert into the same table shares it
    });
    expect(clear()).toEqual(['with "fold0" as']);
    expect(await names()).toEqual(expect.arrayContaining(['one-a', 'one-b']));
  });

  it('sends BEGIN and the held writes before a read, and COMMIT at the end', async () => {
    clear();
    await inTx(async (tx) => {
      await insertAuditEvent(tx, audit('before-read'));
      await tx.db.selectFrom('audit_events').select('seq').execute();
    });
    expect(clear()).toEqual(['begin', 'insert into "audit_events"', 'select "seq" from', 'commit']);
  });

  it('sends the first of two upserts of one table before the second is held', async () => {
    clear();
    await inTx(async (tx) => {
      await writeSend(tx, '111122223333', 'eu-west-2', T, 1);
      await writeSend(tx, '111122223333', 'eu-west-2', T, 1);
    });
    expect(clear()).toEqual([
      'begin',
      'insert into "ses_sending_ledger_minutes"',
      'insert into "ses_sending_ledger_minutes"',
      'commit',
    ]);
  });

  it('sends nothing for a transaction that fails before anything was sent', async () => {
    clear();
    const failing = inTx(async (tx) => {
      await insertAuditEvent(tx, audit('never-sent'));
      throw new Error('changed my mind');
    });
    await expect(failing).rejects.toThrow('changed my mind');
    expect(clear()).toEqual([]);
    expect(await names()).not.toContain('never-sent');
  });

  it('fails the commit when a held write failed at a statement whose caller caught it', async () => {
    clear();
    const failing = inTx(async (tx) => {
      await insertAuditEvent(tx, audit('swallowed'));
      await insertRows(tx, 'outbox_bodies', [orphanBody], { folded: true });
      await tx.db
        .selectFrom('audit_events')
        .select('seq')
        .execute()
        .catch(() => []);
    });
    await expect(failing).rejects.toMatchObject({ code: '23503' });
    expect(clear()).toEqual(['begin', 'with "fold0" as', 'rollback']);
    expect(await names()).not.toContain('swallowed');
  });

  it('fails the commit when any statement failed and was caught, keeping nothing', async () => {
    const failing = inTx(async (tx) => {
      await insertAuditEvent(tx, audit('before-division'));
      await sql`select 1 / 0`.execute(tx.db).catch(() => undefined);
    });
    await expect(failing).rejects.toMatchObject({ code: '22012' });
    expect(await names()).not.toContain('before-division');
  });

  it('keeps nothing after a BEGIN that failed, whatever the callback caught', async () => {
    clear();
    const failing = counted.db
      .transaction()
      .setIsolationLevel('snapshot') // PostgreSQL has no such level: BEGIN itself fails
      .execute(async (trx) => {
        const tx = { ...counted, db: trx };
        await insertAuditEvent(tx, audit('after-failed-begin'));
        await trx
          .selectFrom('audit_events')
          .select('seq')
          .execute()
          .catch(() => []);
        await insertAuditEvent(tx, audit('after-failed-begin-2'));
      });
    await expect(failing).rejects.toThrow(/snapshot/);
    expect(clear()).toEqual(['start transaction isolation']);
    expect(await names()).not.toContain('after-failed-begin');
    expect(await names()).not.toContain('after-failed-begin-2');
  });

  it('splits held writes before they pass the parameters one statement can carry', async () => {
    clear();
    const count = 3_500; // ~22 parameters each: 77,000 in one statement would be refused
    await inTx(async (tx) => {
      for (let i = 0; i < count; i++) await insertAuditEvent(tx, audit(`many-${i}`));
    });
    const sentNow = clear();
    expect(sentNow[0]).toBe('begin');
    expect(sentNow.at(-1)).toBe('commit');
    expect(sentNow.filter((q) => q === 'with "fold0" as').length).toBeGreaterThanOrEqual(3);
    const stored = await store.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('event_name', 'like', 'many-%')
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(count);
  });

  it('runs a held write at once outside a transaction', async () => {
    clear();
    await insertAuditEvent(counted, audit('alone'));
    expect(clear()).toEqual(['insert into "audit_events"']);
    expect(await names()).toContain('alone');
  });
});
