// Write-time validation of a policy document, in IAM's order and with IAM's exact
// MalformedPolicyDocument texts (docs/spec/iam.md §1.4, §1.5). IAM reports only the first failing class:
// syntax, version, legacy parsing, SIDs, missing actions, resource format, action format, then the
// rules of the policy type. The order and the corner cases follow the recorded AWS answers in
// test/policy/fixtures/iam-policy-validation.json.

import {
  hasOnlyAllowedPolicyCharacters,
  measurePolicy,
  POLICY_DOCUMENT_PATTERN,
  POLICY_SIZE_LIMITS,
} from './limits.js';
import { readPolicy } from './parse.js';
import type { PolicyIssue, PolicyReading, RawStatement } from './parse.js';
import type { Policy, PolicyType, Statement } from './types.js';

export { isKnownConditionOperator } from './parse.js';

export type ValidationResult = { ok: true; policy: Policy } | { ok: false; error: PolicyIssue };

export interface ValidateOptions {
  /** Resource policies: the ARN of the resource the policy is attached to (SES: the identity ARN). */
  resourceArn?: string;
}

export const MESSAGES = {
  syntax: 'Syntax errors in policy.',
  version: 'Policy document must be version 2012-10-17 or greater.',
  legacy: 'The policy failed legacy parsing',
  sidFormat:
    'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*',
  sidUnique: 'Statement IDs (SID) in a single policy must be unique.',
  actionsRequired: 'Policy statement must contain actions.',
  resourcesRequired: 'Policy statement must contain resources.',
  noPrincipal: 'Policy document should not specify a principal.',
  actionVendor: 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
  actionColon: 'Actions/Condition can contain only one colon.',
  resourceVendor: 'Resource vendor must be fully qualified and cannot contain regexes.',
  iamPath:
    'IAM resource path must either be "*" or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.',
  prohibitedResource: 'Has prohibited field Resource.',
  // [INF] By analogy with "Has prohibited field Resource."; IAM's exact texts are not recorded.
  prohibitedNotPrincipal: 'Has prohibited field NotPrincipal.',
  missingPrincipal: 'Missing required field Principal.',
  // moto's reverse-engineered text (the double space is AWS's).
  trustActions:
    'Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity',
} as const;

const IAM_PATH_PREFIXES = [
  'user/',
  'federated-user/',
  'role/',
  'group/',
  'instance-profile/',
  'mfa/',
  'server-certificate/',
  'policy/',
  'sms-mfa/',
  'saml-provider/',
  'oidc-provider/',
  'report/',
  'access-report/',
];
const PARTITIONS = new Set([
  'aws',
  'aws-cn',
  'aws-us-gov',
  'aws-iso',
  'aws-iso-b',
  'aws-iso-e',
  'aws-iso-f',
  'aws-eusc',
]);
/** Policy types that IAM itself validates as identity-style documents (Version, SID charset, no Principal). */
const IDENTITY_LIKE: ReadonlySet<PolicyType> = new Set(['identity', 'boundary', 'session', 'scp']);

type PathOf = (s: Statement) => string;

const malformed = (message: string, path?: string): ValidationResult => ({
  ok: false,
  error:
    path === undefined
      ? { code: 'MalformedPolicyDocument', message }
      : { code: 'MalformedPolicyDocument', message, path },
});

export function validatePolicy(
  input: string,
  type: PolicyType,
  opts: ValidateOptions = {},
): ValidationResult {
  return checkPolicy(input, type, opts).result;
}

/** validatePolicy's result and what it read to reach it, for callers that explain the result. */
export interface PolicyCheck {
  result: ValidationResult;
  /** The reading of the text; absent when refused before parsing (characters, size). */
  reading?: PolicyReading;
}

/** validatePolicy that also hands back its reading, so the linter never parses the text again. */
export function checkPolicy(input: string, type: PolicyType, opts: ValidateOptions = {}): PolicyCheck {
  const seen: { reading?: PolicyReading } = {};
  let result: ValidationResult;
  try {
    result = validateUnsafe(input, type, opts, seen);
  } catch {
    result = malformed(MESSAGES.syntax); // never throw; nothing here is expected to
  }
  return seen.reading ? { result, reading: seen.reading } : { result };
}

