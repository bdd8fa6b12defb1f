// The simulator's request members (botocore iam 2010-05-08 SimulatePrincipalPolicy /
// SimulateCustomPolicy): typed context entries, policy inputs, the resource owner.
import { constraintViolation, invalidInput, required } from './errors.js';
import type { ContextValue, NamedPolicy } from '../policy/request.js';
import { parsePolicy } from '../policy/parse.js';
import { validatePolicy } from '../policy/validate.js';
import type { PolicyType } from '../policy/types.js';

export interface ContextEntry {
  ContextKeyName?: string;
  ContextKeyValues?: string[];
  ContextKeyType?: string;
}

const SCALAR_TYPES = new Set(['string', 'numeric', 'boolean', 'ip', 'binary', 'date']);
const LIST_TYPES = new Set(['stringList', 'numericList', 'booleanList', 'ipList', 'binaryList', 'dateList']);
const TYPE_ENUM =
  '[string, stringList, numeric, numericList, boolean, booleanList, ip, ipList, binary, binaryList, date, dateList]';

/**
 * Context entries -> request context. List types stay multivalued; scalar types take their one
 * value. Nothing else is added: the simulator evaluates only the keys the caller supplies.
 */
export function contextFromEntries(entries: ContextEntry[] | undefined): Record<string, ContextValue> {
  const out: Record<string, ContextValue> = {};
  (entries ?? []).forEach((e, i) => {
    const member = `contextEntries.${i + 1}.member`;
    const name = required(e.ContextKeyName, `${member}.contextKeyName`);
    if (name.length < 5)
      throw constraintViolation(
        name,
        `${member}.contextKeyName`,
        'Member must have length greater than or equal to 5',
      );
    if (name.length > 256)
      throw constraintViolation(
        name,
        `${member}.contextKeyName`,
        'Member must have length less than or equal to 256',
      );
    const type = required(e.ContextKeyType, `${member}.contextKeyType`);
    const values = e.ContextKeyValues ?? [];
    if (LIST_TYPES.has(type)) out[name] = [...values];
    else if (SCALAR_TYPES.has(type)) {
      // [INF] AWS's wording for a scalar type given several values is not recorded.
      if (values.length !== 1)
        throw invalidInput(`Context key ${name} of type ${type} needs exactly one value.`);
      out[name] = values[0]!;
    } else
      throw constraintViolation(
        type,
        `${member}.contextKeyType`,
        `Member must satisfy enum value set: ${TYPE_ENUM}`,
      );
  });
  return out;
}

export function actionNames(value: string[] | undefined): string[] {
  const v = required(value, 'actionNames');
  v.forEach((a, i) => {
    const member = `actionNames.${i + 1}.member`;
    if (a.length < 3)
      throw constraintViolation(a, member, 'Member must have length greater than or equal to 3');
    if (a.length > 128)
      throw constraintViolation(a, member, 'Member must have length less than or equal to 128');
  });
  return v;
}

export function resourceArns(value: string[] | undefined): string[] {
  if (value === undefined || value.length === 0) return ['*'];
  value.forEach((r, i) => {
    if (r.length < 1 || r.length > 2048)
      throw constraintViolation(
        r,
        `resourceArns.${i + 1}.member`,
        'Member must have length less than or equal to 2048',
      );
  });
  return value;
}

/** `arn:aws:iam::123456789012:root` or a bare account id -> the account id. */
export function resourceOwnerAccount(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const m = /^(?:arn:aws:iam::(\d{12}):root|(\d{12}))$/.exec(value);
  // AWS's text (its grammar as recorded).
  if (!m) throw invalidInput(`'${value}' is not a valid as a Resource Owner.`);
  return m[1] ?? m[2];
}

/**
 * Policy documents given inline, named as AWS names them in MatchedStatements
 * (`PolicyInputList.1`, `PermissionsBoundaryPolicyInputList.1`, `ResourcePolicy`).
 * [INF] AWS's wording for an invalid input document is not recorded: the validator's text is used.
 */
export function inputPolicies(
  texts: string[] | undefined,
  listName: string,
  type: PolicyType,
): NamedPolicy[] {
  return (texts ?? []).map((text, i) => inputPolicy(text, `${listName}.${i + 1}`, type));
}

export function inputPolicy(text: string, id: string, type: PolicyType): NamedPolicy {
  if (type === 'resource') {
    // Resource policies of every service may be simulated: only the grammar is checked.
    const r = parsePolicy(text);
    if (!r.ok) throw invalidInput(`${id}: ${r.errors[0]?.message ?? 'Syntax errors in policy.'}`);
    return { id, source: 'resource', policy: r.policy, text };
  }
  const v = validatePolicy(text, type);
  if (!v.ok) throw invalidInput(`${id}: ${v.error.message}`);
  return { id, source: 'none', policy: v.policy, text };
}
