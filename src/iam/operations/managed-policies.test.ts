import { afterAll, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type Store } from '../../store/database.js';
import { encodePolicyDocument } from '../documents.js';
import { allowDoc, call, checksOf, errorOf, testAccount } from '../test-context.js';

describe.each(testDialects())('IAM managed policies (%s)', (dialect) => {
  const stores: Store[] = [];
  afterAll(async () => Promise.all(stores.map((s) => s.close())));
  const setup = async () => {
    const store = await openTestStore(dialect);
    stores.push(store);
    return { store, ...(await testAccount(store)) };
  };

  it('creates and gets a policy; duplicate names are refused', async () => {
    const { ctx, accountId } = await setup();
    const out = await call(ctx, 'CreatePolicy', {
      PolicyName: 'send',
      Path: '/mail/',
      PolicyDocument: allowDoc('ses:SendEmail'),
      Description: 'd',
    });
    expect(out.Policy).toMatchObject({
      PolicyName: 'send',
      Arn: `arn:aws:iam::${accountId}:policy/mail/send`,
      Path: '/mail/',
      DefaultVersionId: 'v1',
      AttachmentCount: 0,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      Description: 'd',
    });
    expect(out.Policy.PolicyId).toMatch(/^ANPA[A-Z2-7]{17}$/);
    expect((await call(ctx, 'GetPolicy', { PolicyArn: out.Policy.Arn })).Policy.PolicyId).toBe(
      out.Policy.PolicyId,
    );
    expect(
      await errorOf(call(ctx, 'CreatePolicy', { PolicyName: 'SEND', PolicyDocument: allowDoc('ses:*') })),
    ).toEqual([
      'EntityAlreadyExists',
      409,
      'A policy called SEND already exists. Duplicate names are not allowed.',
    ]);
    expect(
      await errorOf(call(ctx, 'GetPolicy', { PolicyArn: `arn:aws:iam::${accountId}:policy/nope` })),
    ).toEqual(['NoSuchEntity', 404, `Policy arn:aws:iam::${accountId}:policy/nope was not found.`]);
    expect(
      await errorOf(call(ctx, 'GetPolicy', { PolicyArn: 'arn:aws:iam::policy-without-account' })),
    ).toEqual(['InvalidInput', 400, 'ARN arn:aws:iam::policy-without-account is not valid.']);
    expect(await checksOf(ctx, 'GetPolicy', { PolicyArn: out.Policy.Arn })).toEqual([
      { action: 'iam:GetPolicy', resource: out.Policy.Arn },
    ]);
  });

  it('refuses a managed policy above 6144 characters (LimitExceeded 409)', async () => {
    const { ctx } = await setup();
    const big = allowDoc('ses:SendEmail', `arn:aws:ses:us-east-1:111122223333:identity/${'a'.repeat(6144)}`);
    expect(await errorOf(call(ctx, 'CreatePolicy', { PolicyName: 'big', PolicyDocument: big }))).toEqual([
      'LimitExceeded',
      409,
      'Cannot exceed quota for PolicySize: 6144',
    ]);
  });

  it('keeps at most 5 versions, URL-encodes documents, and guards the default version', async () => {
    const { ctx } = await setup();
    const arn = (
      await call(ctx, 'CreatePolicy', { PolicyName: 'p', PolicyDocument: allowDoc('ses:SendEmail') })
    ).Policy.Arn;
    for (let i = 2; i <= 5; i++) {
      const v = await call(ctx, 'CreatePolicyVersion', {
        PolicyArn: arn,
        PolicyDocument: allowDoc(`ses:Op${i}`),
        SetAsDefault: i === 3,
      });
      expect(v.PolicyVersion).toMatchObject({ VersionId: `v${i}`, IsDefaultVersion: i === 3 });
    }
    expect(
      await errorOf(call(ctx, 'CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: allowDoc('ses:X') })),
    ).toEqual([
      'LimitExceeded',
      409,
      'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
    ]);
    const v3 = await call(ctx, 'GetPolicyVersion', { PolicyArn: arn, VersionId: 'v3' });
    expect(v3.PolicyVersion).toMatchObject({
      Document: encodePolicyDocument(allowDoc('ses:Op3')),
      VersionId: 'v3',
      IsDefaultVersion: true,
    });
    expect(v3.PolicyVersion.Document).toContain('%3A%22ses%3AOp3%22');
    expect((await call(ctx, 'GetPolicy', { PolicyArn: arn })).Policy.DefaultVersionId).toBe('v3');
    const list = await call(ctx, 'ListPolicyVersions', { PolicyArn: arn });
    expect(list.Versions.map((x: { VersionId: string }) => x.VersionId)).toEqual([
      'v5',
      'v4',
      'v3',
      'v2',
      'v1',
    ]);
    expect(list.Versions[0].Document).toBeUndefined();
    expect(await errorOf(call(ctx, 'DeletePolicyVersion', { PolicyArn: arn, VersionId: 'v3' }))).toEqual([
      'DeleteConflict',
      409,
      'Cannot delete the default version of a policy.',
    ]);
    await call(ctx, 'DeletePolicyVersion', { PolicyArn: arn, VersionId: 'v5' });
    // Version numbers are never reused.
    expect(
      (await call(ctx, 'CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: allowDoc('ses:Y') }))
        .PolicyVersion.VersionId,
    ).toBe('v6');
    expect(await errorOf(call(ctx, 'GetPolicyVersion', { PolicyArn: arn, VersionId: 'v5' }))).toEqual([
      'NoSuchEntity',
      404,
      `Policy ${arn} version v5 does not exist or is not attachable.`,
    ]);
    expect((await errorOf(call(ctx, 'GetPolicyVersion', { PolicyArn: arn, VersionId: 'x1' })))[0]).toBe(
      'ValidationError',
    );
    await call(ctx, 'SetDefaultPolicyVersion', { PolicyArn: arn, VersionId: 'v1' });
    expect((await call(ctx, 'GetPolicy', { PolicyArn: arn })).Policy.DefaultVersionId).toBe('v1');
    expect(await errorOf(call(ctx, 'SetDefaultPolicyVersion', { PolicyArn: arn, VersionId: 'v9' }))).toEqual([
      'NoSuchEntity',
      404,
      `Policy ${arn} version v9 does not exist or is not attachable.`,
    ]);
    // A missing policy: the version sentence, not GetPolicy's "was not found" (as AWS answers).
    const gone = arn.replace(/[^/]+$/, 'gone');
    for (const op of ['GetPolicyVersion', 'SetDefaultPolicyVersion'])
      expect(await errorOf(call(ctx, op, { PolicyArn: gone, VersionId: 'v1' })), op).toEqual([
        'NoSuchEntity',
        404,
        `Policy ${gone} version v1 does not exist or is not attachable.`,
      ]);
    expect(await errorOf(call(ctx, 'ListPolicyVersions', { PolicyArn: gone }))).toEqual([
      'NoSuchEntity',
      404,
      `Policy ${gone} was not found.`,
    ]);
  });

  it('lists local policies, OnlyAttached, and refuses to delete an attached or versioned policy', async () => {
    const { ctx } = await setup();
    const a = (await call(ctx, 'CreatePolicy', { PolicyName: 'a', PolicyDocument: allowDoc('ses:*') })).Policy
      .Arn;
    await call(ctx, 'CreatePolicy', { PolicyName: 'b', PolicyDocument: allowDoc('ses:*') });
    await call(ctx, 'CreateUser', { UserName: 'u' });
    await call(ctx, 'AttachUserPolicy', { UserName: 'u', PolicyArn: a });
    const names = (out: { Policies: { PolicyName: string }[] }) => out.Policies.map((p) => p.PolicyName);
    expect(names(await call(ctx, 'ListPolicies', { Scope: 'Local' }))).toEqual(['a', 'b']);
    // AWS managed policies are listed beside the account's own, none of them attached here.
    expect(names(await call(ctx, 'ListPolicies', { Scope: 'AWS', MaxItems: 1000 }))).not.toContain('a');
    expect(names(await call(ctx, 'ListPolicies', { OnlyAttached: true }))).toEqual(['a']);
    expect((await call(ctx, 'ListPolicies', { OnlyAttached: true })).Policies[0].AttachmentCount).toBe(1);
    expect(await errorOf(call(ctx, 'DeletePolicy', { PolicyArn: a }))).toEqual([
      'DeleteConflict',
      409,
      'Cannot delete a policy attached to entities.',
    ]);
    await call(ctx, 'DetachUserPolicy', { UserName: 'u', PolicyArn: a });
    await call(ctx, 'CreatePolicyVersion', { PolicyArn: a, PolicyDocument: allowDoc('ses:Get*') });
    expect((await errorOf(call(ctx, 'DeletePolicy', { PolicyArn: a })))[0]).toBe('DeleteConflict');
    await call(ctx, 'DeletePolicyVersion', { PolicyArn: a, VersionId: 'v2' });
    await call(ctx, 'DeletePolicy', { PolicyArn: a });
    expect(names(await call(ctx, 'ListPolicies', { Scope: 'Local' }))).toEqual(['b']);
  });

  it('ListPolicies takes Scope and PolicyUsageFilter from their enums only, with IAM text otherwise', async () => {
    const { ctx } = await setup();
    await call(ctx, 'CreatePolicy', { PolicyName: 'a', PolicyDocument: allowDoc('ses:*') });
    const names = (out: { Policies: { PolicyName: string }[] }) => out.Policies.map((p) => p.PolicyName);
    for (const input of [
      { Scope: 'Local' },
      { Scope: 'Local', PolicyUsageFilter: 'PermissionsPolicy' },
      { Scope: 'Local', PolicyUsageFilter: 'PermissionsBoundary' },
    ])
      expect(names(await call(ctx, 'ListPolicies', input))).toEqual(['a']);
    const bad: [Record<string, string>, string][] = [
      [
        { Scope: 'local' },
        "1 validation error detected: Value 'local' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]",
      ],
      [
        { Scope: '' },
        "1 validation error detected: Value '' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]",
      ],
      [
        { PolicyUsageFilter: 'Boundary' },
        "1 validation error detected: Value 'Boundary' at 'policyUsageFilter' failed to satisfy constraint: Member must satisfy enum value set: [PermissionsPolicy, PermissionsBoundary]",
      ],
    ];
    for (const [input, message] of bad)
      expect(await errorOf(call(ctx, 'ListPolicies', input))).toEqual(['ValidationError', 400, message]);
  });
});