function validateUnsafe(
  input: string,
  type: PolicyType,
  opts: ValidateOptions,
  seen: { reading?: PolicyReading },
): ValidationResult {
  if (typeof input !== 'string') return malformed(MESSAGES.syntax);
  // The IAM/STS API pattern on the document parameter; SES's Policy parameter has none.
  if (type !== 'resource' && !hasOnlyAllowedPolicyCharacters(input)) {
    return {
      ok: false,
      error: {
        code: 'ValidationError',
        message: `Value at 'policyDocument' failed to satisfy constraint: Member must satisfy regular expression pattern: ${POLICY_DOCUMENT_PATTERN}`,
      },
    };
  }
  // [INF] Size before content: the order between the two is not recorded; checking size first also
  // keeps huge documents away from the parser.
  const limit = POLICY_SIZE_LIMITS[type];
  if (measurePolicy(input, type) > limit.max)
    return { ok: false, error: { code: 'LimitExceeded', message: limit.message } };

  const reading = readPolicy(input);
  seen.reading = reading;
  const first = reading.errors[0];
  if (first) return malformed(MESSAGES.syntax, first.path);
  const { policy, raw } = reading;
  const statements = policy.statements;
  const pathOf: PathOf = (s) => raw[s.index]?.path ?? `Statement[${s.index}]`;

  if (IDENTITY_LIKE.has(type) && policy.version !== '2012-10-17')
    return malformed(MESSAGES.version, 'Version');

  const legacy = legacyEffectsAndDates(policy, raw, pathOf);
  if (legacy) return malformed(MESSAGES.legacy, legacy);

  // Resource formats: the first format error is reported later (after SIDs and actions), but a
  // statement's legacy ARN check runs only while no format error has been seen (AWS's order).
  let resourceError: { message: string; path: string } | undefined;
  for (const s of statements) {
    for (const [list, key] of [
      [s.resource, 'Resource'],
      [s.notResource, 'NotResource'],
    ] as const) {
      if (!list) continue;
      for (const r of list) {
        const message = resourceFormatError(r);
        if (message && !resourceError) resourceError = { message, path: `${pathOf(s)}.${key}` };
      }
      if (!resourceError && list.some((r) => !passesLegacyArnParsing(r)))
        return malformed(MESSAGES.legacy, `${pathOf(s)}.${key}`);
    }
  }

  if (type !== 'resource') {
    // IAM's message names [0-9A-Za-z]*, and rejects "-" and spaces (observed), yet the recorded
    // vectors show SIDs with "_" accepted: the recording wins, so "_" passes.
    const bad = statements.find((s) => s.sid !== undefined && !/^[0-9A-Za-z_]*$/.test(s.sid));
    if (bad) return malformed(MESSAGES.sidFormat, `${pathOf(bad)}.Sid`);
  }
  const sids = new Set<string>();
  for (const s of statements) {
    if (!s.sid) continue; // empty SIDs may repeat (recorded AWS behaviour)
    if (sids.has(s.sid)) return malformed(MESSAGES.sidUnique, `${pathOf(s)}.Sid`);
    sids.add(s.sid);
  }

  for (const s of statements) {
    if (!(s.action ?? s.notAction)?.length) return malformed(MESSAGES.actionsRequired, pathOf(s));
  }

  if (resourceError) return malformed(resourceError.message, resourceError.path);

  for (const s of statements) {
    for (const [list, key] of [
      [s.action, 'Action'],
      [s.notAction, 'NotAction'],
    ] as const) {
      for (const a of list ?? []) {
        const message = actionFormatError(a);
        if (message) return malformed(message, `${pathOf(s)}.${key}`);
      }
    }
  }

  const typeError =
    type === 'trust'
      ? trustRules(policy, pathOf)
      : type === 'resource'
        ? resourcePolicyRules(policy, pathOf, opts)
        : identityRules(policy, pathOf);
  return typeError ?? { ok: true, policy };
}

/** Step 3a: Effect in exact case and Date* condition values IAM's legacy parser understands. */
function legacyEffectsAndDates(policy: Policy, raw: RawStatement[], pathOf: PathOf): string | undefined {
  for (let i = 0; i < policy.statements.length; i++) {
    const s = policy.statements[i] as Statement;
    if (raw[i]?.effect !== 'Allow' && raw[i]?.effect !== 'Deny') return `${pathOf(s)}.Effect`;
    for (const c of s.conditions) {
      if (c.base.startsWith('Date') && !c.values.every(isLegacyDateValue)) return `${pathOf(s)}.Condition`;
    }
  }
  return undefined;
}

