import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { insertEventDestination } from '../../ses/state/configuration-sets.js';
import { insertIdentity, updateIdentity } from '../../ses/state/identities.js';
import { testDialects, type Store } from '../../store/database.js';
import {
  ACCOUNT,
  REGION,
  config,
  enqueue,
  eventually,
  openDeliveryStore,
  scriptedTransport,
  silentLog,
} from '../test-support.js';
import { startDelivery } from '../worker.js';
import { SIGNATURE_HEADER, verifyBody } from './envelope.js';
import { publishTargets } from './fanout.js';
import { listDeadLetters, startPublisher, type PublisherHandle } from './publisher.js';

interface Hit {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A loopback subscriber: records every POST; `status(n)` picks the reply to the n-th request. */
async function subscriber(status: (n: number) => number = () => 200) {
  const hits: Hit[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = status(hits.length);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { hits, base, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const topic = (name: string) => `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`;
const KEY = Buffer.alloc(32, 7);
const fast = { pollMs: 10, retryBaseMs: 1, leaseMs: 60_000 };

describe.each(testDialects())('event publishing (%s)', (dialect) => {
  let store: Store;
  let sub: Awaited<ReturnType<typeof subscriber>>;
  let publisher: PublisherHandle | undefined;
  beforeAll(async () => {
    store = await openDeliveryStore(dialect);
    sub = await subscriber();
    const now = new Date();
    await insertEventDestination(
      store,
      ACCOUNT,
      REGION,
      'cs1',
      'to-sns',
      {
        Enabled: true,
        MatchingEventTypes: ['SEND', 'DELIVERY', 'BOUNCE'],
        SnsDestination: { TopicArn: topic('events') },
      },
      now,
    );
    await insertEventDestination(
      store,
      ACCOUNT,
      REGION,
      'cs1',
      'to-bus',
      {
        Enabled: true,
        MatchingEventTypes: ['DELIVERY'],
        EventBridgeDestination: { EventBusArn: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default` },
      },
      now,
    );
    await insertEventDestination(
      store,
      ACCOUNT,
      REGION,
      'cs1',
      'off',
      {
        Enabled: false,
        MatchingEventTypes: ['SEND', 'DELIVERY', 'BOUNCE', 'COMPLAINT'],
        SnsDestination: { TopicArn: topic('disabled') },
      },
      now,
    );
    await insertIdentity(store, ACCOUNT, REGION, {
      identity: 'example.com',
      type: 'Domain',
      status: 'Success',
      now,
    });
    await updateIdentity(store, ACCOUNT, REGION, 'example.com', {
      bounce_topic: topic('bounces'),
      delivery_topic: topic('unmapped'),
      headers_in_bounce: 1,
    });
  });
  afterEach(async () => {
    await publisher?.stop();
    publisher = undefined;
  });
  afterAll(async () => {
    await sub.close();
    await store.close();
  });

  it('publishes configuration-set destinations and identity notifications, signed, once each', async () => {
    const targets = publishTargets({
      snsSubscriptions: [
        { topicArn: topic('events'), url: `${sub.base}/events` },
        { topicArn: topic('bounces'), url: `${sub.base}/bounces` },
        { topicArn: topic('disabled'), url: `${sub.base}/disabled` },
      ],
      eventBridgeWebhook: `${sub.base}/bus`,
    });
    const transport = scriptedTransport((r) => (r.startsWith('nouser') ? 'perm' : 'delivered'));
    const w = startDelivery({
      store,
      config,
      log: silentLog,
      transport,
      publishing: targets,
      tuning: { pollMs: 10 },
    });
    const messageId = await enqueue(store, ['ok@example.net', 'nouser@example.net'], {
      configurationSet: 'cs1',
    });
    try {
      await eventually(
        async () =>
          (
            await store.db
              .selectFrom('outbox')
              .select('status')
              .where('message_id', '=', messageId)
              .executeTakeFirst()
          )?.status === 'delivered',
      );
    } finally {
      await w.stop();
    }
    publisher = startPublisher({ store, key: KEY, log: silentLog, tuning: fast });
    await eventually(async () => sub.hits.length >= 5);
    await new Promise((r) => setTimeout(r, 100)); // nothing more arrives
    expect(sub.hits).toHaveLength(5);
    for (const h of sub.hits)
      expect(verifyBody(KEY, h.body, h.headers[SIGNATURE_HEADER] as string)).toBe(true);
    expect(
      verifyBody(Buffer.alloc(32, 8), sub.hits[0]!.body, sub.hits[0]!.headers[SIGNATURE_HEADER] as string),
    ).toBe(false);

    const sns = sub.hits
      .filter((h) => h.path === '/events')
      .map((h) => JSON.parse(h.body) as Record<string, string>);
    expect(sns.map((e) => (JSON.parse(e.Message!) as { eventType: string }).eventType).sort()).toEqual([
      'Bounce',
      'Delivery',
      'Send',
    ]);
    for (const e of sns)
      expect(e).toMatchObject({
        Type: 'Notification',
        TopicArn: topic('events'),
        Subject: 'Amazon SES Email Event Notification',
        SignatureVersion: 'sesame-hmac-sha256',
      });
    const snsHit = sub.hits.find((h) => h.path === '/events')!;
    expect(snsHit.headers['x-amz-sns-message-type']).toBe('Notification');
    expect(snsHit.headers['x-amz-sns-topic-arn']).toBe(topic('events'));
    expect(snsHit.headers['content-type']).toBe('text/plain; charset=UTF-8');

    const bus = sub.hits
      .filter((h) => h.path === '/bus')
      .map((h) => JSON.parse(h.body) as Record<string, unknown>);
    expect(bus).toHaveLength(1);
    expect(bus[0]).toMatchObject({
      version: '0',
      'detail-type': 'Email Delivered',
      source: 'aws.ses',
      account: ACCOUNT,
      region: REGION,
      resources: [`arn:aws:ses:${REGION}:${ACCOUNT}:configuration-set/cs1`],
      detail: { eventType: 'Delivery', delivery: { recipients: ['ok@example.net'] } },
    });

    const bounces = sub.hits
      .filter((h) => h.path === '/bounces')
      .map((h) => JSON.parse(h.body) as Record<string, string>);
    expect(bounces).toHaveLength(1);
    expect(bounces[0]!.Subject).toBeUndefined();
    const note = JSON.parse(bounces[0]!.Message!) as Record<string, Record<string, unknown>>;
    expect(note.notificationType).toBe('Bounce');
    expect(note.bounce).toMatchObject({
      bounceType: 'Permanent',
      bouncedRecipients: [{ emailAddress: 'nouser@example.net' }],
    });
    expect(note.mail!.messageId).toBe(messageId);
    expect(note.mail!.headers).toBeInstanceOf(Array); // headers_in_bounce
    expect(note.mail!.tags).toBeUndefined();
    expect(sub.hits.some((h) => h.path === '/disabled')).toBe(false);
    expect(await store.db.selectFrom('event_publications').selectAll().execute()).toEqual([]);
  });

  it('retries with backoff, then dead-letters after maxAttempts failures', async () => {
    const failing = await subscriber(() => 500);
    const flaky = await subscriber((n) => (n === 1 ? 503 : 200));
    try {
      const targets = publishTargets({
        snsSubscriptions: [
          { topicArn: topic('events'), url: `${failing.base}/dead` },
          { topicArn: topic('events'), url: `${flaky.base}/flaky` },
        ],
      });
      const w = startDelivery({
        store,
        config,
        log: silentLog,
        transport: scriptedTransport(() => 'delivered'),
        publishing: targets,
        tuning: { pollMs: 10 },
      });
      const messageId = await enqueue(store, ['ok2@example.net'], { configurationSet: 'cs1' });
      try {
        await eventually(
          async () =>
            (
              await store.db
                .selectFrom('outbox')
                .select('status')
                .where('message_id', '=', messageId)
                .executeTakeFirst()
            )?.status === 'delivered',
        );
      } finally {
        await w.stop();
      }
      publisher = startPublisher({ store, key: KEY, log: silentLog, tuning: { ...fast, maxAttempts: 3 } });
      // Send + Delivery to each subscriber.
      const dead = await eventually(async () => {
        const d = await listDeadLetters(store, ACCOUNT);
        return d.length === 2 ? d : undefined;
      });
      expect(failing.hits).toHaveLength(6);
      expect(dead.map((d) => [d.url, Number(d.attempts), d.last_error, d.message_id])).toEqual([
        [`${failing.base}/dead`, 3, 'HTTP 500', messageId],
        [`${failing.base}/dead`, 3, 'HTTP 500', messageId],
      ]);
      // The flaky subscriber got its two events after one failed attempt; no dead letter for it.
      await eventually(async () => flaky.hits.length === 3);
      expect(new Set(flaky.hits.map((h) => JSON.parse(h.body).MessageId as string)).size).toBe(2);
      expect(await store.db.selectFrom('event_publications').selectAll().execute()).toEqual([]);
    } finally {
      await failing.close();
      await flaky.close();
    }
  });
});
