// One simulation: every action against every resource, decided by the policy engine with the
// explanation on, then paged the IAM way (MaxItems / Marker).
import { arnAccount, authorize } from '../policy/index.js';
import type { CallerPrincipal, ContextValue, NamedPolicy } from '../policy/request.js';
import { maxItems } from '../iam/input.js';
import { page } from '../iam/paging.js';
import { evaluationResult, type EvaluationResult } from './results.js';

export interface Simulation {
  principal: CallerPrincipal;
  identityPolicies: NamedPolicy[];
  permissionsBoundary?: NamedPolicy;
  resourcePolicy?: NamedPolicy;
  /** ResourceOwner: owns the resources whose ARN names no account. */
  resourceOwner?: string;
  /** The owner when neither the ARN nor ResourceOwner names one: the caller's account. */
  defaultOwner: string;
  actions: string[];
  resources: string[];
  context: Record<string, ContextValue>;
}

export interface SimulatePolicyResponse {
  EvaluationResults: EvaluationResult[];
  IsTruncated: boolean;
  Marker?: string;
}

export function simulate(s: Simulation): EvaluationResult[] {
  const policies = new Map<string, NamedPolicy>();
  for (const p of s.identityPolicies) policies.set(p.id, p);
  if (s.permissionsBoundary) policies.set(s.permissionsBoundary.id, s.permissionsBoundary);
  if (s.resourcePolicy) policies.set(s.resourcePolicy.id, s.resourcePolicy);
  const out: EvaluationResult[] = [];
  for (const action of s.actions) {
    for (const resource of s.resources) {
      // Per resource: its ARN's account, else ResourceOwner, else the caller's (botocore's model).
      const owner = arnAccount(resource) ?? s.resourceOwner ?? s.defaultOwner;
      const crossAccount = s.principal.accountId !== owner;
      const decision = authorize({
        principal: s.principal,
        action,
        resource,
        resourceAccount: owner,
        context: s.context,
        identityPolicies: s.identityPolicies,
        ...(s.resourcePolicy ? { resourcePolicies: [s.resourcePolicy] } : {}),
        ...(s.permissionsBoundary ? { permissionsBoundary: s.permissionsBoundary } : {}),
        explain: true,
      });
      out.push(
        evaluationResult({
          action,
          resource,
          decision,
          policies,
          hasBoundary: s.permissionsBoundary !== undefined,
          crossAccount,
        }),
      );
    }
  }
  return out;
}

export function pagedResults(
  all: EvaluationResult[],
  marker: string | undefined,
  max: number | undefined,
): SimulatePolicyResponse {
  const p = page(all, marker, maxItems(max));
  const out: SimulatePolicyResponse = { EvaluationResults: p.items, IsTruncated: p.IsTruncated };
  if (p.Marker !== undefined) out.Marker = p.Marker;
  return out;
}
