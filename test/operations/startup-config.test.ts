// `sesame serve` refusing a bad setting as an operator sees it: one line on stderr naming the
// variable, the value and what is allowed, exit code 2, no stack, nothing created.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/postgres.js';
import { runSesame, stopAllSesameProcesses } from '../support/sesame-process.js';

let root = '';
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'sesame-startup-'));
});
afterAll(async () => {
  await stopAllSesameProcesses();
  rmSync(root, { recursive: true, force: true });
});

/** Runs `sesame serve` with a fresh data folder (not created beforehand) and free ports. */
async function serve(env: Record<string, string>, name: string) {
  const dataDir = join(root, name);
  const result = await runSesame(['serve'], {
    SESAME_DATA_DIR: dataDir,
    SESAME_HTTP_PORT: String(await freePort()),
    SESAME_SMTP_PORT: '0',
    SESAME_SMTPS_PORT: '0',
    ...env,
  });
  return { ...result, dataDir };
}

function expectOneLineRefusal(r: { code: number | null; stdout: string; stderr: string }, line: string) {
  expect(r.stderr).toBe(`sesame: ${line}\n`);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.code).toBe(2);
}

describe('sesame serve refuses bad settings in one line (exit code 2)', () => {
  it('a database URL that is not a URL', async () => {
    const r = await serve({ SESAME_DATABASE_URL: 'notaurl' }, 'notaurl');
    expectOneLineRefusal(
      r,
      'SESAME_DATABASE_URL must be a postgres:// or postgresql:// URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE), got "notaurl"',
    );
    expect(existsSync(r.dataDir)).toBe(false); // checked before anything was created
  });

  it('a MySQL URL, with its password hidden', async () => {
    const r = await serve({ SESAME_DATABASE_URL: 'mysql://app:s3cret@db.example:3306/mail' }, 'mysql');
    expectOneLineRefusal(
      r,
      'SESAME_DATABASE_URL must be a postgres:// or postgresql:// URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE), got "mysql://app:***@db.example:3306/mail"',
    );
    expect(r.stderr).not.toContain('s3cret');
  });

  it('a malformed number, a flag as well as a variable', async () => {
    expectOneLineRefusal(
      await serve({ SESAME_HTTP_PORT: 'eighty' }, 'port'),
      'SESAME_HTTP_PORT must be a whole number, got "eighty"',
    );
    const r = await runSesame(['serve', '--smtp-port', '70000'], { SESAME_DATA_DIR: join(root, 'flag') });
    expectOneLineRefusal(r, 'SESAME_SMTP_PORT must be between 0 and 65535, got 70000');
  });

  it('a log level, a log format, a listener address, a proxy range and a master key', async () => {
    const cases: [Record<string, string>, string][] = [
      [
        { SESAME_LOG_LEVEL: 'loud' },
        'SESAME_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
      ],
      [{ SESAME_LOG_FORMAT: 'xml' }, 'SESAME_LOG_FORMAT must be one of json, pretty, got "xml"'],
      [
        { SESAME_HTTP_HOST: 'not a host!' },
        'SESAME_HTTP_HOST must be an IP address or a host name, got "not a host!"',
      ],
      [
        { SESAME_TRUSTED_PROXIES: '10.0.0.0/8,nonsense' },
        'SESAME_TRUSTED_PROXIES must be comma-separated IP addresses or CIDR ranges, got "nonsense"',
      ],
      [
        { SESAME_MASTER_KEY: 'too-short-secret' },
        'SESAME_MASTER_KEY must be 32 bytes, as 64 hex digits or base64 (value not shown)',
      ],
    ];
    const results = await Promise.all(cases.map(([env], i) => serve(env, `case${i}`)));
    results.forEach((r, i) => expectOneLineRefusal(r, cases[i]![1]));
    expect(results[4]!.stderr).not.toContain('too-short-secret');
  });

  it('a port in use, before anything is created', async () => {
    const port = await freePort();
    const busy: Server = createServer();
    await new Promise<void>((r) => busy.listen(port, '127.0.0.1', () => r()));
    try {
      const r = await serve({ SESAME_HTTP_PORT: String(port) }, 'busy');
      expectOneLineRefusal(
        r,
        `SESAME_HTTP_PORT=${port}: 127.0.0.1:${port} is already in use (another Sesame, or another program)`,
      );
      expect(existsSync(r.dataDir)).toBe(false);
    } finally {
      await new Promise((r) => busy.close(r));
    }
  });

  it('two listeners on one port, before anything is created', async () => {
    const port = await freePort();
    const r = await serve({ SESAME_HTTP_PORT: String(port), SESAME_SMTP_PORT: String(port) }, 'twice');
    expectOneLineRefusal(
      r,
      `SESAME_SMTP_PORT=${port}: 127.0.0.1:${port} is SESAME_HTTP_PORT's too (each listener needs a port of its own)`,
    );
    expect(existsSync(r.dataDir)).toBe(false);
  });

  it('a data folder that cannot be created', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'not a folder');
    const r = await serve({ SESAME_DATA_DIR: join(file, 'data') }, 'unused');
    expectOneLineRefusal(
      r,
      `SESAME_DATA_DIR="${join(file, 'data')}" cannot be used: a part of the path is not a folder (ENOTDIR)`,
    );
  });
});

describe('sesame serve and an unreachable PostgreSQL', () => {
  it('waits SESAME_DATABASE_WAIT seconds with a clear log line, then refuses in one line (exit 1)', async () => {
    const port = await freePort(); // nothing listens there
    const started = Date.now();
    const r = await serve(
      { SESAME_DATABASE_URL: `postgres://sesame@127.0.0.1:${port}/sesame`, SESAME_DATABASE_WAIT: '2' },
      'pgdown',
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `PostgreSQL at 127.0.0.1:${port} is not reachable (connect ECONNREFUSED 127.0.0.1:${port}); retrying for up to 2 s (SESAME_DATABASE_WAIT)`,
    );
    expect(r.stderr).toBe(
      `sesame: PostgreSQL at 127.0.0.1:${port} did not answer within 2 s (SESAME_DATABASE_WAIT): connect ECONNREFUSED 127.0.0.1:${port}\n`,
    );
  });
});
