// Model constraints of the STS API (botocore sts 2011-06-15), checked in the domain so every
// protocol answers AWS's ValidationError wording. Member names in messages are camelCase.
import { hasOnlyAllowedPolicyCharacters } from '../policy/limits.js';
import { constraintViolation, invalidParameter } from './errors.js';

export interface StsTag {
  Key: string;
  Value: string;
}

export function required<T>(value: T | undefined | null, member: string): T {
  if (value === undefined || value === null)
    throw constraintViolation('null', member, 'Member must not be null');
  return value;
}

function lengthIn(value: string, member: string, min: number, max: number): void {
  if (value.length < min)
    throw constraintViolation(value, member, `Member must have length greater than or equal to ${min}`);
  if (value.length > max)
    throw constraintViolation(value, member, `Member must have length less than or equal to ${max}`);
}

function patterned(value: string, member: string, re: RegExp, shown: string): void {
  if (!re.test(value))
    throw constraintViolation(value, member, `Member must satisfy regular expression pattern: ${shown}`);
}

export function intInRange(value: number, member: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min)
    throw constraintViolation(value, member, `Member must have value greater than or equal to ${min}`);
  if (value > max)
    throw constraintViolation(value, member, `Member must have value less than or equal to ${max}`);
  return value;
}

export function roleArnInput(value: string | undefined): string {
  const v = required(value, 'roleArn');
  lengthIn(v, 'roleArn', 20, 2048);
  return v;
}

export function roleSessionName(value: string | undefined): string {
  const v = required(value, 'roleSessionName');
  lengthIn(v, 'roleSessionName', 2, 64);
  patterned(v, 'roleSessionName', /^[\w+=,.@-]*$/, '[\\w+=,.@-]*');
  return v;
}

export function externalId(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  lengthIn(value, 'externalId', 2, 1224);
  patterned(value, 'externalId', /^[\w+=,.@:/-]*$/, '[\\w+=,.@:\\/-]*');
  return value;
}

export function sourceIdentity(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  lengthIn(value, 'sourceIdentity', 2, 64);
  patterned(value, 'sourceIdentity', /^[\w+=,.@-]*$/, '[\\w+=,.@-]*');
  return value;
}

/** Inline session policy: the model's charset (no length limit in the model; the packed size limits it). */
export function sessionPolicyText(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  lengthIn(value, 'policy', 1, Number.MAX_SAFE_INTEGER);
  if (!hasOnlyAllowedPolicyCharacters(value))
    throw constraintViolation(
      value,
      'policy',
      'Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+',
    );
  return value;
}

export function policyArns(value: { arn?: string }[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  // The model sets no maximum; AWS documents "up to 10 managed policy ARNs". [INF] the wording.
  if (value.length > 10)
    throw constraintViolation(
      JSON.stringify(value),
      'policyArns',
      'Member must have length less than or equal to 10',
    );
  return value.map((p, i) => {
    const arn = required(p.arn, `policyArns.${i + 1}.member.arn`);
    lengthIn(arn, `policyArns.${i + 1}.member.arn`, 20, 2048);
    return arn;
  });
}

const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export function sessionTags(value: StsTag[] | undefined): StsTag[] {
  if (value === undefined) return [];
  if (value.length > 50)
    throw constraintViolation(
      JSON.stringify(value),
      'tags',
      'Member must have length less than or equal to 50',
    );
  const seen = new Set<string>();
  value.forEach((t, i) => {
    const member = `tags.${i + 1}.member`;
    const key = required(t.Key, `${member}.key`);
    const val = required(t.Value, `${member}.value`);
    lengthIn(key, `${member}.key`, 1, 128);
    patterned(key, `${member}.key`, TAG_KEY, '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+');
    lengthIn(val, `${member}.value`, 0, 256);
    patterned(val, `${member}.value`, TAG_VALUE, '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*');
    // Tag keys are case-insensitive in STS sessions (the model's docs).
    const lower = key.toLowerCase();
    if (seen.has(lower))
      throw invalidParameter('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(lower);
  });
  return value;
}

export function transitiveTagKeys(value: string[] | undefined, tags: readonly StsTag[]): string[] {
  if (value === undefined) return [];
  if (value.length > 50)
    throw constraintViolation(
      JSON.stringify(value),
      'transitiveTagKeys',
      'Member must have length less than or equal to 50',
    );
  const keys = new Set(tags.map((t) => t.Key.toLowerCase()));
  for (const [i, k] of value.entries()) {
    lengthIn(k, `transitiveTagKeys.${i + 1}.member`, 1, 128);
    if (!keys.has(k.toLowerCase()))
      throw invalidParameter('The specified transitive tag key must be included in the requested tags.');
  }
  return value;
}
