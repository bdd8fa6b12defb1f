// The console's operator sign-in: token from the environment or generated into the data folder,
// POST /sesame/console/operator-session end to end (exact errors, root session credentials that
// IAM treats as the account's root, one audit record per use), and the console's CSP header.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ListUsersCommand } from '@aws-sdk/client-iam';
import { ACCOUNT, startTestServer, type TestServer } from '../../test/support/server.js';
import { clientsFor, secondAccount } from '../../test/support/ses-fixtures.js';
import { ConfigError, loadConfig } from '../config/config.js';
import { queryAuditEvents } from '../audit/audit-query.js';
import {
  loadOrCreateOperatorToken,
  OPERATOR_SESSION_PATH,
  operatorTokenMatches,
} from './operator-session.js';
import { CONSOLE_CSP } from './serve.js';

const TOKEN = 'operator-token-for-tests-0123456789';

describe('operator token', () => {
  it('is generated once into the data folder (mode 0600) and read back; the environment wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sesame-op-'));
    try {
      const first = loadOrCreateOperatorToken({ dataDir: dir });
      expect(first.generated).toBe(true);
      expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(first.file).toBe(join(dir, 'operator-token'));
      expect(statSync(first.file!).mode & 0o777).toBe(0o600);
      expect(readFileSync(first.file!, 'utf8')).toBe(`${first.token}\n`);
      expect(loadOrCreateOperatorToken({ dataDir: dir })).toEqual({ ...first, generated: false });
      expect(loadOrCreateOperatorToken({ dataDir: dir, operatorToken: TOKEN })).toEqual({
        token: TOKEN,
        generated: false,
      });
      writeFileSync(first.file!, 'short\n');
      expect(() => loadOrCreateOperatorToken({ dataDir: dir })).toThrow(
        `${first.file} holds no usable operator token (16+ characters)`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('compares in constant time and refuses anything but the exact token', () => {
    expect(operatorTokenMatches(TOKEN, TOKEN)).toBe(true);
    for (const wrong of [undefined, '', TOKEN.slice(0, -1), `${TOKEN}x`, TOKEN.toUpperCase()])
      expect(operatorTokenMatches(TOKEN, wrong)).toBe(false);
  });

  it('SESAME_OPERATOR_TOKEN must be 16+ characters without spaces', () => {
    expect(loadConfig({ SESAME_OPERATOR_TOKEN: TOKEN }).operatorToken).toBe(TOKEN);
    expect(loadConfig({}).operatorToken).toBeUndefined();
    for (const bad of ['short', 'sixteen chars ok'])
      expect(() => loadConfig({ SESAME_OPERATOR_TOKEN: bad })).toThrow(
        new ConfigError('SESAME_OPERATOR_TOKEN must be at least 16 characters without spaces'),
      );
  });
});

describe('POST /sesame/console/operator-session', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ SESAME_OPERATOR_TOKEN: TOKEN });
  });
  afterAll(async () => server?.stop());

  const post = async (auth: string | undefined, body?: unknown) => {
    const res = await fetch(`${server.endpoint}${OPERATOR_SESSION_PATH}`, {
      method: 'POST',
      headers: {
        ...(auth !== undefined ? { authorization: auth } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return {
      status: res.status,
      type: res.headers.get('x-amzn-errortype'),
      cache: res.headers.get('cache-control'),
      json: (await res.json()) as Record<string, unknown>,
    };
  };

  it('answers AWS-shaped errors for a missing or wrong token, bad input and an unknown account', async () => {
    expect(await post(undefined, {})).toEqual({
      status: 401,
      type: 'MissingAuthenticationTokenException',
      cache: 'no-store',
      json: {
        __type: 'MissingAuthenticationTokenException',
        message: 'Missing operator token: send it as "Authorization: Bearer <token>".',
      },
    });
    for (const auth of [`Bearer ${TOKEN}x`, `Basic ${TOKEN}`, `Bearer`])
      expect((await post(auth, {})).status).toBe(auth === `Bearer ${TOKEN}x` ? 403 : 401);
    expect(await post(`Bearer wrong-token-000000000`, {})).toMatchObject({
      status: 403,
      json: { __type: 'AccessDeniedException', message: 'The operator token is not valid.' },
    });
    const bad: [unknown, string][] = [
      ['{not json', 'The request body is not valid JSON.'],
      [[1], 'The request body must be a JSON object.'],
      [{ AccountId: '12345' }, 'AccountId must be 12 digits.'],
      [{ AccountId: 123412341234 }, 'AccountId must be 12 digits.'],
      [{ Region: 'mars' }, 'Region is not a region this server serves (SESAME_REGIONS).'],
      [{ Region: 'xx-fake-1' }, 'Region is not a region this server serves (SESAME_REGIONS).'],
    ];
    for (const [body, message] of bad)
      expect(await post(`Bearer ${TOKEN}`, body)).toMatchObject({
        status: 400,
        json: { __type: 'BadRequestException', message },
      });
    expect(await post(`Bearer ${TOKEN}`, { AccountId: '999999999999' })).toMatchObject({
      status: 404,
      json: { __type: 'NotFoundException', message: 'Account 999999999999 does not exist.' },
    });
  });

  it('issues one-hour root session credentials that act as the account’s root, and audits every use', async () => {
    const before = Date.now();
    const ok = await post(`Bearer ${TOKEN}`);
    expect([ok.status, ok.cache]).toEqual([200, 'no-store']);
    const creds = ok.json.Credentials as Record<string, string>;
    expect(ok.json).toMatchObject({
      AccountId: ACCOUNT,
      Region: 'us-east-1',
      Arn: `arn:aws:iam::${ACCOUNT}:root`,
    });
    expect(creds.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(creds.SessionToken!.length).toBeGreaterThan(100);
    const expires = Date.parse(creds.Expiration!);
    expect(expires - Math.floor(before / 1000) * 1000).toBeGreaterThanOrEqual(3600_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(3600_000);

    const session = {
      accessKeyId: creds.AccessKeyId!,
      secretAccessKey: creds.SecretAccessKey!,
      sessionToken: creds.SessionToken!,
    };
    const who = await clientsFor(server, session).sts.send(new GetCallerIdentityCommand({}));
    expect([who.Arn, who.Account]).toEqual([`arn:aws:iam::${ACCOUNT}:root`, ACCOUNT]);
    expect((await clientsFor(server, session).iam.send(new ListUsersCommand({}))).Users).toEqual([]);

    // Another account, another region: its root.
    const other = await secondAccount(server);
    const theirs = await post(`Bearer ${TOKEN}`, { AccountId: other.accountId, Region: 'eu-west-1' });
    expect(theirs.json).toMatchObject({ AccountId: other.accountId, Region: 'eu-west-1' });
    const t = theirs.json.Credentials as Record<string, string>;
    const theirWho = await clientsFor(server, {
      accessKeyId: t.AccessKeyId!,
      secretAccessKey: t.SecretAccessKey!,
      sessionToken: t.SessionToken!,
    }).sts.send(new GetCallerIdentityCommand({}));
    expect(theirWho.Arn).toBe(`arn:aws:iam::${other.accountId}:root`);

    const records = await queryAuditEvents(server.app.store, {
      eventName: 'CreateOperatorSession',
      limit: 1000,
    });
    const mine = records.filter((r) => r.accountId === ACCOUNT && r.decision === 'Allowed');
    expect(mine.map((r) => [r.eventSource, r.principalArn, r.accessKeyId, r.actions, r.resources])).toEqual([
      [
        'sesame',
        `arn:aws:iam::${ACCOUNT}:root`,
        creds.AccessKeyId,
        ['sesame:CreateOperatorSession'],
        [`arn:aws:iam::${ACCOUNT}:root`],
      ],
    ]);
    expect(records.filter((r) => r.accountId === other.accountId).map((r) => [r.region, r.decision])).toEqual(
      [['eu-west-1', 'Allowed']],
    );
    const refused = records.filter((r) => r.decision === 'Unauthenticated').map((r) => r.errorCode);
    expect(refused.sort()).toEqual([
      'AccessDeniedException',
      'AccessDeniedException',
      'MissingAuthenticationTokenException',
      'MissingAuthenticationTokenException',
      'MissingAuthenticationTokenException',
    ]);
    expect(records.filter((r) => r.errorCode === 'NotFoundException').map((r) => r.decision)).toEqual([
      'NotEvaluated',
    ]);
    expect(JSON.stringify(records)).not.toContain(TOKEN);
  });

  it('serves the console with its Content-Security-Policy', async () => {
    const res = await fetch(`${server.endpoint}/console/`);
    expect(res.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; frame-src 'self'; child-src 'none'; worker-src 'none'; object-src 'none'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
  });
});

describe('operator token generated at first start', () => {
  it('is created in the data folder and signs in', async () => {
    const server = await startTestServer();
    try {
      const file = join(server.config.dataDir, 'operator-token');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const token = readFileSync(file, 'utf8').trim();
      const res = await fetch(`${server.endpoint}${OPERATOR_SESSION_PATH}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
