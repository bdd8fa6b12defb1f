// `sesame policy what-if` as an operator runs it: a spawned CLI on the data folder of a running
// server whose audit log holds real calls (SQLite shared through WAL).
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { ACCOUNT, startTestServer, type TestServer } from '../../test/support/server.js';
import {
  clientsFor,
  grantProduction,
  policyDoc,
  userWithPolicy,
  verify,
} from '../../test/support/ses-fixtures.js';

const exec = promisify(execFile);
let server: TestServer;
let alice: Awaited<ReturnType<typeof userWithPolicy>>;

async function whatIf(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec('npx', ['tsx', 'src/cli/sesame.ts', 'policy', 'what-if', ...args], {
      env: { ...process.env, SESAME_DATA_DIR: server.config.dataDir, SESAME_ACCOUNT_ID: ACCOUNT },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const send = (from: string) =>
  new SendEmailCommand({
    Source: from,
    Destination: { ToAddresses: ['reader@example.net'] },
    Message: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } },
  });

beforeAll(async () => {
  server = await startTestServer();
  const root = clientsFor(server, server.credentials);
  await grantProduction(server, ACCOUNT);
  await verify(root.v1, 'example.com');
  alice = await userWithPolicy(
    root,
    policyDoc({ Sid: 'Send', Effect: 'Allow', Action: 'ses:SendEmail', Resource: '*' }),
    'alice',
  );
  const a = clientsFor(server, alice.creds);
  await a.v1.send(send('a@example.com'));
  await a.v1.send(send('a@example.com'));
  await a.v1.send(send('noreply@example.com'));
  writeFileSync(
    join(server.config.dataDir, 'narrow.json'),
    policyDoc({
      Sid: 'NoreplyOnly',
      Effect: 'Allow',
      Action: 'ses:SendEmail',
      Resource: '*',
      Condition: { StringEquals: { 'ses:FromAddress': 'noreply@example.com' } },
    }),
  );
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

describe('sesame policy what-if', () => {
  const narrow = () => join(server.config.dataDir, 'narrow.json');

  it('prints the calls that would flip, grouped, and exits 1', async () => {
    const r = await whatIf('--user', 'alice', '--policy-name', 'p', '--document', narrow());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^What if: put user alice inline policy p \(the last 7 days, /);
    expect(lines[1]).toBe(
      'Recorded calls in scope: 3; decided again: 3 (without request context: 0, principal gone: 0; decided differently today than recorded: 0)',
    );
    expect(lines[2]).toBe('2 allowed call(s) would be denied, 0 denied call(s) allowed:');
    expect(lines[3]).toBe(`  Allowed -> ImplicitDeny  2x  ${alice.arn}  ses:SendEmail`);
    expect(lines[4]).toBe('      Allow statement 0 (Send) of inline:user/alice/p [identity], in the change');
  }, 60_000);

  it('--json prints the API’s answer; a change that flips nothing exits 0', async () => {
    const r = await whatIf('--user', 'alice', '--policy-name', 'p', '--document', narrow(), '--json');
    expect(JSON.parse(r.stdout)).toMatchObject({ Examined: 3, AllowedToDenied: 2, Flips: [{ Count: 2 }] });
    const none = await whatIf(
      '--user',
      'alice',
      '--policy-name',
      'other',
      '--document',
      narrow(),
      '--days',
      '30',
    );
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('No recorded call would be decided differently.');
  }, 60_000);

  it('bad input exits 2 with the reason (usage, or IAM’s own error)', async () => {
    expect(await whatIf('--policy-name', 'p', '--document', narrow())).toMatchObject({
      code: 2,
      stderr: 'error: name one of --user, --group or --role\n',
    });
    expect(await whatIf('--user', 'nobody', '--policy-name', 'p', '--delete')).toMatchObject({
      code: 2,
      stderr: 'error: NoSuchEntity: The user with name nobody cannot be found.\n',
    });
    expect(
      (await whatIf('--user', 'alice', '--policy-name', 'p', '--document', narrow(), '--days', '0')).stderr,
    ).toBe('error: --days must be a whole number from 1 to 365\n');
  }, 60_000);
});
