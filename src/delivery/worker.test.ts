import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSuppressed, putSuppressedDestination } from '../ses/state/index.js';
import { insertConfigurationSet } from '../ses/state/configuration-sets.js';
import { DEFAULT_POOL, declareDedicatedIps, recipientsSentToday } from '../ses/state/dedicated-ips.js';
import { testDialects, type Store } from '../store/database.js';
import { eventsOfMessage } from './events.js';
import { notify } from './notify.js';
import { startDelivery } from './worker.js';
import {
  ACCOUNT,
  REGION,
  config,
  enqueue,
  eventually,
  openDeliveryStore,
  scriptedTransport,
  silentLog,
} from './test-support.js';

describe.each(testDialects())('delivery workers (%s)', (dialect) => {
  let store: Store;
  beforeAll(async () => {
    store = await openDeliveryStore(dialect);
  });
  afterAll(async () => store.close());

  const outboxRow = (id: string) =>
    store.db.selectFrom('outbox').selectAll().where('message_id', '=', id).executeTakeFirstOrThrow();
  const captured = (id: string) =>
    store.db.selectFrom('captured_messages').selectAll().where('message_id', '=', id).execute();

  it('captures an accepted message once, as it would leave, with Send and Delivery events', async () => {
    // A 30 s poll: only the wake-up can deliver within 10 s, however loaded the machine (2 s was
    // too tight for PostgreSQL under the whole suite).
    const w = startDelivery({ store, config, log: silentLog, tuning: { pollMs: 30_000 } });
    try {
      const id = await enqueue(store, ['rcpt@example.net']);
      const t0 = Date.now();
      notify('outbox'); // wakes the worker long before its poll
      await eventually(async () => (await outboxRow(id)).status === 'delivered', 10_000);
      expect(Date.now() - t0).toBeLessThan(10_000);
      const rows = await captured(id);
      expect(rows).toHaveLength(1);
      const raw = Buffer.from(rows[0]!.raw).toString();
      expect(
        raw.startsWith(
          `Return-Path: <${id}@amazonses.com>\r\nMessage-ID: <${id}@us-east-1.amazonses.com>\r\n`,
        ),
      ).toBe(true);
      expect(raw).not.toContain('caller-supplied@example.com');
      expect(raw.endsWith('\r\n\r\nBody line one.\r\n.leading dot\r\nlast line\r\n')).toBe(true);
      expect(rows[0]!.mail_from).toBe(`${id}@amazonses.com`);
      expect(JSON.parse(rows[0]!.recipients)).toEqual(['rcpt@example.net']);
      expect(rows[0]!.subject).toBe('Hello');
      const events = await eventsOfMessage(store, id);
      expect(events.map((e) => e.type)).toEqual(['Send', 'Delivery']);
      const delivery = events[1]!.payload.delivery as Record<string, unknown>;
      expect(delivery.recipients).toEqual(['rcpt@example.net']);
      expect(delivery.smtpResponse).toBe('250 2.0.0 OK (captured by Sesame)');
      expect((events[1]!.payload.mail as { messageId: string }).messageId).toBe(id);
    } finally {
      await w.stop();
    }
  });

  it("keeps the mailbox's copy only with the attempt's events and settle: a commit that fails keeps none of them", async () => {
    const id = await enqueue(store, ['atomic@example.net']);
    // A real database refusal of this message's events, as a full disk or a lost server would be.
    const refuse =
      dialect === 'sqlite'
        ? [
            `create trigger refuse_events before insert on delivery_events when new.message_id = '${id}'
             begin select raise(abort, 'refused by the test'); end`,
          ]
        : [
            `create function refuse_events() returns trigger language plpgsql as
             $$ begin raise exception 'refused by the test'; end $$`,
            `create trigger refuse_events before insert on delivery_events for each row
             when (new.message_id = '${id}') execute function refuse_events()`,
          ];
    const allow =
      dialect === 'sqlite'
        ? ['drop trigger refuse_events']
        : ['drop trigger refuse_events on delivery_events', 'drop function refuse_events()'];
    const run = async (statements: string[]) => {
      for (const s of statements) await store.db.executeQuery(CompiledQuery.raw(s));
    };
    await run(refuse);
    let refusing = true;
    const w = startDelivery({ store, config, log: silentLog, tuning: { pollMs: 20, leaseMs: 200 } });
    try {
      // Two attempts refused (the first one failed; it was requeued and claimed again).
      await eventually(async () => Number((await outboxRow(id)).attempts) >= 2, 10_000);
      expect(await captured(id)).toEqual([]);
      expect(await eventsOfMessage(store, id)).toEqual([]);
      expect(['sending', 'queued']).toContain((await outboxRow(id)).status); // leased, or reclaimed
      await run(allow);
      refusing = false;
      await eventually(async () => (await outboxRow(id)).status === 'delivered', 10_000);
      expect(await captured(id)).toHaveLength(1);
      expect((await eventsOfMessage(store, id)).map((e) => e.type)).toEqual(['Send', 'Delivery']);
    } finally {
      await w.stop();
      if (refusing) await run(allow);
    }
  });

  it('retries temporary failures with backoff (DeliveryDelay), then delivers only the pending recipient', async () => {
    const t = scriptedTransport((r, call) => (r.startsWith('ok') || call >= 3 ? 'delivered' : 'temp'));
    const w = startDelivery({
      store,
      config,
      log: silentLog,
      transport: t,
      tuning: { pollMs: 10, retryBaseMs: 20, retryMaxMs: 100 },
    });
    try {
      const id = await enqueue(store, ['ok@example.net', 'slow@example.net']);
      await eventually(async () => (await outboxRow(id)).status === 'delivered', 4000);
      expect(t.sent.filter((m) => m.messageId === id).map((m) => m.recipients)).toEqual([
        ['ok@example.net', 'slow@example.net'],
        ['slow@example.net'],
        ['slow@example.net'],
      ]);
      const events = await eventsOfMessage(store, id);
      expect(events.map((e) => `${e.type}:${e.recipients.join(',')}`).sort()).toEqual(
        [
          'Send:',
          'Delivery:ok@example.net',
          'DeliveryDelay:slow@example.net',
          'DeliveryDelay:slow@example.net',
          'Delivery:slow@example.net',
        ].sort(),
      );
      const delay = events.find((e) => e.type === 'DeliveryDelay')!.payload.deliveryDelay as Record<
        string,
        unknown
      >;
      expect(delay.delayType).toBe('TransientCommunicationFailure');
      expect(delay.delayedRecipients).toEqual([
        {
          emailAddress: 'slow@example.net',
          status: '4.3.0',
          diagnosticCode: 'smtp; 451 4.3.0 Try again later',
        },
      ]);
      expect(Number((await outboxRow(id)).attempts)).toBe(3);
    } finally {
      await w.stop();
    }
  });

  it("counts a dedicated address's warm-up volume once per recipient that left, not per attempt", async () => {
    const ip = dialect === 'sqlite' ? '127.0.0.21' : '127.0.0.22';
    const now = new Date();
    await declareDedicatedIps(store, [{ ip, accountId: ACCOUNT, region: REGION }], now);
    const cs = `pooled-${dialect}`;
    const pool = { deliveryOptions: { SendingPoolName: DEFAULT_POOL } };
    await insertConfigurationSet(store, ACCOUNT, REGION, cs, pool, [], now);
    // The first two attempts fail temporarily (4xx): those recipients did not leave from the address.
    const t = scriptedTransport((_r, call) => (call >= 3 ? 'delivered' : 'temp'));
    const w = startDelivery({
      store,
      config,
      log: silentLog,
      transport: t,
      tuning: { pollMs: 10, retryBaseMs: 20, retryMaxMs: 100 },
    });
    try {
      const id = await enqueue(store, ['warm@example.net'], { configurationSet: cs });
      await eventually(async () => (await outboxRow(id)).status === 'delivered', 4000);
      expect(t.sent.filter((m) => m.messageId === id).map((m) => m.localAddress)).toEqual([ip, ip, ip]);
      expect((await recipientsSentToday(store, [ip], new Date())).get(ip)).toBe(1);
    } finally {
      await w.stop();
    }
  });

  it('bounces a permanent failure and suppresses the address; later sends to it bounce as suppressed', async () => {
    const t = scriptedTransport((r) => (r.startsWith('gone') ? 'perm' : 'delivered'));
    const w = startDelivery({ store, config, log: silentLog, transport: t, tuning: { pollMs: 10 } });
    try {
      const id = await enqueue(store, ['gone@example.net']);
      await eventually(async () => (await outboxRow(id)).status === 'failed');
      const bounce = (await eventsOfMessage(store, id)).find((e) => e.type === 'Bounce')!.payload
        .bounce as Record<string, unknown>;
      expect([bounce.bounceType, bounce.bounceSubType]).toEqual(['Permanent', 'General']);
      expect(bounce.bouncedRecipients).toEqual([
        {
          emailAddress: 'gone@example.net',
          action: 'failed',
          status: '5.1.1',
          diagnosticCode: 'smtp; 550 5.1.1 No such user',
        },
      ]);
      expect((await isSuppressed(store, ACCOUNT, REGION, 'gone@example.net'))?.reason).toBe('BOUNCE');

      const sentBefore = t.sent.length;
      const id2 = await enqueue(store, ['Gone@example.net', 'fine@example.net']);
      await eventually(async () => (await outboxRow(id2)).status === 'delivered');
      expect(t.sent.slice(sentBefore).map((m) => m.recipients)).toEqual([['fine@example.net']]);
      const b2 = (await eventsOfMessage(store, id2)).find((e) => e.type === 'Bounce')!.payload
        .bounce as Record<string, unknown>;
      expect([b2.bounceType, b2.bounceSubType]).toEqual(['Permanent', 'OnAccountSuppressionList']);
      expect((b2.bouncedRecipients as { emailAddress: string }[]).map((r) => r.emailAddress)).toEqual([
        'Gone@example.net',
      ]);
    } finally {
      await w.stop();
    }
  });

  it("checks a message's recipients against the suppression list at once: the listed ones bounce, whatever their case", async () => {
    await putSuppressedDestination(store, ACCOUNT, REGION, 'Listed@Example.org', 'BOUNCE', new Date());
    const w = startDelivery({ store, config, log: silentLog, tuning: { pollMs: 10 } });
    try {
      const id = await enqueue(store, ['fine@example.org', 'LISTED@example.org', 'also-fine@example.org']);
      await eventually(async () => (await outboxRow(id)).status === 'delivered');
      expect(JSON.parse((await captured(id))[0]!.recipients)).toEqual([
        'fine@example.org',
        'also-fine@example.org',
      ]);
      const bounce = (await eventsOfMessage(store, id)).find((e) => e.type === 'Bounce')!;
      const b = bounce.payload.bounce as {
        bounceSubType: string;
        bouncedRecipients: { emailAddress: string }[];
      };
      expect([b.bounceSubType, b.bouncedRecipients.map((r) => r.emailAddress)]).toEqual([
        'OnAccountSuppressionList',
        ['LISTED@example.org'],
      ]);
    } finally {
      await w.stop();
    }
  });

  it('an address suppressed for COMPLAINT is not delivered either', async () => {
    await putSuppressedDestination(store, ACCOUNT, REGION, 'angry@example.net', 'COMPLAINT', new Date());
    const t = scriptedTransport(() => 'delivered');
    const w = startDelivery({ store, config, log: silentLog, transport: t, tuning: { pollMs: 10 } });
    try {
      const id = await enqueue(store, ['angry@example.net']);
      await eventually(async () => (await outboxRow(id)).status === 'failed');
      expect(t.sent).toEqual([]);
    } finally {
      await w.stop();
    }
  });

  it('gives up after the maximum age with an expiry bounce that does not suppress', async () => {
    const t = scriptedTransport(() => 'throw');
    const w = startDelivery({
      store,
      config,
      log: silentLog,
      transport: t,
      tuning: { pollMs: 10, retryBaseMs: 10, maxAgeMs: 150 },
    });
    try {
      const id = await enqueue(store, ['down@example.org']);
      await eventually(async () => (await outboxRow(id)).status === 'failed', 4000);
      const events = await eventsOfMessage(store, id);
      const bounce = events.find((e) => e.type === 'Bounce')!.payload.bounce as {
        bouncedRecipients: { diagnosticCode: string; status: string }[];
      };
      expect(bounce.bouncedRecipients[0]!.status).toBe('4.4.7');
      expect(bounce.bouncedRecipients[0]!.diagnosticCode).toMatch(
        /^smtp; 554 4\.4\.7 Message expired: unable to deliver in 0 minutes\.<451 ECONNREFUSED: connect ECONNREFUSED>$/,
      );
      expect(events.filter((e) => e.type === 'DeliveryDelay').length).toBeGreaterThan(0);
      expect(await isSuppressed(store, ACCOUNT, REGION, 'down@example.org')).toBeUndefined();
    } finally {
      await w.stop();
    }
  });

  it('stop() waits for in-flight work and leaves no lease behind', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const t = scriptedTransport(() => 'delivered');
    const slow = { ...t, deliver: async (m: Parameters<typeof t.deliver>[0]) => (await gate, t.deliver(m)) };
    const w = startDelivery({ store, config, log: silentLog, transport: slow, tuning: { pollMs: 10 } });
    const id = await enqueue(store, ['wait@example.net']);
    await eventually(async () => (await outboxRow(id)).status === 'sending');
    const stopped = w.stop();
    setTimeout(release, 50);
    await stopped;
    const row = await outboxRow(id);
    expect([row.status, row.lease_owner, row.lease_until]).toEqual(['delivered', null, null]);
  });

  it('stop() past its timeout releases the claimed row for another worker', async () => {
    const t = scriptedTransport(() => 'delivered');
    const stuck = { ...t, deliver: () => new Promise<never>(() => {}) };
    const w = startDelivery({
      store,
      config,
      log: silentLog,
      transport: stuck,
      tuning: { pollMs: 10, stopTimeoutMs: 50 },
    });
    const id = await enqueue(store, ['stuck@example.net']);
    await eventually(async () => (await outboxRow(id)).status === 'sending');
    await w.stop();
    const row = await outboxRow(id);
    expect([row.status, row.lease_owner, row.lease_until]).toEqual(['queued', null, null]);
    await store.db.deleteFrom('outbox').where('message_id', '=', id).execute();
  });
  it('polls an empty outbox less and less while idle, and still finds a message committed without a wake-up', async () => {
    let reads = 0; // the loop reads the clock once or more per poll
    const w = startDelivery({
      store,
      config,
      log: silentLog,
      now: () => {
        reads++;
        return new Date();
      },
    });
    try {
      await new Promise((r) => setTimeout(r, 2500));
      // Every 100 ms for 2.5 s would be 25 polls (50+ clock reads); backing off 100, 200, 400, 800,
      // 1000 ms it is 5 or 6 polls.
      expect(reads).toBeLessThan(25);
      expect(reads).toBeGreaterThan(3);
      // Committed as another node would commit it: no notify('outbox'). The next poll (within a second) finds it.
      const id = await enqueue(store, ['quiet@example.net']);
      const t0 = Date.now();
      await eventually(async () => (await outboxRow(id)).status === 'delivered', 5000);
      expect(Date.now() - t0).toBeLessThan(2500);
    } finally {
      await w.stop();
    }
  });
});
