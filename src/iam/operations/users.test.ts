import { afterAll, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type Store } from '../../store/database.js';
import { call, checksOf, errorOf, testAccount, testContext } from '../test-context.js';
import { userCaller } from '../principals.js';

describe.each(testDialects())('IAM users (%s)', (dialect) => {
  const stores: Store[] = [];
  afterAll(async () => Promise.all(stores.map((s) => s.close())));
  const setup = async () => {
    const store = await openTestStore(dialect);
    stores.push(store);
    return { store, ...(await testAccount(store)) };
  };

  it('creates a user with path and tags, and gets it back', async () => {
    const { ctx } = await setup();
    const out = await call(ctx, 'CreateUser', {
      UserName: 'alice',
      Path: '/eng/',
      Tags: [{ Key: 'team', Value: 'mail' }],
    });
    expect(out.User).toMatchObject({
      UserName: 'alice',
      Path: '/eng/',
      Arn: 'arn:aws:iam::111122223333:user/eng/alice',
      Tags: [{ Key: 'team', Value: 'mail' }],
    });
    expect(out.User.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    expect(out.User.CreateDate).toBeInstanceOf(Date);
    const got = await call(ctx, 'GetUser', { UserName: 'ALICE' });
    expect(got.User.UserName).toBe('alice');
    expect(got.User.UserId).toBe(out.User.UserId);
  });

  it('refuses a duplicate name case-insensitively with EntityAlreadyExists 409', async () => {
    const { ctx } = await setup();
    await call(ctx, 'CreateUser', { UserName: 'Bob' });
    expect(await errorOf(call(ctx, 'CreateUser', { UserName: 'bob' }))).toEqual([
      'EntityAlreadyExists',
      409,
      'User with name bob already exists.',
    ]);
  });

  it('answers NoSuchEntity 404 for an unknown user', async () => {
    const { ctx } = await setup();
    expect(await errorOf(call(ctx, 'GetUser', { UserName: 'ghost' }))).toEqual([
      'NoSuchEntity',
      404,
      'The user with name ghost cannot be found.',
    ]);
  });

  it('validates names and paths with AWS ValidationError wording', async () => {
    const { ctx } = await setup();
    expect(await errorOf(call(ctx, 'CreateUser', { UserName: 'bad name' }))).toEqual([
      'ValidationError',
      400,
      "1 validation error detected: Value 'bad name' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
    ]);
    expect((await errorOf(call(ctx, 'CreateUser', { UserName: 'a'.repeat(65) })))[2]).toContain(
      'Member must have length less than or equal to 64',
    );
    expect((await errorOf(call(ctx, 'CreateUser', { UserName: 'x', Path: 'eng' })))[0]).toBe(
      'ValidationError',
    );
    expect((await errorOf(call(ctx, 'CreateUser', {})))[2]).toBe(
      "1 validation error detected: Value 'null' at 'userName' failed to satisfy constraint: Member must not be null",
    );
  });

  it('GetUser without UserName returns the caller: root, or the IAM user itself', async () => {
    const { store, ctx, accountId } = await setup();
    const root = await call(ctx, 'GetUser', {});
    expect(root.User).toMatchObject({ UserId: accountId, Arn: `arn:aws:iam::${accountId}:root` });
    expect(root.User.UserName).toBeUndefined();
    await call(ctx, 'CreateUser', { UserName: 'carol' });
    const row = await store.db
      .selectFrom('iam_users')
      .selectAll()
      .where('name', '=', 'carol')
      .executeTakeFirstOrThrow();
    const carol = testContext(store, await userCaller(store.db, row, 'AKIAEXAMPLE', false));
    expect((await call(carol, 'GetUser', {})).User.UserName).toBe('carol');
  });

  it('lists users by path prefix, in name order, with Marker/MaxItems paging', async () => {
    const { ctx } = await setup();
    for (const n of ['dave', 'Ann', 'carl', 'bea'])
      await call(ctx, 'CreateUser', { UserName: n, Path: n === 'dave' ? '/ops/' : '/' });
    const p1 = await call(ctx, 'ListUsers', { MaxItems: 2 });
    expect(p1.Users.map((u: { UserName: string }) => u.UserName)).toEqual(['Ann', 'bea']);
    expect(p1.IsTruncated).toBe(true);
    const p2 = await call(ctx, 'ListUsers', { MaxItems: 2, Marker: p1.Marker });
    expect(p2.Users.map((u: { UserName: string }) => u.UserName)).toEqual(['carl', 'dave']);
    expect(p2.IsTruncated).toBe(false);
    expect(p2.Marker).toBeUndefined();
    const ops = await call(ctx, 'ListUsers', { PathPrefix: '/ops/' });
    expect(ops.Users.map((u: { UserName: string }) => u.UserName)).toEqual(['dave']);
    expect((await errorOf(call(ctx, 'ListUsers', { MaxItems: 1001 })))[0]).toBe('ValidationError');
  });

  it('renames and moves a user; refuses a rename onto an existing name', async () => {
    const { ctx } = await setup();
    await call(ctx, 'CreateUser', { UserName: 'erin' });
    await call(ctx, 'CreateUser', { UserName: 'frank' });
    await call(ctx, 'UpdateUser', { UserName: 'erin', NewUserName: 'erin2', NewPath: '/x/' });
    expect((await call(ctx, 'GetUser', { UserName: 'erin2' })).User.Arn).toBe(
      'arn:aws:iam::111122223333:user/x/erin2',
    );
    expect(await errorOf(call(ctx, 'UpdateUser', { UserName: 'erin2', NewUserName: 'FRANK' }))).toEqual([
      'EntityAlreadyExists',
      409,
      'User with name FRANK already exists.',
    ]);
  });

  it('DeleteUser refuses while keys, policies or groups remain (DeleteConflict 409), then deletes', async () => {
    const { ctx } = await setup();
    await call(ctx, 'CreateUser', { UserName: 'gus' });
    const key = await call(ctx, 'CreateAccessKey', { UserName: 'gus' });
    expect(await errorOf(call(ctx, 'DeleteUser', { UserName: 'gus' }))).toEqual([
      'DeleteConflict',
      409,
      'Cannot delete entity, must delete access keys first.',
    ]);
    await call(ctx, 'DeleteAccessKey', { UserName: 'gus', AccessKeyId: key.AccessKey.AccessKeyId });
    await call(ctx, 'PutUserPolicy', {
      UserName: 'gus',
      PolicyName: 'p',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'ses:*', Resource: '*' }],
      }),
    });
    expect((await errorOf(call(ctx, 'DeleteUser', { UserName: 'gus' })))[2]).toBe(
      'Cannot delete entity, must delete policies first.',
    );
    await call(ctx, 'DeleteUserPolicy', { UserName: 'gus', PolicyName: 'p' });
    await call(ctx, 'CreateGroup', { GroupName: 'g' });
    await call(ctx, 'AddUserToGroup', { GroupName: 'g', UserName: 'gus' });
    expect((await errorOf(call(ctx, 'DeleteUser', { UserName: 'gus' })))[2]).toBe(
      'Cannot delete entity, must remove user from all groups first.',
    );
    await call(ctx, 'RemoveUserFromGroup', { GroupName: 'g', UserName: 'gus' });
    await call(ctx, 'DeleteUser', { UserName: 'gus' });
    expect((await errorOf(call(ctx, 'GetUser', { UserName: 'gus' })))[0]).toBe('NoSuchEntity');
  });

  it('declares checks on the user ARN with path, tags and requested boundary', async () => {
    const { ctx } = await setup();
    expect(
      await checksOf(ctx, 'CreateUser', { UserName: 'h', Path: '/p/', Tags: [{ Key: 'k', Value: 'v' }] }),
    ).toEqual([
      {
        action: 'iam:CreateUser',
        resource: 'arn:aws:iam::111122223333:user/p/h',
        context: { 'aws:TagKeys': ['k'], 'aws:RequestTag/k': 'v' },
      },
    ]);
    await call(ctx, 'CreateUser', { UserName: 'h', Path: '/p/', Tags: [{ Key: 'k', Value: 'v' }] });
    expect(await checksOf(ctx, 'DeleteUser', { UserName: 'h' })).toEqual([
      {
        action: 'iam:DeleteUser',
        resource: 'arn:aws:iam::111122223333:user/p/h',
        context: { 'aws:ResourceTag/k': 'v' },
      },
    ]);
    expect(await checksOf(ctx, 'ListUsers', {})).toEqual([
      { action: 'iam:ListUsers', resource: 'arn:aws:iam::111122223333:user/' },
    ]);
    expect(await checksOf(ctx, 'ListUsers', { PathPrefix: '/ops/' })).toEqual([
      { action: 'iam:ListUsers', resource: 'arn:aws:iam::111122223333:user/ops/' },
    ]);
  });
});
