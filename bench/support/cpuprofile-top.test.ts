import { describe, expect, it } from 'vitest';
import { summarize } from './cpuprofile-top.js';

const frame = (functionName: string, url: string, lineNumber: number) => ({
  functionName,
  url,
  lineNumber,
  columnNumber: 0,
});

// root -> handle (a.ts:10) -> query (b.ts:5); handle also recurses into itself.
const profile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', '', -1), children: [2] },
    { id: 2, callFrame: frame('handle', 'file:///repo/src/a.ts', 9), children: [3, 4] },
    { id: 3, callFrame: frame('query', 'file:///repo/node_modules/kysely/x.js', 4) },
    { id: 4, callFrame: frame('handle', 'file:///repo/src/a.ts', 9), children: [5] },
    { id: 5, callFrame: frame('query', 'file:///repo/node_modules/kysely/x.js', 4) },
  ],
  samples: [2, 3, 3, 5],
  timeDeltas: [1000, 1000, 1000, 1000],
  startTime: 0,
  endTime: 4000,
};

describe('summarize', () => {
  const s = summarize(profile, 10);
  it('adds self time per function, with 1-based file:line', () => {
    expect(s.totalMs).toBe(4);
    expect(s.self).toEqual([
      { where: 'query node_modules/kysely/x.js:5', ms: 3, pct: 75 },
      { where: 'handle src/a.ts:10', ms: 1, pct: 25 },
    ]);
  });
  it('counts a recursive function once per sample in inclusive time', () => {
    const handle = s.inclusive.find((r) => r.where === 'handle src/a.ts:10');
    expect(handle).toEqual({ where: 'handle src/a.ts:10', ms: 4, pct: 100 });
  });
  it('filters by a substring of the location', () => {
    expect(summarize(profile, 10, 'src/').self.map((r) => r.where)).toEqual(['handle src/a.ts:10']);
  });
  it('sums self time per file', () => {
    expect(s.files).toEqual([
      { where: 'node_modules/kysely/x.js', ms: 3, pct: 75 },
      { where: 'src/a.ts', ms: 1, pct: 25 },
    ]);
  });
});
