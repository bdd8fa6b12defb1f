// Child process of crash.test.ts: on a SQLite file, accepts messages (each committed before its id
// is printed, as the send path answers only after the commit) while delivery workers run; or, with
// --drain, only runs workers until the outbox has nothing left to do, then exits.
import { loadConfig } from '../config/config.js';
import { insertOutbox } from '../ses/send/outbox.js';
import { openStore } from '../store/database.js';
import { notify } from './notify.js';
import { outboxMessage } from './test-support.js';
import { startDelivery } from './worker.js';

const [dataDir, mode, countArg] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: crash-child DATA_DIR accept|drain [COUNT]');
const store = await openStore({ dataDir });
const log = { info() {}, warn() {}, error: (o: unknown) => console.error(o), debug() {} };
const worker = startDelivery({
  store,
  config: loadConfig({}),
  log,
  concurrency: 4,
  tuning: { pollMs: 20, leaseMs: 400 },
});

if (mode === 'accept') {
  const count = Number(countArg ?? 300);
  for (let i = 0; i < count; i++) {
    const m = outboxMessage([`r${i}@example.net`, `s${i}@example.org`]);
    await insertOutbox(store, [m]);
    process.stdout.write(`${m.messageId}\n`);
    notify('outbox');
    if (i % 10 === 0) await new Promise((r) => setTimeout(r, 5));
  }
  process.stdout.write('ACCEPTED-ALL\n');
  await new Promise(() => {}); // keep working until killed
} else {
  for (;;) {
    const left = await store.db
      .selectFrom('outbox')
      .select('message_id')
      .where('status', 'in', ['queued', 'sending'])
      .limit(1)
      .execute();
    if (left.length === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await worker.stop();
  await store.close();
  process.stdout.write('DRAINED\n');
}
