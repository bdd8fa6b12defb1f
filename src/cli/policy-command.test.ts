// `sesame policy lint|explain` run as a user runs them: a spawned `npx tsx src/cli/sesame.ts`.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);

async function sesame(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec('npx', ['tsx', 'src/cli/sesame.ts', 'policy', ...args], {
      cwd: process.cwd(),
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const ID = 'arn:aws:ses:us-east-1:111122223333:identity/example.com';
let dir = '';
const file = (name: string): string => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sesame-policy-cmd-'));
  const send = {
    Sid: 'Send',
    Effect: 'Allow',
    Action: 'ses:SendRawEmail',
    Resource: '*',
    Condition: { StringEquals: { 'ses:FromAddress': 'marketing@example.com' } },
  };
  writeFileSync(file('send.json'), JSON.stringify({ Version: '2012-10-17', Statement: [send] }, null, 2));
  writeFileSync(
    file('typo.json'),
    JSON.stringify(
      {
        Version: '2012-10-17',
        Statement: [{ ...send, Condition: { StringEquals: { 'ses:FromAdress': 'm@x.com' } } }],
      },
      null,
      2,
    ),
  );
});

// Each spawn starts tsx and loads the whole CLI: allow for a loaded machine.
describe.concurrent('sesame policy lint|explain (CLI)', { timeout: 90_000 }, () => {
  it('lint: findings as LINE:COL severity code message, counts, exit 1 on a warning', async () => {
    expect(await sesame('lint', file('typo.json'))).toEqual({
      code: 1,
      stdout: [
        '11:11 warning unknown-condition-key "ses:FromAdress" is not a condition key of SES (did you mean "ses:FromAddress"?). No request carries it, so the condition is always false and this statement never allows anything.',
        '0 errors, 1 warning, 0 suggestions',
        '',
      ].join('\n'),
      stderr: '',
    });
  });
  it('lint: a clean policy exits 0; --type resource reports the IAM error as JSON, exit 1', async () => {
    expect(await sesame('lint', file('send.json'))).toMatchObject({
      code: 0,
      stdout: '0 errors, 0 warnings, 0 suggestions\n',
    });
    const r = await sesame('lint', file('send.json'), '--type', 'resource', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual([
      {
        code: 'malformed',
        severity: 'error',
        message: 'Missing required field Principal.',
        statement: 0,
        sid: 'Send',
        line: 4,
        column: 5,
      },
    ]);
  });
  it('lint: unreadable file or unknown --type exit 2 with the reason on stderr', async () => {
    const missing = await sesame('lint', file('nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/^error: .*nope\.json: ENOENT/);
    expect(await sesame('lint', file('send.json'), '--type', 'bucket')).toMatchObject({
      code: 2,
      stderr: 'error: --type must be one of identity, resource, trust, boundary, session, scp\n',
    });
  });
  it('explain: human report of a denied send, exit 1; --json of an allowed one, exit 0', async () => {
    const args = ['--policy', file('send.json'), '--action', 'ses:SendRawEmail', '--resource', ID];
    const alice = ['--principal', 'arn:aws:iam::111122223333:user/alice'];
    const denied = await sesame('explain', ...args, ...alice, '--context', 'ses:FromAddress=x@example.com');
    expect(denied.code).toBe(1);
    expect(denied.stdout.split('\n').slice(4)).toEqual([
      'Statements:',
      `  Allow ${file('send.json')} statement 0 (Send) [identity] does not apply: a condition is false`,
      '    false StringEquals ses:FromAddress ["marketing@example.com"], request value "x@example.com"',
      `Message: User \`arn:aws:iam::111122223333:user/alice' is not authorized to perform \`ses:SendRawEmail' on resource \`${ID}'`,
      '',
    ]);
    const allowed = await sesame(
      'explain',
      ...args,
      ...alice,
      '--context',
      'ses:FromAddress=marketing@example.com',
      '--json',
    );
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout)).toMatchObject({
      decision: 'Allowed',
      decidedBy: 'identity',
      statements: [
        { index: 0, sid: 'Send', applied: true, conditions: [{ key: 'ses:FromAddress', result: true }] },
      ],
      missingContextKeys: [],
    });
  });
});
