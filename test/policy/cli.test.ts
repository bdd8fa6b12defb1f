// `sesame policy validate|simulate`, run as a user runs it: a spawned `npx tsx src/cli/sesame.ts`.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

async function sesame(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'src/cli/sesame.ts', 'policy', ...args], {
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
const file = (name: string) => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sesame-policy-cli-'));
  writeFileSync(
    file('send.json'),
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Send',
          Effect: 'Allow',
          Action: 'ses:SendRawEmail',
          Resource: '*',
          Condition: { StringEquals: { 'ses:FromAddress': 'marketing@example.com' } },
        },
      ],
    }),
  );
  writeFileSync(file('bad.json'), '{"Version":"2012-10-17","Statement":[]}');
  writeFileSync(
    file('principal.json'),
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 'ses:*', Resource: '*' }],
    }),
  );
});

// Each spawn starts tsx and loads the whole CLI (server included): allow for a loaded machine.
describe('sesame policy (CLI)', { timeout: 90_000 }, () => {
  it('validate: a valid identity policy prints "valid" and exits 0', async () => {
    expect(await sesame('validate', file('send.json'))).toMatchObject({ code: 0, stdout: 'valid\n' });
  });
  it('validate: IAM errors are printed with their code, exit 1 (also per --type)', async () => {
    expect(await sesame('validate', file('bad.json'))).toMatchObject({
      code: 1,
      stdout: 'MalformedPolicyDocument: Syntax errors in policy.\n',
    });
    expect(await sesame('validate', file('principal.json'), '--type', 'identity')).toMatchObject({
      code: 1,
      stdout: 'MalformedPolicyDocument: Policy document should not specify a principal.\n',
    });
  });
  it('simulate: a denied send explains the failed condition and prints the SES message, exit 1', async () => {
    const r = await sesame(
      'simulate',
      '--policy',
      file('send.json'),
      '--action',
      'ses:SendRawEmail',
      '--resource',
      ID,
      '--principal',
      'arn:aws:iam::111122223333:user/alice',
      '--context',
      'ses:FromAddress=x@example.com',
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        'Decision: ImplicitDeny',
        'Decided by: identity',
        'Per type: resource=NotApplicable identity=ImplicitDeny',
        'Failed conditions:',
        `  ${file('send.json')} statement 0 (Send): StringEquals ses:FromAddress ["marketing@example.com"], request value "x@example.com"`,
        `Message: User \`arn:aws:iam::111122223333:user/alice' is not authorized to perform \`ses:SendRawEmail' on resource \`${ID}'`,
        '',
      ].join('\n'),
    );
  });
  it('simulate --json: an allowed send, exit 0', async () => {
    const r = await sesame(
      'simulate',
      '--policy',
      file('send.json'),
      '--action',
      'ses:SendRawEmail',
      '--resource',
      ID,
      '--principal',
      'arn:aws:iam::111122223333:user/alice',
      '--context',
      'ses:FromAddress=marketing@example.com',
      '--json',
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      decision: 'Allowed',
      decidedBy: 'identity',
      matched: [
        {
          policyId: file('send.json'),
          source: 'user',
          policyType: 'identity',
          sid: 'Send',
          index: 0,
          effect: 'Allow',
        },
      ],
      perType: { resource: 'NotApplicable', identity: 'Allow' },
      missingContextKeys: [],
      failedConditions: [],
    });
  });
});
