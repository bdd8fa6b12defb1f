// The receipt API's errors in SES's words. Codes and HTTP statuses are the model's; the texts of
// RuleSetDoesNotExist, RuleDoesNotExist, AlreadyExists, CannotDelete and the action-target errors
// are AWS's as observed; the limit texts are Sesame's wording [INF: AWS's are not published].
import { AwsError } from '../../errors/aws-error.js';

const err = (code: string, message: string) => new AwsError(code, message, 400);

export const receiptErrors = {
  ruleSetMissing: (name: string) => err('RuleSetDoesNotExist', `Rule set does not exist: ${name}`),
  ruleMissing: (name: string) => err('RuleDoesNotExist', `Rule does not exist: ${name}`),
  ruleSetExists: (name: string) => err('AlreadyExists', `Rule set already exists: ${name}`),
  ruleExists: (name: string) => err('AlreadyExists', `Rule already exists: ${name}`),
  filterExists: (name: string) => err('AlreadyExists', `Filter already exists: ${name}`),
  cannotDeleteActive: (name: string) => err('CannotDelete', `Cannot delete active rule set: ${name}`),
  bucket: (bucket: string) => err('InvalidS3Configuration', `Could not write to bucket: ${bucket}`),
  kmsKey: (key: string) => err('InvalidS3Configuration', `Unable to use AWS KMS key: ${key}`),
  topic: (topic: string) => err('InvalidSnsTopic', `Invalid SNS topic: ${topic}`),
  lambda: (fn: string) => err('InvalidLambdaFunction', `Invalid Lambda function: ${fn}`),
  role: () => err('InvalidParameterValue', 'Could not assume the provided IAM role'),
  invalid: (message: string) => err('InvalidParameterValue', message),
  /** The front end's constraint error, for the name patterns the model does not carry. */
  pattern: (path: string) =>
    err(
      'ValidationError',
      `1 validation error detected: Value at '${path}' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9_.-]+$`,
    ),
  limit: (message: string) => err('LimitExceeded', message),
};

/** Limits of SES receiving (SES quotas page): per account and region, per rule set, per rule. */
export const RECEIPT_LIMITS = {
  ruleSets: 40,
  rulesPerSet: 200,
  actionsPerRule: 10,
  recipientsPerRule: 100,
  filters: 100,
};
