// `sesame` as an operator runs it: a real node process (src/cli/sesame.ts through tsx, the source of
// dist/cli/sesame.js), its own environment, its output kept. Every process started here is killed
// by its PID when the test file ends (stopAllSesameProcesses), whatever happened in between.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** tsx's loader by path: the command may run in another folder (where `--import tsx` is not found). */
const TSX = pathToFileURL(join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

export interface SesameProcess {
  child: ChildProcess;
  pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when stdout or stderr matches; rejects after `ms` or when the process exits first. */
  waitFor(pattern: RegExp, ms?: number): Promise<string>;
  kill(signal?: NodeJS.Signals): void;
}

const running = new Set<SesameProcess>();

/** The parent's environment without any SESAME_* setting (a test names every one it wants). */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('SESAME_')) env[k] = v;
  delete env.NODE_OPTIONS; // vitest's loader hooks are not the operator's
  // The receiver's default port (2525) would be one port for every test process running at once.
  env.SESAME_INBOUND_SMTP_PORT = '0';
  // One process, as before SESAME_WORKERS existed: a test about workers names its own count.
  env.SESAME_WORKERS = '1';
  return env;
}

export function spawnSesame(
  args: string[],
  env: Record<string, string>,
  opts: { cwd?: string } = {},
): SesameProcess {
  const child = spawn(process.execPath, ['--import', TSX, join(REPO, 'src/cli/sesame.ts'), ...args], {
    cwd: opts.cwd ?? REPO,
    env: { ...baseEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
    for (const l of [...listeners]) l();
  });
  child.stderr!.on('data', (c: Buffer) => {
    err += c.toString();
    for (const l of [...listeners]) l();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(proc);
      resolve({ code, signal });
      for (const l of [...listeners]) l();
    }),
  );
  let done = false;
  void exited.then(() => (done = true));
  const proc: SesameProcess = {
    child,
    pid: child.pid!,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern, ms = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = pattern.exec(out) ?? pattern.exec(err);
          if (m) {
            cleanup();
            resolve(m[0]);
          } else if (done) {
            cleanup();
            reject(new Error(`process ${child.pid} exited before ${pattern}:\n${out}\n${err}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no ${pattern} within ${ms} ms:\n${out}\n${err}`));
        }, ms);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    kill(signal = 'SIGTERM') {
      if (!done) child.kill(signal);
    },
  };
  running.add(proc);
  return proc;
}

/** Runs a command to its end (bounded): exit code and output. */
export async function runSesame(
  args: string[],
  env: Record<string, string>,
  opts: { cwd?: string; timeoutMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = spawnSesame(args, env, opts);
  const timer = setTimeout(() => p.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
  const { code } = await p.exited;
  clearTimeout(timer);
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

/** Kills (SIGKILL, by PID) every process this file started that is still running. */
export async function stopAllSesameProcesses(): Promise<void> {
  const left = [...running];
  for (const p of left) p.kill('SIGKILL');
  await Promise.all(left.map((p) => p.exited));
}
