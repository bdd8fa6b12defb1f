import { afterAll, describe, expect, it } from 'vitest';
import { decide } from '../authz/index.js';
import { call } from '../iam/test-context.js';
import { hashSessionToken } from '../iam/secrets.js';
import { openTestStore, testDialects, type Store } from '../store/database.js';
import {
  NOW,
  errorOf,
  newRole,
  newUser,
  policy,
  sessionCaller,
  setupAccounts,
  sts,
  testContext,
  trust,
} from './test-support.js';

const A = '111122223333';
const B = '444455556666';
const denied = (caller: string, action: string, resource: string) => [
  'AccessDenied',
  403,
  `User: ${caller} is not authorized to perform: ${action} on resource: ${resource}`,
];

describe.each(testDialects())('AssumeRole (%s)', (dialect) => {
  const stores: Store[] = [];
  afterAll(async () => Promise.all(stores.map((s) => s.close())));
  const setup = async () => {
    const store = await openTestStore(dialect);
    stores.push(store);
    return { store, ...(await setupAccounts(store)) };
  };

  it('a trust policy naming the user allows it without any identity policy, and issues AWS-shaped credentials', async () => {
    const { store, a } = await setup();
    const alice = await newUser(a, store, 'alice');
    const roleArn = await newRole(a, 'mailer', trust({ AWS: `arn:aws:iam::${A}:user/alice` }));
    const out = await sts(alice, 'AssumeRole', { RoleArn: roleArn, RoleSessionName: 'job-1' });
    const c = out.Credentials;
    expect(c.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(c.SecretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(c.SessionToken.length).toBeGreaterThan(400);
    expect(c.Expiration).toEqual(new Date(NOW.getTime() + 3600_000));
    const role = await store.db
      .selectFrom('iam_roles')
      .selectAll()
      .where('name', '=', 'mailer')
      .executeTakeFirstOrThrow();
    expect(out.AssumedRoleUser).toEqual({
      AssumedRoleId: `${role.role_id}:job-1`,
      Arn: `arn:aws:sts::${A}:assumed-role/mailer/job-1`,
    });
    expect(out.PackedPolicySize).toBeUndefined();
    const row = await store.db
      .selectFrom('iam_sessions')
      .selectAll()
      .where('access_key_id', '=', c.AccessKeyId)
      .executeTakeFirstOrThrow();
    expect(row.session_token_hash).toBe(hashSessionToken(c.SessionToken));
    expect(row.secret_sealed).not.toContain(c.SecretAccessKey);
    expect(JSON.stringify(row)).not.toContain(c.SessionToken);
    expect(row).toMatchObject({
      kind: 'role',
      role_id: role.role_id,
      session_name: 'job-1',
      session_policy: null,
    });
    expect(role.last_used_at).toBe(NOW.getTime());
  });

  it('a trust policy naming the account also needs the identity policy to allow', async () => {
    const { store, a } = await setup();
    const roleArn = await newRole(a, 'r', trust({ AWS: `arn:aws:iam::${A}:root` }));
    const bob = await newUser(a, store, 'bob');
    expect(await errorOf(sts(bob, 'AssumeRole', { RoleArn: roleArn, RoleSessionName: 's1' }))).toEqual(
      denied(`arn:aws:iam::${A}:user/bob`, 'sts:AssumeRole', roleArn),
    );
    const carol = await newUser(a, store, 'carol', policy('sts:AssumeRole', roleArn));
    const out = await sts(carol, 'AssumeRole', { RoleArn: roleArn, RoleSessionName: 's1' });
    expect(out.AssumedRoleUser.Arn).toBe(`arn:aws:sts::${A}:assumed-role/r/s1`);
  });

  it('denies with STS’s sentence when the trust policy does not name the caller, even if its policies allow', async () => {
    const { store, a } = await setup();
    await newUser(a, store, 'someone');
    const roleArn = await newRole(a, 'r', trust({ AWS: `arn:aws:iam::${A}:user/someone` }));
    const dave = await newUser(a, store, 'dave', policy('sts:AssumeRole'));
    expect(await errorOf(sts(dave, 'AssumeRole', { RoleArn: roleArn, RoleSessionName: 'x1' }))).toEqual(
      denied(`arn:aws:iam::${A}:user/dave`, 'sts:AssumeRole', roleArn),
    );
    expect(dave.audit.decision).toBe('ImplicitDeny');
  });

  it('answers AccessDenied for a role that does not exist (existence is not revealed)', async () => {
    const { store, a } = await setup();
    const erin = await newUser(a, store, 'erin', policy('sts:AssumeRole'));
    const ghost = `arn:aws:iam::${A}:role/ghost`;
    expect(await errorOf(sts(erin, 'AssumeRole', { RoleArn: ghost, RoleSessionName: 'x1' }))).toEqual(
      denied(`arn:aws:iam::${A}:user/erin`, 'sts:AssumeRole', ghost),
    );
    // A wrong path is another role.
    await newRole(a, 'pathed', trust({ AWS: `arn:aws:iam::${A}:root` }), { Path: '/ops/' });
    const wrongPath = `arn:aws:iam::${A}:role/pathed`;
    expect((await errorOf(sts(erin, 'AssumeRole', { RoleArn: wrongPath, RoleSessionName: 'x1' })))[0]).toBe(
      'AccessDenied',
    );
    const ok = await sts(erin, 'AssumeRole', {
      RoleArn: `arn:aws:iam::${A}:role/ops/pathed`,
      RoleSessionName: 'x1',
    });
    expect(ok.AssumedRoleUser.Arn).toBe(`arn:aws:sts::${A}:assumed-role/pathed/x1`);
  });

  it('matches the ExternalId condition, and denies a wrong or missing one', async () => {
    const { store, a } = await setup();
    const roleArn = await newRole(
      a,
      'vendor',
      trust({ AWS: `arn:aws:iam::${A}:root` }, 'sts:AssumeRole', {
        StringEquals: { 'sts:ExternalId': 'Unique-42' },
      }),
    );
    const u = await newUser(a, store, 'u', policy('sts:AssumeRole'));
    const arn = `arn:aws:iam::${A}:user/u`;
    expect(
      (await sts(u, 'AssumeRole', { RoleArn: roleArn, RoleSessionName: 'v1', ExternalId: 'Unique-42' }))
        .Credentials,
    ).toBeDefined();
    expect(
      await errorOf(
        sts(u, 'AssumeRole', { RoleArn: roleArn, RoleSessionName: 'v1', ExternalId: 'unique-42' }),
      ),
    ).toEqual(denied(arn, 'sts:AssumeRole', roleArn));
    expect(await errorOf(sts(u, 'AssumeRole', { RoleArn: roleArn, RoleSessionName: 'v1' }))).toEqual(
      denied(arn, 'sts:AssumeRole', roleArn),
    );
    expect(
      (
        await errorOf(sts(u, 'AssumeRole', { RoleArn: roleArn, RoleSessionName: 'v1', ExternalId: 'a b' }))
      )[2],
    ).toBe(
      "1 validation error detected: Value 'a b' at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*",
    );
  });

  it('checks RoleSessionName and DurationSeconds with AWS’s wording', async () => {
    const { store, a } = await setup();
    const f = await newUser(a, store, 'f');
    const roleArn = await newRole(a, 'r', trust({ AWS: `arn:aws:iam::${A}:user/f` }), {
      MaxSessionDuration: 7200,
    });
    const go = (extra: Record<string, unknown>) =>
      sts(f, 'AssumeRole', { RoleArn: roleArn, RoleSessionName: 'ok', ...extra });
    expect(await errorOf(go({ RoleSessionName: 'bad name' }))).toEqual([
      'ValidationError',
      400,
      "1 validation error detected: Value 'bad name' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    ]);
    expect((await errorOf(go({ RoleSessionName: 'a' })))[2]).toBe(
      "1 validation error detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
    );
    expect((await errorOf(go({ DurationSeconds: 899 })))[2]).toBe(
      "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    );
    expect(await errorOf(go({ DurationSeconds: 7201 }))).toEqual([
      'ValidationError',
      400,
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    ]);
    const out = await go({ DurationSeconds: 7200 });
    expect(out.Credentials.Expiration).toEqual(new Date(NOW.getTime() + 7200_000));
    expect((await go({ DurationSeconds: 900 })).Credentials.Expiration).toEqual(
      new Date(NOW.getTime() + 900_000),
    );
  });

  it('role chaining: a role session may assume another role, for at most one hour', async () => {
    const { store, a } = await setup();
    const g = await newUser(a, store, 'g');
    const first = await newRole(a, 'first', trust({ AWS: `arn:aws:iam::${A}:user/g` }));
    await call(a.ctx, 'PutRolePolicy', {
      RoleName: 'first',
      PolicyName: 'p',
      PolicyDocument: policy('sts:AssumeRole'),
    });
    const second = await newRole(a, 'second', trust({ AWS: first }), { MaxSessionDuration: 43200 });
    const s1 = await sts(g, 'AssumeRole', { RoleArn: first, RoleSessionName: 'hop1' });
    const chained = testContext(store, await sessionCaller(a, store, s1.Credentials.AccessKeyId), NOW);
    expect(
      await errorOf(
        sts(chained, 'AssumeRole', { RoleArn: second, RoleSessionName: 'hop2', DurationSeconds: 3601 }),
      ),
    ).toEqual([
      'ValidationError',
      400,
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    ]);
    const s2 = await sts(chained, 'AssumeRole', { RoleArn: second, RoleSessionName: 'hop2' });
    expect(s2.AssumedRoleUser.Arn).toBe(`arn:aws:sts::${A}:assumed-role/second/hop2`);
    // The trust policy names `first`, not the user: the user itself is refused.
    expect((await errorOf(sts(g, 'AssumeRole', { RoleArn: second, RoleSessionName: 'x1' })))[0]).toBe(
      'AccessDenied',
    );
  });

  it('an inline session policy narrows the session; PackedPolicySize is reported', async () => {
    const { store, a } = await setup();
    const h = await newUser(a, store, 'h');
    const roleArn = await newRole(a, 'sender', trust({ AWS: `arn:aws:iam::${A}:user/h` }));
    await call(a.ctx, 'PutRolePolicy', {
      RoleName: 'sender',
      PolicyName: 'p',
      PolicyDocument: policy('ses:*'),
    });
    const sessionPolicy = policy('ses:SendEmail');
    const out = await sts(h, 'AssumeRole', {
      RoleArn: roleArn,
      RoleSessionName: 'narrow',
      Policy: sessionPolicy,
    });
    expect(out.PackedPolicySize).toBe(Math.ceil((sessionPolicy.length * 100) / 2048));
    const caller = await sessionCaller(a, store, out.Credentials.AccessKeyId);
    expect(caller.sessionPolicies?.map((p) => p.source)).toEqual(['session']);
    const ctx = testContext(store, caller, NOW);
    expect(decide(ctx, { action: 'ses:SendEmail', resource: '*' }).decision).toBe('Allowed');
    const raw = decide(ctx, { action: 'ses:SendRawEmail', resource: '*' });
    expect([raw.decision, raw.decidedBy]).toEqual(['ImplicitDeny', 'session']);
    // Without a session policy the role's own policies apply unchanged.
    const plain = await sts(h, 'AssumeRole', { RoleArn: roleArn, RoleSessionName: 'wide' });
    const wide = testContext(store, await sessionCaller(a, store, plain.Credentials.AccessKeyId), NOW);
    expect(wide.caller.sessionPolicies).toBeUndefined();
    expect(decide(wide, { action: 'ses:SendRawEmail', resource: '*' }).decision).toBe('Allowed');
  });

  it('managed session policies must exist; refuses malformed and oversized session policies', async () => {
    const { store, a } = await setup();
    const i = await newUser(a, store, 'i');
    const roleArn = await newRole(a, 'r', trust({ AWS: `arn:aws:iam::${A}:user/i` }));
    const created = await call(a.ctx, 'CreatePolicy', {
      PolicyName: 'OnlySend',
      PolicyDocument: policy('ses:SendEmail'),
    });
    const arn = created.Policy.Arn as string;
    const out = await sts(i, 'AssumeRole', {
      RoleArn: roleArn,
      RoleSessionName: 'm1',
      PolicyArns: [{ arn }],
    });
    const caller = await sessionCaller(a, store, out.Credentials.AccessKeyId);
    expect(caller.sessionPolicies?.map((p) => p.id)).toEqual([arn]);
    const missing = `arn:aws:iam::${A}:policy/Nope`;
    expect(
      await errorOf(
        sts(i, 'AssumeRole', { RoleArn: roleArn, RoleSessionName: 'm1', PolicyArns: [{ arn: missing }] }),
      ),
    ).toEqual(['InvalidParameterValue', 400, `Policy ${missing} does not exist or is not attachable.`]);
    const noResource = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'ses:*' }],
    });
    expect(
      await errorOf(sts(i, 'AssumeRole', { RoleArn: roleArn, RoleSessionName: 'm1', Policy: noResource })),
    ).toEqual(['MalformedPolicyDocument', 400, 'Policy statement must contain resources.']);
    const big = policy(Array.from({ length: 200 }, (_, n) => `ses:Action${n}`));
    const [code, status, message] = await errorOf(
      sts(i, 'AssumeRole', { RoleArn: roleArn, RoleSessionName: 'm1', Policy: big }),
    );
    expect([code, status]).toEqual(['PackedPolicyTooLarge', 400]);
    expect(message).toMatch(/^Packed policy consumes \d{3}% of allotted space, please use smaller policy\.$/);
  });

  it('session tags need sts:TagSession in the trust policy and become aws:PrincipalTag/*', async () => {
    const { store, a } = await setup();
    const j = await newUser(a, store, 'j');
    const onlyAssume = await newRole(a, 'plain', trust({ AWS: `arn:aws:iam::${A}:user/j` }));
    const tagging = await newRole(
      a,
      'tagging',
      trust({ AWS: `arn:aws:iam::${A}:user/j` }, ['sts:AssumeRole', 'sts:TagSession']),
      {
        Tags: [
          { Key: 'team', Value: 'role-team' },
          { Key: 'cost', Value: '1' },
        ],
      },
    );
    const tags = [{ Key: 'team', Value: 'mail' }];
    expect(
      await errorOf(sts(j, 'AssumeRole', { RoleArn: onlyAssume, RoleSessionName: 't1', Tags: tags })),
    ).toEqual(denied(`arn:aws:iam::${A}:user/j`, 'sts:TagSession', onlyAssume));
    const out = await sts(j, 'AssumeRole', { RoleArn: tagging, RoleSessionName: 't1', Tags: tags });
    expect(out.PackedPolicySize).toBe(Math.ceil((('team'.length + 'mail'.length) * 100) / 2048));
    const caller = await sessionCaller(a, store, out.Credentials.AccessKeyId);
    // The session tag overrides the role's tag of the same key.
    expect(caller.principalTags).toEqual({ team: 'mail', cost: '1' });
    const byTag = { action: 'ses:SendEmail', resource: '*' };
    await call(a.ctx, 'PutRolePolicy', {
      RoleName: 'tagging',
      PolicyName: 'bytag',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'ses:SendEmail',
            Resource: '*',
            Condition: { StringEquals: { 'aws:PrincipalTag/team': 'mail' } },
          },
        ],
      }),
    });
    const fresh = testContext(store, await sessionCaller(a, store, out.Credentials.AccessKeyId), NOW);
    expect(decide(fresh, byTag).decision).toBe('Allowed');
    const untagged = await sts(j, 'AssumeRole', { RoleArn: tagging, RoleSessionName: 't2' });
    const roleTagOnly = testContext(
      store,
      await sessionCaller(a, store, untagged.Credentials.AccessKeyId),
      NOW,
    );
    expect(roleTagOnly.caller.principalTags.team).toBe('role-team');
    expect(decide(roleTagOnly, byTag).decision).toBe('ImplicitDeny');
  });

  it('trust conditions see aws:RequestTag/* and aws:TagKeys; transitive tags follow the chain', async () => {
    const { store, a } = await setup();
    const k = await newUser(a, store, 'k');
    const first = await newRole(
      a,
      'first',
      trust({ AWS: `arn:aws:iam::${A}:user/k` }, ['sts:AssumeRole', 'sts:TagSession'], {
        StringEquals: { 'aws:RequestTag/project': 'apollo' },
      }),
    );
    await call(a.ctx, 'PutRolePolicy', {
      RoleName: 'first',
      PolicyName: 'p',
      PolicyDocument: policy('sts:*'),
    });
    const second = await newRole(a, 'second', trust({ AWS: first }, ['sts:AssumeRole', 'sts:TagSession']));
    expect(
      (
        await errorOf(
          sts(k, 'AssumeRole', {
            RoleArn: first,
            RoleSessionName: 'c1',
            Tags: [{ Key: 'project', Value: 'gemini' }],
          }),
        )
      )[0],
    ).toBe('AccessDenied');
    expect(
      (
        await errorOf(
          sts(k, 'AssumeRole', {
            RoleArn: first,
            RoleSessionName: 'c1',
            Tags: [{ Key: 'x', Value: '1' }],
            TransitiveTagKeys: ['project'],
          }),
        )
      )[0],
    ).toBe('InvalidParameterValue');
    const s1 = await sts(k, 'AssumeRole', {
      RoleArn: first,
      RoleSessionName: 'c1',
      Tags: [
        { Key: 'project', Value: 'apollo' },
        { Key: 'local', Value: 'yes' },
      ],
      TransitiveTagKeys: ['project'],
    });
    const hop = testContext(store, await sessionCaller(a, store, s1.Credentials.AccessKeyId), NOW);
    const s2 = await sts(hop, 'AssumeRole', { RoleArn: second, RoleSessionName: 'c2' });
    const chained = await sessionCaller(a, store, s2.Credentials.AccessKeyId);
    expect(chained.principalTags).toEqual({ project: 'apollo' });
  });

  it('cross-account: the trust policy and the caller’s own policies must both allow', async () => {
    const { store, a, b } = await setup();
    const roleArn = await newRole(a, 'partner', trust({ AWS: `arn:aws:iam::${B}:root` }));
    const other = await newRole(a, 'other', trust({ AWS: `arn:aws:iam::${A}:root` }));
    const noPolicy = await newUser(b, store, 'x');
    const allowed = await newUser(b, store, 'y', policy('sts:AssumeRole', `arn:aws:iam::${A}:role/*`));
    expect(await errorOf(sts(noPolicy, 'AssumeRole', { RoleArn: roleArn, RoleSessionName: 'xa' }))).toEqual(
      denied(`arn:aws:iam::${B}:user/x`, 'sts:AssumeRole', roleArn),
    );
    expect(await errorOf(sts(allowed, 'AssumeRole', { RoleArn: other, RoleSessionName: 'xa' }))).toEqual(
      denied(`arn:aws:iam::${B}:user/y`, 'sts:AssumeRole', other),
    );
    const out = await sts(allowed, 'AssumeRole', { RoleArn: roleArn, RoleSessionName: 'xa' });
    expect(out.AssumedRoleUser.Arn).toBe(`arn:aws:sts::${A}:assumed-role/partner/xa`);
    const caller = await sessionCaller(a, store, out.Credentials.AccessKeyId);
    expect([caller.accountId, caller.principal.roleArn]).toEqual([A, roleArn]);
  });

  it('an explicit deny in the caller’s policies wins over the trust policy', async () => {
    const { store, a } = await setup();
    const z = await newUser(a, store, 'z', policy('sts:AssumeRole', '*', 'Deny'));
    const roleArn = await newRole(a, 'r', trust({ AWS: `arn:aws:iam::${A}:user/z` }));
    expect(await errorOf(sts(z, 'AssumeRole', { RoleArn: roleArn, RoleSessionName: 'd1' }))).toEqual(
      denied(`arn:aws:iam::${A}:user/z`, 'sts:AssumeRole', roleArn),
    );
    expect(z.audit.decision).toBe('ExplicitDeny');
  });
});
