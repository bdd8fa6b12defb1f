// Condition-key knowledge for lint: what a key is (namespace, type, which SES actions carry it)
// and, from the evaluator itself, how an operator behaves when a request lacks the key.

import { compileClause, OPERATORS } from './conditions/index.js';
import { GLOBAL_CONDITION_KEYS } from './lint-facts-global.js';
import { SES_CONDITION_KEYS, type ConditionKeyFact } from './lint-facts-ses.js';
import type { RequestContext } from './request.js';
import type { ConditionClause } from './types.js';

export interface KeyInfo {
  /** `ses`, `aws`, or another service prefix (lower-case); '' without a prefix. */
  namespace: string;
  /** The fact for a known ses:/aws: key; undefined when unknown or of another namespace. */
  fact?: ConditionKeyFact;
}

const BY_NAME = new Map<string, ConditionKeyFact>();
const TAG_PREFIXES: ConditionKeyFact[] = [];
for (const f of [...SES_CONDITION_KEYS, ...GLOBAL_CONDITION_KEYS]) {
  if (f.name.endsWith('/')) TAG_PREFIXES.push(f);
  else BY_NAME.set(f.name.toLowerCase(), f);
}

/** Names to suggest for a near miss (tag-key families shown as `aws:RequestTag/`). */
export const KNOWN_KEY_NAMES: readonly string[] = [...SES_CONDITION_KEYS, ...GLOBAL_CONDITION_KEYS].map(
  (f) => f.name,
);

export function keyInfo(key: string): KeyInfo {
  const lower = key.toLowerCase();
  const colon = lower.indexOf(':');
  const namespace = colon < 0 ? '' : lower.slice(0, colon);
  const exact = BY_NAME.get(lower);
  if (exact) return { namespace, fact: exact };
  for (const f of TAG_PREFIXES) {
    const prefix = f.name.toLowerCase();
    if (lower.startsWith(prefix) && lower.length > prefix.length) return { namespace, fact: f };
  }
  return { namespace };
}

export const isMultivalued = (f: ConditionKeyFact | undefined): boolean => f?.type === 'ArrayOfString';

/** Negated operators ("matches none of the values") as the evaluator defines them. */
export const isNegated = (base: string): boolean =>
  Object.hasOwn(OPERATORS, base) && OPERATORS[base]!.negated;

/** Null prototype: a key named `__proto__` or `constructor` must read as absent too. */
const NO_KEYS: RequestContext = Object.freeze(Object.create(null) as RequestContext);

/**
 * The clause's value when the request does not carry the key at all: the evaluator's own compiled
 * clause asked with an empty context, so lint and evaluation cannot disagree.
 */
export function outcomeWhenAbsent(c: ConditionClause): boolean {
  return compileClause(c, false).test(NO_KEYS);
}
