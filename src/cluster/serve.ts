// `sesame serve` with several workers: the primary's side of the operator's contract (one command,
// one "Sesame ready" line naming the same ports, SIGTERM/SIGINT stop every process and exit 0).
import type { Config } from '../config/config.js';
import { announce } from '../cli/banner.js';
import { createLogger } from '../logging/logger.js';
import { startPrimary, type RunningPrimary } from './primary.js';

export async function servePrimary(config: Config): Promise<void> {
  const log = createLogger(config);
  const state: { stopping?: string; primary?: RunningPrimary } = {};
  const stop = async (signal: string) => {
    if (state.stopping) return;
    state.stopping = signal;
    // Still starting: nothing is served yet. The workers started so far exit when this process's
    // channel to them closes (node:cluster), a store mid-migration rolls back.
    if (!state.primary) process.exit(0);
    log.info({ signal }, 'shutting down');
    await state.primary.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  state.primary = await startPrimary(config, log);
  const { app, listening } = state.primary;
  log.info(
    { workers: config.workers, pid: process.pid },
    `${config.workers} workers serve the listeners, one runs delivery and the background jobs`,
  );
  announce({ app, endpoint: listening.endpoint, smtp: listening.smtp }, config);
}
