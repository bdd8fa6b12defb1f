import { afterAll, describe, expect, it } from 'vitest';
import { openTestStore, testDialects, type Store } from '../../store/database.js';
import { allowDoc, call, checksOf, errorOf, testAccount } from '../test-context.js';

describe.each(testDialects())('IAM groups (%s)', (dialect) => {
  const stores: Store[] = [];
  afterAll(async () => Promise.all(stores.map((s) => s.close())));
  const setup = async () => {
    const store = await openTestStore(dialect);
    stores.push(store);
    return { store, ...(await testAccount(store)) };
  };

  it('creates, gets with members, lists and lists per user', async () => {
    const { ctx } = await setup();
    const g = await call(ctx, 'CreateGroup', { GroupName: 'devs', Path: '/eng/' });
    expect(g.Group).toMatchObject({
      GroupName: 'devs',
      Path: '/eng/',
      Arn: 'arn:aws:iam::111122223333:group/eng/devs',
    });
    expect(g.Group.GroupId).toMatch(/^AGPA[A-Z2-7]{17}$/);
    await call(ctx, 'CreateGroup', { GroupName: 'ops' });
    await call(ctx, 'CreateUser', { UserName: 'alice' });
    await call(ctx, 'AddUserToGroup', { GroupName: 'devs', UserName: 'alice' });
    await call(ctx, 'AddUserToGroup', { GroupName: 'devs', UserName: 'alice' }); // idempotent
    const got = await call(ctx, 'GetGroup', { GroupName: 'devs' });
    expect(got.Users.map((u: { UserName: string }) => u.UserName)).toEqual(['alice']);
    expect(got.IsTruncated).toBe(false);
    expect((await call(ctx, 'ListGroups', {})).Groups.map((x: { GroupName: string }) => x.GroupName)).toEqual(
      ['devs', 'ops'],
    );
    expect((await call(ctx, 'ListGroups', { PathPrefix: '/eng' })).Groups).toHaveLength(1);
    expect(
      (await call(ctx, 'ListGroupsForUser', { UserName: 'alice' })).Groups.map(
        (x: { GroupName: string }) => x.GroupName,
      ),
    ).toEqual(['devs']);
    expect(await checksOf(ctx, 'AddUserToGroup', { GroupName: 'devs', UserName: 'alice' })).toEqual([
      { action: 'iam:AddUserToGroup', resource: 'arn:aws:iam::111122223333:group/eng/devs' },
    ]);
  });

  it('answers AWS errors for duplicates, unknown groups and the 10-groups quota', async () => {
    const { ctx } = await setup();
    await call(ctx, 'CreateGroup', { GroupName: 'Devs' });
    expect(await errorOf(call(ctx, 'CreateGroup', { GroupName: 'devs' }))).toEqual([
      'EntityAlreadyExists',
      409,
      'Group with name devs already exists.',
    ]);
    expect(await errorOf(call(ctx, 'GetGroup', { GroupName: 'nope' }))).toEqual([
      'NoSuchEntity',
      404,
      'The group with name nope cannot be found.',
    ]);
    await call(ctx, 'CreateUser', { UserName: 'u' });
    for (let i = 0; i < 10; i++) {
      await call(ctx, 'CreateGroup', { GroupName: `g${i}` });
      await call(ctx, 'AddUserToGroup', { GroupName: `g${i}`, UserName: 'u' });
    }
    expect(await errorOf(call(ctx, 'AddUserToGroup', { GroupName: 'Devs', UserName: 'u' }))).toEqual([
      'LimitExceeded',
      409,
      'Cannot exceed quota for GroupsPerUser: 10',
    ]);
  });

  it('DeleteGroup refuses members and policies (DeleteConflict 409)', async () => {
    const { ctx } = await setup();
    await call(ctx, 'CreateGroup', { GroupName: 'g' });
    await call(ctx, 'CreateUser', { UserName: 'u' });
    await call(ctx, 'AddUserToGroup', { GroupName: 'g', UserName: 'u' });
    expect(await errorOf(call(ctx, 'DeleteGroup', { GroupName: 'g' }))).toEqual([
      'DeleteConflict',
      409,
      'Cannot delete entity, must remove users from group first.',
    ]);
    await call(ctx, 'RemoveUserFromGroup', { GroupName: 'g', UserName: 'u' });
    expect((await errorOf(call(ctx, 'RemoveUserFromGroup', { GroupName: 'g', UserName: 'u' })))[0]).toBe(
      'NoSuchEntity',
    );
    await call(ctx, 'PutGroupPolicy', { GroupName: 'g', PolicyName: 'p', PolicyDocument: allowDoc('ses:*') });
    expect((await errorOf(call(ctx, 'DeleteGroup', { GroupName: 'g' })))[2]).toBe(
      'Cannot delete entity, must delete policies first.',
    );
    await call(ctx, 'DeleteGroupPolicy', { GroupName: 'g', PolicyName: 'p' });
    await call(ctx, 'DeleteGroup', { GroupName: 'g' });
    expect((await errorOf(call(ctx, 'GetGroup', { GroupName: 'g' })))[0]).toBe('NoSuchEntity');
  });
});
