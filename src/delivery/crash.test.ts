// Crash safety (docs/architecture.md rule 4): a process accepting and delivering is killed with SIGKILL mid-load;
// after a restart every committed MessageId is delivered (captured) exactly once, and nothing else.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../store/database.js';

const CHILD = join(import.meta.dirname, 'crash-child.ts');

function run(args: string[], killAfterLines?: number): Promise<{ lines: string[]; killed: boolean }> {
  return new Promise((resolve, reject) => {
    // node itself with tsx's loader: SIGKILL must hit the process that accepts and delivers (the
    // tsx CLI would run it as a grandchild that survives its parent's kill).
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: join(import.meta.dirname, '..', '..'),
    });
    const lines: string[] = [];
    let buf = '';
    let killed = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split('\n');
      buf = parts.pop() ?? '';
      lines.push(...parts);
      if (killAfterLines !== undefined && !killed && lines.length >= killAfterLines) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve({ lines, killed });
    });
  });
}

describe('crash safety', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sesame-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('kill -9 mid-load, restart: every committed message captured exactly once', async () => {
    const first = await run([dir, 'accept', '400'], 150);
    expect(first.killed).toBe(true);
    const printed = first.lines.filter((l) => /^0100/.test(l));
    expect(printed.length).toBeGreaterThanOrEqual(150);
    expect(first.lines).not.toContain('ACCEPTED-ALL');

    const second = await run([dir, 'drain']);
    expect(second.lines).toEqual(['DRAINED']);

    const store = await openStore({ dataDir: dir });
    try {
      const outbox = await store.db.selectFrom('outbox').select(['message_id', 'status']).execute();
      const committed = new Set(outbox.map((r) => r.message_id));
      // Every id the client was given was committed; every committed row was delivered.
      for (const id of printed) expect(committed.has(id)).toBe(true);
      expect(outbox.filter((r) => r.status !== 'delivered')).toEqual([]);
      const captured = await store.db
        .selectFrom('captured_messages')
        .select(['message_id', 'recipients'])
        .execute();
      expect(captured.length).toBe(committed.size);
      expect(new Set(captured.map((c) => c.message_id))).toEqual(committed);
      // One Delivery event per recipient, no more.
      const deliveries = await store.db
        .selectFrom('delivery_events')
        .select(['message_id', 'recipients'])
        .where('event_type', '=', 'Delivery')
        .execute();
      expect(deliveries.length).toBe(committed.size * 2);
      const sends = await store.db
        .selectFrom('delivery_events')
        .select('message_id')
        .where('event_type', '=', 'Send')
        .execute();
      expect(sends.length).toBe(committed.size);
    } finally {
      await store.close();
    }
  }, 60_000);
});
