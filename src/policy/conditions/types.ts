// The shape every condition operator family compiles to (docs/spec/iam.md §3.3).

import type { RequestContext } from '../request.js';

/** True when the request value matches ANY policy value (the positive base test). */
export type AnyValueTest = (requestValue: string, ctx: RequestContext) => boolean;

export interface OperatorImpl {
  /** Negated operators are "matches none of the policy values" (§3.1). */
  negated: boolean;
  compile(values: readonly string[], variables: boolean): AnyValueTest;
}
