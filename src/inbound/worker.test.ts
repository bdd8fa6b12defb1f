// The durable action queue on a real store (SQLite and PostgreSQL): a worker that dies mid-action
// loses its lease, another resumes at the first action not recorded as run (done ones are not run
// again), and the dead worker's late step writes nothing; a graceful stop gives the row back where
// it stopped.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertIdentity } from '../ses/state/identities.js';
import { insertRuleSet, setActiveRuleSet } from '../ses/receiving/rule-sets.js';
import { openTestStore, testDialects, type Store } from '../store/database.js';
import type { ActionEnv } from './actions.js';
import { receiveMessage, type ReceiveDeps } from './receive.js';
import type { TraceEntry } from './run.js';
import { startInboundWorker } from './worker.js';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const FN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:decide`;
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:stops`;
const log = { warn() {}, error() {}, debug() {} };
const RAW = Buffer.from('From: a@sender.example\r\nTo: b@in.example\r\nSubject: s\r\n\r\nbody\r\n');

/** A function endpoint that holds every call until the test answers it. */
async function heldFunction() {
  const calls: ServerResponse[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => calls.push(res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/decide`,
    calls,
    answer: (n: number, body: object) => {
      calls[n]!.setHeader('content-type', 'application/json');
      calls[n]!.end(JSON.stringify(body));
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function until<T>(read: () => Promise<T> | T, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not met');
}

describe.each(testDialects())('inbound action queue (%s)', (dialect) => {
  let store: Store;
  let fn: Awaited<ReturnType<typeof heldFunction>>;
  let env: ActionEnv;
  let deps: ReceiveDeps;

  beforeAll(async () => {
    store = await openTestStore(dialect);
    fn = await heldFunction();
    env = {
      subscribers: new Map([[TOPIC, ['http://127.0.0.1:9/stops']]]),
      functions: new Map([[FN, fn.url]]),
      signingKey: Buffer.alloc(32, 1),
      lambdaTimeoutMs: 30_000,
      wakeDelivery: () => {},
      mayUseBucket: () => true,
    };
    deps = {
      store,
      region: REGION,
      resolve: () => Promise.reject(Object.assign(new Error('no DNS here'), { code: 'ENOTFOUND' })),
      scanners: {},
      now: () => new Date(),
    };
    const now = new Date();
    await insertIdentity(store, ACCOUNT, REGION, {
      identity: 'in.example',
      type: 'Domain',
      status: 'Success',
      now,
    });
    const rule = {
      Name: 'flow',
      Enabled: true,
      TlsPolicy: 'Optional' as const,
      Recipients: [],
      ScanEnabled: false,
      Actions: [
        { AddHeaderAction: { HeaderName: 'X-Step', HeaderValue: 'one' } },
        { LambdaAction: { FunctionArn: FN, InvocationType: 'RequestResponse' as const } },
        { StopAction: { Scope: 'RuleSet' as const, TopicArn: TOPIC } },
      ],
    };
    await insertRuleSet(store, { accountId: ACCOUNT, region: REGION }, 'set', [rule], now);
    await setActiveRuleSet(store, { accountId: ACCOUNT, region: REGION }, 'set');
  });
  afterAll(async () => {
    await fn.close();
    await store.close();
  });

  const row = (id: string) =>
    store.db
      .selectFrom('inbound_messages')
      .selectAll()
      .where('message_id', '=', id)
      .executeTakeFirstOrThrow();
  const trace = async (id: string) =>
    (JSON.parse((await row(id)).trace) as TraceEntry[]).map((e) => [e.event, e.action ?? null]);

  /** Receives one message for b@in.example; resolves to its id. */
  const receive = async () => {
    const envelope = {
      mailFrom: 'a@sender.example',
      recipients: ['b@in.example'],
      ip: '192.0.2.1',
      helo: 'mx.sender.example',
      secure: false,
    };
    const [received] = await receiveMessage(deps, envelope, RAW);
    return received!.messageId;
  };

  it("resumes a dead worker's message at its first unrecorded action and fences the dead worker out", async () => {
    const id = await receive();
    const calls = fn.calls.length;
    const tuning = { leaseMs: 60_000, pollMs: 20, stopTimeoutMs: 200 };
    const a = startInboundWorker({ store, env, log, concurrency: 1, tuning, workerId: 'worker-a' });
    // A ran AddHeader and is inside the RequestResponse call: then it "dies" (its lease runs out).
    await until(
      () => fn.calls.length,
      (n) => n === calls + 1,
    );
    expect(await trace(id)).toEqual([
      ['Received', null],
      ['Action', 'AddHeaderAction'],
    ]);
    const later = () => new Date(Date.now() + 120_000);
    const b = startInboundWorker({
      store,
      env,
      log,
      concurrency: 1,
      tuning,
      workerId: 'worker-b',
      now: later,
    });
    await until(
      () => fn.calls.length,
      (n) => n === calls + 2,
    );
    expect((await row(id)).lease_owner).toBe('worker-b');
    fn.answer(calls + 1, { disposition: 'CONTINUE' });
    await until(
      () => row(id),
      (r) => r.status === 'done',
    );
    // A's call returns after B finished: A's step must write nothing.
    fn.answer(calls, { disposition: 'STOP_RULE_SET' });
    await a.stop();
    await b.stop();
    expect(await trace(id)).toEqual([
      ['Received', null],
      ['Action', 'AddHeaderAction'],
      ['Action', 'LambdaAction'],
      ['Action', 'StopAction'],
      ['Completed', null],
    ]);
    expect(JSON.parse((await row(id)).added_headers)).toEqual([{ name: 'X-Step', value: 'one' }]);
    const stops = await store.db
      .selectFrom('event_publications')
      .select(['kind', 'target'])
      .where('message_id', '=', id)
      .execute();
    expect(stops).toEqual([{ kind: 'sns', target: TOPIC }]);
  });

  it('a graceful stop gives the message back where it stopped', async () => {
    const id = await receive();
    const calls = fn.calls.length;
    const w = startInboundWorker({
      store,
      env,
      log,
      concurrency: 1,
      tuning: { pollMs: 20, stopTimeoutMs: 100 },
      workerId: 'worker-c',
    });
    await until(
      () => fn.calls.length,
      (n) => n === calls + 1,
    );
    await w.stop(); // the function has not answered: the action is not recorded
    expect(await row(id)).toMatchObject({
      status: 'queued',
      lease_owner: null,
      rule_index: 0,
      action_index: 1,
    });
    fn.answer(calls, { disposition: 'CONTINUE' });
    const next = startInboundWorker({
      store,
      env,
      log,
      concurrency: 1,
      tuning: { pollMs: 20 },
      workerId: 'worker-d',
    });
    await until(
      () => fn.calls.length,
      (n) => n === calls + 2,
    );
    fn.answer(calls + 1, { disposition: 'STOP_RULE' });
    await until(
      () => row(id),
      (r) => r.status === 'done',
    );
    await next.stop();
    expect(await trace(id)).toEqual([
      ['Received', null],
      ['Action', 'AddHeaderAction'],
      ['Action', 'LambdaAction'],
      ['Completed', null],
    ]);
  });
});
