// A node of several processes (SESAME_WORKERS > 1): this, the primary, prepares the store (migrations,
// master key, the first account, the generated files) before any worker exists, then starts
// SESAME_WORKERS workers serving the listeners (sharing their ports, connections dealt round robin)
// and one background worker (delivery and the periodic jobs); it runs SQLite's WAL checkpoints,
// relays what the workers share (hub.ts), restarts a worker that dies, and stops them all on
// SIGTERM. If the primary itself dies, its workers exit (their IPC channel closes).
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import { createApp, type App } from '../app.js';
import type { Config } from '../config/config.js';
import { loadOrCreateOperatorToken, operatorTokenNotice } from '../console/operator-session.js';
import { resolveSigningKey } from '../delivery/publishing/index.js';
import { loadOrCreateTlsCertificate } from '../smtp/tls-certificate.js';
import { createHub, type HubWorker } from './hub.js';
import { isToPrimary, type Listening } from './messages.js';
import type { ProcessRole } from './role.js';

type WorkerRole = Exclude<ProcessRole, 'node' | 'primary'>;

/** A worker that dies is started again after this (doubling while it keeps dying, up to the max). */
const RESTART_DELAY_MS = 250;
const MAX_RESTART_DELAY_MS = 10_000;
/**
 * A worker that served this long before it died was not crash-looping: its replacement starts
 * after RESTART_DELAY_MS again. One that dies sooner (even once ready) keeps doubling the delay.
 */
const STABLE_MS = 30_000;
/** Time the workers have to stop (delivery finishes or releases its work) before SIGKILL. */
const STOP_TIMEOUT_MS = 30_000;

export interface RunningPrimary {
  app: App;
  /** Where the first listeners worker listens. */
  listening: Listening;
  stop(): Promise<void>;
}

interface Member {
  worker: Worker;
  role: WorkerRole;
  /** It said 'hello': it hears messages. Before, a message to it is lost (no listener yet). */
  hears: boolean;
  ready: boolean;
  readyAt?: number;
}

export async function startPrimary(config: Config, log: Logger): Promise<RunningPrimary> {
  const app = await createApp(config, { logger: log, process: 'primary' });
  // Files every worker reads, made once here: workers starting together would each make their own.
  // The signing key and certificate are the store's (shared by every node of it): resolved here,
  // so the workers find them in the data folder.
  await resolveSigningKey(app.store, app.box, config.dataDir);
  log.info(operatorTokenNotice(loadOrCreateOperatorToken(config)));
  if (config.smtpPort > 0 || config.smtpsPort > 0 || config.receiving.inboundSmtpPort > 0)
    await loadOrCreateTlsCertificate(config.dataDir, config.smtpHost, { store: app.store, box: app.box });

  const members = new Map<number, Member>();
  let stopping = false;
  let started = false;
  let failures = 0;
  const hubWorker = (m: Member): HubWorker => ({
    id: m.worker.id,
    role: m.role,
    send: (msg) => {
      if (m.worker.isConnected()) m.worker.send(msg);
    },
    kill: () => m.worker.process.kill('SIGKILL'),
  });
  const hub = createHub(
    // One that does not hear yet has cached nothing: it is neither told of a change nor waited for
    // (told, it would never confirm, and be killed after INVALIDATION_TIMEOUT_MS with the write).
    () => [...members.values()].filter((m) => m.hears && m.worker.isConnected()).map(hubWorker),
    log,
  );

  let firstListening: ((l: Listening) => void) | undefined;
  const listening = new Promise<Listening>((resolve) => (firstListening = resolve));
  let everyoneReady: (() => void) | undefined;
  const allReady = new Promise<void>((resolve) => (everyoneReady = resolve));
  let startupFailed: ((e: Error) => void) | undefined;
  const failedAtStart = new Promise<never>((_, reject) => (startupFailed = reject));
  failedAtStart.catch(() => {});

  const fork = (role: WorkerRole) => {
    const worker = cluster.fork();
    const member: Member = { worker, role, hears: false, ready: false };
    members.set(worker.id, member);
    // A message to a worker that is exiting fails (EPIPE, a closed channel): without a listener that
    // 'error' is thrown, and the primary of a node being stopped exited 1 instead of 0.
    worker.on('error', (err) => log.debug({ err, worker: worker.id }, 'message to a worker not delivered'));
    worker.on('message', (m: unknown) => {
      if (!isToPrimary(m)) return;
      if (m.t === 'hello') {
        member.hears = true;
        return worker.send({ t: 'start', role });
      }
      if (m.t === 'refused') {
        if (!started) return startupFailed?.(Object.assign(new Error(m.message), { exitCode: m.exitCode }));
        // A replacement: the node serves on; it is stopped, and started again later.
        log.error({ worker: worker.id, role }, m.message);
        return void worker.process.kill('SIGTERM');
      }
      if (m.t === 'ready') {
        member.ready = true;
        member.readyAt = Date.now();
        if (started)
          log.info(
            { worker: worker.id, pid: worker.process.pid, role },
            `worker ${worker.id} (${role}) ready`,
          );
        if (m.listening) firstListening?.(m.listening);
        if (!started && [...members.values()].every((x) => x.ready)) everyoneReady?.();
      }
      hub.receive(hubWorker(member), m);
    });
    worker.on('exit', (code, signal) => {
      members.delete(worker.id);
      hub.gone(worker.id);
      if (stopping) return;
      if (!member.ready && !started) {
        startupFailed?.(new Error(`a ${role} worker exited while starting (${signal ?? `code ${code}`})`));
        return;
      }
      if (member.readyAt !== undefined && Date.now() - member.readyAt >= STABLE_MS) failures = 0;
      const delay = Math.min(MAX_RESTART_DELAY_MS, RESTART_DELAY_MS * 2 ** failures++);
      log.warn(
        { worker: worker.id, pid: worker.process.pid, role, code, signal, restartInMs: delay },
        `worker ${worker.id} (${role}) exited; starting another`,
      );
      setTimeout(() => {
        if (!stopping) fork(role);
      }, delay).unref();
    });
  };

  for (let i = 0; i < config.workers; i++) fork('listeners');
  fork('background');

  const stop = async () => {
    stopping = true;
    const exits = [...members.values()].map(
      (m) =>
        new Promise<void>((resolve) => {
          if (m.worker.isDead()) return resolve();
          m.worker.once('exit', () => resolve());
          // A signal, not a message: a worker still loading its modules would not hear a message.
          m.worker.process.kill('SIGTERM');
        }),
    );
    const timer = setTimeout(() => {
      for (const m of members.values()) {
        log.warn({ worker: m.worker.id, role: m.role }, 'worker did not stop in time; killing it');
        m.worker.process.kill('SIGKILL');
      }
    }, STOP_TIMEOUT_MS);
    await Promise.all(exits);
    clearTimeout(timer);
    await app.close();
  };

  try {
    await Promise.race([allReady, failedAtStart]);
  } catch (e) {
    await stop();
    throw e;
  }
  started = true;
  return { app, listening: await listening, stop };
}
