// PostgreSQL faults, for real: a Sesame process on a private PostgreSQL cluster of this file's own,
// whose connections are terminated (pg_terminate_backend) and which is stopped (`pg_ctl stop -m
// fast`) and started again. Sesame must stay up, answer AWS's retryable ServiceUnavailable (API)
// and 451 (SMTP) while the database is away, recover by itself, and deliver every MessageId it
// returned exactly once.
import pg from 'pg';
import { GetAccountCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivatePostgres, type PrivatePostgres } from '../support/postgres.js';
import { stopAllSesameProcesses } from '../support/sesame-process.js';
import {
  eventually,
  prepareSending,
  sendViaApi,
  sendViaSmtp,
  spawnNode,
  startNode,
  type SesameNode,
} from '../support/nodes.js';

const hasPostgres = process.env.SESAME_TEST_DATABASE_URL !== undefined;
let postgres: PrivatePostgres;
let node: SesameNode;
const accepted: string[] = [];

async function query<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: postgres.url });
  await c.connect();
  try {
    return (await c.query<T>(text, params)).rows;
  } finally {
    await c.end();
  }
}

/** Through the API or SMTP; a returned MessageId is one that must be delivered. */
async function send(subject: string, via: 'api' | 'smtp' = 'api'): Promise<string> {
  const id = await (via === 'api' ? sendViaApi : sendViaSmtp)(node, 'rcpt@example.com', undefined, subject);
  accepted.push(id);
  return id;
}

const until = async <T>(what: string, fn: () => Promise<T | undefined>, ms: number): Promise<T> =>
  (await eventually(what, ms, fn)).value;

/** Captured once, with its Delivery event (recorded in the attempt's transaction, after the capture). */
const delivered = async (id: string) => {
  const [row] = await query<{ captured: string; events: string }>(
    `select (select count(*) from captured_messages where message_id = $1) as captured,
            (select count(*) from delivery_events where message_id = $1 and event_type = 'Delivery') as events`,
    [id],
  );
  return Number(row!.captured) === 1 && Number(row!.events) >= 1 ? true : undefined;
};

const ready = async () => {
  const r = await fetch(`${node.endpoint}/ready`);
  return { status: r.status, body: (await r.json()) as { status: string; reason?: string } };
};

