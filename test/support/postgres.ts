// A private PostgreSQL 15 cluster for the test suite: initdb in a temp folder, a free port,
// stopped (by PID, via pg_ctl) when the suite ends. PostgreSQL refuses to run as root, so as root
// the folder is given to the `postgres` user and the binaries run through runuser.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = process.env.SESAME_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PrivatePostgres {
  url: string;
  stop: () => Promise<void>;
  /** `pg_ctl stop -m fast`: the server ends every session and stops listening (fault tests). */
  pause: () => void;
  /** `pg_ctl start` again, on the same port and data. */
  resume: () => void;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function postgresUid(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  if (!existsSync(join(BIN, 'initdb'))) throw new Error(`PostgreSQL binaries not found in ${BIN}`);
  const dir = mkdtempSync(join(tmpdir(), 'sesame-pg-'));
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  const owner = postgresUid();
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const run = (cmd: string, args: string[]) => {
    const full = owner
      ? ['runuser', ['-u', 'postgres', '--', join(BIN, cmd), ...args]]
      : [join(BIN, cmd), args];
    const r = spawnSync(full[0] as string, full[1] as string[], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  run('initdb', ['-D', data, '-U', 'sesame', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C']);
  const port = await freePort();
  // Root may append to the cluster's own config file; ownership stays with postgres.
  appendFileSync(
    join(data, 'postgresql.conf'),
    `\nlisten_addresses='127.0.0.1'\nport=${port}\nunix_socket_directories='${dir}'\nfsync=off\nsynchronous_commit=off\nfull_page_writes=off\nmax_connections=200\n`,
  );
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '30', 'start']);
  run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'sesame', 'sesame']);
  return {
    url: `postgres://sesame@127.0.0.1:${port}/sesame`,
    pause: () => void run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']),
    resume: () => void run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '30', 'start']),
    stop: async () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