/** Python-`int()`-like integer (what IAM's legacy parser evidently uses): sign, digits, `_` groups, padding. */
function legacyInt(s: string): bigint | undefined {
  const m = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/.exec(s);
  if (!m) return undefined;
  const n = BigInt((m[2] as string).replaceAll('_', ''));
  return m[1] === '-' ? -n : n;
}

const inRange = (s: string | undefined, lo: bigint, hi: bigint): boolean => {
  const n = s === undefined ? undefined : legacyInt(s);
  return n !== undefined && n >= lo && n <= hi;
};

/**
 * A Date* value IAM accepts: an epoch-seconds integer in [0, 2^63-1], or a loose ISO 8601 form
 * (`2016-12-13t2:00:00.593194+23`, `01T`, `-292275054` are accepted; `+1`, 10 fraction digits,
 * month 13 are not). [INF] A negative offset (`-05`) is accepted like a positive one.
 */
export function isLegacyDateValue(value: string): boolean {
  const v = value.toLowerCase();
  if (!v.includes('t') && !v.includes('-')) return inRange(v, 0n, 9223372036854775807n);
  const tAt = v.indexOf('t');
  const datePart = tAt < 0 ? v : v.slice(0, tAt);
  const timePart = tAt < 0 ? '' : v.slice(tAt + 1);
  const negative = datePart.startsWith('-');
  const dateParts = (negative ? datePart.slice(1) : datePart).split('-');
  if (dateParts.length > 3) return false;
  if (!inRange(negative ? `-${dateParts[0]}` : dateParts[0], -292275054n, 292278993n)) return false;
  if (dateParts.length > 1 && !inRange(dateParts[1], 1n, 12n)) return false;
  if (dateParts.length > 2 && !inRange(dateParts[2], 1n, 31n)) return false;

  const time = timePart.split(':');
  if (time[0] !== '' && !inRange(time[0], 0n, 23n)) return false;
  if (time.length === 2) {
    // W3C's "hh:mmTZD" profile: AWS's own SES example writes `2018-08-31T12:00Z`.
    const m = /^(\d+)(z|[+-]\d{2})?$/.exec(time[1] as string);
    return (
      m !== null &&
      inRange(m[1], 0n, 59n) &&
      (m[2] === undefined || m[2] === 'z' || inRange(m[2].slice(1), 0n, 23n))
    );
  }
  if (time.length <= 2) return true;
  let seconds = time[2] as string;
  const z = seconds.indexOf('z');
  const offsetAt = Math.max(seconds.indexOf('+'), seconds.indexOf('-'));
  if (z >= 0) {
    if (z !== seconds.length - 1) return false;
    seconds = seconds.slice(0, z);
  } else if (offsetAt >= 0) {
    const hours = seconds.slice(offsetAt + 1);
    if (hours.length !== 2 || !inRange(hours, 0n, 23n)) return false;
    seconds = seconds.slice(0, offsetAt);
  }
  const dot = seconds.indexOf('.');
  if (!inRange(dot < 0 ? seconds : seconds.slice(0, dot), 0n, 59n)) return false;
  return dot < 0 || inRange(seconds.slice(dot + 1), 0n, 999999999n);
}

/** IAM's legacy ARN parser: no `::`-shortened ARN with fewer than 6 fields, and a service field. */
function passesLegacyArnParsing(r: string): boolean {
  if (r === '*') return true;
  const parts = r.split(':');
  if (parts.length < 6 && r.includes('::')) return false;
  return parts[2] !== undefined && parts[2] !== '';
}