describe.skipIf(!hasPostgres)('a Sesame node through PostgreSQL faults', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    node = await startNode({ SESAME_DATABASE_URL: postgres.url, SESAME_DATABASE_WAIT: '10' }, 'faults');
    await prepareSending(node);
  });
  afterAll(async () => {
    if (process.env.DEBUG_NODES) console.log(node?.proc.stdout(), node?.proc.stderr());
    await stopAllSesameProcesses();
    await postgres?.stop();
  });

  it('survives its connections being terminated, and delivers what it accepted just before', async () => {
    const id = await send('before the cut');
    await query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'sesame'`);
    // The pool's dead connections were reported, not thrown: the process lives on and serves.
    await new Promise((r) => setTimeout(r, 500));
    expect(node.proc.child.exitCode).toBeNull();
    await until('delivery of the message accepted before the cut', () => delivered(id), 5000);
    const after = await until('a send after the cut', () => send('after the cut'), 5000);
    await until('delivery after the cut', () => delivered(after), 5000);
    expect(node.proc.stdout()).toContain('PostgreSQL connection lost; it is replaced when next needed');
    expect(node.proc.stderr()).not.toContain("Emitted 'error' event");
  });

  it('answers ServiceUnavailable (503) and SMTP 451 while PostgreSQL is stopped, then recovers by itself', async () => {
    await send('SMTP before the stop', 'smtp');

    postgres.pause();
    try {
      // The API: AWS's retryable shape, so SDKs back off and retry by themselves.
      const err = await send('while stopped').then(
        () => undefined,
        (e: { name: string; $metadata?: { httpStatusCode?: number }; message: string }) => e,
      );
      expect(err?.name).toBe('ServiceUnavailable');
      expect(err?.$metadata?.httpStatusCode).toBe(503);
      expect(err?.message).toBe('The request has failed due to a temporary failure of the server.');
      // A key this process has not looked up yet cannot be checked either: the same answer, not a
      // bare 500 from outside the dispatcher (nor InvalidClientTokenId: the key may well exist).
      const unseen = await new SESv2Client({
        endpoint: node.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIANEVERLOOKEDUP001', secretAccessKey: 'not-checked-while-down' },
        maxAttempts: 1,
      })
        .send(new GetAccountCommand({}))
        .then(
          () => undefined,
          (e: { name: string; $metadata?: { httpStatusCode?: number } }) => e,
        );
      expect(unseen?.name).toBe('ServiceUnavailable');
      expect(unseen?.$metadata?.httpStatusCode).toBe(503);
      // SMTP: a temporary failure the client will retry.
      const smtpErr = await send('SMTP while stopped', 'smtp').then(
        () => undefined,
        (e: { responseCode?: number; response?: string }) => e,
      );
      expect(smtpErr?.responseCode).toBe(451);
      expect(smtpErr?.response).toBe('451 Temporary service failure');
      // Liveness holds, readiness says why not.
      expect((await fetch(`${node.endpoint}/health`)).status).toBe(200);
      const r = await ready();
      expect(r.status).toBe(503);
      expect(r.body.status).toBe('unavailable');
      expect(r.body.reason).toMatch(/^postgres store: .*(ECONNREFUSED|terminat|shut)/);
      expect(node.proc.child.exitCode).toBeNull();
      // Long enough for the background sync (every 2 s) to notice and say so once.
      await new Promise((r) => setTimeout(r, 2500));
    } finally {
      postgres.resume();
    }

    // Back by itself: readiness, the API and SMTP, without a restart.
    await until(
      'readiness after the restart',
      async () => ((await ready()).status === 200 ? true : undefined),
      15_000,
    );
    const back = await until('a send after the restart', () => send('after the restart'), 10_000);
    await send('SMTP after the restart', 'smtp');
    await until('delivery after the restart', () => delivered(back), 10_000);
    expect(node.proc.stdout()).toContain(
      'store unavailable: API calls answer 503 ServiceUnavailable and SMTP 451',
    );
    await until(
      'the recovery logged',
      async () => node.proc.stdout().includes('store available again') || undefined,
      5000,
    );
  });

  it('delivered every MessageId it returned exactly once', async () => {
    expect(accepted.length).toBeGreaterThanOrEqual(5);
    for (const id of accepted) await until(`delivery of ${id}`, () => delivered(id), 10_000);
    const counts = await query<{ message_id: string; n: string }>(
      `select message_id, count(*) as n from delivery_events where event_type = 'Delivery' group by message_id`,
    );
    const byId = new Map(counts.map((c) => [c.message_id, Number(c.n)]));
    for (const id of accepted) expect(byId.get(id), id).toBe(1);
    expect(node.proc.child.exitCode).toBeNull();
  });

  it('a node started while PostgreSQL is down waits for it (SESAME_DATABASE_WAIT) and starts when it is back', async () => {
    postgres.pause();
    let second: SesameNode;
    try {
      const env = {
        SESAME_DATABASE_URL: postgres.url,
        SESAME_DATABASE_WAIT: '60',
        SESAME_DATA_DIR: node.dataDir,
      };
      second = await spawnNode(env, 'waiting');
      await second.proc.waitFor(/is not reachable \(connect ECONNREFUSED [^)]*\); retrying for up to 60 s/);
    } finally {
      postgres.resume();
    }
    await second.proc.waitFor(/Sesame ready/, 30_000);
    expect(second.proc.stdout()).toContain('PostgreSQL is reachable');
    expect((await fetch(`${second.endpoint}/ready`)).status).toBe(200);
    second.proc.kill('SIGTERM');
    expect((await second.proc.exited).code).toBe(0);
  });
});
