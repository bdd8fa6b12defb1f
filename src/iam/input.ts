// Model constraints of the IAM API (botocore iam 2010-05-08), checked in the domain so every
// protocol gets AWS's ValidationError wording. Member names in messages are camelCase, as AWS says.
import { hasOnlyAllowedPolicyCharacters } from '../policy/limits.js';
import { constraintViolation, invalidInput } from './errors.js';

const NAME = /^[\w+=,.@-]+$/;
const PATH = /^(\/|\/[\u0021-\u007E]+\/)$/;
const PATH_PREFIX = /^\/[\u0021-\u007F]*$/;
const POLICY_PATH = /^((\/[A-Za-z0-9.,+@=_-]+)*)\/$/;

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

/** User and role names: 1–64 (groups and policies: 1–128) of `[\w+=,.@-]`. */
export function entityName(value: string | undefined, member: string, max = 64): string {
  const v = required(value, member);
  lengthIn(v, member, 1, max);
  if (!NAME.test(v))
    throw constraintViolation(v, member, 'Member must satisfy regular expression pattern: [\\w+=,.@-]+');
  return v;
}

export function entityPath(value: string | undefined, member = 'path'): string {
  if (value === undefined) return '/';
  lengthIn(value, member, 1, 512);
  if (!PATH.test(value))
    throw constraintViolation(
      value,
      member,
      'Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)',
    );
  return value;
}

export function policyPath(value: string | undefined): string {
  if (value === undefined) return '/';
  lengthIn(value, 'path', 1, 512);
  if (!POLICY_PATH.test(value))
    throw constraintViolation(
      value,
      'path',
      'Member must satisfy regular expression pattern: ((/[A-Za-z0-9\\.,\\+@=_-]+)*)/',
    );
  return value;
}

export function pathPrefix(value: string | undefined): string {
  if (value === undefined) return '/';
  lengthIn(value, 'pathPrefix', 1, 512);
  if (!PATH_PREFIX.test(value))
    throw constraintViolation(
      value,
      'pathPrefix',
      'Member must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*',
    );
  return value;
}

export function maxItems(value: number | undefined): number {
  if (value === undefined) return 100;
  if (!Number.isInteger(value) || value < 1)
    throw constraintViolation(value, 'maxItems', 'Member must have value greater than or equal to 1');
  if (value > 1000)
    throw constraintViolation(value, 'maxItems', 'Member must have value less than or equal to 1000');
  return value;
}

export function intInRange(value: number, member: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min)
    throw constraintViolation(value, member, `Member must have value greater than or equal to ${min}`);
  if (value > max)
    throw constraintViolation(value, member, `Member must have value less than or equal to ${max}`);
  return value;
}

export function description(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  lengthIn(value, 'description', 0, 1000);
  return value;
}

export function arnValue(value: string | undefined, member: string): string {
  const v = required(value, member);
  lengthIn(v, member, 20, 2048);
  return v;
}

/** Policy document charset and API size (131,072) from the model. */
export function policyDocument(value: string | undefined, member = 'policyDocument'): string {
  const v = required(value, member);
  lengthIn(v, member, 1, 131072);
  if (!hasOnlyAllowedPolicyCharacters(v))
    throw constraintViolation(
      v,
      member,
      'Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+',
    );
  return v;
}

export interface Tag {
  Key: string;
  Value: string;
}

const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Validates a Tags list (≤ 50, key 1–128, value ≤ 256, no case-insensitive duplicates). */
export function tags(value: Tag[] | undefined): Tag[] {
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
    if (!TAG_KEY.test(key))
      throw constraintViolation(
        key,
        `${member}.key`,
        'Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+',
      );
    lengthIn(val, `${member}.value`, 0, 256);
    if (!TAG_VALUE.test(val))
      throw constraintViolation(
        val,
        `${member}.value`,
        'Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*',
      );
    const lower = key.toLowerCase();
    if (seen.has(lower))
      throw invalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(lower);
  });
  return value;
}

export function tagKeys(value: string[] | undefined): string[] {
  const v = required(value, 'tagKeys');
  if (v.length > 50)
    throw constraintViolation(
      JSON.stringify(v),
      'tagKeys',
      'Member must have length less than or equal to 50',
    );
  return v;
}

/** An optional enum member: one of the model's values, else IAM's constraint message. */
export function enumValue<T extends string>(
  value: string | undefined,
  member: string,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw constraintViolation(value, member, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  return value as T;
}
