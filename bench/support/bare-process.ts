// The bare ceiling (bare-server.ts) started as a child process, measured from /proc like the others.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProcess, stopProcess } from './processes.js';
import type { Target } from './workload.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const FROM_TS = import.meta.url.endsWith('.ts');

export async function startBareProcess(): Promise<Target> {
  const script = resolve(HERE, FROM_TS ? 'bare-server.ts' : 'bare-server.js');
  const { child, stderrTail } = startProcess(process.execPath, [
    ...(FROM_TS ? ['--import', 'tsx'] : []),
    script,
  ]);
  const port = await new Promise<number>((res, rej) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) res(Number(out.trim()));
    });
    child.once('exit', (c) => rej(new Error(`bare server exited (${c}): ${stderrTail()}`)));
  });
  return {
    name: 'bare',
    endpoint: `http://127.0.0.1:${port}`,
    pid: child.pid,
    notes: [],
    stop: () => stopProcess(child),
  };
}
