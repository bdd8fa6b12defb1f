// STS's error codes, statuses and texts in one place (botocore sts 2011-06-15 and AWS's observed
// answers). Texts marked [INF] are not recorded from AWS; they follow STS's style.
import { AwsError } from '../errors/aws-error.js';

/** STS's denial names no reason (observed 2014–2023): `User: X is not authorized to perform: A on resource: R`. */
export const stsAccessDenied = (callerArn: string, action: string, resource: string): AwsError =>
  new AwsError(
    'AccessDenied',
    `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource}`,
    403,
  );

export const validationError = (message: string): AwsError => new AwsError('ValidationError', message, 400);

/** AWS's model-constraint wording, as IAM and STS answer it. */
export const constraintViolation = (value: unknown, member: string, constraint: string): AwsError =>
  validationError(
    `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );

export const exceedsMaxSessionDuration = (): AwsError =>
  validationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');

export const exceedsChainingLimit = (): AwsError =>
  validationError(
    'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
  );

export const sessionCredentialsRefused = (operation: string): AwsError =>
  new AwsError('AccessDenied', `Cannot call ${operation} with session credentials`, 403);

export const malformedSessionPolicy = (message: string): AwsError =>
  new AwsError('MalformedPolicyDocument', message, 400);

export const packedPolicyTooLarge = (percent: number): AwsError =>
  new AwsError(
    'PackedPolicyTooLarge',
    `Packed policy consumes ${percent}% of allotted space, please use smaller policy.`,
    400,
  );

// [INF] STS's wording for these parameter errors is not recorded.
export const invalidParameter = (message: string): AwsError =>
  new AwsError('InvalidParameterValue', message, 400);
