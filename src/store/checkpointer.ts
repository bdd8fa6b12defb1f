// WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the commit that
// crosses the threshold: copying the WAL into the database file and its fsyncs then stall every
// request in flight (the accept benchmark ran 20-40% faster without them). Here the request path's
// connection never checkpoints; a worker thread with its own connection does it (PASSIVE: it never
// blocks the writer) a few times a second, and journal_size_limit keeps the WAL file bounded.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

/** How often the worker checkpoints. */
const INTERVAL_MS = 250;
/** The WAL file is truncated back to this size after a complete checkpoint. */
const WAL_SIZE_LIMIT = 64 * 1024 * 1024;

// Plain CommonJS evaluated in the worker: no loader or build step needed under tsx, vitest or dist.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const report = (e) => parentPort.postMessage({ error: String((e && e.message) || e) });
let db;
try {
  const Database = require(workerData.driver);
  db = new Database(workerData.file, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
} catch (e) {
  report(e);
  parentPort.close(); // nothing else keeps the worker alive: it exits
}
if (db) {
  const step = () => {
    try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (e) { report(e); }
  };
  const timer = setInterval(step, workerData.intervalMs);
  parentPort.on('message', (m) => {
    if (m === 'stop') { clearInterval(timer); step(); db.close(); parentPort.postMessage('stopped'); }
  });
}
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

/** Moves checkpoints of `sqlite` (a WAL database file) to a worker; the fallback is SQLite's own. */
export function startCheckpointer(
  sqlite: BetterSqlite3.Database,
  file: string,
  onError: (message: string) => void = () => {},
): Checkpointer {
  const autoCheckpoint = () => {
    try {
      if (sqlite.open) sqlite.pragma('wal_autocheckpoint = 1000');
    } catch {
      // closed meanwhile: nothing left to checkpoint from here
    }
  };
  const text = (e: unknown) =>
    e instanceof Error ? e.message : String((e as { message?: unknown })?.message ?? e);
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        file,
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        intervalMs: INTERVAL_MS,
      },
    });
  } catch (e) {
    onError(String(e));
    return { stop: async () => {} };
  }
  sqlite.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
  sqlite.pragma('wal_autocheckpoint = 0');
  worker.unref();
  let stopped = false;
  let exited = false;
  worker.on('message', (m: unknown) => {
    if (m && typeof m === 'object' && 'error' in m) onError(String((m as { error: unknown }).error));
  });
  // A worker that cannot run (or dies) hands checkpoints back to the request path's connection.
  worker.on('error', (e) => {
    onError(text(e));
    if (!stopped) autoCheckpoint();
  });
  worker.on('exit', () => {
    exited = true;
    if (!stopped) autoCheckpoint();
  });
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (stopped || exited) {
          stopped = true;
          return resolve();
        }
        stopped = true;
        const done = () => resolve();
        worker.once('exit', done);
        worker.once('message', (m) => {
          if (m === 'stopped') void worker.terminate();
        });
        worker.postMessage('stop');
        setTimeout(() => void worker.terminate(), 2000).unref();
      }),
  };
}
