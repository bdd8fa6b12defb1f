import { describe, expect, it } from 'vitest';
import { processCpuMs } from './proc-cpu.js';

describe('processCpuMs', () => {
  it('reads this process and grows as it works', () => {
    const before = processCpuMs(process.pid);
    expect(before).toBeTypeOf('number');
    const until = Date.now() + 150;
    let x = 0;
    while (Date.now() < until) x += Math.sqrt(x + 1);
    expect(x).toBeGreaterThan(0);
    expect(processCpuMs(process.pid)!).toBeGreaterThan(before!);
  });
  it('is undefined for a process that does not exist', () => {
    expect(processCpuMs(2 ** 22 + 7)).toBeUndefined();
  });
});
