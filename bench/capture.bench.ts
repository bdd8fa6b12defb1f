// What capture delivery (the default transport) costs a message, in-process and on its own:
// N messages committed to the outbox as the send path commits them, From a domain identity with
// Easy DKIM on, then the delivery loop with its defaults drains them into the local mailbox.
// Reported: messages/s and this process's CPU per message over the drain (issue #18's target:
// ≤ 0.15 ms). A profile of the drain: SESAME_BENCH_PROFILE_DIR=DIR npx tsx bench/capture.bench.ts.
//
//   npx tsx bench/capture.bench.ts [--messages 3000] [--body-kb 0] [--postgres URL]
//
// --body-kb N: a text body of N KB instead of the default three lines (the benchmark's
// messages are otherwise ~360 bytes; mail with HTML weighs tens of KB).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { profileWindow } from './support/profiler.js';
import { loadConfig } from '../src/config/config.js';
import { ACCOUNT, REGION, outboxMessage, rawMessage } from '../src/delivery/test-support.js';
import { startDelivery } from '../src/delivery/worker.js';
import { insertOutbox } from '../src/ses/send/outbox.js';
import { insertIdentity } from '../src/ses/state/identities.js';
import { openStore } from '../src/store/database.js';

export const CAPTURE_GOAL_CPU_MS = 0.15;

export interface CaptureBench {
  bench: 'delivery.capture';
  engine: string;
  messages: number;
  message_bytes: number;
  msgs_per_s: number;
  cpu_ms_per_msg: number;
  goal_cpu_ms_per_msg: number;
}

export async function runCaptureBench(
  o: { messages?: number; databaseUrl?: string; bodyKb?: number } = {},
): Promise<CaptureBench> {
  const messages = o.messages ?? 3000;
  const line = 'All work and no play makes Jack a dull boy, or so the saying goes today.\r\n'; // 76 bytes
  const body = o.bodyKb ? line.repeat(Math.ceil((o.bodyKb * 1024) / line.length)) : undefined;
  const message = (to: string) => {
    const m = outboxMessage([to]);
    return body ? { ...m, raw: rawMessage({ messageId: m.messageId, to, body }) } : m;
  };
  const dir = mkdtempSync(join(tmpdir(), 'sesame-capture-bench-'));
  const store = await openStore({ dataDir: dir, ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}) });
  await insertIdentity(store, ACCOUNT, REGION, {
    identity: 'example.com',
    type: 'Domain',
    status: 'Success',
    dkimEnabled: true,
    dkimStatus: 'Success',
    dkimTokens: ['benchtok1aaaaaaaaaaaaaaaaaaaaaaa', 'benchtok2', 'benchtok3'],
    now: new Date(),
  });
  const log = { info() {}, warn() {}, error: (x: unknown) => console.error(x), debug() {} };
  const captured = async () =>
    Number(
      (
        await store.db
          .selectFrom('captured_messages')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  // A first message outside the measurement: the DKIM key is made, the statements are prepared.
  // That worker stops before the batch is queued, so nothing is delivered before the clock starts.
  await insertOutbox(store, [message('warm@example.net')]);
  const deliver = () => startDelivery({ store, config: loadConfig({}), log, tuning: { pollMs: 20 } });
  const warm = deliver();
  while ((await captured()) < 1) await new Promise((r) => setTimeout(r, 20));
  await warm.stop();
  const before = await captured(); // a database used before keeps its earlier captures
  const batch = Array.from({ length: messages }, (_, i) => message(`r${i}@example.net`));
  for (let i = 0; i < batch.length; i += 500) await insertOutbox(store, batch.slice(i, i + 500));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const worker = deliver();
  try {
    // A count every 50 ms: its own cost is counted too, but stays under 1% of the drain's.
    const drain = async () => {
      while ((await captured()) < before + messages) await new Promise((r) => setTimeout(r, 50));
    };
    // SESAME_BENCH_PROFILE_DIR: a CPU profile of the drain alone (capture.cpuprofile).
    const profileDir = process.env.SESAME_BENCH_PROFILE_DIR;
    if (profileDir) await profileWindow(profileDir, 'capture', drain);
    else await drain();
    const elapsed = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return {
      bench: 'delivery.capture',
      engine: store.dialect,
      messages,
      message_bytes: batch[0]!.raw.length,
      msgs_per_s: Math.round((messages / elapsed) * 1000),
      cpu_ms_per_msg: Math.round(((cpu.user + cpu.system) / 1000 / messages) * 1000) / 1000,
      goal_cpu_ms_per_msg: CAPTURE_GOAL_CPU_MS,
    };
  } finally {
    await worker.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: { messages: { type: 'string' }, 'body-kb': { type: 'string' }, postgres: { type: 'string' } },
  });
  const r = await runCaptureBench({
    ...(values.messages ? { messages: Number(values.messages) } : {}),
    ...(values['body-kb'] ? { bodyKb: Number(values['body-kb']) } : {}),
    ...(values.postgres ? { databaseUrl: values.postgres } : {}),
  });
  console.log(JSON.stringify(r));
}
