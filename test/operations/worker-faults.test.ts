// Faults of a node of several processes (SESAME_WORKERS=2) that the operator would meet: a worker
// replaced while the node keeps taking IAM writes; what it says at its first start. Real processes on SQLite, loopback only; every
// process is stopped by its PID when the file ends.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopAllSesameProcesses } from '../support/sesame-process.js';
import {
  MASTER_KEY,
  REGION,
  ROOT_KEY,
  alive,
  childrenOf,
  spawnNode,
  startNode,
  type SesameNode,
} from '../support/nodes.js';

const WORKERS = 2;

describe(`a node of ${WORKERS} workers, faults`, { timeout: 120_000 }, () => {
  let node: SesameNode;
  let iam: IAMClient;

  beforeAll(async () => {
    node = await startNode({ SESAME_WORKERS: String(WORKERS), SESAME_MASTER_KEY: MASTER_KEY }, 'faults');
    iam = new IAMClient({ endpoint: node.endpoint, region: REGION, credentials: ROOT_KEY, maxAttempts: 1 });
  });
  afterAll(async () => {
    iam?.destroy();
    await stopAllSesameProcesses();
  });

  it('says once, at the first start, where the console operator token was created', () => {
    const out = node.proc.stdout();
    expect(out.match(/Console operator token: [^"]*/g)).toEqual([
      `Console operator token: created in ${join(node.dataDir, 'operator-token')}`,
    ]);
    expect(out.match(/Sesame ready/g)).toHaveLength(1);
  });

  it('answers an IAM write made while a replacement worker is still loading, and keeps that worker', async () => {
    const before = childrenOf(node.proc.pid);
    expect(before).toHaveLength(WORKERS + 1);
    process.kill(before[0]!, 'SIGKILL');
    // The replacement exists (forked) but has not loaded its modules yet: it hears no message.
    const { value: replacement } = await poll(5_000, () =>
      childrenOf(node.proc.pid).find((p) => !before.includes(p)),
    );
    await iam.send(new CreateUserCommand({ UserName: 'during-restart' }));
    await node.proc.waitFor(/worker \d+ \(\w+\) ready/, 60_000);
    // Nothing the replacement could have cached was stale: it is neither waited for nor killed.
    expect(node.proc.stdout()).not.toMatch(/did not confirm a cache invalidation/);
    expect(alive(replacement)).toBe(true);
    expect(childrenOf(node.proc.pid)).toContain(replacement);
  });

  it('backs off a worker that keeps dying right after it started: 2x the delay each time', async () => {
    const readyLines = () => [
      ...node.proc
        .stdout()
        .matchAll(/"worker":\d+,"pid":(\d+),"role":"listeners","msg":"worker \d+ \(listeners\) ready"/g),
    ];
    for (let i = 0; i < 3; i++) {
      const seen = readyLines();
      const victim = Number(seen.at(-1)?.[1] ?? childrenOf(node.proc.pid)[0]);
      process.kill(victim, 'SIGKILL');
      await poll(60_000, () => (readyLines().length > seen.length ? true : undefined));
    }
    const delays = [...node.proc.stdout().matchAll(/"restartInMs":(\d+)/g)]
      .map((m) => Number(m[1]))
      .slice(-3);
    expect(delays).toEqual([delays[0], delays[0]! * 2, delays[0]! * 4]);
  });
});

describe(`a node of ${WORKERS} workers, stopped from outside`, { timeout: 120_000 }, () => {
  afterAll(stopAllSesameProcesses);
  const env = { SESAME_WORKERS: String(WORKERS), SESAME_MASTER_KEY: MASTER_KEY };

  // A terminal's Ctrl-C reaches the whole process group; systemd stops a unit by signalling every
  // process of its cgroup (the workers first here: the primary must not restart them).
  it.each<{ signal: NodeJS.Signals; why: string }>([
    { signal: 'SIGINT', why: "a terminal's Ctrl-C" },
    { signal: 'SIGTERM', why: 'systemd stopping the whole unit' },
  ])('stops every process on $signal to all of them at once ($why), exit code 0', async ({ signal }) => {
    const node = await startNode(env, signal);
    const workers = childrenOf(node.proc.pid);
    expect(workers).toHaveLength(WORKERS + 1);
    for (const pid of [...workers, node.proc.pid]) process.kill(pid, signal);
    expect(await node.proc.exited).toEqual({ code: 0, signal: null });
    expect(node.proc.stdout()).not.toMatch(/exited; starting another|did not stop in time/);
    expect(workers.filter(alive)).toEqual([]);
  });

  it('its workers exit when the primary is killed (SIGKILL)', async () => {
    const node = await startNode(env, 'orphans');
    const workers = childrenOf(node.proc.pid);
    expect(workers).toHaveLength(WORKERS + 1);
    process.kill(node.proc.pid, 'SIGKILL');
    await node.proc.exited;
    await poll(10_000, () => (workers.some(alive) ? undefined : true));
  });
});

describe(`a node of ${WORKERS} workers whose port is taken after the checks`, { timeout: 120_000 }, () => {
  afterAll(stopAllSesameProcesses);

  it('refuses in one line, exit code 2, and leaves no process behind', async () => {
    const node = await spawnNode({ SESAME_WORKERS: String(WORKERS), SESAME_MASTER_KEY: MASTER_KEY }, 'taken');
    const port = Number(new URL(node.endpoint).port);
    // Logged by the primary after its checks, before it starts the workers that listen.
    await node.proc.waitFor(/Console operator token: created in/, 60_000);
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen({ host: '127.0.0.1', port }, resolve));
    try {
      const { code } = await node.proc.exited;
      expect({ code, stderr: node.proc.stderr() }).toEqual({
        code: 2,
        stderr: `sesame: SESAME_HTTP_PORT=${port}: 127.0.0.1:${port} is already in use (another Sesame, or another program)\n`,
      });
      await poll(10_000, () => (processesOf(node.dataDir).length === 0 ? true : undefined));
    } finally {
      squatter.close();
    }
  });
});

/** Every process started with this data folder (the primary's orphans included). */
function processesOf(dataDir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`SESAME_DATA_DIR=${dataDir}`))
        found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

async function poll<T>(ms: number, fn: () => T | undefined): Promise<{ value: T }> {
  const end = Date.now() + ms;
  for (;;) {
    const value = fn();
    if (value !== undefined) return { value };
    if (Date.now() > end) throw new Error(`nothing within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
