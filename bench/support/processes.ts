// Child processes the benchmark starts (moto_server, load clients, optional emulators): each is
// remembered by PID and stopped by PID — on success, on error, and on Ctrl-C — never by name.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';

const running = new Map<number, ChildProcess>();

/** Spawns a tracked child; stderr is kept (last 4 KB) for error messages. */
export function startProcess(
  command: string,
  args: readonly string[],
  opts: SpawnOptions = {},
): { child: ChildProcess; stderrTail: () => string } {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  running.set(child.pid, child);
  const pid = child.pid;
  child.once('exit', () => running.delete(pid));
  // Both pipes are always drained: a chatty child (moto logs every request) must never block.
  let tail = '';
  child.stderr?.on('data', (d: Buffer) => {
    tail = (tail + d.toString()).slice(-4096);
  });
  child.stdout?.resume();
  return { child, stderrTail: () => tail };
}

/**
 * Starts bench/support/`name` (a server that prints its port on its first line) in a Node process of
 * its own, through tsx when the benchmark runs from TypeScript; resolves once it has said its port.
 */
export async function startPortPrintingScript(
  dir: string,
  name: string,
  label: string,
): Promise<{ port: number; pid: number; stop: () => Promise<void> }> {
  const fromTs = import.meta.url.endsWith('.ts');
  const { child, stderrTail } = startProcess(process.execPath, [
    ...(fromTs ? ['--import', 'tsx'] : []),
    join(dir, `${name}.${fromTs ? 'ts' : 'js'}`),
  ]);
  const port = await new Promise<number>((res, rej) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) res(Number(out.trim()));
    });
    child.once('exit', (c) => rej(new Error(`${label} exited (${c}): ${stderrTail()}`)));
  });
  return { port, pid: child.pid!, stop: () => stopProcess(child) };
}

/** SIGTERM, then SIGKILL after `graceMs` if the process is still there. */
export async function stopProcess(child: ChildProcess, graceMs = 3000): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  running.delete(pid);
}

export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...running.values()].map((c) => stopProcess(c)));
}

// Last line of defence when the harness itself is interrupted or crashes.
let hooked = false;
export function installExitHooks(): void {
  if (hooked) return;
  hooked = true;
  const killSync = () => {
    for (const [pid, c] of running) {
      if (c.exitCode === null) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  };
  process.once('exit', killSync);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      killSync();
      process.exit(130);
    });
  }
}

/** A free TCP port on 127.0.0.1 (bound and released; small race accepted for a benchmark). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once 127.0.0.1:port accepts a connection; rejects after `timeoutMs` or if `child` exits. */
export async function waitForPort(port: number, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(
        `process exited (code ${child.exitCode ?? child.signalCode}) before listening on ${port}`,
      );
    }
    const ok = await new Promise<boolean>((resolve) => {
      const sock = connect({ host: '127.0.0.1', port });
      sock.once('connect', () => {
        sock.destroy();
        resolve(true);
      });
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline)
      throw new Error(`nothing listening on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
