// Test helpers: a fresh account on a test store, hand-built CallContexts, and calling an operation
// the way the server does (authorize, then handle). Imported by tests only.
import { randomBytes } from 'node:crypto';
import type { AuthorizationCheck, CallContext, Caller } from '../api/operation.js';
import { loadConfig } from '../config/config.js';
import { createAccount } from '../accounts/accounts.js';
import type { Store } from '../store/database.js';
import { createSecretBox, type SecretBox } from '../store/secret-box.js';
import { iamOperations } from './operations/index.js';
import { resolveAccessKey } from './principals.js';

export const testBox = (): SecretBox => createSecretBox(randomBytes(32));

export function testContext(
  store: Store,
  caller: Caller,
  now = new Date('2025-06-01T12:00:00Z'),
): CallContext {
  return {
    requestId: 'test-request',
    region: 'us-east-1',
    now,
    caller,
    source: { ip: '127.0.0.1', secureTransport: true },
    store,
    config: loadConfig({}),
    audit: { actions: [], resources: [] },
  };
}

export interface TestAccount {
  box: SecretBox;
  accountId: string;
  root: Caller;
  /** A context acting as the account's root user. */
  ctx: CallContext;
}

export async function testAccount(
  store: Store,
  accountId = '111122223333',
  box = testBox(),
): Promise<TestAccount> {
  const creds = await createAccount(store, box, { accountId });
  const resolved = await resolveAccessKey(store, box, creds.AccessKeyId, new Date());
  if (!resolved) throw new Error('root key did not resolve');
  return { box, accountId, root: resolved.caller, ctx: testContext(store, resolved.caller) };
}

/** Runs an IAM operation as the server would; returns its output (throws its AwsError). */
export async function call(
  ctx: CallContext,
  name: string,
  input: Record<string, unknown> = {},
  // Outputs are the model's shapes; tests read them loosely.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<any> {
  const op = iamOperations[name];
  if (!op) throw new Error(`no IAM operation ${name}`);
  if (op.authorize) await op.authorize(ctx, input);
  return op.handle(ctx, input);
}

/** The checks an operation declares for this input. */
export async function checksOf(
  ctx: CallContext,
  name: string,
  input: Record<string, unknown> = {},
): Promise<AuthorizationCheck[]> {
  const op = iamOperations[name];
  if (!op?.authorize) throw new Error(`no authorize for ${name}`);
  return op.authorize(ctx, input);
}

/** Resolves a [code, status, message] triple from a rejected call, for exact assertions. */
export async function errorOf(p: Promise<unknown>): Promise<[string, number, string]> {
  try {
    await p;
  } catch (e) {
    const err = e as { code?: string; httpStatus?: number; message: string };
    return [err.code ?? 'NotAwsError', err.httpStatus ?? 0, err.message];
  }
  throw new Error('expected the call to fail');
}

export const ALLOW_ALL = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
});

export const allowDoc = (action: string, resource = '*'): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: action, Resource: resource }],
  });

export const TRUST_ACCOUNT = (accountId: string): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole' },
    ],
  });
