// How many processes one node runs (src/cluster/): SESAME_WORKERS serve the listeners, by default
// one per core it may use; 1 keeps everything in one process, as tests' in-process servers are.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { int, type Env } from './env.js';

/** Most workers one node starts: beyond the cores they only contend for them. */
export const MAX_WORKERS = 64;

export function workerCount(env: Env, cores = usableCores()): number {
  return int(env, 'SESAME_WORKERS', Math.min(MAX_WORKERS, cores), 1, MAX_WORKERS);
}

/**
 * The cores this process may use: the machine's, fewer under a CPU quota (a container's `--cpus`,
 * systemd's CPUQuota=), which Node 20's availableParallelism does not see: a container limited to
 * 2 CPUs on a 32-core host would start 32 workers, each with its memory and database pool.
 */
export function usableCores(quota: CpuQuota | undefined = readCpuQuota()): number {
  const cores = Math.max(1, availableParallelism());
  if (!quota || quota.quota <= 0 || quota.period <= 0) return cores;
  return Math.max(1, Math.min(cores, Math.ceil(quota.quota / quota.period)));
}

export interface CpuQuota {
  quota: number;
  period: number;
}

/** cgroup v2's `cpu.max` ("200000 100000", or "max 100000": none), else v1's cfs files. */
export function parseCpuMax(text: string): CpuQuota | undefined {
  const m = /^(\d+)\s+(\d+)/.exec(text.trim());
  return m ? { quota: Number(m[1]), period: Number(m[2]) } : undefined;
}

function readCpuQuota(): CpuQuota | undefined {
  const read = (file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
  // This process's own cgroup (a systemd service's), then the root of its namespace (a container's).
  const own = /^0::(\/.*)$/m.exec(read('/proc/self/cgroup') ?? '')?.[1] ?? '/';
  for (const dir of new Set([own, '/'])) {
    const v2 = read(`/sys/fs/cgroup${dir === '/' ? '' : dir}/cpu.max`);
    if (v2 !== undefined) return parseCpuMax(v2);
  }
  const quota = Number(read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us'));
  const period = Number(read('/sys/fs/cgroup/cpu/cpu.cfs_period_us'));
  return Number.isFinite(quota) && Number.isFinite(period) ? { quota, period } : undefined;
}
