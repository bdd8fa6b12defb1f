// How many processes one node runs (src/cluster/): SESAME_WORKERS serve the listeners, by default
// one per core; 1 keeps everything in one process, as tests' in-process servers are.
import { availableParallelism } from 'node:os';
import { int, type Env } from './env.js';

/** Most workers one node starts: beyond the cores they only contend for them. */
export const MAX_WORKERS = 64;

export function workerCount(env: Env): number {
  return int(env, 'SESAME_WORKERS', Math.min(MAX_WORKERS, Math.max(1, availableParallelism())), 1, MAX_WORKERS);
}
