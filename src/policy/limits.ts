// Policy size and character limits (docs/spec/iam.md §1.5 table, IAM quotas page).

import type { PolicyType } from './types.js';

export interface PolicySizeLimit {
  /** Largest allowed size. */
  max: number;
  /** How size is measured: IAM does not count whitespace outside strings; SES counts the text. */
  measure: 'withoutWhitespace' | 'length';
  /** The LimitExceeded message AWS answers with. */
  message: string;
}

export const POLICY_SIZE_LIMITS: Readonly<Record<PolicyType, PolicySizeLimit>> = {
  // Customer managed policy (also what a permissions boundary is).
  identity: { max: 6144, measure: 'withoutWhitespace', message: 'Cannot exceed quota for PolicySize: 6144' },
  boundary: { max: 6144, measure: 'withoutWhitespace', message: 'Cannot exceed quota for PolicySize: 6144' },
  // Observed AWS text for role trust policies (adjustable quota, default 2048).
  trust: { max: 2048, measure: 'withoutWhitespace', message: 'Cannot exceed quota for ACLSizePerRole: 2048' },
  // [INF] STS's wording for an oversized inline session policy is not recorded; IAM's form is used.
  session: { max: 2048, measure: 'withoutWhitespace', message: 'Cannot exceed quota for PolicySize: 2048' },
  // [INF] SES documents "4 KB" without saying how it counts; we count the text as sent.
  resource: { max: 4096, measure: 'length', message: 'Cannot exceed quota for PolicySize: 4096' },
  // Organizations' wording (docs/spec/iam.md §1.5).
  scp: { max: 5120, measure: 'withoutWhitespace', message: 'You have exceeded the maximum policy size.' },
};

/**
 * Aggregate inline-policy size per entity, checked by the IAM service over all of an entity's inline
 * policies (not per document): `Maximum policy size of 2048 bytes exceeded for user <name>`.
 */
export const INLINE_POLICY_AGGREGATE_LIMITS = { user: 2048, group: 5120, role: 10240 } as const;

export function inlineAggregateLimitMessage(
  entity: keyof typeof INLINE_POLICY_AGGREGATE_LIMITS,
  name: string,
): string {
  return `Maximum policy size of ${INLINE_POLICY_AGGREGATE_LIMITS[entity]} bytes exceeded for ${entity} ${name}`;
}

/** API-level maximum length of a policy document parameter (IAM/STS models). */
export const POLICY_DOCUMENT_MAX_LENGTH = 131072;

/** IAM/STS API pattern for policy documents: TAB, LF, CR and U+0020–U+00FF. */
export const POLICY_DOCUMENT_PATTERN = '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+';

export function hasOnlyAllowedPolicyCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d)) return false;
  }
  return true;
}

/**
 * Size as IAM counts it: every character except JSON whitespace outside string literals.
 * Works on any text (also malformed JSON), so it can run before parsing.
 */
export function policySize(text: string): number {
  let size = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      size++;
      if (c === 0x5c /* \ */ && i + 1 < text.length) {
        size++;
        i++;
      } else if (c === 0x22) inString = false;
    } else if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
      continue;
    } else {
      size++;
      if (c === 0x22) inString = true;
    }
  }
  return size;
}

/** The size of `text` measured the way `type`'s limit is measured. */
export function measurePolicy(text: string, type: PolicyType): number {
  return POLICY_SIZE_LIMITS[type].measure === 'length' ? text.length : policySize(text);
}
