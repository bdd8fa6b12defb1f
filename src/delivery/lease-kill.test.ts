// Issue 14, finding 8: a message whose worker is killed mid-delivery is taken over once its lease
// expires. The lease used to be 5 minutes; it is SESAME_DELIVERY_LEASE_SECONDS now (2 s here), on
// SQLite and on PostgreSQL, and the new attempt delivers it exactly once.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, testDialects, type Store } from '../store/database.js';
import { freshPostgresDatabase } from '../../test/support/server.js';
import { config, eventually, silentLog } from './test-support.js';
import { startDelivery } from './worker.js';

const CHILD = join(import.meta.dirname, 'lease-kill-child.ts');

/** Runs the child until it has a delivery under way, then kills it; resolves with the message id. */
function runAndKill(where: string): Promise<{ messageId: string; killedAt: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, where], {
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: join(import.meta.dirname, '..', '..'),
      env: { ...process.env, SESAME_DELIVERY_LEASE_SECONDS: '2' },
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    let out = '';
    let messageId = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const lines = out.split('\n');
      messageId ||= lines.find((l) => /^0100/.test(l)) ?? '';
      if (messageId && lines.includes('CLAIMED')) {
        child.kill('SIGKILL');
        clearTimeout(timer);
        resolve({ messageId, killedAt: Date.now() });
      }
    });
    child.on('error', reject);
    child.on('exit', () => {
      clearTimeout(timer);
      if (!messageId) reject(new Error('child exited before claiming'));
    });
  });
}

describe.each(testDialects())('a killed worker’s lease (%s)', (dialect) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  it('expires after SESAME_DELIVERY_LEASE_SECONDS, and another worker delivers the message once', async () => {
    let where: string;
    let store: Store;
    if (dialect === 'postgres') {
      const db = await freshPostgresDatabase();
      where = db.url;
      store = await openStore({ dataDir: '.', databaseUrl: db.url });
      // Not dropped here: pg-pool's end() resolves before its clients have closed, and a forced
      // DROP DATABASE would then terminate one under our feet. The suite's cluster goes at the end.
      cleanups.push(() => store.close());
    } else {
      where = mkdtempSync(join(tmpdir(), 'sesame-lease-'));
      store = await openStore({ dataDir: where });
      cleanups.push(async () => {
        await store.close();
        rmSync(where, { recursive: true, force: true });
      });
    }
    const { messageId, killedAt } = await runAndKill(where);
    const w = startDelivery({ store, config, log: silentLog, tuning: { pollMs: 50 } });
    try {
      const row = () =>
        store.db
          .selectFrom('outbox')
          .selectAll()
          .where('message_id', '=', messageId)
          .executeTakeFirstOrThrow();
      await eventually(async () => (await row()).status === 'delivered', 15_000);
      // Two seconds of lease (it was five minutes), then the next poll.
      expect(Date.now() - killedAt).toBeLessThan(10_000);
      expect(Number((await row()).attempts)).toBe(2);
      const captured = await store.db
        .selectFrom('captured_messages')
        .select('message_id')
        .where('message_id', '=', messageId)
        .execute();
      expect(captured).toHaveLength(1);
    } finally {
      await w.stop();
    }
  }, 90_000);
});
