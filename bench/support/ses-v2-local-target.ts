// aws-ses-v2-local (optional, not a dependency): measured only when it is installed. It has no
// auth and no IAM; it stores mail in memory. Returns undefined (with a reason) when absent.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { freePort, startProcess, stopProcess, waitForPort } from './processes.js';
import type { Target } from './workload.js';

export async function startSesV2LocalTarget(): Promise<Target | { skipped: string }> {
  let pkgFile: string;
  try {
    pkgFile = createRequire(import.meta.url).resolve('aws-ses-v2-local/package.json');
  } catch {
    return { skipped: 'aws-ses-v2-local is not installed' };
  }
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { bin?: string | Record<string, string> };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.['aws-ses-v2-local'];
  if (!bin) return { skipped: 'aws-ses-v2-local has no CLI entry in its package.json' };
  const port = await freePort();
  const { child, stderrTail } = startProcess(process.execPath, [
    join(dirname(pkgFile), bin),
    '--port',
    String(port),
    '--host',
    '127.0.0.1',
  ]);
  try {
    await waitForPort(port, 15_000, child);
  } catch (e) {
    await stopProcess(child);
    return {
      skipped: `aws-ses-v2-local did not start: ${e instanceof Error ? e.message : String(e)} ${stderrTail()}`,
    };
  }
  return {
    name: 'ses_v2_local',
    endpoint: `http://127.0.0.1:${port}`,
    pid: child.pid,
    notes: [],
    stop: () => stopProcess(child),
  };
}
