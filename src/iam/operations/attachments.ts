// Attach/Detach User|Group|RolePolicy and ListAttached User|Group|RolePolicies: managed policies on
// entities, at most 10 per entity.
import type { AuthorizationCheck, CallContext, Operation, OperationTable } from '../../api/operation.js';
import type { AttachmentEntityKind } from '../../store/schema/iam.js';
import { requireGroup, requireModifiableRole, requireRole, requireUser, type Db } from '../entities.js';
import { noSuchPolicy, quotaExceeded, serviceRolePolicyNotAttachable } from '../errors.js';
import { SERVICE_ROLE_POLICY_PATH } from '../aws-managed/catalog.js';
import * as v from '../input.js';
import { byName, page } from '../paging.js';
import { attachedManagedPolicies, findAttachablePolicy, requireAttachablePolicy } from '../policy-lookup.js';
import { accountOf, groupCheck, mutating, roleCheck, userCheck } from './common.js';
import { policyArnInput } from './managed-policies.js';

const MAX_ATTACHED = 10;

interface Kind {
  kind: AttachmentEntityKind;
  Title: 'User' | 'Group' | 'Role';
  nameMember: 'UserName' | 'GroupName' | 'RoleName';
  wireName: string;
  maxName: number;
}

const KINDS: Kind[] = [
  { kind: 'user', Title: 'User', nameMember: 'UserName', wireName: 'userName', maxName: 64 },
  { kind: 'group', Title: 'Group', nameMember: 'GroupName', wireName: 'groupName', maxName: 128 },
  { kind: 'role', Title: 'Role', nameMember: 'RoleName', wireName: 'roleName', maxName: 64 },
];

type Input = Record<string, string | number | undefined>;

async function entityId(db: Db, k: Kind, accountId: string, name: string, modify = false): Promise<string> {
  if (k.kind === 'user') return (await requireUser(db, accountId, name)).user_id;
  if (k.kind === 'group') return (await requireGroup(db, accountId, name)).group_id;
  return (await (modify ? requireModifiableRole : requireRole)(db, accountId, name)).role_id;
}

function entityCheck(
  ctx: CallContext,
  k: Kind,
  action: string,
  name: string,
  policyArn?: string,
): Promise<AuthorizationCheck> {
  const extra: Record<string, string> = policyArn !== undefined ? { 'iam:PolicyARN': policyArn } : {};
  if (k.kind === 'user') return userCheck(ctx, action, name, { withBoundary: true, extra });
  if (k.kind === 'role') return roleCheck(ctx, action, name, { withBoundary: true, extra });
  return groupCheck(ctx, action, name, extra);
}

function operationsFor(k: Kind): OperationTable {
  const name = (input: Input) =>
    v.entityName(input[k.nameMember] as string | undefined, k.wireName, k.maxName);
  const arnOf = (input: Input) => policyArnInput(input.PolicyArn as string | undefined);

  const attach: Operation<Input> = mutating({
    authorize: async (ctx, input) => [
      await entityCheck(ctx, k, `iam:Attach${k.Title}Policy`, name(input), input.PolicyArn as string),
    ],
    handle: async (ctx, input) => {
      const a = accountOf(ctx);
      const arn = arnOf(input);
      await ctx.store.db.transaction().execute(async (trx) => {
        const id = await entityId(trx, k, a, name(input), true);
        const p = await requireAttachablePolicy(trx, a, arn);
        if (p.awsManaged && p.path === SERVICE_ROLE_POLICY_PATH) throw serviceRolePolicyNotAttachable(k.kind);
        const attached = await trx
          .selectFrom('iam_policy_attachments')
          .select('policy_id')
          .where('entity_id', '=', id)
          .execute();
        if (attached.some((r) => r.policy_id === p.policyId)) return; // attaching twice is a no-op on AWS
        if (attached.length >= MAX_ATTACHED) throw quotaExceeded(`PoliciesPer${k.Title}`, MAX_ATTACHED);
        await trx
          .insertInto('iam_policy_attachments')
          .values({
            account_id: a,
            policy_id: p.policyId,
            entity_kind: k.kind,
            entity_id: id,
            attached_at: ctx.now.getTime(),
          })
          .execute();
      });
      return {};
    },
  });

  const detach: Operation<Input> = mutating({
    authorize: async (ctx, input) => [
      await entityCheck(ctx, k, `iam:Detach${k.Title}Policy`, name(input), input.PolicyArn as string),
    ],
    handle: async (ctx, input) => {
      const a = accountOf(ctx);
      const arn = arnOf(input);
      const db = ctx.store.db;
      const id = await entityId(db, k, a, name(input), true);
      const p = await findAttachablePolicy(db, a, arn);
      const r = p
        ? await db
            .deleteFrom('iam_policy_attachments')
            .where('entity_id', '=', id)
            .where('policy_id', '=', p.policyId)
            .executeTakeFirst()
        : undefined;
      if (!r || Number(r.numDeletedRows) === 0) throw noSuchPolicy(arn);
      return {};
    },
  });

  const list: Operation<Input> = {
    authorize: async (ctx, input) => [
      await entityCheck(ctx, k, `iam:ListAttached${k.Title}Policies`, name(input)),
    ],
    handle: async (ctx, input) => {
      const db = ctx.store.db;
      const id = await entityId(db, k, accountOf(ctx), name(input));
      const prefix = input.PathPrefix === undefined ? '/' : v.policyPath(input.PathPrefix as string);
      const rows = await attachedManagedPolicies(db, { entityId: id });
      const pg = page(
        rows.filter((r) => r.path.startsWith(prefix)).sort(byName),
        input.Marker as string | undefined,
        v.maxItems(input.MaxItems as number | undefined),
      );
      return {
        AttachedPolicies: pg.items.map((r) => ({ PolicyName: r.name, PolicyArn: r.arn })),
        IsTruncated: pg.IsTruncated,
        ...(pg.Marker ? { Marker: pg.Marker } : {}),
      };
    },
  };

  return {
    [`Attach${k.Title}Policy`]: attach,
    [`Detach${k.Title}Policy`]: detach,
    [`ListAttached${k.Title}Policies`]: list,
  };
}

export const attachmentOperations: OperationTable = Object.assign({}, ...KINDS.map(operationsFor));
