// Watches every better-sqlite3 statement this process executes (run/get/all/iterate), by SQL text:
// how often and how long. The store caches its statements, so the methods are wrapped on
// Statement's prototype rather than at prepare().
import BetterSqlite3 from 'better-sqlite3';

export interface StatementTally {
  calls: number;
  ns: bigint;
}

export function watchSqliteStatements(): {
  start(): void;
  stop(): void;
  /** By SQL text, most time first. */
  tallies(): [string, StatementTally][];
} {
  const tallies = new Map<string, StatementTally>();
  let on = false;
  const proto = Object.getPrototypeOf(new BetterSqlite3(':memory:').prepare('select 1')) as Record<
    string,
    (...a: unknown[]) => unknown
  >;
  for (const method of ['run', 'get', 'all', 'iterate']) {
    const original = proto[method]!;
    proto[method] = function (this: { source: string }, ...args: unknown[]) {
      if (!on) return original.apply(this, args);
      const t0 = process.hrtime.bigint();
      try {
        return original.apply(this, args);
      } finally {
        const t = tallies.get(this.source) ?? { calls: 0, ns: 0n };
        t.calls++;
        t.ns += process.hrtime.bigint() - t0;
        tallies.set(this.source, t);
      }
    };
  }
  return {
    start: () => void (on = true),
    stop: () => void (on = false),
    tallies: () => [...tallies].sort((a, b) => (b[1].ns > a[1].ns ? 1 : b[1].ns < a[1].ns ? -1 : 0)),
  };
}
