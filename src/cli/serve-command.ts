import type { Command } from 'commander';
import { loadConfig } from '../config/config.js';

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
      // Loaded here so that light commands (policy, smtp-password) start fast.
      const { startServer } = await import('../server.js');
      const server = await startServer(loadConfig(env));
      const stop = async (signal: string) => {
        server.app.log.info({ signal }, 'shutting down');
        await server.stop();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
    });
}
