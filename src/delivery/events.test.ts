import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxRow } from '../ses/send/outbox.js';
import { testDialects, type Store } from '../store/database.js';
import { deliveryEvent, eventsOfMessage, recordEvents, sendEvent } from './events.js';
import { buildMailObject } from './mail-object.js';
import { ACCOUNT, REGION, openDeliveryStore, outboxMessage } from './test-support.js';

describe.each(testDialects())('recordEvents (%s)', (dialect) => {
  let store: Store;
  beforeAll(async () => {
    store = await openDeliveryStore(dialect);
  });
  afterAll(async () => store.close());

  const scope = { accountId: ACCOUNT, region: REGION };
  const at = new Date('2026-11-28T12:00:00Z');

  it('resolves to the ids it recorded now, and stores each event once', async () => {
    const mail = buildMailObject(outboxRow(outboxMessage(['a@x.net', 'b@x.net'])));
    const send = sendEvent(mail, at);
    const toA = deliveryEvent(mail, at, 'a@x.net', '250 OK', 'mta');
    const toB = deliveryEvent(mail, at, 'b@x.net', '250 OK', 'mta');

    expect(await recordEvents(store, scope, [send, toA])).toEqual(new Set([send.id, toA.id]));
    // A retry that records the same events plus a new one: only the new one is fresh.
    expect(await recordEvents(store, scope, [send, toA, toB])).toEqual(new Set([toB.id]));
    expect(await recordEvents(store, scope, [send, toA, toB])).toEqual(new Set());
    expect(await recordEvents(store, scope, [])).toEqual(new Set());

    expect((await eventsOfMessage(store, mail.messageId)).map((e) => e.eventId)).toEqual([
      send.id,
      toA.id,
      toB.id,
    ]);
  });
});
