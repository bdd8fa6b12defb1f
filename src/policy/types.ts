// The normalized IAM policy document model (docs/spec/iam.md §1.6). Produced by parse.ts, consumed by
// compile.ts. Pure data: no functions, JSON-serialisable.

export type PolicyLanguageVersion = '2012-10-17' | '2008-10-17';
export type Effect = 'Allow' | 'Deny';

/** Where a policy is used; validation rules and size limits differ per type (docs/spec/iam.md §1.4). */
export type PolicyType = 'identity' | 'resource' | 'trust' | 'boundary' | 'session' | 'scp';

export interface SourcePosition {
  /** 1-based line */ line: number;
  /** 1-based column */ column: number;
}

export interface SourceRange {
  start: SourcePosition;
  end: SourcePosition;
}

/** `Principal` / `NotPrincipal`. `"*"` and `{"AWS":"*"}` both set `wildcard`. */
export interface PrincipalSpec {
  wildcard: boolean;
  aws: string[];
  service: string[];
  federated: string[];
  canonicalUser: string[];
}

export const BASE_CONDITION_OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnNotEquals',
  'ArnLike',
  'ArnNotLike',
  'Null',
] as const;
export type BaseConditionOperator = (typeof BASE_CONDITION_OPERATORS)[number];

export type SetQualifier = 'ForAllValues' | 'ForAnyValue';

/** One (operator, key) pair of a Condition block; a block is the AND of its clauses. */
export interface ConditionClause {
  /** The operator as written, e.g. `ForAllValues:StringLikeIfExists`. */
  operator: string;
  base: BaseConditionOperator;
  qualifier?: SetQualifier;
  ifExists: boolean;
  /** The key as written (evaluation compares lower-cased). */
  key: string;
  /** Policy values as strings (JSON booleans/numbers are stringified), order kept. */
  values: string[];
}

export interface Statement {
  /** Position in the Statement array (0-based); identifies the statement in traces. */
  index: number;
  sid?: string;
  effect: Effect;
  principal?: PrincipalSpec;
  notPrincipal?: PrincipalSpec;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  conditions: ConditionClause[];
  /** Where the statement object sits in the source text, when parsed from text. */
  range?: SourceRange;
}

export interface Policy {
  version?: string;
  id?: string;
  statements: Statement[];
}
