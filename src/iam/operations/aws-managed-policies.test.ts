import { afterAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../api/operation.js';
import { authorizeChecks } from '../../authz/index.js';
import { openTestStore, testDialects, type Store } from '../../store/database.js';
import { awsManagedPolicy } from '../aws-managed/catalog.js';
import { resolveAccessKey } from '../principals.js';
import { sim } from '../../simulator/test-support.js';
import {
  allowDoc,
  call,
  checksOf,
  errorOf,
  testAccount,
  testContext,
  TRUST_ACCOUNT,
} from '../test-context.js';

const SES_FULL = 'arn:aws:iam::aws:policy/AmazonSESFullAccess';
const SES_READ = 'arn:aws:iam::aws:policy/AmazonSESReadOnlyAccess';
const LAMBDA_BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

/** Authorizes (as the server does, denials included) and then runs an operation. */
async function authorized(ctx: CallContext, name: string, input: Record<string, unknown>) {
  authorizeChecks(ctx, await checksOf(ctx, name, input), 'generic');
  return call(ctx, name, input);
}

describe.each(testDialects())('AWS managed policies in IAM (%s)', (dialect) => {
  const stores: Store[] = [];
  afterAll(async () => Promise.all(stores.map((s) => s.close())));
  const setup = async () => {
    const store = await openTestStore(dialect);
    stores.push(store);
    const acct = await testAccount(store);
    const other = await testAccount(store, '444455556666', acct.box);
    await call(acct.ctx, 'CreateUser', { UserName: 'alice' });
    await call(acct.ctx, 'CreateGroup', { GroupName: 'devs' });
    await call(acct.ctx, 'CreateRole', {
      RoleName: 'r',
      AssumeRolePolicyDocument: TRUST_ACCOUNT(acct.accountId),
    });
    return { store, other, ...acct };
  };

  it('GetPolicy, GetPolicyVersion and ListPolicyVersions read the shared catalog with this account’s counts', async () => {
    const { ctx, other } = await setup();
    const catalog = awsManagedPolicy(SES_READ)!;
    const get = async (c: CallContext) => (await call(c, 'GetPolicy', { PolicyArn: SES_READ })).Policy;
    expect(await get(ctx)).toEqual({
      PolicyName: 'AmazonSESReadOnlyAccess',
      PolicyId: catalog.policyId,
      Arn: SES_READ,
      Path: '/',
      DefaultVersionId: 'v2',
      AttachmentCount: 0,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      CreateDate: new Date('2015-02-06T18:41:03Z'),
      UpdateDate: new Date('2024-05-14T12:03:02Z'),
      Tags: [],
    });
    await call(ctx, 'AttachUserPolicy', { UserName: 'alice', PolicyArn: SES_READ });
    await call(ctx, 'AttachGroupPolicy', { GroupName: 'devs', PolicyArn: SES_READ });
    await call(ctx, 'PutRolePermissionsBoundary', { RoleName: 'r', PermissionsBoundary: SES_READ });
    expect(await get(ctx)).toMatchObject({ AttachmentCount: 2, PermissionsBoundaryUsageCount: 1 });
    // Another account sees the same policy with its own (zero) counts.
    expect(await get(other.ctx)).toMatchObject({ AttachmentCount: 0, PermissionsBoundaryUsageCount: 0 });

    const version = (await call(ctx, 'GetPolicyVersion', { PolicyArn: SES_READ, VersionId: 'v2' }))
      .PolicyVersion;
    expect(version.VersionId).toBe('v2');
    expect(version.IsDefaultVersion).toBe(true);
    expect(JSON.parse(decodeURIComponent(version.Document))).toEqual({
      Statement: [
        {
          Action: ['ses:Get*', 'ses:List*', 'ses:BatchGetMetricData'],
          Effect: 'Allow',
          Resource: '*',
          Sid: 'SESReadOnlyAccess',
        },
      ],
      Version: '2012-10-17',
    });
    expect(await errorOf(call(ctx, 'GetPolicyVersion', { PolicyArn: SES_READ, VersionId: 'v1' }))).toEqual([
      'NoSuchEntity',
      404,
      `Policy ${SES_READ} version v1 does not exist or is not attachable.`,
    ]);
    const versions = await call(ctx, 'ListPolicyVersions', { PolicyArn: SES_READ });
    expect(versions.Versions.map((v: { VersionId: string }) => v.VersionId)).toEqual(['v2']);
    const missing = 'arn:aws:iam::aws:policy/NotAnAwsPolicy';
    expect(await errorOf(call(ctx, 'GetPolicy', { PolicyArn: missing }))).toEqual([
      'NoSuchEntity',
      404,
      `Policy ${missing} was not found.`,
    ]);
  });

  it('ListPolicies: Scope AWS / Local / All, PathPrefix, OnlyAttached and paging', async () => {
    const { ctx } = await setup();
    await call(ctx, 'CreatePolicy', { PolicyName: 'AmazonSESMine', PolicyDocument: allowDoc('ses:*') });
    const list = (input: Record<string, unknown>) => call(ctx, 'ListPolicies', input);
    const names = (out: { Policies: { PolicyName: string }[] }) => out.Policies.map((p) => p.PolicyName);

    const first = await list({ Scope: 'AWS', MaxItems: 100 });
    expect(first.Policies).toHaveLength(100);
    expect(first.IsTruncated).toBe(true);
    let all = names(first);
    for (let marker = first.Marker; marker;) {
      const next = await list({ Scope: 'AWS', MaxItems: 1000, Marker: marker });
      all = all.concat(names(next));
      marker = next.Marker;
    }
    expect(all).toHaveLength(1485);
    expect(all).not.toContain('AmazonSESMine');
    expect(names(await list({ Scope: 'Local' }))).toEqual(['AmazonSESMine']);

    // Scope All (the default): both kinds in one name order.
    const withSes = names(await list({ MaxItems: 1000 })).filter((n) => n.startsWith('AmazonSES'));
    expect(withSes).toEqual([
      'AmazonSESFullAccess',
      'AmazonSESMine',
      'AmazonSESReadOnlyAccess',
      'AmazonSESServiceRolePolicy',
    ]);
    const serviceRole = names(await list({ Scope: 'AWS', PathPrefix: '/service-role/', MaxItems: 1000 }));
    expect(serviceRole).toHaveLength(218);
    expect(serviceRole).toContain('AWSLambdaBasicExecutionRole');

    expect(names(await list({ OnlyAttached: true }))).toEqual([]);
    await call(ctx, 'AttachRolePolicy', { RoleName: 'r', PolicyArn: LAMBDA_BASIC });
    expect(names(await list({ OnlyAttached: true }))).toEqual(['AWSLambdaBasicExecutionRole']);
    expect(names(await list({ OnlyAttached: true, Scope: 'Local' }))).toEqual([]);
    expect((await list({ OnlyAttached: true, Scope: 'AWS' })).Policies[0].AttachmentCount).toBe(1);
  });

  it('attaches and detaches AWS managed policies on users, groups and roles; they enter the callers’ policies', async () => {
    const { ctx, store, box, accountId } = await setup();
    await call(ctx, 'AttachUserPolicy', { UserName: 'alice', PolicyArn: SES_READ });
    await call(ctx, 'AddUserToGroup', { GroupName: 'devs', UserName: 'alice' });
    await call(ctx, 'AttachGroupPolicy', { GroupName: 'devs', PolicyArn: SES_READ });
    await call(ctx, 'AttachGroupPolicy', { GroupName: 'devs', PolicyArn: SES_FULL });
    expect((await call(ctx, 'ListAttachedUserPolicies', { UserName: 'alice' })).AttachedPolicies).toEqual([
      { PolicyName: 'AmazonSESReadOnlyAccess', PolicyArn: SES_READ },
    ]);
    expect((await call(ctx, 'ListAttachedGroupPolicies', { GroupName: 'devs' })).AttachedPolicies).toEqual([
      { PolicyName: 'AmazonSESFullAccess', PolicyArn: SES_FULL },
      { PolicyName: 'AmazonSESReadOnlyAccess', PolicyArn: SES_READ },
    ]);
    const key = (await call(ctx, 'CreateAccessKey', { UserName: 'alice' })).AccessKey.AccessKeyId;
    const caller = (await resolveAccessKey(store, box, key, new Date()))!.caller;
    // The user's own first, then its group's; attached to both, a policy counts once.
    expect(caller.identityPolicies.map((p) => [p.id, p.source])).toEqual([
      [SES_READ, 'aws-managed'],
      [SES_FULL, 'aws-managed'],
    ]);
    const alice = testContext(store, caller);
    expect(await authorized(alice, 'GetUser', { UserName: 'alice' }).catch((e: Error) => e.message)).toBe(
      `User: arn:aws:iam::${accountId}:user/alice is not authorized to perform: iam:GetUser on resource: arn:aws:iam::${accountId}:user/alice because no identity-based policy allows the iam:GetUser action`,
    );

    // The simulator names them as AWS does: the policy's name, of type aws-managed.
    const simulated = await sim(ctx, 'SimulatePrincipalPolicy', {
      PolicySourceArn: `arn:aws:iam::${accountId}:user/alice`,
      ActionNames: ['ses:SendEmail'],
    });
    expect(
      simulated.EvaluationResults[0]!.MatchedStatements.map((m) => [m.SourcePolicyId, m.SourcePolicyType]),
    ).toEqual([['AmazonSESFullAccess', 'aws-managed']]);

    await call(ctx, 'DetachUserPolicy', { UserName: 'alice', PolicyArn: SES_READ });
    expect(await errorOf(call(ctx, 'DetachUserPolicy', { UserName: 'alice', PolicyArn: SES_READ }))).toEqual([
      'NoSuchEntity',
      404,
      `Policy ${SES_READ} was not found.`,
    ]);
    const unknown = 'arn:aws:iam::aws:policy/AmazonSESNothing';
    expect(await errorOf(call(ctx, 'AttachRolePolicy', { RoleName: 'r', PolicyArn: unknown }))).toEqual([
      'NoSuchEntity',
      404,
      `Policy ${unknown} does not exist or is not attachable.`,
    ]);
  });

  it('ListEntitiesForPolicy and GetAccountAuthorizationDetails show this account’s uses only', async () => {
    const { ctx, other } = await setup();
    await call(ctx, 'AttachUserPolicy', { UserName: 'alice', PolicyArn: SES_FULL });
    await call(ctx, 'PutRolePermissionsBoundary', { RoleName: 'r', PermissionsBoundary: SES_FULL });
    await call(other.ctx, 'CreateUser', { UserName: 'zed' });
    await call(other.ctx, 'AttachUserPolicy', { UserName: 'zed', PolicyArn: SES_FULL });
    const entities = await call(ctx, 'ListEntitiesForPolicy', { PolicyArn: SES_FULL });
    expect(entities.PolicyUsers).toEqual([{ UserName: 'alice', UserId: expect.stringMatching(/^AIDA/) }]);
    expect(entities.PolicyRoles.map((r: { RoleName: string }) => r.RoleName)).toEqual(['r']);
    const boundaryOnly = await call(ctx, 'ListEntitiesForPolicy', {
      PolicyArn: SES_FULL,
      PolicyUsageFilter: 'PermissionsPolicy',
    });
    expect(boundaryOnly.PolicyRoles).toEqual([]);

    const details = await call(ctx, 'GetAccountAuthorizationDetails', {});
    expect(details.UserDetailList[0].AttachedManagedPolicies).toEqual([
      { PolicyName: 'AmazonSESFullAccess', PolicyArn: SES_FULL },
    ]);
    expect(details.Policies.map((p: { Arn: string }) => p.Arn)).toEqual([SES_FULL]);
    expect(details.Policies[0]).toMatchObject({ AttachmentCount: 1, PermissionsBoundaryUsageCount: 1 });
    expect(details.Policies[0].PolicyVersionList).toHaveLength(1);
    const local = await call(ctx, 'GetAccountAuthorizationDetails', { Filter: ['LocalManagedPolicy'] });
    expect(local.Policies).toEqual([]);
  });

  it('refuses every write on an AWS managed policy, to the root user too, with IAM’s cross-account denial', async () => {
    const { ctx, accountId } = await setup();
    const root = `arn:aws:iam::${accountId}:root`;
    const writes: [string, Record<string, unknown>][] = [
      ['DeletePolicy', {}],
      ['CreatePolicyVersion', { PolicyDocument: allowDoc('*'), SetAsDefault: true }],
      ['DeletePolicyVersion', { VersionId: 'v1' }],
      ['SetDefaultPolicyVersion', { VersionId: 'v1' }],
      ['TagPolicy', { Tags: [{ Key: 'k', Value: 'v' }] }],
      ['UntagPolicy', { TagKeys: ['k'] }],
    ];
    for (const [op, extra] of writes)
      expect(await errorOf(authorized(ctx, op, { PolicyArn: SES_FULL, ...extra })), op).toEqual([
        'AccessDenied',
        403,
        `User: ${root} is not authorized to perform: iam:${op} on resource: ${SES_FULL} because no resource-based policy allows the iam:${op} action`,
      ]);
    // Nothing changed: still one version, the recorded one, and no tags.
    expect((await authorized(ctx, 'ListPolicyVersions', { PolicyArn: SES_FULL })).Versions).toHaveLength(1);
    expect((await authorized(ctx, 'ListPolicyTags', { PolicyArn: SES_FULL })).Tags).toEqual([]);
    // The account's own policies stay writable and taggable.
    const mine = (await call(ctx, 'CreatePolicy', { PolicyName: 'mine', PolicyDocument: allowDoc('ses:*') }))
      .Policy.Arn;
    await authorized(ctx, 'TagPolicy', { PolicyArn: mine, Tags: [{ Key: 'team', Value: 'mail' }] });
    expect((await authorized(ctx, 'ListPolicyTags', { PolicyArn: mine })).Tags).toEqual([
      { Key: 'team', Value: 'mail' },
    ]);
    await authorized(ctx, 'UntagPolicy', { PolicyArn: mine, TagKeys: ['TEAM'] });
    expect((await authorized(ctx, 'ListPolicyTags', { PolicyArn: mine })).Tags).toEqual([]);
  });

  it('refuses a service role policy (/aws-service-role/) on users, groups and roles: only its SLR may hold it', async () => {
    const { ctx } = await setup();
    const slr = 'arn:aws:iam::aws:policy/aws-service-role/AmazonElasticsearchServiceRolePolicy';
    for (const [op, entity, what] of [
      ['AttachRolePolicy', { RoleName: 'r' }, 'Customer Role'],
      ['AttachUserPolicy', { UserName: 'alice' }, 'User'],
      ['AttachGroupPolicy', { GroupName: 'devs' }, 'Group'],
    ] as const)
      expect(await errorOf(call(ctx, op, { ...entity, PolicyArn: slr })), op).toEqual([
        'PolicyNotAttachable',
        400,
        `Cannot attach a Service Role Policy to a ${what}.`,
      ]);
    // Nothing was attached, and the policy says it is not attachable.
    expect((await call(ctx, 'ListAttachedRolePolicies', { RoleName: 'r' })).AttachedPolicies).toEqual([]);
    expect((await call(ctx, 'ListAttachedUserPolicies', { UserName: 'alice' })).AttachedPolicies).toEqual([]);
    expect((await call(ctx, 'GetPolicy', { PolicyArn: slr })).Policy).toMatchObject({
      AttachmentCount: 0,
      IsAttachable: false,
    });
    // Other AWS managed policies (service-role/ included) stay attachable.
    await call(ctx, 'AttachRolePolicy', { RoleName: 'r', PolicyArn: LAMBDA_BASIC });
    expect((await call(ctx, 'GetPolicy', { PolicyArn: LAMBDA_BASIC })).Policy.IsAttachable).toBe(true);
  });

  it('protects IAM’s reserved role paths: no creation there, and such roles are AWS’s to change', async () => {
    const { ctx, store, accountId } = await setup();
    const trust = TRUST_ACCOUNT(accountId);
    for (const [path, message] of [
      [
        '/aws-service-role/ses.amazonaws.com/',
        "Path prefix '/aws-service-role/' can only be used for AWS Service linked Roles",
      ],
      [
        '/aws-reserved/sso.amazonaws.com/',
        "Path prefix '/aws-reserved/' can only be used for AWS reserved roles",
      ],
    ])
      expect(
        await errorOf(
          call(ctx, 'CreateRole', { RoleName: 'x', Path: path, AssumeRolePolicyDocument: trust }),
        ),
      ).toEqual(['InvalidInput', 400, message]);
    await call(ctx, 'CreateRole', {
      RoleName: 'ok',
      Path: '/service-role/',
      AssumeRolePolicyDocument: trust,
    });

    // A role that is already there (an older Sesame accepted the path): readable, never changed.
    await store.db
      .insertInto('iam_roles')
      .values({
        role_id: 'AROAPROTECTEDROLE0001',
        account_id: accountId,
        name: 'AWSReservedSSO_Admin_0123',
        name_lower: 'awsreservedsso_admin_0123',
        path: '/aws-reserved/sso.amazonaws.com/',
        created_at: 0,
        assume_role_policy: trust,
        description: null,
        max_session_duration: 3600,
        permissions_boundary_arn: null,
        last_used_at: null,
        last_used_region: null,
      })
      .execute();
    const RoleName = 'AWSReservedSSO_Admin_0123';
    expect((await call(ctx, 'GetRole', { RoleName })).Role.Path).toBe('/aws-reserved/sso.amazonaws.com/');
    const protectedText = `Cannot perform the operation on the protected role '${RoleName}' - this role is only modifiable by AWS`;
    for (const [op, input] of [
      ['DeleteRole', {}],
      ['UpdateRole', { Description: 'x' }],
      ['UpdateAssumeRolePolicy', { PolicyDocument: trust }],
      ['PutRolePolicy', { PolicyName: 'p', PolicyDocument: allowDoc('ses:*') }],
      ['DeleteRolePolicy', { PolicyName: 'p' }],
      ['AttachRolePolicy', { PolicyArn: SES_FULL }],
      ['DetachRolePolicy', { PolicyArn: SES_FULL }],
      ['PutRolePermissionsBoundary', { PermissionsBoundary: SES_FULL }],
      ['DeleteRolePermissionsBoundary', {}],
    ] as const)
      expect(await errorOf(call(ctx, op, { RoleName, ...input })), op).toEqual([
        'UnmodifiableEntity',
        400,
        protectedText,
      ]);
    expect((await call(ctx, 'ListAttachedRolePolicies', { RoleName })).AttachedPolicies).toEqual([]);
  });
});
