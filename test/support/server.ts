// One real Sesame server per test file: temp data folder, free ports, known root key, on SQLite or
// on the suite's private PostgreSQL (a fresh database each).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import pino, { type Logger } from 'pino';
import { loadConfig, type Config } from '../../src/config/config.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { dropTestDatabase, type Dialect } from '../../src/store/database.js';

export const ROOT_KEY = {
  accessKeyId: 'AKIAROOTEXAMPLE00001',
  secretAccessKey: 'rootSecretKeyExample/0000000000000000000',
};
export const ACCOUNT = '111122223333';

export interface TestServer extends RunningServer {
  config: Config;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/** A new, empty database on the suite's PostgreSQL (SESAME_TEST_DATABASE_URL), and how to drop it. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.SESAME_TEST_DATABASE_URL;
  if (!base) throw new Error('SESAME_TEST_DATABASE_URL is not set');
  const name = `s_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: base.replace(/\/[^/]*$/, `/${name}`),
    drop: () => dropTestDatabase(base, name),
  };
}

export async function startTestServer(
  env: Record<string, string> = {},
  dialect: Dialect = 'sqlite',
  logger: Logger = pino({ level: 'warn' }),
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sesame-test-'));
  const db = dialect === 'postgres' ? await freshPostgresDatabase() : undefined;
  const config = loadConfig({
    SESAME_DATA_DIR: dataDir,
    SESAME_HTTP_PORT: '0',
    SESAME_SMTP_PORT: '0',
    SESAME_SMTPS_PORT: '0',
    SESAME_ACCOUNT_ID: ACCOUNT,
    SESAME_ROOT_ACCESS_KEY_ID: ROOT_KEY.accessKeyId,
    SESAME_ROOT_SECRET_ACCESS_KEY: ROOT_KEY.secretAccessKey,
    SESAME_LOG_LEVEL: 'warn',
    SESAME_WORKERS: '1',
    ...(db ? { SESAME_DATABASE_URL: db.url } : {}),
    ...env,
  });
  const server = await startServer(config, {
    quiet: true,
    logger,
    smtpPorts: 'ephemeral',
  });
  return {
    ...server,
    config,
    credentials: ROOT_KEY,
    stop: async () => {
      await server.stop();
      await db?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Options for any AWS SDK v3 client pointed at the test server. */
export function clientConfig(
  server: { endpoint: string },
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  region = 'us-east-1',
) {
  return { endpoint: server.endpoint, region, credentials, maxAttempts: 1 };
}

/** A TCP port free right now on 127.0.0.1 (for listeners whose port 0 means "off"). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}
