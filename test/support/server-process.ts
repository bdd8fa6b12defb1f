// Starts server-child.ts as a separate node process and reads what it holds: its resident memory
// (from /proc) is the server's alone, not the test's.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACCOUNT, ROOT_KEY } from './server.js';

export interface ServerProcess {
  endpoint: string;
  smtp: { starttls?: number; implicit?: number };
  pid: number;
  /** Resident set size of the server process, in bytes. */
  rss(): number;
  stop(): Promise<void>;
}

const CHILD = join(import.meta.dirname, 'server-child.ts');

export async function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    cwd: join(import.meta.dirname, '..', '..'),
    env: {
      ...process.env,
      SESAME_ACCOUNT_ID: ACCOUNT,
      SESAME_ROOT_ACCESS_KEY_ID: ROOT_KEY.accessKeyId,
      SESAME_ROOT_SECRET_ACCESS_KEY: ROOT_KEY.secretAccessKey,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = await new Promise<{ endpoint: string; smtp: ServerProcess['smtp'] }>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error('server process did not start')), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(JSON.parse(buf.slice(0, nl)) as { endpoint: string; smtp: ServerProcess['smtp'] });
      }
    });
    child.once('exit', (code) => reject(new Error(`server process exited (${code})`)));
  });
  const pid = child.pid!;
  return {
    ...ready,
    pid,
    rss() {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
