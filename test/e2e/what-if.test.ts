// Issue 19, "what if": real calls are recorded (SES sends by a user, a group member and a role
// session, each through the SDK), then a changed policy is replayed over them through
// POST /sesame/policy/what-if; the answer lists exactly the calls whose decision flips, grouped by
// principal, action and the statement responsible, and nothing stored changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  GetUserPolicyCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { SendEmailCommand, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import {
  clientsFor,
  errorOf,
  grantProduction,
  policyDoc,
  userWithPolicy,
  verify,
  type Clients,
  type Creds,
} from '../support/ses-fixtures.js';
import { sesameCall } from '../support/sesame-api.js';
import { testDialects } from '../../src/store/database.js';

const ID = `arn:aws:ses:us-east-1:${ACCOUNT}:identity/example.com`;
const SEND_ANY_EXAMPLE = policyDoc({
  Sid: 'Send',
  Effect: 'Allow',
  Action: 'ses:SendEmail',
  Resource: '*',
  Condition: { StringLike: { 'ses:FromAddress': '*@example.com' } },
});
const SEND_NOREPLY_ONLY = policyDoc({
  Sid: 'NoreplyOnly',
  Effect: 'Allow',
  Action: 'ses:SendEmail',
  Resource: '*',
  Condition: { StringEquals: { 'ses:FromAddress': 'noreply@example.com' } },
});
const email = (from: string) => ({
  Source: from,
  Destination: { ToAddresses: ['reader@example.net'] },
  Message: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } },
});

