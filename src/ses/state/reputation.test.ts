// What a tenant's send sees of its reputation: the rates over seven days of events, read at most
// once a minute per tenant by the send path (a read per send scanned the whole week each time), and
// at once after any fresh read.
import { afterAll, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type Store } from '../../store/database.js';
import { accountTenantRates, SEND_RATES_MAX_AGE_MS, tenantRates, tenantRatesForSend } from './reputation.js';

const A = '111122223333';
const R = 'us-east-1';

async function record(
  store: Store,
  tenant: string | null,
  type: 'Send' | 'Bounce',
  n: number,
  at: number,
  bounceType = 'Permanent',
) {
  const id = `${type}-${at}-${Math.random().toString(36).slice(2)}`;
  await store.db
    .insertInto('delivery_events')
    .values({
      event_id: id,
      message_id: id,
      account_id: A,
      region: R,
      event_type: type,
      recipients: '[]',
      recipient_count: n,
      configuration_set: null,
      source_arn: null,
      event_time: at,
      payload: JSON.stringify(type === 'Bounce' ? { bounce: { bounceType } } : {}),
      tenant_name: tenant,
    })
    .execute();
}

describe.each(testDialects())('tenant reputation rates for the send path (%s)', (dialect) => {
  const stores: Store[] = [];
  afterAll(async () => Promise.all(stores.map((s) => s.close())));

  it('reads the week of events once a minute, and takes any fresher read at once', async () => {
    const store = await openTestStore(dialect);
    stores.push(store);
    const t = Date.UTC(2026, 10, 28, 12);
    await record(store, 'acme', 'Send', 10, t - 1000);
    expect(await tenantRatesForSend(store, A, R, 'acme', new Date(t))).toEqual({
      sent: 10,
      bounced: 0,
      complained: 0,
    });
    await record(store, 'acme', 'Send', 20, t);
    await record(store, 'acme', 'Bounce', 5, t);
    // Within the minute: the rates already read.
    const soon = new Date(t + SEND_RATES_MAX_AGE_MS - 1);
    expect((await tenantRatesForSend(store, A, R, 'acme', soon)).sent).toBe(10);
    // Another tenant has its own.
    expect((await tenantRatesForSend(store, A, R, 'other', soon)).sent).toBe(0);
    // A fresh read (GetTenant, GetReputationEntity) is what the next send sees.
    expect(await tenantRates(store, A, R, 'acme', soon)).toEqual({ sent: 30, bounced: 5, complained: 0 });
    await record(store, 'acme', 'Send', 1, t + 2);
    expect((await tenantRatesForSend(store, A, R, 'acme', soon)).sent).toBe(30);
    // A minute after that read, the send path reads again.
    const later = new Date(soon.getTime() + SEND_RATES_MAX_AGE_MS);
    expect(await tenantRatesForSend(store, A, R, 'acme', later)).toEqual({
      sent: 31,
      bounced: 5,
      complained: 0,
    });
  });

  it('reads every tenant of the account in one pass, as a list of entities needs', async () => {
    const store = await openTestStore(dialect);
    stores.push(store);
    const t = Date.UTC(2026, 10, 28, 12);
    await record(store, 'a', 'Send', 20, t);
    await record(store, 'a', 'Bounce', 2, t);
    await record(store, 'a', 'Bounce', 3, t, 'Transient');
    await record(store, 'b', 'Send', 5, t);
    await record(store, null, 'Send', 100, t);
    await record(store, 'b', 'Send', 7, t - 8 * 86_400_000); // outside the week
    const all = await accountTenantRates(store, A, R, new Date(t));
    expect(Object.fromEntries(all)).toEqual({
      a: { sent: 20, bounced: 2, complained: 0 },
      b: { sent: 5, bounced: 0, complained: 0 },
    });
    expect(await tenantRates(store, A, R, 'a', new Date(t))).toEqual(all.get('a'));
    expect(await tenantRates(store, A, R, 'none', new Date(t))).toEqual({
      sent: 0,
      bounced: 0,
      complained: 0,
    });
  });
});
