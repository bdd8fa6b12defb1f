import { describe, expect, it } from 'vitest';
import type { SesDedicatedIpRow } from '../../store/schema/ses-v2-extras.js';
import { toDedicatedIp, utcDay, warmupPercentage } from './dedicated-ips.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-01T00:00:00Z');
const row = (pct: number): SesDedicatedIpRow => ({
  ip: '127.0.0.2',
  account_id: '111111111111',
  region: 'us-east-1',
  pool_name: 'p',
  warmup_percentage: pct,
  warmup_updated_at: T0,
  created_at: T0,
});

describe('dedicated IP warm-up', () => {
  it('keeps the set percentage without automatic warm-up', () => {
    expect(warmupPercentage(row(20), false, new Date(T0 + 30 * DAY))).toBe(20);
  });

  it('advances 100/45 a day with automatic warm-up, up to 100 (DONE)', () => {
    expect(warmupPercentage(row(0), true, new Date(T0 + DAY - 1))).toBe(0);
    expect(warmupPercentage(row(0), true, new Date(T0 + 9 * DAY))).toBe(20);
    expect(warmupPercentage(row(20), true, new Date(T0 + 45 * DAY))).toBe(100);
    expect(toDedicatedIp(row(0), true, new Date(T0 + 44 * DAY))).toMatchObject({
      warmupStatus: 'IN_PROGRESS',
      warmupPercentage: 97,
    });
    expect(toDedicatedIp(row(0), true, new Date(T0 + 45 * DAY))).toMatchObject({
      warmupStatus: 'DONE',
      warmupPercentage: 100,
    });
  });

  it('counts usage per UTC day', () => {
    expect(utcDay(new Date('2026-11-01T23:59:59.999Z'))).toBe('2026-11-01');
    expect(utcDay(new Date('2026-11-02T00:00:00Z'))).toBe('2026-11-02');
  });
});
