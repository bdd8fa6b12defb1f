// Which identities a send uses (docs/spec/ses.md §8 steps 4-5, §4.4): each sender role (Source, From, Sender,
// Return-Path, bounce recipients) is covered by the identity its ARN names (possibly another
// account's) or by a verified identity of the caller's account; in the sandbox every recipient must
// be a verified identity of the caller's account or a simulator address.
import { AwsError } from '../../errors/aws-error.js';
import type { NamedPolicy } from '../../policy/request.js';
import type { Store } from '../../store/database.js';
import {
  cachedAccountSendingState,
  cachedIdentity,
  cachedIdentityPolicies,
  cachedSendingIdentity,
  coveringIdentities,
  type AccountSendingState,
  identityArn,
  normalizeIdentity,
  type AccountDefaults,
} from '../state/index.js';
import { tagsOf } from '../state/identities.js';
import type { Tag } from '../state/json.js';
import { addressSyntaxError, isSimulatorAddress } from './address.js';
import { allRecipients, type Mailbox, type SendRequest } from './send-request.js';

export type IdentityRole = 'source' | 'from' | 'sender' | 'returnPath' | 'bounceRecipient' | 'recipient';

export interface ResolvedIdentity {
  role: IdentityRole;
  address: string;
  /** The identity name (address or domain) and its ARN in the owner's account. */
  identity: string;
  identityArn: string;
  ownerAccountId: string;
  defaultConfigurationSet?: string;
  /** The identity's sending-authorization policies (resource-based). */
  policies: NamedPolicy[];
  /** The identity's tags: `aws:ResourceTag/*` in the checks on it. */
  tags: Tag[];
}

export interface SendIdentities {
  senders: ResolvedIdentity[];
  /** Sandbox only: the verified recipient identities of the caller's account. */
  recipients: ResolvedIdentity[];
  /** Whether the sandbox rules applied (the caller's or an identity owner's account is in it). */
  sandbox: boolean;
  /** The sending (caller's) account's state, read once for the whole send. */
  account: AccountSendingState;
}

export interface IdentityScope {
  store: Store;
  accountId: string;
  region: string;
  defaults?: AccountDefaults;
}

/** `arn:aws:ses:REGION:ACCOUNT:identity/NAME`, or undefined when the text is not one. */
export function parseIdentityArn(
  arn: string,
): { region: string; accountId: string; identity: string } | undefined {
  const m = /^arn:aws[a-z-]*:ses:([a-z0-9-]+):(\d{12}):identity\/(.+)$/.exec(arn);
  return m ? { region: m[1]!, accountId: m[2]!, identity: m[3]! } : undefined;
}

interface Role {
  role: IdentityRole;
  mailbox: { address: string; text: string };
  arn?: string;
}

/** The roles to verify; the Source ARN stands in for From and Return-Path when only it is given. */
export function senderRoles(req: SendRequest): Role[] {
  const roles: Role[] = [];
  const add = (role: IdentityRole, m: Mailbox | undefined, arn: string | undefined) => {
    if (m) roles.push(arn !== undefined ? { role, mailbox: m, arn } : { role, mailbox: m });
  };
  add('source', req.source, req.arns.source);
  add('from', req.from, req.arns.from ?? req.arns.source);
  add('sender', req.sender, req.arns.from ?? req.arns.source);
  add('returnPath', req.returnPath, req.arns.returnPath ?? req.arns.source);
  for (const m of req.extra?.from ?? []) add('from', m, req.arns.from ?? req.arns.source);
  for (const m of req.extra?.sender ?? []) add('sender', m, req.arns.from ?? req.arns.source);
  for (const m of req.extra?.returnPath ?? []) add('returnPath', m, req.arns.returnPath ?? req.arns.source);
  for (const r of req.bounce?.recipients ?? [])
    if (r.arn !== undefined)
      roles.push({ role: 'bounceRecipient', mailbox: { address: r.address, text: r.address }, arn: r.arn });
  return roles;
}

