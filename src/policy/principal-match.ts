// Principal / NotPrincipal of resource-based and trust policies (docs/spec/iam.md §2.4). The kind of match
// matters for the decision (§4.3): a grant to the user or session ARN (or to `*`) is direct; a
// grant to a role ARN covers its sessions but stays capped by boundary and session policy; a grant
// to an account is delegation only.

import type { CallerPrincipal } from './request.js';
import type { PrincipalSpec } from './types.js';

export type PrincipalMatchKind = 'direct' | 'capped' | 'account';

export interface CompiledPrincipal {
  wildcard: boolean;
  arns: ReadonlySet<string>;
  accounts: ReadonlySet<string>;
  services: ReadonlySet<string>;
  federated: ReadonlySet<string>;
}

const ACCOUNT_ID = /^\d{12}$/;
const ROOT_ARN = /^arn:[^:]+:iam::(\d{12}):root$/;

export function compilePrincipal(spec: PrincipalSpec): CompiledPrincipal {
  const arns = new Set<string>();
  const accounts = new Set<string>();
  let wildcard = spec.wildcard;
  for (const a of spec.aws) {
    if (a === '*') wildcard = true;
    else if (ACCOUNT_ID.test(a)) accounts.add(a);
    else {
      const root = ROOT_ARN.exec(a);
      if (root) accounts.add(root[1]!);
      else arns.add(a);
    }
  }
  return {
    wildcard,
    arns,
    accounts,
    services: new Set(spec.service.map((s) => s.toLowerCase())),
    federated: new Set(spec.federated),
  };
}

/** How the caller is named by the principal element; null when it is not. Strongest kind wins. */
export function matchPrincipal(p: CompiledPrincipal, caller: CallerPrincipal): PrincipalMatchKind | null {
  if (p.wildcard) return 'direct';
  if (caller.kind === 'Service')
    return caller.service !== undefined && p.services.has(caller.service.toLowerCase()) ? 'direct' : null;
  if (caller.kind === 'Anonymous') return null;
  if (caller.kind !== 'Account' && p.arns.has(caller.arn)) return 'direct';
  if (caller.kind === 'AssumedRole' && caller.roleArn !== undefined && p.arns.has(caller.roleArn))
    return 'capped';
  if (caller.kind === 'FederatedUser' && caller.userArn !== undefined && p.arns.has(caller.userArn))
    return 'capped';
  if (caller.accountId !== undefined && p.accounts.has(caller.accountId)) return 'account';
  return null;
}
