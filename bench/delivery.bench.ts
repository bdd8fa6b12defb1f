// Delivery throughput and lag: messages committed to the outbox (as the send path commits them) are
// relayed by the workers to a loopback smtp-server sink. Two JSON lines:
//   delivery.throughput: N messages queued at once -> all received by the sink (msgs/s);
//   delivery.lag: messages accepted at a steady rate with notify('outbox') -> acceptance-to-receipt lag.
//
//   npx tsx bench/delivery.bench.ts [--messages 2000] [--rate 200] [--seconds 5] [--concurrency 16] [--postgres URL]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config/config.js';
import { notify } from '../src/delivery/notify.js';
import { startSmtpSink } from '../src/delivery/smtp-sink.js';
import { relayTransport } from '../src/delivery/transports/relay.js';
import { startDelivery } from '../src/delivery/worker.js';
import { outboxMessage } from '../src/delivery/test-support.js';
import { insertOutbox } from '../src/ses/send/outbox.js';
import { openStore } from '../src/store/database.js';

export interface DeliveryBenchOptions {
  messages?: number;
  rate?: number;
  seconds?: number;
  concurrency?: number;
  databaseUrl?: string;
}

export interface DeliveryThroughput {
  bench: 'delivery.throughput';
  engine: string;
  messages: number;
  concurrency: number;
  msgs_per_s: number;
  elapsed_ms: number;
}

export interface DeliveryLag {
  bench: 'delivery.lag';
  engine: string;
  rate_per_s: number;
  messages: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  max_ms: number;
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

export async function runDeliveryBench(
  o: DeliveryBenchOptions = {},
): Promise<[DeliveryThroughput, DeliveryLag]> {
  const messages = o.messages ?? 2000;
  const rate = o.rate ?? 200;
  const seconds = o.seconds ?? 5;
  const concurrency = o.concurrency ?? 16;
  const dir = mkdtempSync(join(tmpdir(), 'sesame-delivery-bench-'));
  const store = await openStore({ dataDir: dir, ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}) });
  const received = new Map<string, number>();
  let waiter: (() => void) | undefined;
  let want = 0;
  const sink = await startSmtpSink({
    onMessage: (m) => {
      const id = /^Message-ID: <([^@]+)@/im.exec(m.raw.toString('latin1'))?.[1];
      if (id) received.set(id, Date.now());
      if (received.size >= want) waiter?.();
    },
  });
  const relay = relayTransport({
    host: '127.0.0.1',
    port: sink.port,
    tls: { rejectUnauthorized: false },
    maxConnections: concurrency,
  });
  const log = { info() {}, warn() {}, error: (o: unknown) => console.error(o), debug() {} };
  const worker = startDelivery({
    store,
    config: loadConfig({}),
    log,
    transport: relay,
    concurrency,
    tuning: { pollMs: 50 },
  });
  try {
    // Throughput: the whole batch queued before the clock starts.
    const batch = Array.from({ length: messages }, (_, i) =>
      outboxMessage([`r${i}@example.net`], { createdAt: new Date() }),
    );
    for (let i = 0; i < batch.length; i += 500) await insertOutbox(store, batch.slice(i, i + 500));
    want = messages;
    const done = new Promise<void>((r) => (waiter = r));
    const t0 = performance.now();
    notify('outbox');
    await done;
    const elapsed = performance.now() - t0;
    const throughput: DeliveryThroughput = {
      bench: 'delivery.throughput',
      engine: store.dialect,
      messages,
      concurrency,
      msgs_per_s: Math.round((messages / elapsed) * 1000),
      elapsed_ms: Math.round(elapsed),
    };

    // Lag: a steady rate, each message accepted (committed) then notify('outbox'), as the API path does.
    received.clear();
    const total = Math.round(rate * seconds);
    want = total;
    const accepted = new Map<string, number>();
    const lagDone = new Promise<void>((r) => (waiter = r));
    const start = Date.now();
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / rate;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const m = outboxMessage([`lag${i}@example.net`], { createdAt: new Date() });
      await insertOutbox(store, [m]);
      accepted.set(m.messageId, Date.now());
      notify('outbox');
    }
    await lagDone;
    const lags = [...accepted].map(([id, t]) => (received.get(id) ?? Number.NaN) - t).sort((a, b) => a - b);
    const lag: DeliveryLag = {
      bench: 'delivery.lag',
      engine: store.dialect,
      rate_per_s: rate,
      messages: total,
      p50_ms: pct(lags, 50),
      p95_ms: pct(lags, 95),
      p99_ms: pct(lags, 99),
      max_ms: lags.at(-1) ?? 0,
    };
    return [throughput, lag];
  } finally {
    await worker.stop();
    await relay.close?.();
    await sink.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const num = (name: string) => (arg(name) === undefined ? undefined : Number(arg(name)));
  const opts: DeliveryBenchOptions = {};
  for (const k of ['messages', 'rate', 'seconds', 'concurrency'] as const) {
    const v = num(k);
    if (v !== undefined) opts[k] = v;
  }
  const url = arg('postgres');
  if (url) opts.databaseUrl = url;
  const results = await runDeliveryBench(opts);
  for (const r of results) console.log(JSON.stringify(r));
}