describe.each(testDialects())('policy what-if (%s)', (dialect) => {
  let server: TestServer;
  let root: Clients;
  let alice: Awaited<ReturnType<typeof userWithPolicy>>;
  let bob: Awaited<ReturnType<typeof userWithPolicy>>;
  let managedArn: string;
  let sessionArn: string;
  const whatIf = (change: object, creds: Creds = server.credentials, extra: object = {}) =>
    sesameCall(server.endpoint, creds, 'POST', '/sesame/policy/what-if', {
      body: { Change: change, ...extra },
    });

  beforeAll(async () => {
    server = await startTestServer(
      { SESAME_PRODUCTION_MAX_SEND_RATE: '1000', SESAME_PRODUCTION_MAX_24_HOUR_SEND: '100000' },
      dialect,
    );
    root = clientsFor(server, server.credentials);
    await grantProduction(server, ACCOUNT);
    await verify(root.v1, 'example.com');
    // alice: three sends from a@, one from noreply@, one raw send (denied: no statement allows it).
    alice = await userWithPolicy(root, SEND_ANY_EXAMPLE, 'alice');
    const a = clientsFor(server, alice.creds);
    for (let i = 0; i < 3; i++) await a.v1.send(new SendEmailCommand(email('a@example.com')));
    await a.v1.send(new SendEmailCommand(email('noreply@example.com')));
    await errorOf(
      a.v1.send(
        new SendRawEmailCommand({
          RawMessage: {
            Data: Buffer.from('From: a@example.com\r\nTo: x@example.net\r\nSubject: r\r\n\r\nhi'),
          },
        }),
      ),
    );
    // bob: allowed only through a managed policy attached to his group.
    bob = await userWithPolicy(root, undefined, 'bob');
    await root.iam.send(new CreateGroupCommand({ GroupName: 'ops' }));
    await root.iam.send(new AddUserToGroupCommand({ GroupName: 'ops', UserName: 'bob' }));
    managedArn = (
      await root.iam.send(
        new CreatePolicyCommand({ PolicyName: 'OpsSend', PolicyDocument: SEND_ANY_EXAMPLE }),
      )
    ).Policy!.Arn!;
    await root.iam.send(new AttachGroupPolicyCommand({ GroupName: 'ops', PolicyArn: managedArn }));
    await clientsFor(server, bob.creds).v1.send(new SendEmailCommand(email('ops@example.com')));
    // A role session sends twice.
    await root.iam.send(
      new CreateRoleCommand({
        RoleName: 'mailer',
        AssumeRolePolicyDocument: policyDoc({
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Action: 'sts:AssumeRole',
        }),
      }),
    );
    await root.iam.send(
      new PutRolePolicyCommand({ RoleName: 'mailer', PolicyName: 'Mail', PolicyDocument: SEND_ANY_EXAMPLE }),
    );
    const assumed = await root.sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/mailer`, RoleSessionName: 'batch' }),
    );
    sessionArn = assumed.AssumedRoleUser!.Arn!;
    const c = assumed.Credentials!;
    const session = clientsFor(server, {
      accessKeyId: c.AccessKeyId!,
      secretAccessKey: c.SecretAccessKey!,
      sessionToken: c.SessionToken!,
    });
    for (let i = 0; i < 2; i++) await session.v1.send(new SendEmailCommand(email('batch@example.com')));
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('a narrower inline policy: the three sends from a@ flip to ImplicitDeny, grouped on the statement that allowed them', async () => {
    const r = await whatIf({
      Operation: 'PutUserPolicy',
      UserName: 'alice',
      PolicyName: 'p',
      PolicyDocument: SEND_NOREPLY_ONLY,
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      Change: 'put user alice inline policy p',
      Window: { Days: 7 },
      Examined: 5,
      Replayed: 5,
      Skipped: { NoRequestContext: 0, PrincipalGone: 0 },
      ChangedSinceRecorded: 0,
      AllowedToDenied: 3,
      DeniedToAllowed: 0,
      Truncated: false,
    });
    expect(r.json.Flips).toHaveLength(1);
    const g = r.json.Flips[0];
    expect(g).toMatchObject({
      Principal: alice.arn,
      Action: 'ses:SendEmail',
      From: 'Allowed',
      To: 'ImplicitDeny',
      DecidedBy: 'identity',
      Statement: {
        PolicyId: 'inline:user/alice/p',
        PolicyType: 'identity',
        StatementIndex: 0,
        Sid: 'Send',
        Effect: 'Allow',
        InChange: true,
      },
      Count: 3,
      Resources: [ID],
    });
    expect(g.Examples).toHaveLength(3);
    expect(Date.parse(g.FirstSeen)).toBeLessThanOrEqual(Date.parse(g.LastSeen));
  });

  it('a wider policy: the denied raw send flips to Allowed, naming the new statement', async () => {
    const wider = policyDoc(
      { Sid: 'Send', Effect: 'Allow', Action: 'ses:SendEmail', Resource: '*' },
      { Sid: 'Raw', Effect: 'Allow', Action: 'ses:SendRawEmail', Resource: '*' },
    );
    const r = await whatIf({
      Operation: 'PutUserPolicy',
      UserName: 'alice',
      PolicyName: 'p',
      PolicyDocument: wider,
    });
    expect(r.json).toMatchObject({ AllowedToDenied: 0, DeniedToAllowed: 1 });
    expect(r.json.Flips).toEqual([
      expect.objectContaining({
        Principal: alice.arn,
        Action: 'ses:SendRawEmail',
        From: 'ImplicitDeny',
        To: 'Allowed',
        Statement: expect.objectContaining({
          Sid: 'Raw',
          StatementIndex: 1,
          Effect: 'Allow',
          InChange: true,
        }),
        Count: 1,
      }),
    ]);
  });

  it('a Deny statement: ExplicitDeny, named; the policy in the store is unchanged', async () => {
    const withDeny = policyDoc(
      { Sid: 'Send', Effect: 'Allow', Action: 'ses:SendEmail', Resource: '*' },
      {
        Sid: 'NoNoreply',
        Effect: 'Deny',
        Action: 'ses:SendEmail',
        Resource: '*',
        Condition: { StringEquals: { 'ses:FromAddress': 'noreply@example.com' } },
      },
    );
    const r = await whatIf({
      Operation: 'PutUserPolicy',
      UserName: 'alice',
      PolicyName: 'p',
      PolicyDocument: withDeny,
    });
    expect(r.json.Flips).toEqual([
      expect.objectContaining({
        From: 'Allowed',
        To: 'ExplicitDeny',
        Statement: expect.objectContaining({ Sid: 'NoNoreply', Effect: 'Deny' }),
        Count: 1,
      }),
    ]);
    const stored = await root.iam.send(new GetUserPolicyCommand({ UserName: 'alice', PolicyName: 'p' }));
    expect(decodeURIComponent(stored.PolicyDocument!)).toBe(SEND_ANY_EXAMPLE);
  });

  it('a managed policy’s new version reaches the group member; a boundary caps alice', async () => {
    const managed = await whatIf({
      Operation: 'CreatePolicyVersion',
      PolicyArn: managedArn,
      PolicyDocument: SEND_NOREPLY_ONLY,
    });
    expect(managed.json).toMatchObject({ Examined: 1, AllowedToDenied: 1 });
    expect(managed.json.Flips[0]).toMatchObject({
      Principal: bob.arn,
      Statement: { PolicyId: managedArn, Sid: 'Send', InChange: true },
    });
    const boundary = (
      await root.iam.send(
        new CreatePolicyCommand({
          PolicyName: 'OnlyRaw',
          PolicyDocument: policyDoc({ Effect: 'Allow', Action: 'ses:SendRawEmail', Resource: '*' }),
        }),
      )
    ).Policy!.Arn!;
    const capped = await whatIf({
      Operation: 'PutUserPermissionsBoundary',
      UserName: 'alice',
      PermissionsBoundary: boundary,
    });
    expect(capped.json).toMatchObject({ AllowedToDenied: 4, DeniedToAllowed: 0 });
    expect(
      capped.json.Flips.map((f: { DecidedBy: string; Count: number }) => [f.DecidedBy, f.Count]),
    ).toEqual([['boundary', 4]]);
  });

  it('a role policy change flips the role session’s recorded calls', async () => {
    const r = await whatIf({ Operation: 'DeleteRolePolicy', RoleName: 'mailer', PolicyName: 'Mail' });
    expect(r.json).toMatchObject({
      Examined: 2,
      AllowedToDenied: 2,
      Change: 'delete role mailer inline policy Mail',
    });
    expect(r.json.Flips[0]).toMatchObject({
      Principal: sessionArn,
      Statement: { PolicyId: 'inline:role/mailer/Mail', InChange: true },
    });
  });

  it('an identity’s sending-authorization policy: a Deny for alice flips her sends on it', async () => {
    const r = await whatIf({
      Operation: 'CreateEmailIdentityPolicy',
      EmailIdentity: 'example.com',
      PolicyName: 'NoAlice',
      Policy: policyDoc({
        Sid: 'NoAlice',
        Effect: 'Deny',
        Principal: { AWS: alice.arn },
        Action: 'ses:*',
        Resource: ID,
      }),
    });
    expect(r.status).toBe(200);
    // Every recorded send on the identity is in scope; only alice's allowed ones flip.
    expect(r.json).toMatchObject({ Examined: 8, Replayed: 8, AllowedToDenied: 4, DeniedToAllowed: 0 });
    expect(r.json.Flips).toEqual([
      expect.objectContaining({
        Principal: alice.arn,
        To: 'ExplicitDeny',
        DecidedBy: 'resource',
        Statement: expect.objectContaining({
          PolicyId: 'example.com/NoAlice',
          Sid: 'NoAlice',
          InChange: true,
        }),
        Count: 4,
      }),
    ]);
  });

  it('is authorized as sesame:SimulatePolicyChange on the target and sesame:LookupEvents', async () => {
    const onlyChange = await userWithPolicy(
      root,
      policyDoc({ Effect: 'Allow', Action: 'sesame:SimulatePolicyChange', Resource: alice.arn }),
    );
    const change = { Operation: 'DeleteUserPolicy', UserName: 'alice', PolicyName: 'p' };
    const refused = await whatIf(change, onlyChange.creds);
    expect(refused.status).toBe(403);
    expect(refused.json).toEqual({
      __type: 'AccessDeniedException',
      message: `User: ${onlyChange.arn} is not authorized to perform: sesame:LookupEvents on resource: * because no identity-based policy allows the sesame:LookupEvents action`,
    });
    const wrongTarget = await whatIf({ ...change, UserName: 'bob' }, onlyChange.creds);
    expect(wrongTarget.json.message).toBe(
      `User: ${onlyChange.arn} is not authorized to perform: sesame:SimulatePolicyChange on resource: ${bob.arn} because no identity-based policy allows the sesame:SimulatePolicyChange action`,
    );
    const both = await userWithPolicy(
      root,
      policyDoc({
        Effect: 'Allow',
        Action: ['sesame:SimulatePolicyChange', 'sesame:LookupEvents'],
        Resource: '*',
      }),
    );
    const ok = await whatIf(change, both.creds);
    expect(ok.status).toBe(200);
    expect(ok.json.AllowedToDenied).toBe(4);
  });

  it('refuses bad input with the error the change’s own API would give', async () => {
    const cases: [object, object, number, string, string][] = [
      [{ Operation: 'PutBucketPolicy' }, {}, 400, 'BadRequestException', 'Change.Operation must be one of'],
      [
        { Operation: 'PutUserPolicy', UserName: 'alice', PolicyName: 'p' },
        {},
        400,
        'BadRequestException',
        'Change.PolicyDocument is required.',
      ],
      [
        { Operation: 'DeleteUserPolicy', UserName: 'nobody', PolicyName: 'p' },
        {},
        404,
        'NoSuchEntity',
        'The user with name nobody cannot be found.',
      ],
      [
        { Operation: 'DeleteUserPolicy', UserName: 'alice', PolicyName: 'nope' },
        {},
        404,
        'NoSuchEntity',
        'The user policy with name nope cannot be found.',
      ],
      [
        {
          Operation: 'PutUserPolicy',
          UserName: 'alice',
          PolicyName: 'p',
          PolicyDocument:
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ses:SendEmail"}]}',
        },
        {},
        400,
        'MalformedPolicyDocument',
        'Policy statement must contain resources.',
      ],
      [
        // SES deletes a policy that is not there without complaint; an identity must exist.
        { Operation: 'DeleteEmailIdentityPolicy', EmailIdentity: 'unknown.example', PolicyName: 'p' },
        {},
        404,
        'NotFoundException',
        'unknown.example',
      ],
      [
        { Operation: 'DeleteUserPolicy', UserName: 'alice', PolicyName: 'p' },
        { Days: 0 },
        400,
        'BadRequestException',
        'Days must be a whole number from 1 to 365.',
      ],
    ];
    for (const [change, extra, status, type, message] of cases) {
      const r = await whatIf(change, server.credentials, extra);
      expect([r.status, r.json.__type]).toEqual([status, type]);
      expect(r.json.message).toContain(message);
    }
    const notJson = await sesameCall(server.endpoint, server.credentials, 'POST', '/sesame/policy/what-if', {
      body: [1],
    });
    expect([notJson.status, notJson.json.message]).toEqual([400, 'The request body must be a JSON object.']);
  });

  it('records of a principal deleted since are skipped, counted as gone', async () => {
    const carol = await userWithPolicy(root, SEND_ANY_EXAMPLE, 'carol');
    await clientsFor(server, carol.creds).v1.send(new SendEmailCommand(email('c@example.com')));
    const r = await whatIf({
      Operation: 'CreatePolicyVersion',
      PolicyArn: managedArn,
      PolicyDocument: SEND_NOREPLY_ONLY,
    });
    expect(r.json.Skipped.PrincipalGone).toBe(0);
    // An identity-scoped change sees carol's send; once carol is gone, it is skipped.
    const change = {
      Operation: 'PutIdentityPolicy',
      Identity: 'example.com',
      PolicyName: 'x',
      Policy: policyDoc({ Effect: 'Deny', Principal: '*', Action: 'ses:*', Resource: ID }),
    };
    const before = await whatIf(change);
    await root.iam.send(new DeleteUserPolicyCommand({ UserName: 'carol', PolicyName: 'p' }));
    const { DeleteAccessKeyCommand, ListAccessKeysCommand } = await import('@aws-sdk/client-iam');
    for (const k of (await root.iam.send(new ListAccessKeysCommand({ UserName: 'carol' })))
      .AccessKeyMetadata ?? [])
      await root.iam.send(new DeleteAccessKeyCommand({ UserName: 'carol', AccessKeyId: k.AccessKeyId! }));
    await root.iam.send(new DeleteUserCommand({ UserName: 'carol' }));
    const after = await whatIf(change);
    expect(after.json.Skipped.PrincipalGone).toBe(before.json.Skipped.PrincipalGone + 1);
    expect(after.json.AllowedToDenied).toBe(before.json.AllowedToDenied - 1);
  });
});
