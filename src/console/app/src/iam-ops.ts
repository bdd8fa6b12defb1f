// The per-entity IAM calls the console pages share: users, groups and roles have the same inline
// and attached-policy operations under different names, so one table names them and one function
// sends them. The table is typed so each command must accept the input built for its kind.
import {
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  DeleteGroupPolicyCommand,
  DeleteRolePolicyCommand,
  DeleteUserPolicyCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetGroupPolicyCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupPoliciesCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { Handler } from '@smithy/types';

export type EntityKind = 'User' | 'Group' | 'Role';

interface AttachedPolicy {
  name: string;
  arn: string;
}

export interface EntityOps {
  listInline(name: string): Promise<string[]>;
  getInline(name: string, policy: string): Promise<string>;
  putInline(name: string, policy: string, doc: string): Promise<void>;
  deleteInline(name: string, policy: string): Promise<void>;
  listAttached(name: string): Promise<AttachedPolicy[]>;
  attach(name: string, arn: string): Promise<void>;
  detach(name: string, arn: string): Promise<void>;
}

/** The input member that names the entity. */
const KEY = { User: 'UserName', Group: 'GroupName', Role: 'RoleName' } as const;
type Named<K extends EntityKind> = Record<(typeof KEY)[K], string>;

/**
 * An IAM command class that takes input I and answers at least O. Checked structurally: the
 * constructor accepts I, the command reads every member of I (the table's excess-property check),
 * and its handler answers O. The SDK's own Command type cannot serve: its middleware stack is
 * invariant in both input and output, so no one type would fit the three kinds.
 */
type Ctor<I, O extends object> = new (input: I) => {
  readonly input: { [P in keyof I]: unknown };
  resolveMiddleware(stack: never, configuration: never, options: never): Handler<never, O>;
};

/** Sends a table command: the instance is a real SDK command, typed by Ctor above. */
const send = async <O extends object>(iam: IAMClient, cmd: InstanceType<Ctor<object, O>>): Promise<O> =>
  (await iam.send(cmd as never)) as O;

interface Commands<K extends EntityKind> {
  listInline: Ctor<Named<K> & { MaxItems?: number }, { PolicyNames?: string[] }>;
  getInline: Ctor<Named<K> & { PolicyName: string }, { PolicyDocument?: string }>;
  putInline: Ctor<Named<K> & { PolicyName: string; PolicyDocument: string }, object>;
  deleteInline: Ctor<Named<K> & { PolicyName: string }, object>;
  listAttached: Ctor<
    Named<K> & { MaxItems?: number },
    { AttachedPolicies?: { PolicyName?: string; PolicyArn?: string }[] }
  >;
  attach: Ctor<Named<K> & { PolicyArn: string }, object>;
  detach: Ctor<Named<K> & { PolicyArn: string }, object>;
}

const COMMANDS: { [K in EntityKind]: Commands<K> } = {
  User: {
    listInline: ListUserPoliciesCommand,
    getInline: GetUserPolicyCommand,
    putInline: PutUserPolicyCommand,
    deleteInline: DeleteUserPolicyCommand,
    listAttached: ListAttachedUserPoliciesCommand,
    attach: AttachUserPolicyCommand,
    detach: DetachUserPolicyCommand,
  },
  Group: {
    listInline: ListGroupPoliciesCommand,
    getInline: GetGroupPolicyCommand,
    putInline: PutGroupPolicyCommand,
    deleteInline: DeleteGroupPolicyCommand,
    listAttached: ListAttachedGroupPoliciesCommand,
    attach: AttachGroupPolicyCommand,
    detach: DetachGroupPolicyCommand,
  },
  Role: {
    listInline: ListRolePoliciesCommand,
    getInline: GetRolePolicyCommand,
    putInline: PutRolePolicyCommand,
    deleteInline: DeleteRolePolicyCommand,
    listAttached: ListAttachedRolePoliciesCommand,
    attach: AttachRolePolicyCommand,
    detach: DetachRolePolicyCommand,
  },
};

export function entityOps<K extends EntityKind>(iam: IAMClient, kind: K): EntityOps {
  const c: Commands<K> = COMMANDS[kind];
  // A computed key is typed as a string index; KEY[kind] is exactly (typeof KEY)[K].
  const id = (n: string) => ({ [KEY[kind]]: n }) as Named<K>;
  return {
    listInline: async (n) =>
      (await send(iam, new c.listInline({ ...id(n), MaxItems: 1000 }))).PolicyNames ?? [],
    getInline: async (n, p) =>
      (await send(iam, new c.getInline({ ...id(n), PolicyName: p }))).PolicyDocument ?? '',
    putInline: async (n, p, d) => {
      await send(iam, new c.putInline({ ...id(n), PolicyName: p, PolicyDocument: d }));
    },
    deleteInline: async (n, p) => {
      await send(iam, new c.deleteInline({ ...id(n), PolicyName: p }));
    },
    listAttached: async (n) =>
      ((await send(iam, new c.listAttached({ ...id(n), MaxItems: 1000 }))).AttachedPolicies ?? []).map(
        (p) => ({
          name: p.PolicyName ?? '',
          arn: p.PolicyArn ?? '',
        }),
      ),
    attach: async (n, a) => {
      await send(iam, new c.attach({ ...id(n), PolicyArn: a }));
    },
    detach: async (n, a) => {
      await send(iam, new c.detach({ ...id(n), PolicyArn: a }));
    },
  };
}
