import { afterAll, describe, expect, it } from 'vitest';
import { call, errorOf, testAccount, testContext } from '../iam/test-context.js';
import { userCaller } from '../iam/principals.js';
import { openTestStore, testDialects, type Store } from '../store/database.js';
import { sim } from './test-support.js';
import type { EvaluationResult, SimulatorStatement } from './results.js';

const A = '111122223333';
const B = '444455556666';

// Statement 0 spans lines 4-9, statement 1 lines 10-14 (column 5 is each brace).
const SEND_NOT_RAW = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Send",
      "Effect": "Allow",
      "Action": ["ses:SendEmail", "ses:SendRawEmail"],
      "Resource": "*"
    },
    {
      "Effect": "Deny",
      "Action": "ses:SendRawEmail",
      "Resource": "*"
    }
  ]
}`;
const FIRST = { StartPosition: { Line: 4, Column: 5 }, EndPosition: { Line: 9, Column: 5 } };
const SECOND = { StartPosition: { Line: 10, Column: 5 }, EndPosition: { Line: 14, Column: 5 } };

const FROM_ONLY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: 'ses:SendEmail',
      Resource: '*',
      Condition: { StringEquals: { 'ses:FromAddress': 'noreply@example.com' } },
    },
  ],
});

const allow = (action: string, resource = '*') =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: action, Resource: resource }],
  });

describe.each(testDialects())('IAM policy simulator (%s)', (dialect) => {
  const stores: Store[] = [];
  afterAll(async () => Promise.all(stores.map((s) => s.close())));
  const setup = async () => {
    const store = await openTestStore(dialect);
    stores.push(store);
    return { store, ...(await testAccount(store, A)) };
  };

  it('SimulateCustomPolicy: allowed, explicitDeny (only the deny statement) and implicitDeny, with positions', async () => {
    const { ctx } = await setup();
    const out = await sim(ctx, 'SimulateCustomPolicy', {
      PolicyInputList: [SEND_NOT_RAW],
      ActionNames: ['ses:SendEmail', 'ses:SendRawEmail', 'ses:SendTemplatedEmail'],
    });
    expect(out.IsTruncated).toBe(false);
    expect(out.Marker).toBeUndefined();
    // AWS's members here; Sesame's SesameExplanation has its own tests (explanation.test.ts).
    expect(out.EvaluationResults.map(({ SesameExplanation: _, ...aws }) => aws)).toEqual([
      {
        EvalActionName: 'ses:SendEmail',
        EvalResourceName: '*',
        EvalDecision: 'allowed',
        MatchedStatements: [{ SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'none', ...FIRST }],
        MissingContextValues: [],
      },
      {
        EvalActionName: 'ses:SendRawEmail',
        EvalResourceName: '*',
        EvalDecision: 'explicitDeny',
        MatchedStatements: [{ SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'none', ...SECOND }],
        MissingContextValues: [],
      },
      {
        EvalActionName: 'ses:SendTemplatedEmail',
        EvalResourceName: '*',
        EvalDecision: 'implicitDeny',
        MatchedStatements: [],
        MissingContextValues: [],
      },
    ]);
  });

  it('reports MissingContextValues, and evaluates typed ContextEntries', async () => {
    const { ctx } = await setup();
    const run = (extra: Record<string, unknown>) =>
      sim(ctx, 'SimulateCustomPolicy', {
        PolicyInputList: [FROM_ONLY],
        ActionNames: ['ses:SendEmail'],
        ...extra,
      });
    const missing = (await run({})).EvaluationResults[0]!;
    expect([missing.EvalDecision, missing.MissingContextValues]).toEqual([
      'implicitDeny',
      ['ses:FromAddress'],
    ]);
    const entry = (v: string) => ({
      ContextEntries: [
        { ContextKeyName: 'ses:FromAddress', ContextKeyValues: [v], ContextKeyType: 'string' },
      ],
    });
    const ok = (await run(entry('noreply@example.com'))).EvaluationResults[0]!;
    expect([ok.EvalDecision, ok.MissingContextValues]).toEqual(['allowed', []]);
    expect((await run(entry('other@example.com'))).EvaluationResults[0]!.EvalDecision).toBe('implicitDeny');
    // With a resource ARN the missing keys move under ResourceSpecificResults.
    const identity = `arn:aws:ses:us-east-1:${A}:identity/example.com`;
    const perResource = (await run({ ResourceArns: [identity] })).EvaluationResults[0]!;
    expect(perResource).toMatchObject({
      EvalResourceName: identity,
      EvalDecision: 'implicitDeny',
      MissingContextValues: [],
      EvalDecisionDetails: {},
    });
    expect(perResource.ResourceSpecificResults).toEqual([
      {
        EvalResourceName: identity,
        EvalResourceDecision: 'implicitDeny',
        MatchedStatements: [],
        MissingContextValues: ['ses:FromAddress'],
        EvalDecisionDetails: {},
      },
    ]);
    expect(
      await errorOf(
        run({
          ContextEntries: [
            { ContextKeyName: 'ses:FromAddress', ContextKeyValues: ['a'], ContextKeyType: 'text' },
          ],
        }),
      ),
    ).toEqual([
      'ValidationError',
      400,
      "1 validation error detected: Value 'text' at 'contextEntries.1.member.contextKeyType' failed to satisfy constraint: Member must satisfy enum value set: [string, stringList, numeric, numericList, boolean, booleanList, ip, ipList, binary, binaryList, date, dateList]",
    ]);
    const recipients = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'ses:SendEmail',
          Resource: '*',
          Condition: { 'ForAllValues:StringLike': { 'ses:Recipients': ['*@example.com'] } },
        },
      ],
    });
    const list = (values: string[]) =>
      sim(ctx, 'SimulateCustomPolicy', {
        PolicyInputList: [recipients],
        ActionNames: ['ses:SendEmail'],
        ContextEntries: [
          { ContextKeyName: 'ses:Recipients', ContextKeyValues: values, ContextKeyType: 'stringList' },
        ],
      });
    expect((await list(['a@example.com', 'b@example.com'])).EvaluationResults[0]!.EvalDecision).toBe(
      'allowed',
    );
    expect((await list(['a@example.com', 'b@elsewhere.org'])).EvaluationResults[0]!.EvalDecision).toBe(
      'implicitDeny',
    );
  });

  it('SimulatePrincipalPolicy: a user’s inline, managed and group policies, named as AWS names them', async () => {
    const { ctx } = await setup();
    await call(ctx, 'CreateUser', { UserName: 'alice' });
    await call(ctx, 'PutUserPolicy', {
      UserName: 'alice',
      PolicyName: 'SendOnly',
      PolicyDocument: allow('ses:SendEmail'),
    });
    const managed = await call(ctx, 'CreatePolicy', {
      PolicyName: 'Quota',
      PolicyDocument: allow('ses:GetSendQuota'),
    });
    await call(ctx, 'AttachUserPolicy', { UserName: 'alice', PolicyArn: managed.Policy.Arn });
    await call(ctx, 'CreateGroup', { GroupName: 'readers' });
    await call(ctx, 'AddUserToGroup', { GroupName: 'readers', UserName: 'alice' });
    await call(ctx, 'PutGroupPolicy', {
      GroupName: 'readers',
      PolicyName: 'Identities',
      PolicyDocument: allow('ses:ListIdentities'),
    });
    const out = await sim(ctx, 'SimulatePrincipalPolicy', {
      PolicySourceArn: `arn:aws:iam::${A}:user/alice`,
      ActionNames: ['ses:SendEmail', 'ses:GetSendQuota', 'ses:ListIdentities', 'ses:DeleteIdentity'],
      PolicyInputList: [allow('ses:DeleteIdentity')],
    });
    const brief = out.EvaluationResults.map((r: EvaluationResult) => [
      r.EvalDecision,
      r.MatchedStatements.map((m: SimulatorStatement) => `${m.SourcePolicyType}:${m.SourcePolicyId}`),
    ]);
    expect(brief).toEqual([
      ['allowed', ['user:SendOnly']],
      ['allowed', ['user-managed:Quota']],
      ['allowed', ['group:Identities']],
      ['allowed', ['none:PolicyInputList.1']],
    ]);
    expect(out.EvaluationResults[0]!.MatchedStatements[0]!.StartPosition).toEqual({ Line: 1, Column: 38 });
  });

  it('applies the entity’s permissions boundary, or the one given in PermissionsBoundaryPolicyInputList', async () => {
    const { ctx } = await setup();
    await call(ctx, 'CreateUser', { UserName: 'bob' });
    await call(ctx, 'PutUserPolicy', { UserName: 'bob', PolicyName: 'all', PolicyDocument: allow('ses:*') });
    const b = await call(ctx, 'CreatePolicy', {
      PolicyName: 'Boundary',
      PolicyDocument: allow('ses:SendEmail'),
    });
    await call(ctx, 'PutUserPermissionsBoundary', { UserName: 'bob', PermissionsBoundary: b.Policy.Arn });
    const run = (extra: Record<string, unknown> = {}) =>
      sim(ctx, 'SimulatePrincipalPolicy', {
        PolicySourceArn: `arn:aws:iam::${A}:user/bob`,
        ActionNames: ['ses:SendEmail', 'ses:SendRawEmail'],
        ...extra,
      });
    const [send, raw] = (await run()).EvaluationResults as [EvaluationResult, EvaluationResult];
    expect([send.EvalDecision, send.PermissionsBoundaryDecisionDetail]).toEqual([
      'allowed',
      { AllowedByPermissionsBoundary: true },
    ]);
    expect([raw.EvalDecision, raw.PermissionsBoundaryDecisionDetail]).toEqual([
      'implicitDeny',
      { AllowedByPermissionsBoundary: false },
    ]);
    const [send2, raw2] = (await run({ PermissionsBoundaryPolicyInputList: [allow('ses:SendRawEmail')] }))
      .EvaluationResults as [EvaluationResult, EvaluationResult];
    expect([send2.EvalDecision, raw2.EvalDecision]).toEqual(['implicitDeny', 'allowed']);
  });

  it('simulates a role’s policies, and answers NoSuchEntity for an unknown entity', async () => {
    const { ctx } = await setup();
    await call(ctx, 'CreateRole', {
      RoleName: 'mailer',
      Path: '/svc/',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'sts:AssumeRole' },
        ],
      }),
    });
    await call(ctx, 'PutRolePolicy', {
      RoleName: 'mailer',
      PolicyName: 'Send',
      PolicyDocument: allow('ses:SendRawEmail'),
    });
    const out = await sim(ctx, 'SimulatePrincipalPolicy', {
      PolicySourceArn: `arn:aws:iam::${A}:role/svc/mailer`,
      ActionNames: ['ses:SendRawEmail'],
    });
    expect(out.EvaluationResults[0]!).toMatchObject({
      EvalDecision: 'allowed',
      MatchedStatements: [{ SourcePolicyId: 'Send', SourcePolicyType: 'role' }],
    });
    expect(
      await errorOf(
        sim(ctx, 'SimulatePrincipalPolicy', {
          PolicySourceArn: `arn:aws:iam::${A}:user/ghost`,
          ActionNames: ['ses:SendEmail'],
        }),
      ),
    ).toEqual(['NoSuchEntity', 404, 'The user with name ghost cannot be found.']);
  });

  it('a resource policy across accounts: both sides must allow; EvalDecisionDetails tells each side', async () => {
    const { ctx } = await setup();
    const identity = `arn:aws:ses:us-east-1:${B}:identity/partner.example`;
    const resourcePolicy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${A}:user/carol` },
          Action: 'ses:SendEmail',
          Resource: identity,
        },
      ],
    });
    const run = (policies: string[]) =>
      sim(ctx, 'SimulateCustomPolicy', {
        PolicyInputList: policies,
        ActionNames: ['ses:SendEmail'],
        ResourceArns: [identity],
        ResourcePolicy: resourcePolicy,
        ResourceOwner: `arn:aws:iam::${B}:root`,
        CallerArn: `arn:aws:iam::${A}:user/carol`,
      });
    const both = (await run([allow('ses:SendEmail')])).EvaluationResults[0]!;
    expect([both.EvalDecision, both.EvalDecisionDetails]).toEqual([
      'allowed',
      { 'IAM Policy': 'allowed', 'Resource Policy': 'allowed' },
    ]);
    expect(both.MatchedStatements.map((m: SimulatorStatement) => m.SourcePolicyType).sort()).toEqual([
      'none',
      'resource',
    ]);
    const oneSide = (await run([allow('ses:GetSendQuota')])).EvaluationResults[0]!;
    expect([oneSide.EvalDecision, oneSide.EvalDecisionDetails]).toEqual([
      'implicitDeny',
      { 'IAM Policy': 'implicitDeny', 'Resource Policy': 'allowed' },
    ]);
  });

  it('pages with MaxItems and Marker', async () => {
    const { ctx } = await setup();
    const input = {
      PolicyInputList: [SEND_NOT_RAW],
      ActionNames: ['ses:SendEmail', 'ses:SendRawEmail', 'ses:ListIdentities'],
      MaxItems: 2,
    };
    const p1 = await sim(ctx, 'SimulateCustomPolicy', input);
    expect([p1.EvaluationResults.length, p1.IsTruncated, typeof p1.Marker]).toEqual([2, true, 'string']);
    const p2 = await sim(ctx, 'SimulateCustomPolicy', { ...input, Marker: p1.Marker });
    expect(p2.EvaluationResults.map((r: EvaluationResult) => r.EvalActionName)).toEqual([
      'ses:ListIdentities',
    ]);
    expect(p2.IsTruncated).toBe(false);
  });

  it('is authorized as iam:SimulatePrincipalPolicy on the source ARN and iam:SimulateCustomPolicy on *', async () => {
    const { store, ctx } = await setup();
    await call(ctx, 'CreateUser', { UserName: 'dan' });
    await call(ctx, 'PutUserPolicy', {
      UserName: 'dan',
      PolicyName: 'sim',
      PolicyDocument: allow('iam:SimulatePrincipalPolicy', `arn:aws:iam::${A}:user/dan`),
    });
    const row = await store.db
      .selectFrom('iam_users')
      .selectAll()
      .where('name', '=', 'dan')
      .executeTakeFirstOrThrow();
    const dan = testContext(store, await userCaller(store.db, row, 'AKIADAN0000000000000', false));
    const self = await sim(dan, 'SimulatePrincipalPolicy', {
      PolicySourceArn: `arn:aws:iam::${A}:user/dan`,
      ActionNames: ['iam:SimulatePrincipalPolicy'],
    });
    expect(self.EvaluationResults[0]!.EvalDecision).toBe('implicitDeny'); // resource '*' is not dan's ARN
    await call(ctx, 'CreateUser', { UserName: 'eve' });
    expect(
      await errorOf(
        sim(dan, 'SimulatePrincipalPolicy', {
          PolicySourceArn: `arn:aws:iam::${A}:user/eve`,
          ActionNames: ['ses:SendEmail'],
        }),
      ),
    ).toEqual([
      'AccessDenied',
      403,
      `User: arn:aws:iam::${A}:user/dan is not authorized to perform: iam:SimulatePrincipalPolicy on resource: arn:aws:iam::${A}:user/eve because no identity-based policy allows the iam:SimulatePrincipalPolicy action`,
    ]);
    expect(
      (
        await errorOf(
          sim(dan, 'SimulateCustomPolicy', {
            PolicyInputList: [SEND_NOT_RAW],
            ActionNames: ['ses:SendEmail'],
          }),
        )
      )[2],
    ).toBe(
      `User: arn:aws:iam::${A}:user/dan is not authorized to perform: iam:SimulateCustomPolicy on resource: * because no identity-based policy allows the iam:SimulateCustomPolicy action`,
    );
  });
});
