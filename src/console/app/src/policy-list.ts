// Every managed policy of a scope, all pages of ListPolicies (AWS's ~1,500 are two pages of 1,000).
import { ListPoliciesCommand, type IAMClient, type Policy } from '@aws-sdk/client-iam';

export type PolicyScope = 'AWS' | 'Local';

export const AWS_MANAGED_PREFIX = 'arn:aws:iam::aws:policy/';

export async function allPolicies(iam: IAMClient, scope: PolicyScope): Promise<Policy[]> {
  const out: Policy[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(new ListPoliciesCommand({ Scope: scope, MaxItems: 1000, Marker: marker }));
    out.push(...(page.Policies ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return out;
}
