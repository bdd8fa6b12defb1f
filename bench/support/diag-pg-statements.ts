// Diagnosis: how many statements a node on PostgreSQL runs per message end to end (accept, capture
// delivery, pollers, leases), and which. A private PostgreSQL 15 with pg_stat_statements, one
// `sesame serve` with its defaults on it, the node benchmark's load for a few seconds, then the
// statements' calls over the messages accepted (every one of them captured before counting).
//
//   npx tsx bench/support/diag-pg-statements.ts [--seconds 5]
import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startPrivatePostgres } from '../../test/support/postgres.js';
import { spec } from '../node.bench.js';
import { runLoadInChild } from './load.js';
import { installExitHooks, stopAllProcesses } from './processes.js';
import { startSesameProcess } from './sesame-process.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' } } });
installExitHooks();
const postgres = await startPrivatePostgres();
try {
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  const dataDir = (await admin.query<{ data_directory: string }>('show data_directory')).rows[0]!
    .data_directory;
  await admin.end();
  appendFileSync(
    `${dataDir}/postgresql.conf`,
    "\nshared_preload_libraries='pg_stat_statements'\npg_stat_statements.track=all\n",
  );
  postgres.pause();
  postgres.resume();
  const db = new pg.Client({ connectionString: postgres.url });
  await db.connect();
  await db.query('create extension pg_stat_statements');
  const node = await startSesameProcess({ databaseUrl: postgres.url, label: 'pg' });
  try {
    await db.query('select pg_stat_statements_reset()');
    const load = await runLoadInChild(
      spec(node, { durationMs: Number(values.seconds) * 1000, warmupMs: 500, connections: 16 }),
    );
    while ((await node.backlog()).pending > 0) await new Promise((r) => setTimeout(r, 200));
    const n = load.total_ok;
    const { rows } = await db.query<{ calls: string; query: string }>(
      `select calls, regexp_replace(query, '\\s+', ' ', 'g') as query from pg_stat_statements
       where query not like '%pg_stat_statements%' order by calls desc`,
    );
    const total = rows.reduce((s, r) => s + Number(r.calls), 0);
    process.stdout.write(`${n} messages accepted and captured (${load.rps} req/s)\n`);
    process.stdout.write(`${(total / n).toFixed(2)} statements per message; the most frequent:\n`);
    for (const r of rows.filter((r) => Number(r.calls) / n >= 0.01))
      process.stdout.write(`${(Number(r.calls) / n).toFixed(2).padStart(6)}  ${r.query.slice(0, 120)}\n`);
  } finally {
    await node.stop();
    await db.end();
  }
} finally {
  await stopAllProcesses();
  await postgres.stop();
}
