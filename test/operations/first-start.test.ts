// The first start and the ones after, as an operator sees them: where the root credentials are,
// who may read the data folder, a second node's master key, and operator commands run from the
// wrong folder.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/postgres.js';
import { freshPostgresDatabase } from '../support/server.js';
import { REPO, runSesame, spawnSesame, stopAllSesameProcesses } from '../support/sesame-process.js';

let root = '';
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'sesame-first-'));
});
afterAll(async () => {
  await stopAllSesameProcesses();
  rmSync(root, { recursive: true, force: true });
});

async function serveUntilReady(env: Record<string, string>) {
  const p = spawnSesame(['serve'], {
    SESAME_HTTP_PORT: String(await freePort()),
    SESAME_SMTP_PORT: String(await freePort()),
    SESAME_SMTPS_PORT: String(await freePort()),
    ...env,
  });
  await p.waitFor(/Sesame ready/);
  p.kill('SIGTERM');
  const { code, signal } = await p.exited;
  expect({ code, signal, stderr: p.stderr() }).toEqual({ code: 0, signal: null, stderr: '' });
  return p.stdout();
}

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('first start on SQLite', () => {
  let dataDir = '';
  let first = '';
  beforeAll(async () => {
    dataDir = join(root, 'sqlite', 'data');
    first = await serveUntilReady({ SESAME_DATA_DIR: dataDir });
  });

  it('writes the root credentials to a 0600 file, says where, and never prints the secret off a terminal', () => {
    const file = join(dataDir, 'root-credentials.json');
    const creds = JSON.parse(readFileSync(file, 'utf8')) as { AccountId: string; SecretAccessKey: string };
    expect(creds.AccountId).toBe('000000000000');
    expect(first).toContain(`account 000000000000: root credentials in ${file} (mode 0600)`);
    expect(first).toContain('/console/');
    expect(first).not.toContain(creds.SecretAccessKey);
  });

  it('keeps the data folder to its owner: folder 0700, database, keys and credentials 0600', () => {
    expect(mode(dataDir)).toBe('700');
    for (const f of ['sesame.db', 'master.key', 'root-credentials.json', 'operator-token', 'smtp-tls.key'])
      expect([f, mode(join(dataDir, f))]).toEqual([f, '600']);
    for (const f of ['sesame.db-wal', 'sesame.db-shm'])
      if (existsSync(join(dataDir, f))) expect([f, mode(join(dataDir, f))]).toEqual([f, '600']);
  });

  it('says where the credentials are at every start, not only the first', async () => {
    const again = await serveUntilReady({ SESAME_DATA_DIR: dataDir });
    expect(again).toContain(`root credentials in ${join(dataDir, 'root-credentials.json')}`);
  });

  it('refuses a master key that is not the one the store was made with (exit 2, one line)', async () => {
    const r = await runSesame(['serve'], { SESAME_DATA_DIR: dataDir, SESAME_MASTER_KEY: 'b2'.repeat(32) });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "sesame: SESAME_MASTER_KEY does not match the master key this store's secrets are sealed with: every node on one database needs the same SESAME_MASTER_KEY (the first node keeps it in its data folder, master.key, unless it was given one)\n",
    );
  });
});

describe('logs', () => {
  it('are JSON lines by default, lines for people with SESAME_LOG_FORMAT=pretty (here the emulator profile)', async () => {
    const [json, pretty] = await Promise.all([
      serveUntilReady({ SESAME_DATA_DIR: join(root, 'log-json') }),
      serveUntilReady({
        SESAME_DATA_DIR: join(root, 'log-pretty'),
        SESAME_LOG_FORMAT: 'pretty',
        SESAME_PROFILE: 'emulator',
      }),
    ]);
    for (const line of json.trim().split('\n')) expect(() => JSON.parse(line) as unknown).not.toThrow();
    const lines = pretty.trim().split('\n');
    expect(
      lines.some((l) =>
        /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: Sesame ready: API http:\/\/127\.0\.0\.1:\d+, console /.test(l),
      ),
    ).toBe(true);
    expect(lines.every((l) => !l.startsWith('{'))).toBe(true);
    // The emulator profile says what it really does.
    expect(pretty).toContain(
      'WARN: profile emulator: no SigV4 or IAM checks (any credentials, even none, act as the root of account 123456789012), identities verify at once, no sandbox; for test suites, never for production',
    );
  });
});

