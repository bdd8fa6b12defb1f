// Per-account IAM generation: bumped after every IAM write, compared by the principal cache so
// that a cached caller is never used after the policies behind it changed. The in-process counter
// serves the hot path; the row in iam_generations lets other nodes sharing a PostgreSQL notice
// (syncGenerations, polled by the server). The other workers of this node (src/cluster/) are told
// of every bump before the write is answered (setGenerationPeers).
import type { Store } from '../store/database.js';
import { sql } from 'kysely';

interface GenerationState {
  /** Bumped with every account's: lets a reader detect any write that raced with it. */
  global: number;
  local: Map<string, number>;
  /** Last value read from or written to the store, per account. */
  stored: Map<string, number>;
  /** Bumped when the whole store was emptied (emulator reset): every account changed at once. */
  epoch: number;
}

const states = new WeakMap<object, GenerationState>();
/** Every store's state in this process, for the bumps other workers announce. */
const live = new Set<WeakRef<GenerationState>>();

function stateOf(store: Store): GenerationState {
  let s = states.get(store.key);
  if (!s) {
    s = { global: 0, local: new Map(), stored: new Map(), epoch: 0 };
    states.set(store.key, s);
    live.add(new WeakRef(s));
  }
  return s;
}

function eachLiveState(fn: (s: GenerationState) => void): void {
  for (const ref of live) {
    const s = ref.deref();
    if (s) fn(s);
    else live.delete(ref);
  }
}

/** The other processes of this node that cache per-account state (src/cluster/worker.ts). */
export interface GenerationPeers {
  /** Resolves once every other worker has dropped what it cached about the account. */
  bumped(accountId: string, stored: number | undefined): Promise<void>;
  /** The same after the whole store was emptied (emulator reset). */
  reset(): Promise<void>;
}

let peers: GenerationPeers | undefined;

export function setGenerationPeers(p: GenerationPeers | undefined): void {
  peers = p;
}

/** Another worker bumped `accountId` (and stored `stored`): every store of this process follows. */
export function applyPeerBump(accountId: string, stored: number | undefined): void {
  eachLiveState((s) => {
    bumpLocal(s, accountId);
    if (stored !== undefined) s.stored.set(accountId, stored);
  });
}

/** Another worker emptied the store: every account changed at once. */
export function applyPeerReset(): void {
  eachLiveState(resetState);
}

/** Tells the other workers of this node that the store was emptied; resolves once they know. */
export async function announceReset(): Promise<void> {
  await peers?.reset();
}

/** The account's current generation in this process (no I/O). */
export function currentGeneration(store: Store, accountId: string): number {
  const s = stateOf(store);
  // The epoch sits above any per-account count, so a reset changes every account's value.
  return (s.local.get(accountId) ?? 0) + s.epoch * 2 ** 32;
}

/** Call after the store was emptied wholesale: every cached principal and SES state is dropped. */
export function resetGenerations(store: Store): void {
  resetState(stateOf(store));
}

function resetState(s: GenerationState): void {
  s.epoch++;
  s.global++;
  s.stored.clear();
}

/** Changes whenever any account's generation changes in this process. */
export function globalGeneration(store: Store): number {
  return stateOf(store).global;
}

function bumpLocal(s: GenerationState, accountId: string): void {
  s.global++;
  s.local.set(accountId, (s.local.get(accountId) ?? 0) + 1);
}

/** Call after an IAM write in `accountId` has committed. */
export async function bumpGeneration(store: Store, accountId: string): Promise<void> {
  const s = stateOf(store);
  bumpLocal(s, accountId);
  const updated = await store.db
    .updateTable('iam_generations')
    .set({ generation: sql<number>`generation + 1` })
    .where('account_id', '=', accountId)
    .returning('generation')
    .executeTakeFirst();
  if (updated) {
    s.stored.set(accountId, Number(updated.generation));
  } else {
    await store.db
      .insertInto('iam_generations')
      .values({ account_id: accountId, generation: 1 })
      .onConflict((oc) =>
        oc.column('account_id').doUpdateSet({ generation: sql<number>`iam_generations.generation + 1` }),
      )
      .execute();
  }
  // Answered only once no other worker of this node can decide with what it cached before.
  await peers?.bumped(accountId, updated ? Number(updated.generation) : undefined);
}

/** Reads every account's stored generation; a change made by another node invalidates locally. */
export async function syncGenerations(store: Store): Promise<void> {
  const s = stateOf(store);
  const rows = await store.db.selectFrom('iam_generations').select(['account_id', 'generation']).execute();
  for (const r of rows) {
    const g = Number(r.generation);
    if (s.stored.get(r.account_id) !== g) {
      s.stored.set(r.account_id, g);
      bumpLocal(s, r.account_id);
    }
  }
}
