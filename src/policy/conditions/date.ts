// Date operators (docs/spec/iam.md §3.3): both sides become an instant (ms since epoch) before comparing.
// Accepted: ISO 8601 profiles as leniently as IAM (YYYY, YYYY-MM, YYYY-MM-DD, `T`/`t`, one-digit
// hours, optional minutes/seconds, fractions to 9 digits, `Z` or ±hh[[:]mm]) and epoch SECONDS.

import type { AnyValueTest, OperatorImpl } from './types.js';

const ISO =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[Tt](\d{1,2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|z|[+-]\d{1,2}(?::?\d{2})?)?)?)?)?$/;
const EPOCH = /^\d+$/;

function daysInMonth(y: number, m: number): number {
  return m === 2
    ? y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
      ? 29
      : 28
    : [4, 6, 9, 11].includes(m)
      ? 30
      : 31;
}

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, ms);
  return date.getTime();
}

/** Parse an IAM date value to epoch milliseconds; null when it is not a date IAM accepts. */
export function parseIamDate(s: string): number | null {
  if (s.length !== 4 && EPOCH.test(s)) {
    const secs = Number(s);
    return Number.isSafeInteger(secs * 1000) ? secs * 1000 : null;
  }
  const m = ISO.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = m[2] === undefined ? 1 : Number(m[2]);
  const d = m[3] === undefined ? 1 : Number(m[3]);
  const h = m[4] === undefined ? 0 : Number(m[4]);
  const mi = m[5] === undefined ? 0 : Number(m[5]);
  const sec = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0').slice(0, 3));
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || sec > 59) return null;
  let offsetMin = 0;
  const z = m[8];
  if (z !== undefined && z !== 'Z' && z !== 'z') {
    const sign = z[0] === '-' ? -1 : 1;
    const body = z.slice(1).replace(':', '');
    const oh = Number(body.length > 2 ? body.slice(0, body.length - 2) : body);
    const om = body.length > 2 ? Number(body.slice(-2)) : 0;
    if (oh > 23 || om > 59) return null;
    offsetMin = sign * (oh * 60 + om);
  }
  return utc(y, mo, d, h, mi, sec, ms) - offsetMin * 60_000;
}

// The request time is the same string for every clause of a decision: remember the last one.
let lastText = '';
let lastValue: number | null = null;
function parseRequestDate(s: string): number | null {
  if (s !== lastText) {
    lastValue = parseIamDate(s);
    lastText = s;
  }
  return lastValue;
}

type Cmp = (r: number, p: number) => boolean;

function dateTest(cmp: Cmp): OperatorImpl['compile'] {
  return (values): AnyValueTest => {
    const instants = values.map(parseIamDate).filter((n): n is number => n !== null);
    return (r) => {
      const n = parseRequestDate(r);
      if (n === null) return false;
      for (const p of instants) if (cmp(n, p)) return true;
      return false;
    };
  };
}

const eq = dateTest((r, p) => r === p);

export const DATE_OPERATORS: Record<string, OperatorImpl> = {
  DateEquals: { negated: false, compile: eq },
  DateNotEquals: { negated: true, compile: eq },
  DateLessThan: { negated: false, compile: dateTest((r, p) => r < p) },
  DateLessThanEquals: { negated: false, compile: dateTest((r, p) => r <= p) },
  DateGreaterThan: { negated: false, compile: dateTest((r, p) => r > p) },
  DateGreaterThanEquals: { negated: false, compile: dateTest((r, p) => r >= p) },
};
