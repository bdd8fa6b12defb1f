// The SecretBox sealing secret access keys, bound to a store once at start-up (ensureDefaultAccount
// or createPrincipalCache do it) so that IAM operations, which only see the CallContext, can seal.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/database.js';
import type { SecretBox } from '../store/secret-box.js';

const boxes = new WeakMap<object, SecretBox>();

export function bindSecretBox(store: Store, box: SecretBox): void {
  boxes.set(store.db, box);
}

export function secretBoxOf(store: Store): SecretBox {
  const box = boxes.get(store.db);
  if (!box) throw new Error('no SecretBox bound to this store (call bindSecretBox at start-up)');
  return box;
}

/** STS session tokens are kept only as this hash. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function sessionTokenMatches(expectedHash: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(hashSessionToken(presented), 'hex');
  const b = Buffer.from(expectedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
