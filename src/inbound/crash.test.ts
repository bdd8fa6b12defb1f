// Durability of receiving (docs/architecture.md rule 4): a receiver is killed with SIGKILL while clients are
// delivering; after a restart every message it answered 250 for is in the mailbox and its receipt
// actions have run (AddHeader, then the Lambda event reached the function), each message once.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bench/support/processes.js';
import { openStore } from '../store/database.js';
import { startHookServer } from '../../test/support/inbound.js';

const CHILD = join(import.meta.dirname, 'crash-child.ts');

function child(args: string[]): {
  proc: ChildProcess;
  lines: string[];
  line: (re: RegExp, ms?: number) => Promise<string>;
} {
  // node itself with tsx's loader, so SIGKILL hits the process that receives.
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: join(import.meta.dirname, '..', '..'),
  });
  const lines: string[] = [];
  let buf = '';
  const waiters: (() => void)[] = [];
  proc.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    lines.push(...parts);
    for (const w of waiters.splice(0)) w();
  });
  const line = (re: RegExp, ms = 30_000) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no line ${re} in ${lines.join('|')}`)), ms);
      const check = () => {
        const hit = lines.find((l) => re.test(l));
        if (hit) {
          clearTimeout(timer);
          resolve(hit);
        } else waiters.push(check);
      };
      check();
    });
  return { proc, lines, line };
}

describe('receiving crash safety', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sesame-inbound-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('kill -9 while clients deliver, restart: every acknowledged message is kept and its actions run', async () => {
    const hook = await startHookServer();
    try {
      const port = await freePort();
      const first = child([dir, 'receive', String(port), `${hook.base}/fn`]);
      await first.line(/^READY \d+$/);
      const exited = new Promise<void>((r) => first.proc.once('exit', () => r()));
      const acked: string[] = [];
      const transport = nodemailer.createTransport({
        host: '127.0.0.1',
        port,
        secure: false,
        ignoreTLS: true,
        pool: true,
        maxConnections: 4,
      });
      const sends = Array.from({ length: 120 }, (_, i) =>
        transport
          .sendMail({ from: 'a@sender.example', to: `user${i}@in.example`, subject: `m${i}`, text: 'hello' })
          .then(
            (info) => {
              const id = /^250 OK ([0-9a-v]{40})$/.exec(info.response)?.[1];
              if (id) acked.push(id);
              if (acked.length === 30) first.proc.kill('SIGKILL');
            },
            () => undefined,
          ),
      );
      await Promise.all(sends);
      transport.close();
      await exited;
      expect(acked.length).toBeGreaterThanOrEqual(30);
      expect(acked.length).toBeLessThan(120);

      const second = child([dir, 'drain', `${hook.base}/fn`]);
      // A fresh process compiles with tsx, then runs what the killed one left: under the whole
      // suite on two cores that alone took over 30 s.
      await second.line(/^DRAINED$/, 100_000);
      await new Promise<void>((r) =>
        second.proc.exitCode !== null ? r() : second.proc.once('exit', () => r()),
      );

      const store = await openStore({ dataDir: dir });
      try {
        const rows = await store.db
          .selectFrom('inbound_messages')
          .select(['message_id', 'status', 'trace'])
          .execute();
        const kept = new Map(rows.map((r) => [r.message_id, r]));
        for (const id of acked) {
          expect(kept.get(id)?.status, id).toBe('done');
          const actions = (JSON.parse(kept.get(id)!.trace) as { event: string; action?: string }[]).filter(
            (e) => e.event === 'Action',
          );
          expect(actions.map((e) => e.action)).toEqual(['AddHeaderAction', 'LambdaAction']);
        }
        const captured = await store.db
          .selectFrom('captured_messages')
          .select('capture_id')
          .where('kind', '=', 'inbound')
          .execute();
        expect(captured.length).toBe(rows.length);
        // Every kept message reached the function (a post cut by the kill may come twice: at least once).
        const invoked = new Set(
          hook
            .on('/fn')
            .map(
              (h) =>
                (JSON.parse(h.body) as { Records: { ses: { mail: { messageId: string } } }[] }).Records[0]!
                  .ses.mail.messageId,
            ),
        );
        for (const r of rows) expect(invoked.has(r.message_id), r.message_id).toBe(true);
      } finally {
        await store.close();
      }
    } finally {
      await hook.close();
    }
  }, 180_000);
});
