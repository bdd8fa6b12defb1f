// `POST /sesame/policy/what-if` (SigV4 service `sesame`): SimulatePolicyChange replays a policy
// change over the caller's account's audit log of the last `Days` days. Authorized as
// `sesame:SimulatePolicyChange` on what the change targets (the user, group or role, the managed
// policy, the SES identity) and `sesame:LookupEvents` on `*`, since it reports recorded calls.
import type { Operation, OperationTable } from '../api/operation.js';
import { badRequest } from '../api/query-params.js';
import { groupArn, roleArn, userArn } from '../iam/arns.js';
import { findGroup, findRole, findUser } from '../iam/entities.js';
import { identityArn } from '../ses/state/arn.js';
import { normalizeIdentity } from '../ses/state/identity-names.js';
import type { Store } from '../store/database.js';
import { parseChange, type ChangeRequest } from './change-input.js';
import { resolveChange } from './change.js';
import { replayChange, type ReplayResult } from './replay.js';

export interface SimulatePolicyChangeInput {
  Change?: unknown;
  Days?: unknown;
}

export const DEFAULT_DAYS = 7;
export const MAX_DAYS = 365;
const DAY_MS = 86_400_000;

function days(v: unknown): number {
  if (v === undefined || v === null) return DEFAULT_DAYS;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_DAYS)
    throw badRequest(`Days must be a whole number from 1 to ${MAX_DAYS}.`);
  return v;
}

/** What the change is authorized on; a missing entity still has an ARN (its error comes after). */
async function targetArn(store: Store, accountId: string, region: string, c: ChangeRequest): Promise<string> {
  const db = store.db;
  switch (c.kind) {
    case 'managed':
      return c.policyArn;
    case 'identity-policy':
      return identityArn(region, accountId, normalizeIdentity(c.identity));
    default: {
      if (c.entity === 'user') {
        const u = await findUser(db, accountId, c.name);
        return userArn(accountId, u?.path ?? '/', u?.name ?? c.name);
      }
      if (c.entity === 'group') {
        const g = await findGroup(db, accountId, c.name);
        return groupArn(accountId, g?.path ?? '/', g?.name ?? c.name);
      }
      const r = await findRole(db, accountId, c.name);
      return roleArn(accountId, r?.path ?? '/', r?.name ?? c.name);
    }
  }
}

export interface WhatIfAnswer extends ReplayResult {
  Change: string;
  Window: { Since: string; Until: string; Days: number };
}

/** The whole replay, for the API and the CLI alike. */
export async function whatIf(
  store: Store,
  accountId: string,
  region: string,
  request: ChangeRequest,
  nDays: number,
  now: Date,
): Promise<WhatIfAnswer> {
  const change = await resolveChange(store, accountId, region, request);
  const since = new Date(now.getTime() - nDays * DAY_MS);
  const result = await replayChange(store, change, { accountId, since, until: now });
  return {
    Change: change.description,
    Window: { Since: since.toISOString(), Until: now.toISOString(), Days: nDays },
    ...result,
  };
}

const SimulatePolicyChange: Operation<SimulatePolicyChangeInput, WhatIfAnswer> = {
  authorize: async (ctx, input) => [
    {
      action: 'sesame:SimulatePolicyChange',
      resource: await targetArn(ctx.store, ctx.caller.accountId, ctx.region, parseChange(input.Change)),
    },
    { action: 'sesame:LookupEvents', resource: '*' },
  ],
  handle: (ctx, input) =>
    whatIf(ctx.store, ctx.caller.accountId, ctx.region, parseChange(input.Change), days(input.Days), ctx.now),
};

export const whatIfOperations: OperationTable = { SimulatePolicyChange };
