// SES error constructors, in the words each API uses (docs/spec/ses.md §3.4, §3.6, §4.2 and the recorded texts
// of aws-recorded/ses-responses.json). v1 codes are Query codes (HTTP 400, Sender); v2 codes are
// exception names with their modelled HTTP status.
import { AwsError } from '../errors/aws-error.js';

export const v1Error = (code: string, message: string): AwsError => new AwsError(code, message, 400);
export const invalidParameter = (message: string): AwsError => v1Error('InvalidParameterValue', message);

export const badRequest = (message: string): AwsError => new AwsError('BadRequestException', message, 400);
export const notFound = (message: string): AwsError => new AwsError('NotFoundException', message, 404);
export const alreadyExists = (message: string): AwsError =>
  new AwsError('AlreadyExistsException', message, 400);
export const limitExceeded = (message: string): AwsError =>
  new AwsError('LimitExceededException', message, 400);
export const conflict = (message: string): AwsError => new AwsError('ConflictException', message, 409);

export const texts = {
  identityUnknownV1: (id: string) => `Identity ${id} is not verified or does not exist.`,
  identityNotFound: (id: string) => `Email identity ${id} does not exist.`,
  identityExists: (id: string) => `Email identity ${id} already exist.`,
  invalidEmail: (a: string) => `Invalid email address <${a}>.`,
  invalidDomain: (d: string) => `Invalid domain name <${d}>.`,
  policyExists: (n: string) => `Policy <${n}> already exists`,
  policyLimit: (id: string) =>
    `Number of policies for <${id}> exceeds max allowed number of policies per resource`,
  policyNameInvalid:
    'PolicyName is invalid. Policy names must only include alpha-numeric characters, dashes, and underscores.',
  policyNameTooLong:
    "1 validation error detected: Value at 'policyName' failed to satisfy constraint: Member must have length less than or equal to 64",
  templateNotFound: (n: string) => `Template ${n} does not exist.`,
  templateExists: (n: string) => `Template ${n} already exists.`,
  configSetNotFound: (n: string) => `Configuration set <${n}> does not exist.`,
  configSetExists: (n: string) => `Configuration set <${n}> already exists.`,
  eventDestinationNotFound: (cs: string) => `No EventDestination found for ${cs}`,
  eventDestinationExists: (n: string, cs: string) =>
    `Event destination ${n} already exists in configuration set ${cs}.`,
  eventDestinationLimit: (cs: string) =>
    `Configuration set <${cs}> has reached the maximum number of event destinations.`,
  notificationType: (t: string) =>
    `Invalid notification type: ${t}. Valid values are: Bounce, Complaint, Delivery.`,
  invalidNextToken: 'Invalid NextToken',
  // Reported by third-party probes of AWS (dedicated IPs); the others are [INF] in the same style.
  poolNotFound: (n: string) => `The requested pool <${n}> does not exist.`,
  poolExists: (n: string) => `The pool <${n}> already exists.`,
  dedicatedIpNotFound: (ip: string) => `Could not find dedicated IP ${ip} under this account.`,
  sendingPoolNotFound: (n: string) => `SendingPool <${n}> doesn't exist.`,
  tenantNotFound: (n: string) => `Tenant <${n}> does not exist.`,
  tenantExists: (n: string) => `Tenant <${n}> already exists.`,
  endpointNotFound: (n: string) => `Multi-region endpoint <${n}> does not exist.`,
  endpointExists: (n: string) => `Multi-region endpoint <${n}> already exists.`,
  testReportNotFound: (id: string) => `Deliverability test report <${id}> does not exist.`,
  identityLimit: (max: number, region: string) =>
    `Maximum number of identities reached: an account may have ${max} identities in ${region}.`,
};
