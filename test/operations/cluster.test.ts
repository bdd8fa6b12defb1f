// Three `sesame serve` processes on one PostgreSQL database, as docs/operations.md sets them up:
// the same SESAME_MASTER_KEY, one SESAME_DATABASE_URL, two delivering nodes and one accept-only
// node, relaying to loopback SMTP receivers. Shows, through the API and SMTP of all three:
// one event-signing key and SMTP certificate; every MessageId delivered exactly once; MaxSendRate and the 24-hour quota held across nodes; an
// IAM change made on one node deciding on the others within IAM_PROPAGATION_MS; and `kill -9` of
// a node mid-delivery, its leased work finished by the others.
import { DeleteUserPolicyCommand, PutUserPolicyCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../src/delivery/smtp-sink.js';
import { openStore, type Store } from '../../src/store/database.js';
import { freshPostgresDatabase } from '../support/server.js';
import { stopAllSesameProcesses } from '../support/sesame-process.js';
import {
  MASTER_KEY,
  SEND_POLICY,
  createMailer,
  eventually,
  limitedAccount,
  prepareSending,
  sendViaApi,
  sendViaSmtp,
  startNode,
  type Credentials,
  type SesameNode,
} from '../support/nodes.js';

/** The bound docs/operations.md states: the generation poll (2 s) plus a request in flight. */
const IAM_PROPAGATION_MS = 3000;
const LEASE_SECONDS = 3;

const hasPostgres = process.env.SESAME_TEST_DATABASE_URL !== undefined;
let db: { url: string; drop: () => Promise<void> };
let store: Store;
let ok: SmtpSink;
let hang: SmtpSink;
let holding = false;
let a: SesameNode; // delivering, relays to `hang` (which stops answering when told to); killed last
let b: SesameNode; // delivering, relays to `ok`
let c: SesameNode; // accept-only (SESAME_DELIVERY_CONCURRENCY=0)
const accepted: string[] = [];

const headerId = (raw: Buffer) => /^Message-ID: <([^@>]+)@/im.exec(raw.toString('latin1'))?.[1];

/** Acknowledged deliveries per MessageId, at both receivers. */
function deliveries(): Map<string, number> {
  const n = new Map<string, number>();
  for (const m of [...ok.messages, ...hang.messages]) {
    const id = headerId(m.raw);
    if (id) n.set(id, (n.get(id) ?? 0) + 1);
  }
  return n;
}

const until = async (what: string, ms: number, fn: () => boolean | Promise<boolean>): Promise<number> =>
  (await eventually(what, ms, fn)).ms;

const apiSend = (node: SesameNode, to: string, credentials?: Credentials) =>
  sendViaApi(node, to, credentials, 'cluster');
const smtpSend = (node: SesameNode, to: string, credentials?: Credentials) =>
  sendViaSmtp(node, to, credentials, 'cluster');

/** A second account for a limit test, made by the operator on the shared store. */
const accountWith = (accountId: string, maxSendRate: number, max24HourSend: number) =>
  limitedAccount(store, accountId, maxSendRate, max24HourSend);

describe.skipIf(!hasPostgres)('three Sesame nodes on one PostgreSQL', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    db = await freshPostgresDatabase();
    ok = await startSmtpSink();
    hang = await startSmtpSink({ hold: () => holding });
    const shared = {
      SESAME_DATABASE_URL: db.url,
      SESAME_MASTER_KEY: MASTER_KEY,
      SESAME_DELIVERY_TRANSPORT: 'relay',
      // The relay is a local sink: auto verification reaches no real mailbox.
      SESAME_ALLOW_AUTO_VERIFICATION_WITH_REAL_DELIVERY: 'true',
      SESAME_DELIVERY_LEASE_SECONDS: String(LEASE_SECONDS),
      SESAME_PRODUCTION_MAX_SEND_RATE: '1000',
      SESAME_PRODUCTION_MAX_24_HOUR_SEND: '100000',
    };
    // The first node creates the store; the others join it.
    a = await startNode(
      {
        ...shared,
        SESAME_RELAY_URL: `smtp://127.0.0.1:${hang.port}?tls=off`,
        SESAME_DELIVERY_CONCURRENCY: '16',
      },
      'a',
    );
    [b, c] = await Promise.all([
      startNode(
        {
          ...shared,
          SESAME_RELAY_URL: `smtp://127.0.0.1:${ok.port}?tls=off`,
          SESAME_DELIVERY_CONCURRENCY: '4',
        },
        'b',
      ),
      startNode(
        {
          ...shared,
          SESAME_RELAY_URL: `smtp://127.0.0.1:${ok.port}?tls=off`,
          SESAME_DELIVERY_CONCURRENCY: '0',
        },
        'c',
      ),
    ]);
    await prepareSending(a);
    store = await openStore({ dataDir: '', databaseUrl: db.url });
  });
  afterAll(async () => {
    await stopAllSesameProcesses();
    await store?.close();
    await ok?.close();
    await hang?.close();
    await db?.drop();
  });

  it('signs events with one key and serves one SMTP certificate on every node', () => {
    const read = (n: SesameNode, f: string) => readFileSync(join(n.dataDir, f), 'utf8');
    for (const f of ['event-signing.key', 'smtp-tls.crt']) {
      expect(read(b, f)).toBe(read(a, f));
      expect(read(c, f)).toBe(read(a, f));
    }
  });

  it('accepts through the API and SMTP of every node', async () => {
    const sends: Promise<string>[] = [];
    for (const node of [a, b, c])
      for (let i = 0; i < 4; i++) {
        sends.push(apiSend(node, `api${i}@example.com`));
        sends.push(smtpSend(node, `smtp${i}@example.com`));
      }
    accepted.push(...(await Promise.all(sends)));
    expect(new Set(accepted).size).toBe(24);
    await until('delivery of all 24', 20_000, () => accepted.every((id) => deliveries().has(id)));
  });

  it('holds the 24-hour quota across nodes: 2x the quota sent at once, exactly the quota accepted', async () => {
    const credentials = await accountWith('222200001111', -1, 30);
    const attempts: Promise<string | undefined>[] = [];
    for (let i = 0; i < 60; i++) {
      const node = [a, b, c][i % 3]!;
      const send =
        i % 2
          ? smtpSend(node, `q${i}@example.com`, credentials)
          : apiSend(node, `q${i}@example.com`, credentials);
      attempts.push(
        send.catch((e: { name?: string; message?: string; response?: string }) => {
          // The refusal is the quota's, in each interface's words.
          expect(e.response ?? `${e.name}: ${e.message}`).toMatch(
            /^(454 Throttling failure: Daily message quota exceeded\.|TooManyRequestsException: Daily message quota exceeded\.)$/,
          );
          return undefined;
        }),
      );
    }
    const ids = (await Promise.all(attempts)).filter((id): id is string => id !== undefined);
    expect(ids).toHaveLength(30);
    accepted.push(...ids);
  });

  it('holds MaxSendRate across nodes (one bucket, not one per node)', async () => {
    const rate = 4;
    const credentials = await accountWith('222200002222', rate, 100_000);
    const started = Date.now();
    const ids: string[] = [];
    // Three nodes sending as fast as they can for about 1.5 s.
    await Promise.all(
      [a, b, c].map(async (node, n) => {
        for (let i = 0; Date.now() - started < 1500; i++)
          await apiSend(node, `r${n}-${i}@example.com`, credentials).then(
            (id) => ids.push(id),
            (e: Error) =>
              expect(`${e.name}: ${e.message}`).toBe(
                'TooManyRequestsException: Maximum sending rate exceeded.',
              ),
          );
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    // A full bucket (4) plus what it refills meanwhile; one bucket per node would allow 3 times that.
    expect(ids.length).toBeGreaterThanOrEqual(rate);
    expect(ids.length).toBeLessThanOrEqual(Math.floor(rate + rate * seconds) + 1);
    accepted.push(...ids);
  });

  it(`decides an IAM change made on one node on the others within ${IAM_PROPAGATION_MS} ms`, async () => {
    const { iam, mailer } = await createMailer(a);
    // Cached on b and c: they have decided for this key already.
    for (const node of [b, c]) accepted.push(await apiSend(node, 'iam@example.com', mailer));

    const outcome = async (node: SesameNode) =>
      apiSend(node, 'iam@example.com', mailer).then(
        (id) => (accepted.push(id), 'sent'),
        (e: Error) => e.name,
      );
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'mailer', PolicyName: 'send' }));
    for (const node of [b, c]) {
      const ms = await until(
        'policy removal seen',
        IAM_PROPAGATION_MS,
        async () => (await outcome(node)) === 'AccessDeniedException',
      );
      expect(ms).toBeLessThanOrEqual(IAM_PROPAGATION_MS);
    }

    await iam.send(
      new PutUserPolicyCommand({ UserName: 'mailer', PolicyName: 'send', PolicyDocument: SEND_POLICY }),
    );
    for (const node of [b, c])
      await until('policy restored', IAM_PROPAGATION_MS, async () => (await outcome(node)) === 'sent');
    await iam.send(
      new UpdateAccessKeyCommand({ UserName: 'mailer', AccessKeyId: mailer.accessKeyId, Status: 'Inactive' }),
    );
    for (const node of [b, c]) {
      const ms = await until(
        'key deactivation seen',
        IAM_PROPAGATION_MS,
        async () => (await outcome(node)) === 'UnrecognizedClientException',
      );
      expect(ms).toBeLessThanOrEqual(IAM_PROPAGATION_MS);
    }
  });

  it('kill -9 of a node mid-delivery: its leased messages are delivered by the others, each once', async () => {
    holding = true; // a's receiver stops answering: a's deliveries hang, leased
    const batch: Promise<string>[] = [];
    for (const node of [a, b, c]) for (let i = 0; i < 5; i++) batch.push(apiSend(node, `k${i}@example.com`));
    accepted.push(...(await Promise.all(batch)));
    await until('a holding leased work', 10_000, () => hang.held() > 0);
    a.proc.kill('SIGKILL');
    const { signal } = await a.proc.exited;
    expect(signal).toBe('SIGKILL');
    // After the lease (SESAME_DELIVERY_LEASE_SECONDS) b reclaims what a held, and delivers it.
    await until('every accepted message delivered', 30_000, () =>
      accepted.every((id) => deliveries().has(id)),
    );
    const counts = deliveries();
    for (const id of accepted) expect(counts.get(id), id).toBe(1);
    expect(hang.held()).toBeGreaterThan(0);
  });
});
