// The AWS managed policies (`arn:aws:iam::aws:policy/<path><name>`) every account sees: AWS's own
// documents, recorded from IAM (aws-managed-policies.json, 1,485 policies, ~3 MB). Read and indexed
// once, on first use, and shared by every account: start-up does not pay for them, and an account
// holds only its attachment rows. Nobody can write them.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const AWS_MANAGED_PREFIX = 'arn:aws:iam::aws:policy/';

export interface AwsManagedPolicy {
  arn: string;
  name: string;
  /** '/', '/service-role/', '/aws-service-role/', '/job-function/', … */
  path: string;
  /** Not recorded in the data: derived from the ARN, stable across restarts and nodes. */
  policyId: string;
  /** The only version the data holds (AWS keeps older ones too). */
  defaultVersionId: string;
  createDate: Date;
  updateDate: Date;
  /** The default version's document as text (made on first use, then kept). */
  document(): string;
}

interface RecordedPolicy {
  Path: string;
  DefaultVersionId: string;
  CreateDate: string;
  UpdateDate: string;
  Document: unknown;
}

interface Catalog {
  byArn: Map<string, AwsManagedPolicy>;
  byId: Map<string, AwsManagedPolicy>;
  /** By name, as ListPolicies pages them. */
  sorted: AwsManagedPolicy[];
}

let catalog: Catalog | undefined;

export const isAwsManagedArn = (arn: string): boolean => arn.startsWith(AWS_MANAGED_PREFIX);

/**
 * AWS service role policies: only the service-linked role of their service holds them (IAM answers
 * PolicyNotAttachable to a user, group or customer role, and lists them as not attachable).
 */
export const SERVICE_ROLE_POLICY_PATH = '/aws-service-role/';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `ANPA` + 17 base32 characters, like IAM's policy ids, from a hash of the ARN. */
export function awsManagedPolicyId(arn: string): string {
  const digest = createHash('sha256').update(`aws-managed-policy:${arn}`).digest();
  let id = 'ANPA';
  for (let i = 0; i < 17; i++) id += BASE32[digest[i]! & 31];
  return id;
}

function entry(name: string, p: RecordedPolicy): AwsManagedPolicy {
  const arn = `${AWS_MANAGED_PREFIX}${p.Path.slice(1)}${name}`;
  let text: string | undefined;
  return {
    arn,
    name,
    path: p.Path,
    policyId: awsManagedPolicyId(arn),
    defaultVersionId: p.DefaultVersionId,
    createDate: new Date(p.CreateDate),
    updateDate: new Date(p.UpdateDate),
    // IAM hands these documents out as authored: multi-line, four-space indents.
    document: () => (text ??= JSON.stringify(p.Document, null, 4)),
  };
}

function load(): Catalog {
  if (catalog) return catalog;
  const url = new URL('./aws-managed-policies.json', import.meta.url);
  const data = JSON.parse(readFileSync(url, 'utf8')) as { policies: Record<string, RecordedPolicy> };
  const byArn = new Map<string, AwsManagedPolicy>();
  const byId = new Map<string, AwsManagedPolicy>();
  for (const [name, p] of Object.entries(data.policies)) {
    const e = entry(name, p);
    byArn.set(e.arn, e);
    byId.set(e.policyId, e);
  }
  const sorted = [...byArn.values()].sort((a, b) => {
    const x = a.name.toLowerCase();
    const y = b.name.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  });
  catalog = { byArn, byId, sorted };
  return catalog;
}

/** The AWS managed policy with this ARN; undefined for any other ARN (without loading the data). */
export function awsManagedPolicy(arn: string): AwsManagedPolicy | undefined {
  return isAwsManagedArn(arn) ? load().byArn.get(arn) : undefined;
}

export function awsManagedPolicyById(policyId: string): AwsManagedPolicy | undefined {
  return load().byId.get(policyId);
}

/** Every AWS managed policy, by name. */
export function awsManagedPolicies(): readonly AwsManagedPolicy[] {
  return load().sorted;
}
