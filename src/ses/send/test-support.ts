// Fixtures for the send-pipeline tests: SES state seeded through the state module's own writers,
// callers with real IAM policies, and a pipeline with a private rate limiter.
import type { CallContext } from '../../api/operation.js';
import { authorizeSend } from '../../authz/index.js';
import { AwsError } from '../../errors/aws-error.js';
import { parsePolicy } from '../../policy/index.js';
import type { NamedPolicy } from '../../policy/request.js';
import type { Store } from '../../store/database.js';
import { testContext } from '../test-context.js';
import { decideProductionAccess, setAccountQuota, updateAccount } from '../state/account.js';
import { insertConfigurationSet } from '../state/configuration-sets.js';
import { insertIdentity } from '../state/identities.js';
import { writePolicy } from '../state/identity-policies.js';
import { identityTypeOf } from '../state/identity-names.js';
import { insertTemplate } from '../state/templates.js';
import { createRateLimiter } from './rate-limiter.js';
import type { SendDeps } from './pipeline.js';

export const REGION = 'us-east-1';
export const NOW = new Date('2026-11-28T12:00:00Z');

let counter = 0;
/** A fresh 12-digit account per test keeps tests apart inside one store. */
export const nextAccount = (): string => String(100000000000 + process.pid * 1000 + ++counter).slice(-12);

export const policyOf = (id: string, doc: unknown): NamedPolicy => {
  const parsed = parsePolicy(doc);
  if (!parsed.ok) throw new Error(`bad test policy: ${JSON.stringify(parsed.errors)}`);
  return { id, source: 'user', policy: parsed.policy, text: JSON.stringify(doc) };
};

export const allow = (action: string | string[], resource: string | string[], condition?: unknown) => ({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: action, Resource: resource, ...(condition ? { Condition: condition } : {}) },
  ],
});

/** Root of `accountId` by default; an IAM user with `policies` when given. */
export function ctxFor(
  store: Store,
  accountId: string,
  opts: { user?: string; policies?: unknown[]; apiVersion?: '1' | '2'; now?: Date } = {},
): CallContext {
  const ctx = testContext(store, {
    accountId,
    region: REGION,
    now: opts.now ?? NOW,
    apiVersion: opts.apiVersion ?? '1',
  });
  if (opts.user !== undefined) {
    ctx.caller = {
      ...ctx.caller,
      principal: { kind: 'User', arn: `arn:aws:iam::${accountId}:user/${opts.user}`, accountId },
      identityPolicies: (opts.policies ?? []).map((p, i) => policyOf(`p${i}`, p)),
      userName: opts.user,
      userId: `AIDA${opts.user.toUpperCase()}`,
    };
  }
  return ctx;
}

export async function verifiedIdentity(
  store: Store,
  accountId: string,
  name: string,
  status = 'Success',
  configurationSet?: string,
) {
  await insertIdentity(store, accountId, REGION, {
    identity: name,
    type: identityTypeOf(name),
    status: status as 'Success',
    now: NOW,
    ...(configurationSet ? { configurationSet } : {}),
  });
}

export async function identityPolicy(
  store: Store,
  accountId: string,
  identity: string,
  name: string,
  doc: unknown,
) {
  await writePolicy(store, accountId, REGION, identity, name, JSON.stringify(doc), 'upsert', NOW);
}

export const production = (store: Store, accountId: string, maxSendRate = 100, max24HourSend = 1000) =>
  decideProductionAccess(store, accountId, REGION, 'grant', {
    productionMaxSendRate: maxSendRate,
    productionMax24HourSend: max24HourSend,
  });

export const quota = (store: Store, accountId: string, maxSendRate: number, max24HourSend: number) =>
  setAccountQuota(store, accountId, REGION, { maxSendRate, max24HourSend });

export const pauseSending = (store: Store, accountId: string) =>
  updateAccount(store, accountId, REGION, () => ({ sending_enabled: 0 }));

export const configurationSet = (store: Store, accountId: string, name: string, sendingEnabled = true) =>
  insertConfigurationSet(store, accountId, REGION, name, { sendingEnabled }, [], NOW);

export const template = (
  store: Store,
  accountId: string,
  name: string,
  content: { subject?: string; text?: string; html?: string },
) => insertTemplate(store, accountId, REGION, name, content, [], NOW);

/** The real authorizer (authz/ + policy/), a private rate limiter. */
export const testDeps = (): SendDeps => ({ authorizer: authorizeSend, rateLimiter: createRateLimiter() });

/** `{ code, status, message }` of the AwsError a promise rejects with; fails if it resolves. */
export async function rejection(
  p: Promise<unknown>,
): Promise<{ code: string; status: number; message: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AwsError) return { code: e.code, status: e.httpStatus, message: e.message };
    throw e;
  }
  throw new Error('resolved; a rejection was expected');
}
