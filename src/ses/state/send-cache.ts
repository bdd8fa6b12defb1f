// What the send path reads about an account on every message (its sending state, the identities
// covering an address, their sending-authorization policies) kept in memory, so that a send costs
// no store read. An entry is valid while the account's generation (iam/generation.ts) is unchanged:
// every SES state write bumps it (invalidate.ts) after it commits, other nodes' writes arrive through the
// generation sync, so a policy or identity change is seen by the very next send.
import type { Store } from '../../store/database.js';
import type { NamedPolicy } from '../../policy/request.js';
import { createGenerationCache, type GenerationCache } from '../../iam/generation-cache.js';
import { getAccountSendingState, type AccountDefaults, type AccountSendingState } from './account.js';
import { findSendingIdentity, getIdentity, type SendingIdentity } from './identities.js';
import { getIdentityPolicies } from './identity-policies.js';
import { normalizeIdentity } from './identity-names.js';
import type { SesIdentityRow } from '../../store/schema/ses.js';

/** Most entries kept per store; the least recently used go first. */
const MAX_ENTRIES = 20_000;

const caches = new WeakMap<object, GenerationCache<unknown>>();

/** `read()`'s value for `key` in the account, kept until the account's generation moves. */
export async function cachedAccountRead<T>(
  store: Store,
  accountId: string,
  key: string,
  read: () => Promise<T>,
): Promise<T> {
  let cache = caches.get(store.key);
  if (!cache) caches.set(store.key, (cache = createGenerationCache<unknown>(store, MAX_ENTRIES)));
  return (await cache.get(
    `${accountId}\u0000${key}`,
    async () => freeze(await read()),
    () => accountId,
  )) as T;
}

/** Shared values are read-only: freezing makes an accidental write throw instead of leaking. */
function freeze<T>(v: T): T {
  if (Array.isArray(v)) for (const x of v) Object.freeze(x);
  return v && typeof v === 'object' ? Object.freeze(v) : v;
}

export function cachedAccountSendingState(
  store: Store,
  accountId: string,
  region: string,
  defaults?: AccountDefaults,
): Promise<AccountSendingState> {
  return cachedAccountRead(store, accountId, `account\u0000${region}`, () =>
    getAccountSendingState(store, accountId, region, defaults),
  );
}

export function cachedSendingIdentity(
  store: Store,
  accountId: string,
  region: string,
  address: string,
): Promise<SendingIdentity | undefined> {
  return cachedAccountRead(
    store,
    accountId,
    `covering\u0000${region}\u0000${normalizeIdentity(address)}`,
    () => findSendingIdentity(store, accountId, region, address),
  );
}

export function cachedIdentity(
  store: Store,
  accountId: string,
  region: string,
  identity: string,
): Promise<SesIdentityRow | undefined> {
  return cachedAccountRead(store, accountId, `identity\u0000${region}\u0000${identity}`, () =>
    getIdentity(store, accountId, region, identity),
  );
}

export function cachedIdentityPolicies(
  store: Store,
  accountId: string,
  region: string,
  identity: string,
): Promise<NamedPolicy[]> {
  return cachedAccountRead(store, accountId, `policies\u0000${region}\u0000${identity}`, () =>
    getIdentityPolicies(store, accountId, region, identity),
  );
}
