// Issue 3, end to end: IAM state outlives the process. A server is stopped and a new one started
// on the same data folder (SQLite): users, keys, policies and sessions are all still there and
// still work, and no secret is ever written in clear into the database files.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateUserCommand,
  GetPolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAttachedUserPoliciesCommand,
  ListUsersCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { ACCOUNT, ROOT_KEY, clientConfig, startTestServer, type TestServer } from '../support/server.js';

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const doc = (statements: object[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });

/** Every byte SQLite has written for the store: the database file and its WAL, if any. */
function databaseBytes(dir: string): string {
  return readdirSync(dir)
    .filter((f) => f.startsWith('sesame.db'))
    .map((f) => readFileSync(join(dir, f)).toString('latin1'))
    .join('\n');
}

describe('IAM state across a restart on the same data folder (sqlite)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sesame-persist-'));
  let first: TestServer | undefined;
  let second: TestServer | undefined;
  let user: Creds;
  let session: Creds;
  let policyArn: string;
  const clients: { destroy(): void }[] = [];
  const iam = (s: TestServer, c: Creds) => {
    const x = new IAMClient(clientConfig(s, c));
    clients.push(x);
    return x;
  };
  const sts = (s: TestServer, c: Creds) => {
    const x = new STSClient(clientConfig(s, c));
    clients.push(x);
    return x;
  };

  beforeAll(async () => {
    first = await startTestServer({ SESAME_DATA_DIR: dataDir });
    const root = iam(first, ROOT_KEY);
    await root.send(new CreateUserCommand({ UserName: 'persisted', Path: '/keep/' }));
    const k = (await root.send(new CreateAccessKeyCommand({ UserName: 'persisted' }))).AccessKey!;
    user = { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
    await root.send(
      new PutUserPolicyCommand({
        UserName: 'persisted',
        PolicyName: 'self',
        PolicyDocument: doc([
          { Effect: 'Allow', Action: 'iam:GetUser', Resource: `arn:aws:iam::${ACCOUNT}:user/keep/persisted` },
        ]),
      }),
    );
    const p = await root.send(
      new CreatePolicyCommand({
        PolicyName: 'Kept',
        PolicyDocument: doc([{ Effect: 'Allow', Action: 'ses:*', Resource: '*' }]),
      }),
    );
    policyArn = p.Policy!.Arn!;
    await root.send(
      new CreatePolicyVersionCommand({
        PolicyArn: policyArn,
        PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }]),
        SetAsDefault: true,
      }),
    );
    await root.send(new AttachUserPolicyCommand({ UserName: 'persisted', PolicyArn: policyArn }));
    session = (({ AccessKeyId, SecretAccessKey, SessionToken }) => ({
      accessKeyId: AccessKeyId!,
      secretAccessKey: SecretAccessKey!,
      sessionToken: SessionToken!,
    }))((await sts(first, user).send(new GetSessionTokenCommand({ DurationSeconds: 900 }))).Credentials!);
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await first?.stop();
    await second?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('works before the restart (the baseline)', async () => {
    expect((await iam(first!, user).send(new GetUserCommand({}))).User?.Path).toBe('/keep/');
    expect((await sts(first!, session).send(new GetCallerIdentityCommand({}))).Arn).toBe(
      `arn:aws:iam::${ACCOUNT}:user/keep/persisted`,
    );
  });

  it('keeps secrets sealed in the database files, while the running server writes them', () => {
    const bytes = databaseBytes(dataDir);
    // The files are the store: the user's name is in them in clear, its secrets are not.
    expect(bytes).toContain('persisted');
    for (const secret of [
      user.secretAccessKey,
      session.secretAccessKey,
      session.sessionToken!,
      ROOT_KEY.secretAccessKey,
    ])
      expect(bytes.includes(secret), `secret ${secret.slice(0, 6)}… found in clear`).toBe(false);
  });

  it('serves the same users, keys, policies and sessions from a new server on the same folder', async () => {
    await first!.stop();
    first = undefined;
    const closed = databaseBytes(dataDir);
    expect(closed).toContain('persisted');
    for (const secret of [user.secretAccessKey, session.secretAccessKey, session.sessionToken!])
      expect(closed.includes(secret)).toBe(false);

    second = await startTestServer({ SESAME_DATA_DIR: dataDir });
    const root = iam(second, ROOT_KEY);
    expect((await root.send(new ListUsersCommand({}))).Users?.map((u) => u.Arn)).toEqual([
      `arn:aws:iam::${ACCOUNT}:user/keep/persisted`,
    ]);
    expect(
      JSON.parse(
        decodeURIComponent(
          (await root.send(new GetUserPolicyCommand({ UserName: 'persisted', PolicyName: 'self' })))
            .PolicyDocument!,
        ),
      ),
    ).toMatchObject({
      Statement: [{ Action: 'iam:GetUser' }],
    });
    expect((await root.send(new GetPolicyCommand({ PolicyArn: policyArn }))).Policy).toMatchObject({
      DefaultVersionId: 'v2',
      AttachmentCount: 1,
    });
    expect(
      (await root.send(new ListAttachedUserPoliciesCommand({ UserName: 'persisted' }))).AttachedPolicies,
    ).toEqual([{ PolicyName: 'Kept', PolicyArn: policyArn }]);

    // The user's key, its policies (inline GetUser, managed v2 ListUsers) and its session all still apply.
    const asUser = iam(second, user);
    expect((await asUser.send(new GetUserCommand({}))).User?.UserName).toBe('persisted');
    expect((await asUser.send(new ListUsersCommand({}))).Users).toHaveLength(1);
    expect((await sts(second, session).send(new GetCallerIdentityCommand({}))).Arn).toBe(
      `arn:aws:iam::${ACCOUNT}:user/keep/persisted`,
    );
    // A wrong secret for the same key is still refused: the secret was restored, not the check skipped.
    const wrong = iam(second, { ...user, secretAccessKey: 'w'.repeat(40) });
    await expect(wrong.send(new GetUserCommand({}))).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
      $metadata: { httpStatusCode: 403 },
    });
  });
});
