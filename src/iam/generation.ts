// Per-account IAM generation: bumped after every IAM write, compared by the principal cache so
// that a cached caller is never used after the policies behind it changed. The in-process counter
// serves the hot path; the row in iam_generations lets other nodes sharing a PostgreSQL notice
// (syncGenerations, polled by the server).
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

function stateOf(store: Store): GenerationState {
  let s = states.get(store.key);
  if (!s) {
    s = { global: 0, local: new Map(), stored: new Map(), epoch: 0 };
    states.set(store.key, s);
  }
  return s;
}

/** The account's current generation in this process (no I/O). */
export function currentGeneration(store: Store, accountId: string): number {
  const s = stateOf(store);
  // The epoch sits above any per-account count, so a reset changes every account's value.
  return (s.local.get(accountId) ?? 0) + s.epoch * 2 ** 32;
}

/** Call after the store was emptied wholesale: every cached principal and SES state is dropped. */
export function resetGenerations(store: Store): void {
  const s = stateOf(store);
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
    return;
  }
  await store.db
    .insertInto('iam_generations')
    .values({ account_id: accountId, generation: 1 })
    .onConflict((oc) =>
      oc.column('account_id').doUpdateSet({ generation: sql<number>`iam_generations.generation + 1` }),
    )
    .execute();
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
