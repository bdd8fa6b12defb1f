// Hand-built CallContexts for the SES operation tests: the caller is the root user of account
// 111111111111 in us-east-1 unless told otherwise.
import { loadConfig, type Config } from '../config/config.js';
import type { CallContext } from '../api/operation.js';
import type { Store } from '../store/database.js';
import type { Operation, OperationTable } from '../api/operation.js';
import { AwsError } from '../errors/aws-error.js';
import { bindSecretBox } from '../iam/secrets.js';
import { createSecretBox } from '../store/secret-box.js';

export const TEST_ACCOUNT = '111111111111';
export const TEST_REGION = 'us-east-1';

export interface TestContextOptions {
  accountId?: string;
  region?: string;
  now?: Date;
  apiVersion?: '1' | '2';
  config?: Partial<Config>;
}

export function testContext(store: Store, opts: TestContextOptions = {}): CallContext {
  const accountId = opts.accountId ?? TEST_ACCOUNT;
  // As the server binds one at start-up (operations that keep a private key seal it).
  bindSecretBox(store, createSecretBox(Buffer.alloc(32, 1)));
  return {
    requestId: '00000000-0000-4000-8000-000000000000',
    region: opts.region ?? TEST_REGION,
    now: opts.now ?? new Date('2026-11-28T12:00:00Z'),
    caller: {
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      accountId,
      principal: { kind: 'Account', arn: `arn:aws:iam::${accountId}:root`, accountId },
      identityPolicies: [],
      principalTags: {},
      userId: accountId,
      temporary: false,
    },
    source: { ip: '127.0.0.1', secureTransport: true },
    apiVersion: opts.apiVersion,
    store,
    config: { ...loadConfig({}), ...opts.config },
    audit: { actions: [], resources: [] },
  };
}

/** Runs one operation's handler (authorization is tested separately through `authorize`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read loosely typed outputs
export async function call<O = any>(
  table: OperationTable,
  name: string,
  ctx: CallContext,
  input: Record<string, unknown> = {},
): Promise<O> {
  const op: Operation | undefined = table[name];
  if (!op) throw new Error(`no operation ${name}`);
  return op.handle(ctx, input) as Promise<O>;
}

/** The AwsError a call throws, as `{ code, status, message }`; fails the test if it succeeds. */
export async function callError(
  table: OperationTable,
  name: string,
  ctx: CallContext,
  input: Record<string, unknown> = {},
): Promise<{ code: string; status: number; message: string }> {
  try {
    await call(table, name, ctx, input);
  } catch (e) {
    if (e instanceof AwsError) return { code: e.code, status: e.httpStatus, message: e.message };
    throw e;
  }
  throw new Error(`${name} succeeded; an error was expected`);
}