async function resolveRole(scope: IdentityScope, r: Role): Promise<ResolvedIdentity | undefined> {
  const { store, region } = scope;
  if (r.arn !== undefined) {
    const named = parseIdentityArn(r.arn);
    if (!named || named.region !== region) return undefined;
    const name = normalizeIdentity(named.identity);
    // The named identity must be the address itself or a domain that contains it (§4.4 step 2).
    if (!coveringIdentities(r.mailbox.address).includes(name)) return undefined;
    const row = await cachedIdentity(store, named.accountId, region, name);
    if (!row || row.verification_status !== 'Success') return undefined;
    const out: ResolvedIdentity = {
      role: r.role,
      address: r.mailbox.address,
      identity: name,
      identityArn: identityArn(region, named.accountId, name),
      ownerAccountId: named.accountId,
      policies: await cachedIdentityPolicies(store, named.accountId, region, name),
      tags: tagsOf(row),
    };
    if (row.configuration_set) out.defaultConfigurationSet = row.configuration_set;
    return out;
  }
  const found = await cachedSendingIdentity(store, scope.accountId, region, r.mailbox.address);
  if (!found?.verified) return undefined;
  const out: ResolvedIdentity = {
    role: r.role,
    address: r.mailbox.address,
    identity: found.identity,
    identityArn: found.identityArn,
    ownerAccountId: scope.accountId,
    // An identity policy binds same-account callers too (a Deny there blocks them, docs/spec/ses.md §4.1).
    policies: await cachedIdentityPolicies(store, scope.accountId, region, found.identity),
    tags: found.tags,
  };
  if (found.defaultConfigurationSet) out.defaultConfigurationSet = found.defaultConfigurationSet;
  return out;
}

export function notVerifiedError(region: string, identities: string[]): AwsError {
  return new AwsError(
    'MessageRejected',
    `Email address is not verified. The following identities failed the check in region ${region.toUpperCase()}: ${identities.join(', ')}`,
  );
}

/**
 * Resolves the sender identities and, in the sandbox, the recipient identities. Addresses with
 * bad syntax are skipped here: validation refuses them after authorization, in SES's words.
 * Throws MessageRejected listing every identity that failed.
 */
export async function resolveSendIdentities(scope: IdentityScope, req: SendRequest): Promise<SendIdentities> {
  // Listed once each, in order (a Set: the sandbox may name every recipient).
  const failed = new Set<string>();
  const senders: ResolvedIdentity[] = [];
  for (const role of senderRoles(req)) {
    if (addressSyntaxError(role.mailbox.address)) continue;
    const resolved = await resolveRole(scope, role);
    if (resolved) senders.push(resolved);
    else failed.add(role.mailbox.text);
  }

  // Both the sending account and every identity owner must be out of the sandbox (§4.4 step 8).
  const account = await cachedAccountSendingState(scope.store, scope.accountId, scope.region, scope.defaults);
  let sandbox = account.sandbox;
  for (const owner of new Set(senders.map((s) => s.ownerAccountId))) {
    if (owner === scope.accountId) continue;
    const state = await cachedAccountSendingState(scope.store, owner, scope.region, scope.defaults);
    if (state.sandbox) sandbox = true;
  }

  const recipients: ResolvedIdentity[] = [];
  if (sandbox) {
    for (const address of allRecipients(req)) {
      if (addressSyntaxError(address) || isSimulatorAddress(address)) continue;
      const found = await cachedSendingIdentity(scope.store, scope.accountId, scope.region, address);
      if (!found?.verified) {
        failed.add(address);
        continue;
      }
      recipients.push({
        role: 'recipient',
        address,
        identity: found.identity,
        identityArn: found.identityArn,
        ownerAccountId: scope.accountId,
        policies: await cachedIdentityPolicies(scope.store, scope.accountId, scope.region, found.identity),
        tags: found.tags,
      });
    }
  }
  if (failed.size > 0) throw notVerifiedError(scope.region, [...failed]);
  return { senders, recipients, sandbox, account };
}
