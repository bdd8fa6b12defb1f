// SESAME_WORKERS' default: the cores the node may use, a CPU quota (a container's --cpus) included.
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseCpuMax, usableCores, workerCount } from './workers.js';

describe('SESAME_WORKERS default', () => {
  const cores = availableParallelism();

  it('reads cgroup v2 cpu.max: a quota, or none ("max")', () => {
    expect(parseCpuMax('150000 100000\n')).toEqual({ quota: 150000, period: 100000 });
    expect(parseCpuMax('max 100000\n')).toBeUndefined();
  });

  it('is the cores under a quota, rounded up, never more than the machine has nor fewer than 1', () => {
    expect(usableCores({ quota: 100000, period: 100000 })).toBe(1);
    expect(usableCores({ quota: 50000, period: 100000 })).toBe(1);
    expect(usableCores({ quota: 150000, period: 100000 })).toBe(Math.min(cores, 2));
    expect(usableCores({ quota: 6400000, period: 100000 })).toBe(cores);
    // cgroup v1 without a quota: -1.
    expect(usableCores({ quota: -1, period: 100000 })).toBe(cores);
    expect(usableCores(undefined)).toBe(cores);
  });

  it('follows the quota unless SESAME_WORKERS is set', () => {
    expect(workerCount({}, 1)).toBe(1);
    expect(workerCount({}, 3)).toBe(3);
    expect(workerCount({}, 100)).toBe(64);
    expect(workerCount({ SESAME_WORKERS: '4' }, 1)).toBe(4);
  });

  it('reads this machine without failing (no quota here: every core)', () => {
    expect(usableCores()).toBeGreaterThanOrEqual(1);
    expect(usableCores()).toBeLessThanOrEqual(cores);
  });
});
