// The bare ceiling (bare-server.ts) started as a child process, measured from /proc like the others.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPortPrintingScript } from './processes.js';
import type { Target } from './workload.js';

const HERE = dirname(fileURLToPath(import.meta.url));

export async function startBareProcess(): Promise<Target> {
  const bare = await startPortPrintingScript(HERE, 'bare-server', 'bare server');
  return {
    name: 'bare',
    endpoint: `http://127.0.0.1:${bare.port}`,
    pid: bare.pid,
    notes: [],
    stop: bare.stop,
  };
}
