// Test helpers for STS: accounts, users and roles built through the IAM operations, and STS calls
// run as the dispatcher runs them (authorize through authz/, then handle). Imported by tests only.
import type { CallContext, Caller } from '../api/operation.js';
import { authorizeChecks } from '../authz/index.js';
import { call, testAccount, testContext, type TestAccount } from '../iam/test-context.js';
import { resolveAccessKey, userCaller } from '../iam/principals.js';
import type { Store } from '../store/database.js';
import { stsOperations } from './index.js';

export const NOW = new Date('2025-06-01T12:00:00Z');

// Outputs differ per operation; tests read them as AWS documents.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function sts(ctx: CallContext, name: string, input: Record<string, unknown> = {}): Promise<any> {
  const op = stsOperations[name];
  if (!op) throw new Error(`no STS operation ${name}`);
  if (op.authorize) authorizeChecks(ctx, await op.authorize(ctx, input), 'generic');
  return op.handle(ctx, input);
}

export async function userCtx(store: Store, accountId: string, name: string): Promise<CallContext> {
  const row = await store.db
    .selectFrom('iam_users')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return testContext(store, await userCaller(store.db, row, 'AKIATESTUSERKEY00000', false), NOW);
}

/** Creates a user, optionally with one inline policy, and returns a context acting as it. */
export async function newUser(
  acct: TestAccount,
  store: Store,
  name: string,
  policy?: string,
): Promise<CallContext> {
  await call(acct.ctx, 'CreateUser', { UserName: name });
  if (policy)
    await call(acct.ctx, 'PutUserPolicy', { UserName: name, PolicyName: 'p', PolicyDocument: policy });
  return userCtx(store, acct.accountId, name);
}

export async function newRole(
  acct: TestAccount,
  name: string,
  trust: unknown,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const out = await call(acct.ctx, 'CreateRole', {
    RoleName: name,
    AssumeRolePolicyDocument: typeof trust === 'string' ? trust : JSON.stringify(trust),
    ...extra,
  });
  return out.Role.Arn as string;
}

/** The Caller that the issued temporary credentials authenticate as. */
export async function sessionCaller(acct: TestAccount, store: Store, accessKeyId: string): Promise<Caller> {
  const r = await resolveAccessKey(store, acct.box, accessKeyId, NOW);
  if (!r) throw new Error(`session ${accessKeyId} did not resolve`);
  return r.caller;
}

export const trust = (
  principal: unknown,
  actions: string | string[] = 'sts:AssumeRole',
  condition?: unknown,
) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: principal,
      Action: actions,
      ...(condition ? { Condition: condition } : {}),
    },
  ],
});

export const policy = (action: string | string[], resource = '*', effect = 'Allow') =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: effect, Action: action, Resource: resource }],
  });

export async function setupAccounts(store: Store): Promise<{ a: TestAccount; b: TestAccount }> {
  const a = await testAccount(store, '111122223333');
  const b = await testAccount(store, '444455556666', a.box);
  a.ctx.now = NOW;
  b.ctx.now = NOW;
  return { a, b };
}

export { errorOf, testContext } from '../iam/test-context.js';
