import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOutboxMessage } from '../ses/send/outbox.js';
import { testDialects, type Store } from '../store/database.js';
import { deleteMessage, getMessage, listMessages, messageTimeline } from './mailbox.js';
import { startDelivery } from './worker.js';
import {
  ACCOUNT,
  config,
  enqueue,
  eventually,
  openDeliveryStore,
  rawMessage,
  silentLog,
} from './test-support.js';

describe.each(testDialects())('mailbox helpers (%s)', (dialect) => {
  let store: Store;
  const ids: string[] = [];
  beforeAll(async () => {
    store = await openDeliveryStore(dialect);
    const w = startDelivery({ store, config, log: silentLog, tuning: { pollMs: 10 } });
    ids.push(await enqueue(store, ['Ann@Example.net'], { raw: rawMessage({ subject: 'Invoice 42' }) }));
    ids.push(
      await enqueue(store, ['bob_x@example.net', 'ann@example.net'], {
        raw: rawMessage({ subject: 'Hello 100%' }),
        principalArn: `arn:aws:iam::${ACCOUNT}:user/bob`,
        fromAddress: 'news@Other.org',
      }),
    );
    ids.push(
      await enqueue(store, ['carol@example.net'], {
        accountId: '222222222222',
        raw: rawMessage({ subject: 'Other account' }),
      }),
    );
    await eventually(async () => {
      const rows = await store.db.selectFrom('outbox').select('status').execute();
      return rows.length === 3 && rows.every((r) => r.status === 'delivered');
    });
    await w.stop();
  });
  afterAll(async () => store.close());

  it('lists an account’s messages, filterable by recipient and text', async () => {
    const all = await listMessages(store, { accountId: ACCOUNT });
    expect(all.map((m) => m.messageId).sort()).toEqual([ids[0], ids[1]].sort());
    expect((await listMessages(store, { accountId: ACCOUNT, recipient: 'ann@example.net' })).length).toBe(2);
    expect(
      (await listMessages(store, { accountId: ACCOUNT, recipient: 'bob_x@example.net' })).map(
        (m) => m.messageId,
      ),
    ).toEqual([ids[1]]);
    // `_` and `%` are literal, not wildcards.
    expect(await listMessages(store, { accountId: ACCOUNT, recipient: 'bobzx@example.net' })).toEqual([]);
    expect(
      (await listMessages(store, { accountId: ACCOUNT, query: 'invoice' })).map((m) => m.subject),
    ).toEqual(['Invoice 42']);
    expect((await listMessages(store, { accountId: ACCOUNT, query: '100%' })).map((m) => m.subject)).toEqual([
      'Hello 100%',
    ]);
    expect(await listMessages(store, { accountId: ACCOUNT, query: '1000%' })).toEqual([]);
    expect(await listMessages(store, { accountId: ACCOUNT, since: new Date(Date.now() + 60_000) })).toEqual(
      [],
    );
    const page1 = await listMessages(store, { accountId: ACCOUNT, limit: 1 });
    const page2 = await listMessages(store, {
      accountId: ACCOUNT,
      limit: 1,
      after: { deliveredAt: page1[0]!.deliveredAt, captureId: page1[0]!.captureId },
    });
    expect([...page1, ...page2].map((m) => m.messageId).sort()).toEqual([ids[0], ids[1]].sort());
  });

  it('filters by sending principal and by From identity (address or domain)', async () => {
    const by = async (o: { principal?: string; identity?: string }) =>
      (await listMessages(store, { accountId: ACCOUNT, ...o })).map((m) => m.messageId);
    expect(await by({ principal: `arn:aws:iam::${ACCOUNT}:user/alice` })).toEqual([ids[0]]);
    expect(await by({ principal: `arn:aws:iam::${ACCOUNT}:user/bob` })).toEqual([ids[1]]);
    expect(await by({ principal: `arn:aws:iam::${ACCOUNT}:user/nobody` })).toEqual([]);
    expect(await by({ identity: 'other.org' })).toEqual([ids[1]]);
    expect(await by({ identity: 'sender@example.com' })).toEqual([ids[0]]);
    expect(await by({ identity: 'example.com' })).toEqual([ids[0]]);
    expect(await by({ identity: 'ther.org' })).toEqual([]);
  });

  it('fetches and deletes only within the account', async () => {
    expect(await getMessage(store, '222222222222', ids[0]!)).toBeUndefined();
    const m = await getMessage(store, ACCOUNT, ids[0]!);
    expect(m?.raw.toString()).toContain('Subject: Invoice 42\r\n');
    expect(await deleteMessage(store, '222222222222', ids[0]!)).toBe(false);
    expect(await deleteMessage(store, ACCOUNT, ids[0]!)).toBe(true);
    expect(await getMessage(store, ACCOUNT, ids[0]!)).toBeUndefined();
  });

  it('tells a message’s timeline', async () => {
    const t = await messageTimeline(store, ACCOUNT, ids[1]!);
    expect(t?.accepted.messageId).toBe(ids[1]);
    expect(t?.accepted.status).toBe('delivered');
    expect(t?.attempts).toBe(1);
    expect(t?.events.map((e) => e.type)).toEqual(['Send', 'Delivery', 'Delivery']);
    expect(t?.captured.map((c) => c.recipients)).toEqual([['bob_x@example.net', 'ann@example.net']]);
    expect(await messageTimeline(store, '222222222222', ids[1]!)).toBeUndefined();
    expect(await messageTimeline(store, ACCOUNT, 'no-such-message')).toBeUndefined();
    const { raw: _raw, ...accepted } = (await getOutboxMessage(store, ids[1]!))!;
    expect(t?.accepted).toEqual(accepted);
    expect(t?.nextAttemptAt).toBeUndefined();
    expect(t?.lastError).toBeUndefined();
  });

  it('tells a queued message’s next attempt and last error', async () => {
    const createdAt = new Date(Date.now() + 3_600_000); // not claimed: no worker runs now
    const id = await enqueue(store, ['dan@example.net'], { createdAt, configurationSet: 'cs1' });
    await store.db
      .updateTable('outbox')
      .set({ attempts: 2, next_attempt_at: createdAt.getTime() + 4000, last_error: 'dan@example.net: 451' })
      .where('message_id', '=', id)
      .execute();
    const t = await messageTimeline(store, ACCOUNT, id);
    const { raw: _raw, ...accepted } = (await getOutboxMessage(store, id))!;
    expect(t).toEqual({
      accepted,
      attempts: 2,
      nextAttemptAt: new Date(createdAt.getTime() + 4000),
      lastError: 'dan@example.net: 451',
      events: [],
      captured: [],
    });
    expect(t?.accepted).toMatchObject({ status: 'queued', configurationSet: 'cs1', attempts: 2 });
    expect(await messageTimeline(store, '222222222222', id)).toBeUndefined();
  });
});