describe('the root secret on a terminal', () => {
  it('is shown once, on the terminal of the first start', async () => {
    const dataDir = join(root, 'tty');
    const port = await freePort();
    // script(1) gives the process a pseudo-terminal, as a person's shell would.
    const cmd = `${process.execPath} --import tsx src/cli/sesame.ts serve`;
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], {
      cwd: REPO,
      env: {
        PATH: process.env.PATH,
        SESAME_DATA_DIR: dataDir,
        SESAME_HTTP_PORT: String(port),
        SESAME_SMTP_PORT: '0',
        SESAME_SMTPS_PORT: '0',
        SESAME_INBOUND_SMTP_PORT: '0',
        SESAME_WORKERS: '1',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    // tsx compiles the CLI at start: on a loaded 2-core machine that alone took over 20 s.
    const deadline = Date.now() + 45_000;
    // Wait for the banner's console line itself: the log line about the operator token, printed
    // just before it, also begins with "Console ".
    while (
      !(out.includes('Console  http') && out.includes('AWS_SECRET_ACCESS_KEY=')) &&
      Date.now() < deadline
    )
      await new Promise((r) => setTimeout(r, 100));
    // SIGTERM, not SIGKILL: script(1) then hangs up its terminal, which ends the server too even
    // when it never logged its pid.
    child.kill('SIGTERM');
    // script's own child: stop it by the PID the node process reports in its log line.
    const pid = /"pid":(\d+)/.exec(out)?.[1];
    if (pid) process.kill(Number(pid), 'SIGKILL');
    const creds = JSON.parse(readFileSync(join(dataDir, 'root-credentials.json'), 'utf8')) as {
      SecretAccessKey: string;
    };
    expect(out).toContain(`AWS_SECRET_ACCESS_KEY=${creds.SecretAccessKey}`);
    expect(out).toContain(`Console  http://127.0.0.1:${port}/console/`);
  }, 60_000);
});

describe('operator commands run from a folder without a store', () => {
  it('refuse (exit 2, one line) instead of creating an empty store; --init creates one on purpose', async () => {
    const elsewhere = mkdtempSync(join(root, 'elsewhere-'));
    const r = await runSesame(
      ['admin', 'account', 'production', '000000000000', 'grant'],
      {},
      { cwd: elsewhere },
    );
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `sesame: SESAME_DATA_DIR: no Sesame store in ${join(elsewhere, '.sesame')} (sesame.db); run the command where \`sesame serve\` runs, set SESAME_DATA_DIR or SESAME_DATABASE_URL, or pass --init to create a new store\n`,
    );
    expect(existsSync(join(elsewhere, '.sesame'))).toBe(false);
    const created = await runSesame(
      ['admin', 'account', 'create', '--init', '--json'],
      {},
      { cwd: elsewhere },
    );
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ AccountId: expect.stringMatching(/^\d{12}$/) });
    expect(mode(join(elsewhere, '.sesame', 'sesame.db'))).toBe('600');
  });
});

describe.skipIf(process.env.SESAME_TEST_DATABASE_URL === undefined)(
  'a second node on the same PostgreSQL',
  () => {
    it('without the first node master key refuses to start and says which setting to share; with it, starts from an empty folder', async () => {
      const db = await freshPostgresDatabase();
      try {
        const firstDir = join(root, 'pg-first');
        await serveUntilReady({ SESAME_DATA_DIR: firstDir, SESAME_DATABASE_URL: db.url });
        const key = readFileSync(join(firstDir, 'master.key'), 'utf8').trim();

        const secondDir = join(root, 'pg-second');
        const refused = await runSesame(['serve'], {
          SESAME_DATA_DIR: secondDir,
          SESAME_DATABASE_URL: db.url,
        });
        expect(refused.code).toBe(2);
        expect(refused.stderr).toBe(
          `sesame: SESAME_MASTER_KEY is not set and ${join(secondDir, 'master.key')} does not exist, but this store already has a master key: every node on one database needs the same SESAME_MASTER_KEY (the first node keeps it in its data folder, master.key, unless it was given one)\n`,
        );
        expect(existsSync(join(secondDir, 'master.key'))).toBe(false);

        const third = await serveUntilReady({
          SESAME_DATA_DIR: join(root, 'pg-third', 'new'),
          SESAME_DATABASE_URL: db.url,
          SESAME_MASTER_KEY: key,
        });
        expect(third).toContain('root credentials are kept by the node that created the account');
        expect(mode(join(root, 'pg-third', 'new'))).toBe('700');
      } finally {
        await db.drop();
      }
    });
  },
);
