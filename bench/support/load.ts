// Parent side of a load run: starts load-client.ts in its own Node process (tracked by PID, killed
// if it overruns), returns its measurement.
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { startProcess, stopProcess } from './processes.js';
import type { LoadResult, LoadSpec } from './load-spec.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
// Run from TypeScript through tsx, or from a tsc build (profiling) as plain JavaScript.
const FROM_TS = import.meta.url.endsWith('.ts');
const EXT = FROM_TS ? 'ts' : 'js';

/**
 * `raw` (the default): raw sockets and node:crypto signing (raw-load-client.ts), cheap enough not
 * to starve the server on a small machine; `sdk`: node:http and the AWS SDK's signer (load-client.ts).
 */
export type LoadClientKind = 'raw' | 'sdk';

export async function runLoadInChild(spec: LoadSpec, kind: LoadClientKind = 'raw'): Promise<LoadResult> {
  const budgetMs = spec.warmupMs + spec.durationMs + spec.requestTimeoutMs + 20_000;
  return runClientInChild<LoadResult>(kind === 'raw' ? 'raw-load-client' : 'load-client', spec, budgetMs);
}

/** Runs bench/support/`name` with its spec as JSON and returns the JSON line it prints last. */
export async function runClientInChild<R>(name: string, spec: unknown, budgetMs: number): Promise<R> {
  const client = resolve(HERE, `${name}.${EXT}`);
  const { child, stderrTail } = startProcess(
    process.execPath,
    [...(FROM_TS ? ['--import', 'tsx'] : []), client, JSON.stringify(spec)],
    { cwd: ROOT },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const timer = setTimeout(() => void stopProcess(child, 1000), budgetMs);
  const code = await new Promise<number | null>((res) => child.once('exit', (c) => res(c)));
  clearTimeout(timer);
  const line = out.trim().split('\n').pop() ?? '';
  if (code !== 0 || !line.startsWith('{')) {
    throw new Error(`${name} exited with ${code}: ${stderrTail().trim() || out.trim()}`);
  }
  return JSON.parse(line) as R;
}
