// A moto_server on a free port (the real script, not the pyenv shim, so the PID held is the
// server's), stopped by that PID. Used as an S3-compatible store by the receiving benchmark and tests.
import { existsSync } from 'node:fs';
import { freePort, startProcess, stopProcess, waitForPort } from './processes.js';

const PYENV_MOTO = '/root/.pyenv/versions/3.11.7/bin/moto_server';

export async function startMotoServer(): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const command = existsSync(PYENV_MOTO) ? PYENV_MOTO : 'moto_server';
  const { child, stderrTail } = startProcess(command, ['-H', '127.0.0.1', '-p', String(port)]);
  try {
    await waitForPort(port, 30_000, child);
  } catch (e) {
    await stopProcess(child);
    throw new Error(`moto_server did not start: ${(e as Error).message}\n${stderrTail()}`);
  }
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => stopProcess(child) };
}
