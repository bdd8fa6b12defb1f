// AWS managed policies through the real clients: every account sees AWS's 1,485 policies at
// arn:aws:iam::aws:policy/…, attaches them to users, groups and roles (and as boundaries and
// session policies), and they decide requests like any identity policy; nobody can write them.
// IAM's reserved role paths are protected. @aws-sdk/client-iam and the aws CLI, on both engines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeletePolicyCommand,
  DetachUserPolicyCommand,
  GetAccountAuthorizationDetailsCommand,
  GetPolicyCommand,
  IAMClient,
  ListEntitiesForPolicyCommand,
  ListPoliciesCommand,
  paginateListPolicies,
  PutUserPermissionsBoundaryCommand,
  SetDefaultPolicyVersionCommand,
  TagPolicyCommand,
} from '@aws-sdk/client-iam';
import { GetAccountCommand, SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { testDialects } from '../../src/store/database.js';
import { runAwsCli } from '../support/aws-cli.js';
import { ACCOUNT, clientConfig, startTestServer, type TestServer } from '../support/server.js';
import {
  errorOf,
  identityArn,
  policyDoc,
  sendDenied,
  userWithPolicy,
  v2SendInput,
  sendingServer,
  type Clients,
} from '../support/ses-fixtures.js';

const AWS = 'arn:aws:iam::aws:policy';
const SES_FULL = `${AWS}/AmazonSESFullAccess`;
const SES_READ = `${AWS}/AmazonSESReadOnlyAccess`;
const ADMIN = `${AWS}/AdministratorAccess`;
const DOMAIN = identityArn(ACCOUNT, 'example.com');

describe.each(testDialects())('AWS managed policies through the SDK and the CLI (%s)', (dialect) => {
  let server: TestServer;
  let root: Clients;
  beforeAll(async () => {
    ({ server, root } = await sendingServer((env) => startTestServer(env, dialect)));
  });
  afterAll(async () => server?.stop());

  const sesFor = (creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
    new SESv2Client(clientConfig(server, creds));
  const send = (c: SESv2Client) => c.send(new SendEmailCommand(v2SendInput({ from: 'app@example.com' })));

  it('lists all 1,485 with Scope=AWS (paginated), and reads one with GetPolicy and the aws CLI', async () => {
    let count = 0;
    for await (const page of paginateListPolicies({ client: root.iam, pageSize: 400 }, { Scope: 'AWS' }))
      for (const p of page.Policies ?? []) {
        count++;
        expect(p.Arn!.startsWith(`${AWS}/`)).toBe(true);
      }
    expect(count).toBe(1485);
    const local = await root.iam.send(new ListPoliciesCommand({ Scope: 'Local' }));
    expect(local.Policies).toEqual([]);
    const got = (await root.iam.send(new GetPolicyCommand({ PolicyArn: SES_FULL }))).Policy!;
    expect(got).toMatchObject({
      PolicyName: 'AmazonSESFullAccess',
      Arn: SES_FULL,
      Path: '/',
      DefaultVersionId: 'v1',
      AttachmentCount: 0,
      IsAttachable: true,
    });
    expect(got.PolicyId).toMatch(/^ANPA[A-Z2-7]{17}$/);
    const cli = await runAwsCli(server.endpoint, server.credentials, [
      'iam',
      'get-policy-version',
      '--policy-arn',
      SES_FULL,
      '--version-id',
      'v1',
    ]);
    expect(cli.exitCode).toBe(0);
    // The CLI decodes the URL-encoded document into JSON.
    expect(JSON.parse(cli.stdout).PolicyVersion).toMatchObject({
      VersionId: 'v1',
      IsDefaultVersion: true,
      Document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ses:*'], Resource: '*' }] },
    });
  });

  it('attached to a user, AmazonSESReadOnlyAccess reads but does not send; AmazonSESFullAccess sends; detached, nothing', async () => {
    const u = await userWithPolicy(root, undefined);
    const ses = sesFor(u.creds);
    await root.iam.send(new AttachUserPolicyCommand({ UserName: u.name, PolicyArn: SES_READ }));
    expect((await ses.send(new GetAccountCommand({}))).SendingEnabled).toBe(true);
    expect(await errorOf(send(ses))).toEqual({
      name: 'AccessDeniedException',
      status: 403,
      message: sendDenied(u.arn, 'ses:SendEmail', DOMAIN),
    });
    await root.iam.send(new AttachUserPolicyCommand({ UserName: u.name, PolicyArn: SES_FULL }));
    expect((await send(ses)).MessageId).toBeTruthy();
    await root.iam.send(new DetachUserPolicyCommand({ UserName: u.name, PolicyArn: SES_FULL }));
    await root.iam.send(new DetachUserPolicyCommand({ UserName: u.name, PolicyArn: SES_READ }));
    expect((await errorOf(ses.send(new GetAccountCommand({})))).status).toBe(403);
  });

  it('through a group, as a boundary, and as a session policy of AssumeRole', async () => {
    const grouped = await userWithPolicy(root, undefined);
    await root.iam.send(new CreateGroupCommand({ GroupName: 'mailers' }));
    await root.iam.send(new AttachGroupPolicyCommand({ GroupName: 'mailers', PolicyArn: SES_FULL }));
    await root.iam.send(new AddUserToGroupCommand({ GroupName: 'mailers', UserName: grouped.name }));
    expect((await send(sesFor(grouped.creds))).MessageId).toBeTruthy();

    // AdministratorAccess attached, AmazonSESReadOnlyAccess as the boundary: reads only.
    const bounded = await userWithPolicy(root, undefined);
    await root.iam.send(new AttachUserPolicyCommand({ UserName: bounded.name, PolicyArn: ADMIN }));
    await root.iam.send(
      new PutUserPermissionsBoundaryCommand({ UserName: bounded.name, PermissionsBoundary: SES_READ }),
    );
    expect((await sesFor(bounded.creds).send(new GetAccountCommand({}))).SendingEnabled).toBe(true);
    expect((await errorOf(send(sesFor(bounded.creds)))).status).toBe(403);

    // A role with AmazonSESFullAccess, assumed with AmazonSESReadOnlyAccess as session policy.
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
    await root.iam.send(new AttachRolePolicyCommand({ RoleName: 'mailer', PolicyArn: SES_FULL }));
    const sts = new STSClient(clientConfig(server, server.credentials));
    const assume = async (policyArns?: string[]) => {
      const out = await sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${ACCOUNT}:role/mailer`,
          RoleSessionName: 'mail-session',
          ...(policyArns ? { PolicyArns: policyArns.map((arn) => ({ arn })) } : {}),
        }),
      );
      const c = out.Credentials!;
      return sesFor({
        accessKeyId: c.AccessKeyId!,
        secretAccessKey: c.SecretAccessKey!,
        sessionToken: c.SessionToken!,
      });
    };
    expect((await send(await assume())).MessageId).toBeTruthy();
    expect((await errorOf(send(await assume([SES_READ])))).status).toBe(403);
  });

  it('counts and lists this account’s uses: AttachmentCount, ListEntitiesForPolicy, GetAccountAuthorizationDetails', async () => {
    const before = (await root.iam.send(new GetPolicyCommand({ PolicyArn: SES_FULL }))).Policy!;
    const u = await userWithPolicy(root, undefined);
    await root.iam.send(new AttachUserPolicyCommand({ UserName: u.name, PolicyArn: SES_FULL }));
    const after = (await root.iam.send(new GetPolicyCommand({ PolicyArn: SES_FULL }))).Policy!;
    expect(after.AttachmentCount).toBe(before.AttachmentCount! + 1);
    const entities = await root.iam.send(
      new ListEntitiesForPolicyCommand({ PolicyArn: SES_FULL, EntityFilter: 'User' }),
    );
    expect(entities.PolicyUsers?.map((x) => x.UserName)).toContain(u.name);
    const details = await root.iam.send(
      new GetAccountAuthorizationDetailsCommand({ Filter: ['AWSManagedPolicy'] }),
    );
    const ses = details.Policies?.find((p) => p.Arn === SES_FULL);
    expect(ses?.AttachmentCount).toBe(after.AttachmentCount);
    expect(decodeURIComponent(ses!.PolicyVersionList![0]!.Document!)).toContain('"ses:*"');
    const attached = await root.iam.send(new ListPoliciesCommand({ OnlyAttached: true, Scope: 'AWS' }));
    expect(attached.Policies?.map((p) => p.PolicyName)).toContain('AmazonSESFullAccess');
  });

  it('refuses every write on them, to the root user too; the reserved role paths are AWS’s', async () => {
    const rootArn = `arn:aws:iam::${ACCOUNT}:root`;
    const refused = (op: string) => ({
      name: 'AccessDenied',
      status: 403,
      message: `User: ${rootArn} is not authorized to perform: iam:${op} on resource: ${SES_FULL} because no resource-based policy allows the iam:${op} action`,
    });
    expect(await errorOf(root.iam.send(new DeletePolicyCommand({ PolicyArn: SES_FULL })))).toEqual(
      refused('DeletePolicy'),
    );
    expect(
      await errorOf(
        root.iam.send(
          new CreatePolicyVersionCommand({
            PolicyArn: SES_FULL,
            PolicyDocument: policyDoc({ Effect: 'Allow', Action: '*', Resource: '*' }),
          }),
        ),
      ),
    ).toEqual(refused('CreatePolicyVersion'));
    expect(
      await errorOf(
        root.iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: SES_FULL, VersionId: 'v1' })),
      ),
    ).toEqual(refused('SetDefaultPolicyVersion'));
    expect(
      await errorOf(
        root.iam.send(new TagPolicyCommand({ PolicyArn: SES_FULL, Tags: [{ Key: 'k', Value: 'v' }] })),
      ),
    ).toEqual(refused('TagPolicy'));
    const cli = await runAwsCli(server.endpoint, server.credentials, [
      'iam',
      'delete-policy',
      '--policy-arn',
      ADMIN,
    ]);
    expect(cli.exitCode).not.toBe(0);
    expect(cli.stderr).toContain('An error occurred (AccessDenied) when calling the DeletePolicy operation');
    expect(
      (await root.iam.send(new GetPolicyCommand({ PolicyArn: SES_FULL }))).Policy?.DefaultVersionId,
    ).toBe('v1');

    const trust = policyDoc({
      Effect: 'Allow',
      Principal: { Service: 'ses.amazonaws.com' },
      Action: 'sts:AssumeRole',
    });
    expect(
      await errorOf(
        root.iam.send(
          new CreateRoleCommand({
            RoleName: 'slr',
            Path: '/aws-service-role/ses.amazonaws.com/',
            AssumeRolePolicyDocument: trust,
          }),
        ),
      ),
    ).toEqual({
      name: 'InvalidInputException',
      status: 400,
      message: "Path prefix '/aws-service-role/' can only be used for AWS Service linked Roles",
    });
  });

  it('an IAM user with IAMFullAccess cannot write them either', async () => {
    const admin = await userWithPolicy(root, undefined);
    await root.iam.send(
      new AttachUserPolicyCommand({ UserName: admin.name, PolicyArn: `${AWS}/IAMFullAccess` }),
    );
    const iam = new IAMClient(clientConfig(server, admin.creds));
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: SES_READ }))).Policy?.PolicyName).toBe(
      'AmazonSESReadOnlyAccess',
    );
    expect(await errorOf(iam.send(new DeletePolicyCommand({ PolicyArn: SES_READ })))).toEqual({
      name: 'AccessDenied',
      status: 403,
      message: `User: ${admin.arn} is not authorized to perform: iam:DeletePolicy on resource: ${SES_READ} because no resource-based policy allows the iam:DeletePolicy action`,
    });
  });
});
