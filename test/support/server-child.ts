// A Sesame server in a process of its own (server-process.ts starts it), for tests that measure
// what the server process holds (RSS) or need its event loop apart from the test's. Prints one
// JSON line with its endpoint and SMTP ports, then runs until SIGTERM.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config/config.js';
import { startServer } from '../../src/server.js';

const dataDir = mkdtempSync(join(tmpdir(), 'sesame-child-'));
const config = loadConfig({
  SESAME_DATA_DIR: dataDir,
  SESAME_HTTP_PORT: '0',
  SESAME_SMTP_PORT: '0',
  SESAME_SMTPS_PORT: '0',
  SESAME_LOG_LEVEL: 'warn',
  ...process.env,
});
const server = await startServer(config, {
  quiet: true,
  logger: pino({ level: 'warn' }),
  smtpPorts: 'ephemeral',
});
process.stdout.write(`${JSON.stringify({ endpoint: server.endpoint, smtp: server.smtp })}\n`);
process.once('SIGTERM', () => {
  void server.stop().finally(() => {
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
});
