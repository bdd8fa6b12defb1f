// Scale-out: the same load (SES v2 SendEmail from an IAM user, 16 keep-alive connections from load
// clients in processes of their own) on one node, then split over two nodes sharing one PostgreSQL
// database, in the same run on a private PostgreSQL 15. Each node runs `sesame serve` with its
// defaults (capture delivery on). Reported for each: messages accepted per second, CPU per message
// of the nodes (every process of their trees) and of PostgreSQL (postmaster and backends), and the
// database's share of that CPU.
//
//   npx tsx bench/scale-out.bench.ts [--duration 5] [--profile DIR]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startPrivatePostgres } from '../test/support/postgres.js';
import { spec } from './node.bench.js';
import { runLoadInChild } from './support/load.js';
import { round, type LoadResult } from './support/load-spec.js';
import { processTreeCpuMs } from './support/proc-cpu.js';
import { installExitHooks, stopAllProcesses } from './support/processes.js';
import { startSesameProcess, type SesameProcess } from './support/sesame-process.js';

export interface ScaleOutRow {
  bench: 'scale_out.one_node' | 'scale_out.two_nodes';
  nodes: number;
  msgs_per_s: number;
  p99_ms: number;
  node_cpu_ms_per_msg: number | null;
  db_cpu_ms_per_msg: number | null;
  db_share: number | null;
  client_cpu: number;
}

async function database(base: string, name: string): Promise<string> {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  await c.query(`create database ${name}`);
  const dir = (
    await c.query<{ setting: string }>(`select setting from pg_settings where name = 'data_directory'`)
  ).rows[0]!.setting;
  await c.end();
  databaseDirs.set(base, dir);
  return base.replace(/\/[^/]*$/, `/${name}`);
}
const databaseDirs = new Map<string, string>();

/** PostgreSQL's postmaster (its backends are its children). */
function postmasterPid(base: string): number {
  return Number(readFileSync(join(databaseDirs.get(base)!, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

async function window(
  nodes: SesameProcess[],
  dbPid: number,
  o: { durationMs: number; warmupMs: number; connections: number },
): Promise<Omit<ScaleOutRow, 'bench'>> {
  const cpu = () => nodes.reduce((s, n) => s + (processTreeCpuMs(n.pid) ?? 0), 0);
  const [node0, db0] = [cpu(), processTreeCpuMs(dbPid) ?? 0];
  const per = Math.round(o.connections / nodes.length);
  const results: LoadResult[] = await Promise.all(
    nodes.map((n) => runLoadInChild(spec(n, { ...o, connections: per }))),
  );
  const [node1, db1] = [cpu(), processTreeCpuMs(dbPid) ?? 0];
  const ok = results.reduce((s, r) => s + r.total_ok, 0);
  const nodeMs = ok ? (node1 - node0) / ok : null;
  const dbMs = ok ? (db1 - db0) / ok : null;
  return {
    nodes: nodes.length,
    msgs_per_s: round(
      results.reduce((s, r) => s + r.rps, 0),
      1,
    ),
    p99_ms: Math.max(...results.map((r) => r.p99_ms)),
    node_cpu_ms_per_msg: nodeMs === null ? null : round(nodeMs, 3),
    db_cpu_ms_per_msg: dbMs === null ? null : round(dbMs, 3),
    db_share: nodeMs !== null && dbMs !== null ? round(dbMs / (nodeMs + dbMs), 3) : null,
    client_cpu: round(
      results.reduce((s, r) => s + r.client_cpu, 0),
      2,
    ),
  };
}

export async function runScaleOutBench(
  opts: {
    durationMs?: number;
    /** V8 CPU profiles of every node process into this folder. */ profileDir?: string;
  } = {},
): Promise<ScaleOutRow[]> {
  const profile = opts.profileDir ? { profileDir: opts.profileDir } : {};
  const o = { durationMs: opts.durationMs ?? 5000, warmupMs: 2000, connections: 16 };
  const note = (l: string) => process.stderr.write(`${l}\n`);
  installExitHooks();
  const postgres = await startPrivatePostgres();
  const rows: ScaleOutRow[] = [];
  try {
    const oneUrl = await database(postgres.url, 'scale_one');
    const dbPid = postmasterPid(postgres.url);
    const one = await startSesameProcess({ databaseUrl: oneUrl, label: 'one', ...profile });
    try {
      rows.push({ bench: 'scale_out.one_node', ...(await window([one], dbPid, o)) });
    } finally {
      await one.stop();
    }
    const twoUrl = await database(postgres.url, 'scale_two');
    const a = await startSesameProcess({ databaseUrl: twoUrl, label: 'two-a', ...profile });
    const b = await startSesameProcess({ databaseUrl: twoUrl, label: 'two-b', skipSetup: true, ...profile });
    try {
      rows.push({ bench: 'scale_out.two_nodes', ...(await window([a, b], dbPid, o)) });
    } finally {
      await a.stop();
      await b.stop();
    }
    for (const r of rows)
      note(
        `scale-out: ${r.nodes} node(s): ${r.msgs_per_s} msgs/s, p99 ${r.p99_ms} ms, ${r.node_cpu_ms_per_msg} ms node CPU ` +
          `+ ${r.db_cpu_ms_per_msg} ms PostgreSQL CPU per message (database ${r.db_share})`,
      );
  } finally {
    await stopAllProcesses();
    await postgres.stop();
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: { duration: { type: 'string', default: '5' }, profile: { type: 'string' } },
  });
  const run = {
    durationMs: Number(values.duration) * 1000,
    ...(values.profile ? { profileDir: values.profile } : {}),
  };
  for (const r of await runScaleOutBench(run)) process.stdout.write(`${JSON.stringify(r)}\n`);
  process.exit(0);
}