/** Step 6: the resource format checks; `undefined` when the entry is acceptable. */
export function resourceFormatError(r: string): string | undefined {
  if (r === '*') return undefined;
  const c1 = r.indexOf(':');
  if (c1 < 0) return `Resource ${r} must be in ARN format or "*".`;
  const afterPrefix = r.slice(c1 + 1); // the first field is not checked ("a:aws:s3:::b" passes)
  const c2 = afterPrefix.indexOf(':');
  const partition = c2 < 0 ? afterPrefix : afterPrefix.slice(0, c2);
  const rest = c2 < 0 ? '' : afterPrefix.slice(c2 + 1);
  if (partition !== '*' && !PARTITIONS.has(partition)) {
    // AWS shows the resource rebuilt as an ARN, padding missing fields with `*`.
    const f = rest.split(':');
    const service = f[0] !== '' || f.length > 1 ? f[0] : '*';
    const tail = f.length > 3 ? f.slice(3).join(':') : '*';
    return `Partition "${partition}" is not valid for resource "arn:${partition}:${service}:${f[1] ?? '*'}:${f[2] ?? '*'}:${tail}".`;
  }
  if (c2 < 0) return MESSAGES.resourceVendor;
  const c3 = rest.indexOf(':');
  const service = c3 < 0 ? rest : rest.slice(0, c3);
  const afterService = c3 < 0 ? '' : rest.slice(c3 + 1); // region:account:resource
  const fields = afterService.split(':');
  const resourceId = fields.slice(2).join(':');
  const hasRegion = !afterService.startsWith(':');
  if (service === 'iam' && hasRegion) return `IAM resource ${r} cannot contain region information.`;
  if (service === 's3' && hasRegion && !resourceId.startsWith('accesspoint/'))
    return `Resource ${r} can not contain region information.`;
  if (service === 'iam' && resourceId !== '*' && !IAM_PATH_PREFIXES.some((p) => resourceId.startsWith(p)))
    return MESSAGES.iamPath;
  return undefined;
}

/** Step 7: `vendor:action` (the part after the colon is not checked by IAM). */
export function actionFormatError(a: string): string | undefined {
  const parts = a.split(':');
  if (parts.length === 1 && a !== '*') return MESSAGES.actionVendor;
  if (parts.length > 2) return MESSAGES.actionColon;
  const vendor = parts[0] as string;
  if (vendor !== '*' && /[^A-Za-z0-9.-]/.test(vendor)) return `Vendor ${vendor} is not valid`;
  return undefined;
}

function identityRules(policy: Policy, pathOf: PathOf): ValidationResult | undefined {
  for (const s of policy.statements) {
    if (s.principal || s.notPrincipal)
      return malformed(MESSAGES.noPrincipal, `${pathOf(s)}.${s.principal ? 'Principal' : 'NotPrincipal'}`);
  }
  for (const s of policy.statements) {
    if (!(s.resource ?? s.notResource)?.length) return malformed(MESSAGES.resourcesRequired, pathOf(s));
  }
  return undefined;
}

function trustRules(policy: Policy, pathOf: PathOf): ValidationResult | undefined {
  for (const s of policy.statements) {
    const path = pathOf(s);
    if (s.notPrincipal) return malformed(MESSAGES.prohibitedNotPrincipal, `${path}.NotPrincipal`);
    if (!s.principal) return malformed(MESSAGES.missingPrincipal, path);
  }
  for (const s of policy.statements) {
    // Only STS actions assume a role; `NotAction` would grant every other action.
    const ok = s.action !== undefined && s.action.every((a) => a.toLowerCase().startsWith('sts:'));
    if (!ok) return malformed(MESSAGES.trustActions, `${pathOf(s)}.${s.action ? 'Action' : 'NotAction'}`);
  }
  for (const s of policy.statements) {
    if (s.resource || s.notResource)
      return malformed(
        MESSAGES.prohibitedResource,
        `${pathOf(s)}.${s.resource ? 'Resource' : 'NotResource'}`,
      );
  }
  return undefined;
}

/** SES sending authorization (docs/spec/iam.md §1.4, docs/spec/ses.md §4.2): Principal, and the identity as Resource. */
function resourcePolicyRules(
  policy: Policy,
  pathOf: PathOf,
  opts: ValidateOptions,
): ValidationResult | undefined {
  for (const s of policy.statements) {
    const path = pathOf(s);
    if (!s.principal && !s.notPrincipal) return malformed(MESSAGES.missingPrincipal, path);
    if (!(s.resource ?? s.notResource)?.length) return malformed(MESSAGES.resourcesRequired, path);
    if (opts.resourceArn === undefined) continue;
    if (s.notResource)
      return malformed(
        `Resource must be ${opts.resourceArn}, the resource the policy is attached to.`,
        `${path}.NotResource`,
      );
    for (const r of s.resource ?? []) {
      // [INF] SES's exact message for a foreign Resource is not recorded.
      if (r !== opts.resourceArn)
        return malformed(
          `Resource ${r} must be ${opts.resourceArn}, the resource the policy is attached to.`,
          `${path}.Resource`,
        );
    }
  }
  return undefined;
}
