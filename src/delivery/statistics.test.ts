import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxRow } from '../ses/send/outbox.js';
import { testDialects, type Store } from '../store/database.js';
import { bounceEvent, complaintEvent, recordEvents, rejectEvent, sendEvent } from './events.js';
import { buildMailObject } from './mail-object.js';
import { sendStatistics } from './statistics.js';
import { ACCOUNT, REGION, openDeliveryStore, outboxMessage } from './test-support.js';

describe.each(testDialects())('sendStatistics (%s)', (dialect) => {
  let store: Store;
  beforeAll(async () => {
    store = await openDeliveryStore(dialect);
  });
  afterAll(async () => store.close());

  const NOW = new Date('2026-11-28T12:07:00Z');
  const at = (iso: string) => new Date(iso);
  const mailTo = (rcpts: string[]) => buildMailObject(outboxRow(outboxMessage(rcpts)));

  it('buckets Send recipients, bounces, complaints and rejects into 15-minute points of the last two weeks', async () => {
    const scope = { accountId: ACCOUNT, region: REGION };
    const m1 = mailTo(['a@x.net', 'b@x.net']);
    const m2 = mailTo(['c@x.net']);
    const m3 = mailTo(['d@x.net']);
    const old = mailTo(['e@x.net']);
    await recordEvents(store, scope, [
      sendEvent(m1, at('2026-11-28T12:00:00Z')),
      sendEvent(m2, at('2026-11-28T12:06:59Z')),
      bounceEvent(
        m1,
        at('2026-11-28T12:01:00Z'),
        'Permanent',
        'General',
        [{ emailAddress: 'a@x.net', action: 'failed', status: '5.1.1', diagnosticCode: 'x' }],
        'm',
      ),
      complaintEvent(m2, at('2026-11-28T11:59:59Z'), 'c@x.net', 'ua'),
      rejectEvent(m3, at('2026-11-28T11:45:00Z')),
      sendEvent(old, at('2026-11-14T12:07:00Z')), // exactly two weeks ago: outside
    ]);
    // Another account and another region count elsewhere.
    await recordEvents(store, { accountId: '222222222222', region: REGION }, [
      sendEvent(mailTo(['z@x.net']), at('2026-11-28T12:00:00Z')),
    ]);
    await recordEvents(store, { accountId: ACCOUNT, region: 'eu-west-1' }, [
      sendEvent(mailTo(['y@x.net']), at('2026-11-28T12:00:00Z')),
    ]);
    // Recording the same event again changes nothing.
    await recordEvents(store, scope, [sendEvent(m1, at('2026-11-28T12:00:00Z'))]);

    expect(await sendStatistics(store, ACCOUNT, REGION, NOW)).toEqual([
      { Timestamp: at('2026-11-28T11:45:00Z'), DeliveryAttempts: 0, Bounces: 0, Complaints: 1, Rejects: 1 },
      { Timestamp: at('2026-11-28T12:00:00Z'), DeliveryAttempts: 3, Bounces: 1, Complaints: 0, Rejects: 0 },
    ]);
    expect(await sendStatistics(store, '333333333333', REGION, NOW)).toEqual([]);
  });
});
