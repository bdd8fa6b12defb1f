// One node of several processes (SESAME_WORKERS=2: a primary, two workers sharing the listeners,
// one background worker that delivers), on SQLite and on PostgreSQL, driven through its API and
// SMTP as applications drive it. Shows: the 24-hour quota accepted exactly with sends dealt to
// both workers; an IAM change decided by every worker as soon as it is answered; a worker killed
// is replaced while the node keeps serving; SIGTERM stops every process; and `kill -9` of the
// whole node mid-load, then a restart: every MessageId given out was committed and is captured
// exactly once, and nothing else is.
import { DeleteUserPolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { GetAccountCommand } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/database.js';
import { freshPostgresDatabase } from '../support/server.js';
import { stopAllSesameProcesses } from '../support/sesame-process.js';
import {
  ACCOUNT,
  MASTER_KEY,
  alive,
  childrenOf,
  ROOT_KEY,
  SEND_POLICY,
  createMailer,
  eventually,
  limitedAccount,
  prepareSending,
  sendViaApi,
  sendViaSmtp,
  sesV2,
  startNode,
  type SesameNode,
} from '../support/nodes.js';

const WORKERS = 2;
const QUOTA_REFUSAL =
  /^(454 Throttling failure: Daily message quota exceeded\.|TooManyRequestsException: Daily message quota exceeded\.)$/;

const dialects = (['sqlite', 'postgres'] as const).filter(
  (d) => d === 'sqlite' || process.env.SESAME_TEST_DATABASE_URL !== undefined,
);

describe.each(dialects)(`a node of ${WORKERS} workers on %s`, { timeout: 120_000 }, (dialect) => {
  let db: { url: string; drop: () => Promise<void> } | undefined;
  let node: SesameNode;
  let store: Store;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = dialect === 'postgres' ? await freshPostgresDatabase() : undefined;
    env = {
      SESAME_WORKERS: String(WORKERS),
      SESAME_MASTER_KEY: MASTER_KEY,
      SESAME_PRODUCTION_MAX_SEND_RATE: '1000',
      SESAME_PRODUCTION_MAX_24_HOUR_SEND: '100000',
      SESAME_DELIVERY_LEASE_SECONDS: '2',
      ...(db ? { SESAME_DATABASE_URL: db.url } : {}),
    };
    node = await startNode(env, 'workers');
    env.SESAME_DATA_DIR = node.dataDir;
    await prepareSending(node);
    store = await openStore({
      dataDir: node.dataDir,
      checkpoints: false,
      ...(db ? { databaseUrl: db.url } : {}),
    });
  });
  afterAll(async () => {
    await stopAllSesameProcesses();
    await store?.close();
    await db?.drop();
  });

  it(`runs ${WORKERS} listeners workers and one background worker under the primary`, () => {
    expect(childrenOf(node.proc.pid)).toHaveLength(WORKERS + 1);
    expect(node.proc.stdout()).toMatch(/Sesame ready/);
  });

  it('holds the 24-hour quota exactly: 2x the quota sent at once through both workers, exactly the quota accepted', async () => {
    const credentials = await limitedAccount(store, '333300001111', -1, 30);
    const attempts = Array.from({ length: 60 }, (_, i) =>
      (i % 6 === 0 ? sendViaSmtp : sendViaApi)(node, `q${i}@example.com`, credentials, 'quota').catch(
        (e: { name?: string; message?: string; response?: string }) => {
          // The refusal is the quota's, in each interface's words.
          expect(e.response ?? `${e.name}: ${e.message}`).toMatch(QUOTA_REFUSAL);
          return undefined;
        },
      ),
    );
    const ids = (await Promise.all(attempts)).filter((id): id is string => id !== undefined);
    expect(ids).toHaveLength(30);
    const quota = (await sesV2(node, credentials).send(new GetAccountCommand({}))).SendQuota!;
    expect(quota).toEqual({ Max24HourSend: 30, MaxSendRate: -1, SentLast24Hours: 30 });
    const rows = await store.db
      .selectFrom('outbox')
      .select('message_id')
      .where('account_id', '=', '333300001111')
      .execute();
    expect(rows.map((r) => r.message_id).sort()).toEqual([...ids].sort());
    // The next send, on whichever worker, is refused too.
    await expect(sendViaApi(node, 'one-more@example.com', credentials)).rejects.toThrow(
      'Daily message quota exceeded.',
    );
  });

  it('decides an IAM change on every worker as soon as the change is answered', async () => {
    const { iam, mailer } = await createMailer(node);
    const burst = () =>
      Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          sendViaApi(node, `iam${i}@example.com`, mailer).then(
            () => 'sent',
            (e: Error) => e.name,
          ),
        ),
      );
    // Twelve connections at once, dealt to both workers: each has decided for this key and cached it.
    expect(await burst()).toEqual(Array(12).fill('sent'));
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'mailer', PolicyName: 'send' }));
    // No propagation delay within a node: every worker refuses from the next request on.
    expect(await burst()).toEqual(Array(12).fill('AccessDeniedException'));
    await iam.send(
      new PutUserPolicyCommand({ UserName: 'mailer', PolicyName: 'send', PolicyDocument: SEND_POLICY }),
    );
    expect(await burst()).toEqual(Array(12).fill('sent'));
  });

  it('replaces a worker killed with SIGKILL and keeps serving', async () => {
    const before = childrenOf(node.proc.pid);
    process.kill(before[0]!, 'SIGKILL');
    await node.proc.waitFor(/exited; starting another/, 10_000);
    await node.proc.waitFor(/worker \d+ \(\w+\) ready/, 60_000);
    const after = childrenOf(node.proc.pid);
    expect(after).toHaveLength(WORKERS + 1);
    expect(after).not.toContain(before[0]);
    expect(after.filter((p) => before.includes(p))).toHaveLength(WORKERS);
    // Served throughout: by the other worker meanwhile, by all of them once the new one is up.
    const ids = await Promise.all(
      Array.from({ length: 10 }, (_, i) => sendViaApi(node, `after${i}@example.com`)),
    );
    expect(new Set(ids).size).toBe(10);
  });

  it('stops every process on SIGTERM (exit code 0)', async () => {
    const workers = childrenOf(node.proc.pid);
    expect(workers).toHaveLength(WORKERS + 1);
    node.proc.kill('SIGTERM');
    expect(await node.proc.exited).toEqual({ code: 0, signal: null });
    expect(node.proc.stdout()).not.toMatch(/did not stop in time/);
    expect(workers.filter(alive)).toEqual([]);
  });

  it('kill -9 of every process mid-load, restart: every MessageId given out captured exactly once', async () => {
    node = await startNode(env, 'workers');
    const given: string[] = [];
    let crashed = false;
    const crash = () => {
      if (crashed) return;
      crashed = true;
      // The machine loses power: the primary and every worker at once.
      for (const pid of [node.proc.pid, ...childrenOf(node.proc.pid)]) process.kill(pid, 'SIGKILL');
    };
    await Promise.all(
      Array.from({ length: 8 }, async (_, c) => {
        for (let i = 0; !crashed; i++) {
          const id = await sendViaApi(node, `crash${c}-${i}@example.com`, ROOT_KEY, 'crash').catch(
            () => undefined,
          );
          if (id) given.push(id);
          if (given.length >= 80) crash();
        }
      }),
    );
    await node.proc.exited;
    expect(given.length).toBeGreaterThanOrEqual(80);

    node = await startNode(env, 'workers');
    const pending = () =>
      store.db
        .selectFrom('outbox')
        .select('message_id')
        .where('status', 'in', ['queued', 'sending'])
        .execute();
    await eventually(
      'the outbox drained after the restart',
      60_000,
      async () => (await pending()).length === 0,
    );
    const outbox = await store.db
      .selectFrom('outbox')
      .select(['message_id', 'status'])
      .where('account_id', '=', ACCOUNT)
      .execute();
    const committed = new Set(outbox.map((r) => r.message_id));
    for (const id of given) expect(committed.has(id)).toBe(true);
    expect(outbox.filter((r) => r.status !== 'delivered')).toEqual([]);
    const captured = await store.db
      .selectFrom('captured_messages')
      .select('message_id')
      .where('kind', '=', 'outbound')
      .execute();
    const capturedIds = captured.map((c) => c.message_id).filter((id) => committed.has(id));
    expect(capturedIds).toHaveLength(committed.size);
    expect(new Set(capturedIds)).toEqual(committed);
    const deliveries = await store.db
      .selectFrom('delivery_events')
      .select('message_id')
      .where('event_type', '=', 'Delivery')
      .execute();
    expect(deliveries.filter((d) => committed.has(d.message_id))).toHaveLength(committed.size);
  });
});
