// The per-entity IAM calls the console pages share (users, groups and roles have the same inline
// and attached-policy operations under different names).
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

export type EntityKind = 'User' | 'Group' | 'Role';

export interface AttachedPolicy {
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

const attached = (l: { PolicyName?: string; PolicyArn?: string }[] | undefined): AttachedPolicy[] =>
  (l ?? []).map((p) => ({ name: p.PolicyName ?? '', arn: p.PolicyArn ?? '' }));

export function entityOps(iam: IAMClient, kind: EntityKind): EntityOps {
  switch (kind) {
    case 'User':
      return {
        listInline: async (n) =>
          (await iam.send(new ListUserPoliciesCommand({ UserName: n, MaxItems: 1000 }))).PolicyNames ?? [],
        getInline: async (n, p) =>
          (await iam.send(new GetUserPolicyCommand({ UserName: n, PolicyName: p }))).PolicyDocument ?? '',
        putInline: async (n, p, d) => {
          await iam.send(new PutUserPolicyCommand({ UserName: n, PolicyName: p, PolicyDocument: d }));
        },
        deleteInline: async (n, p) => {
          await iam.send(new DeleteUserPolicyCommand({ UserName: n, PolicyName: p }));
        },
        listAttached: async (n) =>
          attached(
            (await iam.send(new ListAttachedUserPoliciesCommand({ UserName: n, MaxItems: 1000 })))
              .AttachedPolicies,
          ),
        attach: async (n, a) => {
          await iam.send(new AttachUserPolicyCommand({ UserName: n, PolicyArn: a }));
        },
        detach: async (n, a) => {
          await iam.send(new DetachUserPolicyCommand({ UserName: n, PolicyArn: a }));
        },
      };
    case 'Group':
      return {
        listInline: async (n) =>
          (await iam.send(new ListGroupPoliciesCommand({ GroupName: n, MaxItems: 1000 }))).PolicyNames ?? [],
        getInline: async (n, p) =>
          (await iam.send(new GetGroupPolicyCommand({ GroupName: n, PolicyName: p }))).PolicyDocument ?? '',
        putInline: async (n, p, d) => {
          await iam.send(new PutGroupPolicyCommand({ GroupName: n, PolicyName: p, PolicyDocument: d }));
        },
        deleteInline: async (n, p) => {
          await iam.send(new DeleteGroupPolicyCommand({ GroupName: n, PolicyName: p }));
        },
        listAttached: async (n) =>
          attached(
            (await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: n, MaxItems: 1000 })))
              .AttachedPolicies,
          ),
        attach: async (n, a) => {
          await iam.send(new AttachGroupPolicyCommand({ GroupName: n, PolicyArn: a }));
        },
        detach: async (n, a) => {
          await iam.send(new DetachGroupPolicyCommand({ GroupName: n, PolicyArn: a }));
        },
      };
    case 'Role':
      return {
        listInline: async (n) =>
          (await iam.send(new ListRolePoliciesCommand({ RoleName: n, MaxItems: 1000 }))).PolicyNames ?? [],
        getInline: async (n, p) =>
          (await iam.send(new GetRolePolicyCommand({ RoleName: n, PolicyName: p }))).PolicyDocument ?? '',
        putInline: async (n, p, d) => {
          await iam.send(new PutRolePolicyCommand({ RoleName: n, PolicyName: p, PolicyDocument: d }));
        },
        deleteInline: async (n, p) => {
          await iam.send(new DeleteRolePolicyCommand({ RoleName: n, PolicyName: p }));
        },
        listAttached: async (n) =>
          attached(
            (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: n, MaxItems: 1000 })))
              .AttachedPolicies,
          ),
        attach: async (n, a) => {
          await iam.send(new AttachRolePolicyCommand({ RoleName: n, PolicyArn: a }));
        },
        detach: async (n, a) => {
          await iam.send(new DetachRolePolicyCommand({ RoleName: n, PolicyArn: a }));
        },
      };
  }
}
