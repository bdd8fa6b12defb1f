import cluster from 'node:cluster';
import type { Command } from 'commander';
import { loadConfig } from '../config/config.js';
import { announce } from './banner.js';
import { checkListeners, listenFailure } from './preflight.js';

/** `sesame serve`: flags mirror the environment variables (a flag wins). */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Run the HTTP API (SES v1/v2, IAM, STS), the console and the SMTP listeners')
    .option('--http-host <host>', 'SESAME_HTTP_HOST')
    .option('--http-port <port>', 'SESAME_HTTP_PORT')
    .option('--smtp-port <port>', 'SESAME_SMTP_PORT')
    .option('--smtps-port <port>', 'SESAME_SMTPS_PORT')
    .option('--inbound-smtp-port <port>', 'SESAME_INBOUND_SMTP_PORT (the MX-facing receiver; 0: off)')
    .option('--data-dir <dir>', 'SESAME_DATA_DIR')
    .option('--database-url <url>', 'SESAME_DATABASE_URL')
    .option('--profile <profile>', 'SESAME_PROFILE (aws | emulator)')
    .option('--region <region>', 'SESAME_REGION')
    .action(async (opts: Record<string, string | undefined>) => {
      const env = { ...process.env };
      const map: Record<string, string> = {
        httpHost: 'SESAME_HTTP_HOST',
        httpPort: 'SESAME_HTTP_PORT',
        smtpPort: 'SESAME_SMTP_PORT',
        smtpsPort: 'SESAME_SMTPS_PORT',
        inboundSmtpPort: 'SESAME_INBOUND_SMTP_PORT',
        dataDir: 'SESAME_DATA_DIR',
        databaseUrl: 'SESAME_DATABASE_URL',
        profile: 'SESAME_PROFILE',
        region: 'SESAME_REGION',
      };
      for (const [flag, name] of Object.entries(map)) if (opts[flag] !== undefined) env[name] = opts[flag];
      // Every setting is checked before anything is created (a bad one: one line, exit code 2).
      const config = loadConfig(env);
      // A worker of a node with several (src/cluster/): the primary checked and prepared everything.
      if (cluster.isWorker) return (await import('../cluster/worker.js')).runWorker(config);
      await checkListeners(config);
      if (config.workers > 1) return (await import('../cluster/serve.js')).servePrimary(config);
      // Loaded here so that light commands (policy, smtp-password) start fast.
      const { startServer } = await import('../server.js');
      // Handlers first: a signal the process has no handler for kills it at once, even between
      // the "ready" line and the next statement. One that arrives while starting waits for it.
      const state: { stopping?: string; server?: Awaited<ReturnType<typeof startServer>> } = {};
      const stop = async (signal: string) => {
        state.stopping = signal;
        if (!state.server) return; // still starting: stopped as soon as it has started
        state.server.app.log.info({ signal }, 'shutting down');
        await state.server.stop();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
      state.server = await startServer(config).catch((e: unknown) => {
        throw listenFailure(e, config) ?? e;
      });
      if (state.stopping) return stop(state.stopping);
      announce(state.server, config);
    });
}
