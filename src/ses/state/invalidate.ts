// After a write to an account's SES state (identities, their policies, account settings) commits:
// the account's generation moves, so the send path's cached reads (send-cache.ts) are dropped here
// and, through the generation sync, on every other node.
import type { Store } from '../../store/database.js';
import { bumpGeneration } from '../../iam/generation.js';

export async function invalidateSendState(store: Store, accountId: string): Promise<void> {
  await bumpGeneration(store, accountId);
}
