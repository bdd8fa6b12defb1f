// A policy change to replay, named as the IAM or SES call that would make it, with that call's own
// members (`{"Operation":"PutUserPolicy","UserName":…,"PolicyName":…,"PolicyDocument":…}`), so the
// console's policy editor asks "what if?" with exactly what it is about to send.
import { badRequest } from '../api/query-params.js';

export type EntityKind = 'user' | 'group' | 'role';

export type ChangeRequest =
  /** An inline policy put (document) or deleted (no document). */
  | { kind: 'inline'; entity: EntityKind; name: string; policyName: string; document?: string }
  /** A customer managed policy's new default version. */
  | { kind: 'managed'; policyArn: string; document: string }
  | { kind: 'attach' | 'detach'; entity: EntityKind; name: string; policyArn: string }
  /** A permissions boundary set (policyArn) or removed. */
  | { kind: 'boundary'; entity: 'user' | 'role'; name: string; policyArn?: string }
  /** An identity's sending-authorization policy put (document) or deleted. */
  | { kind: 'identity-policy'; identity: string; policyName: string; document?: string };

const ENTITY_MEMBER: Record<EntityKind, string> = { user: 'UserName', group: 'GroupName', role: 'RoleName' };
const ENTITY_WORD: Record<string, EntityKind> = { User: 'user', Group: 'group', Role: 'role' };

function member(input: Record<string, unknown>, name: string): string {
  const v = input[name];
  if (typeof v !== 'string' || v === '') throw badRequest(`Change.${name} is required.`);
  return v;
}

/** The operations a change may be named by. */
export const CHANGE_OPERATIONS = [
  'PutUserPolicy',
  'PutGroupPolicy',
  'PutRolePolicy',
  'DeleteUserPolicy',
  'DeleteGroupPolicy',
  'DeleteRolePolicy',
  'CreatePolicyVersion',
  'AttachUserPolicy',
  'AttachGroupPolicy',
  'AttachRolePolicy',
  'DetachUserPolicy',
  'DetachGroupPolicy',
  'DetachRolePolicy',
  'PutUserPermissionsBoundary',
  'PutRolePermissionsBoundary',
  'DeleteUserPermissionsBoundary',
  'DeleteRolePermissionsBoundary',
  'PutIdentityPolicy',
  'DeleteIdentityPolicy',
  'CreateEmailIdentityPolicy',
  'UpdateEmailIdentityPolicy',
  'DeleteEmailIdentityPolicy',
] as const;

export function parseChange(value: unknown): ChangeRequest {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw badRequest('Change is required: an object naming the Operation that would make the change.');
  const input = value as Record<string, unknown>;
  const op = input.Operation;
  if (typeof op !== 'string' || !(CHANGE_OPERATIONS as readonly string[]).includes(op))
    throw badRequest(`Change.Operation must be one of ${CHANGE_OPERATIONS.join(', ')}.`);
  let m = /^(Put|Delete)(User|Group|Role)Policy$/.exec(op);
  if (m) {
    const entity = ENTITY_WORD[m[2]!]!;
    const name = member(input, ENTITY_MEMBER[entity]);
    const policyName = member(input, 'PolicyName');
    return m[1] === 'Put'
      ? { kind: 'inline', entity, name, policyName, document: member(input, 'PolicyDocument') }
      : { kind: 'inline', entity, name, policyName };
  }
  m = /^(Attach|Detach)(User|Group|Role)Policy$/.exec(op);
  if (m) {
    const entity = ENTITY_WORD[m[2]!]!;
    return {
      kind: m[1] === 'Attach' ? 'attach' : 'detach',
      entity,
      name: member(input, ENTITY_MEMBER[entity]),
      policyArn: member(input, 'PolicyArn'),
    };
  }
  m = /^(Put|Delete)(User|Role)PermissionsBoundary$/.exec(op);
  if (m) {
    const entity = ENTITY_WORD[m[2]!] as 'user' | 'role';
    const name = member(input, ENTITY_MEMBER[entity]);
    return m[1] === 'Put'
      ? { kind: 'boundary', entity, name, policyArn: member(input, 'PermissionsBoundary') }
      : { kind: 'boundary', entity, name };
  }
  if (op === 'CreatePolicyVersion')
    return {
      kind: 'managed',
      policyArn: member(input, 'PolicyArn'),
      document: member(input, 'PolicyDocument'),
    };
  // SES: v1 names the identity `Identity`, v2 `EmailIdentity`; both name the document `Policy`.
  const identity = member(
    input,
    op === 'PutIdentityPolicy' || op === 'DeleteIdentityPolicy' ? 'Identity' : 'EmailIdentity',
  );
  const policyName = member(input, 'PolicyName');
  return op.startsWith('Delete')
    ? { kind: 'identity-policy', identity, policyName }
    : { kind: 'identity-policy', identity, policyName, document: member(input, 'Policy') };
}

/** `PutUserPolicy alice/Send`-like words for reports. */
export function describeChange(c: ChangeRequest): string {
  switch (c.kind) {
    case 'inline':
      return `${c.document === undefined ? 'delete' : 'put'} ${c.entity} ${c.name} inline policy ${c.policyName}`;
    case 'managed':
      return `new default version of ${c.policyArn}`;
    case 'attach':
    case 'detach':
      return `${c.kind} ${c.policyArn} ${c.kind === 'attach' ? 'to' : 'from'} ${c.entity} ${c.name}`;
    case 'boundary':
      return c.policyArn
        ? `permissions boundary ${c.policyArn} on ${c.entity} ${c.name}`
        : `no permissions boundary on ${c.entity} ${c.name}`;
    case 'identity-policy':
      return `${c.document === undefined ? 'delete' : 'put'} policy ${c.policyName} of identity ${c.identity}`;
  }
}
