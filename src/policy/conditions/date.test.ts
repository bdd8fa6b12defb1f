import { describe, expect, it } from 'vitest';
import { parseIamDate } from './date.js';

const T = (s: string) => Date.parse(s);

describe('parseIamDate (lenient ISO 8601 as IAM, epoch seconds)', () => {
  const ok: [string, number][] = [
    ['2024', T('2024-01-01T00:00:00Z')],
    ['2024-03', T('2024-03-01T00:00:00Z')],
    ['2024-03-05', T('2024-03-05T00:00:00Z')],
    ['2018-08-31T12:00Z', T('2018-08-31T12:00:00Z')],
    ['2018-08-31t12:00:00Z', T('2018-08-31T12:00:00Z')],
    ['2016-12-13t2:00:00.593194+23', T('2016-12-13T02:00:00.593Z') - 23 * 3600_000],
    ['2024-01-01T10:00:00+02:00', T('2024-01-01T08:00:00Z')],
    ['2024-01-01T10:00:00-0130', T('2024-01-01T11:30:00Z')],
    ['2024-01-01T10:00:00.123456789Z', T('2024-01-01T10:00:00.123Z')],
    ['2024-01-01T10', T('2024-01-01T10:00:00Z')],
    ['1900000000', 1900000000 * 1000],
    ['0', 0],
  ];
  for (const [s, want] of ok) it(`${s}`, () => expect(parseIamDate(s)).toBe(want));

  const bad = [
    '2024-13-01',
    '2024-02-30',
    '2024-01-01T25:00Z',
    'yesterday',
    '2024/01/01',
    '',
    '2024-01-01T10:00:00+24',
    '1.5',
  ];
  for (const s of bad) it(`rejects ${JSON.stringify(s)}`, () => expect(parseIamDate(s)).toBeNull());

  it('handles leap days', () => {
    expect(parseIamDate('2024-02-29')).toBe(T('2024-02-29T00:00:00Z'));
    expect(parseIamDate('2023-02-29')).toBeNull();
  });
});
