// The callers the HTTP and SMTP front ends authenticate: the IAM principal cache, plus the
// emulator profile's "any credentials are account 123456789012's root".
import type { Caller } from '../api/operation.js';
import type { Store } from '../store/database.js';
import type { SecretBox } from '../store/secret-box.js';
import { createPrincipalCache } from '../iam/principal-cache.js';
import { rootCaller, type ResolvedKey } from '../iam/principals.js';

export const EMULATOR_ACCOUNT_ID = '123456789012';

export interface PrincipalResolver {
  resolve(accessKeyId: string, now: Date): Promise<ResolvedKey | undefined>;
  emulatorRoot(accessKeyId?: string): Caller;
  clear(): void;
}

export function createPrincipalResolver(store: Store, box: SecretBox): PrincipalResolver {
  const cache = createPrincipalCache(store, box);
  return {
    resolve: (id, now) => cache.resolve(id, now),
    emulatorRoot: (accessKeyId = 'AKIAEMULATOR00000000') => rootCaller(EMULATOR_ACCOUNT_ID, accessKeyId),
    clear: () => cache.clear(),
  };
}
