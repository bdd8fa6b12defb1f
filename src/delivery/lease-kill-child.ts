// Child process of lease-kill.test.ts: enqueues one message and delivers it through a transport
// that never answers (a relay gone silent), printing CLAIMED once the attempt is under way; the
// test then kills it with SIGKILL. The lease comes from the configuration (SESAME_DELIVERY_LEASE_SECONDS).
import { loadConfig } from '../config/config.js';
import { openStore } from '../store/database.js';
import { notify } from './notify.js';
import { enqueue, silentLog } from './test-support.js';
import { startDelivery } from './worker.js';

const [where] = process.argv.slice(2);
if (!where) throw new Error('usage: lease-kill-child DATA_DIR|postgres://…');
const store = await openStore(
  where.startsWith('postgres') ? { dataDir: '.', databaseUrl: where } : { dataDir: where },
);
startDelivery({
  store,
  config: loadConfig({ SESAME_DELIVERY_LEASE_SECONDS: process.env.SESAME_DELIVERY_LEASE_SECONDS ?? '' }),
  log: silentLog,
  tuning: { pollMs: 20 },
  transport: {
    name: 'silent-relay',
    addsReturnPath: false,
    deliver: () => {
      process.stdout.write('CLAIMED\n');
      return new Promise(() => {});
    },
  },
});
process.stdout.write(`${await enqueue(store, ['r@example.net'])}\n`);
notify('outbox');
