import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, openTestStore, sql, testDialects, type Store } from '../../store/database.js';
import { syncGenerations } from '../../iam/generation.js';
import { insertIdentity, markIdentityVerified, deleteIdentity } from './identities.js';
import { writePolicy, deletePolicy } from './identity-policies.js';
import { setAccountQuota } from './account.js';
import { cachedAccountSendingState, cachedIdentityPolicies, cachedSendingIdentity } from './send-cache.js';
import { invalidateSendState } from './invalidate.js';

const A = '111111111111';
const R = 'us-east-1';
const now = new Date('2026-11-28T12:00:00Z');
const ALLOW =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ses:SendEmail","Resource":"*"}]}';

describe.each(testDialects())('send-state cache on %s', (dialect) => {
  const open: Store[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
  });
  const fresh = async () => {
    const s = await openTestStore(dialect);
    open.push(s);
    return s;
  };

  it('serves repeated reads from memory until a write through the state functions', async () => {
    const store = await fresh();
    await insertIdentity(store, A, R, { identity: 'example.com', type: 'Domain', status: 'Pending', now });
    expect((await cachedSendingIdentity(store, A, R, 'a@example.com'))?.verified).toBe(false);

    // A change behind the cache's back (no invalidation) is not seen: the read is cached...
    await sql`update ses_identities set verification_status = 'Success'`.execute(store.db);
    expect((await cachedSendingIdentity(store, A, R, 'a@example.com'))?.verified).toBe(false);
    // ...and any write through the state functions drops the account's entries.
    await invalidateSendState(store, A);
    expect((await cachedSendingIdentity(store, A, R, 'a@example.com'))?.verified).toBe(true);
  });

  it('sees identity, policy and account writes on the very next read', async () => {
    const store = await fresh();
    await insertIdentity(store, A, R, { identity: 'example.com', type: 'Domain', status: 'Pending', now });
    expect((await cachedSendingIdentity(store, A, R, 'a@example.com'))?.verified).toBe(false);
    await markIdentityVerified(store, A, R, 'example.com');
    expect((await cachedSendingIdentity(store, A, R, 'a@example.com'))?.verified).toBe(true);

    expect(await cachedIdentityPolicies(store, A, R, 'example.com')).toEqual([]);
    expect(await writePolicy(store, A, R, 'example.com', 'p1', ALLOW, 'create', now)).toBe('created');
    expect((await cachedIdentityPolicies(store, A, R, 'example.com')).map((p) => p.id)).toEqual([
      'example.com/p1',
    ]);
    expect(await deletePolicy(store, A, R, 'example.com', 'p1')).toBe(true);
    expect(await cachedIdentityPolicies(store, A, R, 'example.com')).toEqual([]);

    expect((await cachedAccountSendingState(store, A, R)).maxSendRate).toBe(1);
    await setAccountQuota(store, A, R, { maxSendRate: 7, max24HourSend: 700 });
    expect((await cachedAccountSendingState(store, A, R)).maxSendRate).toBe(7);

    expect(await deleteIdentity(store, A, R, 'example.com')).toBe(true);
    expect(await cachedSendingIdentity(store, A, R, 'a@example.com')).toBeUndefined();
  });

  it('keeps accounts apart: a write in one account leaves the other cached', async () => {
    const store = await fresh();
    const B = '222222222222';
    await insertIdentity(store, B, R, { identity: 'b.example', type: 'Domain', status: 'Pending', now });
    expect((await cachedSendingIdentity(store, B, R, 'x@b.example'))?.verified).toBe(false);
    await sql`update ses_identities set verification_status = 'Success' where account_id = ${B}`.execute(
      store.db,
    );
    await invalidateSendState(store, A);
    expect((await cachedSendingIdentity(store, B, R, 'x@b.example'))?.verified).toBe(false);
  });

  it('freezes shared values so that a caller cannot change what the next send reads', async () => {
    const store = await fresh();
    const state = await cachedAccountSendingState(store, A, R);
    expect(Object.isFrozen(state)).toBe(true);
    expect(() => {
      (state as { sandbox: boolean }).sandbox = false;
    }).toThrow(TypeError);
  });
});

describe('send-state cache across processes on one SQLite file', () => {
  it("learns another process's write (an operator command) at the next generation sync", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sesame-cache-'));
    const server = await openStore({ dataDir: dir });
    const operator = await openStore({ dataDir: dir });
    try {
      expect((await cachedAccountSendingState(server, A, R)).max24HourSend).toBe(200);
      await syncGenerations(server);
      await setAccountQuota(operator, A, R, { maxSendRate: 5, max24HourSend: 500 });
      expect((await cachedAccountSendingState(server, A, R)).max24HourSend).toBe(200); // not yet synced
      await syncGenerations(server);
      expect((await cachedAccountSendingState(server, A, R)).max24HourSend).toBe(500);
    } finally {
      await operator.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
