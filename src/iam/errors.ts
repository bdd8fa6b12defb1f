// IAM's error codes, statuses and texts, in one place so the wording matches AWS everywhere.
import { AwsError } from '../errors/aws-error.js';

export type EntityKind = 'user' | 'group' | 'role';
const Title: Record<EntityKind, string> = { user: 'User', group: 'Group', role: 'Role' };

export const noSuchEntity = (kind: EntityKind, name: string): AwsError =>
  new AwsError('NoSuchEntity', `The ${kind} with name ${name} cannot be found.`, 404);

export const noSuchInlinePolicy = (kind: EntityKind, name: string): AwsError =>
  new AwsError('NoSuchEntity', `The ${kind} policy with name ${name} cannot be found.`, 404);

export const noSuchPolicy = (arn: string): AwsError =>
  new AwsError('NoSuchEntity', `Policy ${arn} was not found.`, 404);

export const policyNotAttachable = (arn: string): AwsError =>
  new AwsError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`, 404);

/** An AWS service role policy (/aws-service-role/) is its service-linked role's only ("Customer Role": recorded). */
export const serviceRolePolicyNotAttachable = (kind: EntityKind): AwsError =>
  new AwsError(
    'PolicyNotAttachable',
    `Cannot attach a Service Role Policy to a ${kind === 'role' ? 'Customer Role' : Title[kind]}.`,
    400,
  );

export const noSuchPolicyVersion = (arn: string, versionId: string): AwsError =>
  new AwsError(
    'NoSuchEntity',
    `Policy ${arn} version ${versionId} does not exist or is not attachable.`,
    404,
  );

export const noSuchAccessKey = (accessKeyId: string): AwsError =>
  new AwsError('NoSuchEntity', `The Access Key with id ${accessKeyId} cannot be found.`, 404);

export const entityAlreadyExists = (kind: EntityKind, name: string): AwsError =>
  new AwsError('EntityAlreadyExists', `${Title[kind]} with name ${name} already exists.`, 409);

export const policyAlreadyExists = (name: string): AwsError =>
  new AwsError(
    'EntityAlreadyExists',
    `A policy called ${name} already exists. Duplicate names are not allowed.`,
    409,
  );

export const deleteConflict = (message: string): AwsError => new AwsError('DeleteConflict', message, 409);

export const limitExceeded = (message: string): AwsError => new AwsError('LimitExceeded', message, 409);

export const quotaExceeded = (quota: string, limit: number): AwsError =>
  limitExceeded(`Cannot exceed quota for ${quota}: ${limit}`);

export const invalidInput = (message: string): AwsError => new AwsError('InvalidInput', message, 400);

export const validationError = (message: string): AwsError => new AwsError('ValidationError', message, 400);

export const malformedPolicy = (message: string): AwsError =>
  new AwsError('MalformedPolicyDocument', message, 400);

/** AWS's model-constraint wording: `1 validation error detected: Value 'x' at 'userName' failed …`. */
export const constraintViolation = (value: unknown, member: string, constraint: string): AwsError =>
  validationError(
    `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );

/** Roles under IAM's reserved paths (service-linked and AWS SSO roles) are AWS's to change. */
export const unmodifiableRole = (name: string): AwsError =>
  new AwsError(
    'UnmodifiableEntity',
    `Cannot perform the operation on the protected role '${name}' - this role is only modifiable by AWS`,
    400,
  );

export const nonUserCredentials = (): AwsError =>
  validationError('Must specify userName when calling with non-User credentials');
