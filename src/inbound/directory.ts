// Who receives mail in a region: every account with an active receipt rule set, with its rules,
// IP filters and verified identities. Read once and kept while no account's generation moves
// (every receipt and identity write bumps it; other nodes' writes arrive through the generation
// sync), so RCPT and DATA cost no store read. Routing a recipient follows SES's order: the
// account's IP filters (block wins), then its active rule set's enabled rules for the recipient,
// then their TLS requirement.
import ipaddr from 'ipaddr.js';
import { globalGeneration } from '../iam/generation.js';
import type { Store } from '../store/database.js';
import { parseCidr, type ReceiptRule } from '../ses/receiving/index.js';
import { applicableRules, identityCovers } from './match.js';

interface ParsedFilter {
  name: string;
  policy: 'Block' | 'Allow';
  range: [ipaddr.IPv4 | ipaddr.IPv6, number];
}

export interface ReceivingAccount {
  accountId: string;
  ruleSet: string;
  rules: ReceiptRule[];
  filters: ParsedFilter[];
  /** Verified identities (lower-cased addresses and domains). */
  verified: Set<string>;
}

export interface Directory {
  generation: number;
  accounts: ReceivingAccount[];
}

/** Why a recipient was refused, most specific first when several accounts refused it. */
export type Refusal = 'tls-required' | 'blocked' | 'no-rule';

export interface RecipientRoute {
  /** The accounts that take this recipient, with the rules that apply to it. */
  accepted: { account: ReceivingAccount; rules: ReceiptRule[] }[];
  refusal?: Refusal;
}

async function readDirectory(store: Store, region: string, generation: number): Promise<Directory> {
  const actives = await store.db
    .selectFrom('ses_receipt_active')
    .select(['account_id', 'rule_set'])
    .where('region', '=', region)
    .orderBy('account_id')
    .execute();
  const accounts: ReceivingAccount[] = [];
  for (const a of actives) {
    const set = await store.db
      .selectFrom('ses_receipt_rule_sets')
      .select('rules')
      .where('account_id', '=', a.account_id)
      .where('region', '=', region)
      .where('name', '=', a.rule_set)
      .executeTakeFirst();
    if (!set) continue;
    const filters = await store.db
      .selectFrom('ses_receipt_filters')
      .select(['name', 'policy', 'cidr'])
      .where('account_id', '=', a.account_id)
      .where('region', '=', region)
      .execute();
    const identities = await store.db
      .selectFrom('ses_identities')
      .select('identity')
      .where('account_id', '=', a.account_id)
      .where('region', '=', region)
      .where('verification_status', '=', 'Success')
      .execute();
    accounts.push({
      accountId: a.account_id,
      ruleSet: a.rule_set,
      rules: JSON.parse(set.rules) as ReceiptRule[],
      filters: filters.flatMap((f) => {
        const c = parseCidr(f.cidr);
        return c
          ? [
              {
                name: f.name,
                policy: f.policy as 'Block' | 'Allow',
                range: [c.address, c.bits] as ParsedFilter['range'],
              },
            ]
          : [];
      }),
      verified: new Set(identities.map((i) => i.identity.toLowerCase())),
    });
  }
  return { generation, accounts };
}

const cache = new WeakMap<object, Map<string, Promise<Directory>>>();

/** The region's directory, read again when any account's generation has moved since. */
export async function directoryOf(store: Store, region: string): Promise<Directory> {
  let byRegion = cache.get(store.key);
  if (!byRegion) cache.set(store.key, (byRegion = new Map()));
  const generation = globalGeneration(store);
  const current = byRegion.get(region);
  if (current) {
    const d = await current;
    if (d.generation === generation) return d;
  }
  const next = readDirectory(store, region, generation);
  byRegion.set(region, next);
  next.catch(() => byRegion.delete(region));
  return next;
}

function parsePeer(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  try {
    return ipaddr.process(ip);
  } catch {
    return undefined;
  }
}

/** The name of the Block filter that covers `ip` (a Block wins over any Allow), or undefined. */
export function blockingFilter(filters: readonly ParsedFilter[], ip: string): string | undefined {
  const peer = parsePeer(ip);
  if (!peer) return undefined;
  for (const f of filters) {
    if (f.policy !== 'Block' || f.range[0].kind() !== peer.kind()) continue;
    if (peer.match(f.range)) return f.name;
  }
  return undefined;
}

/** Routes one envelope recipient for a peer: the accounts that accept it, or why none does. */
export function routeRecipient(
  dir: Directory,
  address: string,
  peer: { ip: string; secure: boolean },
): RecipientRoute {
  const route: RecipientRoute = { accepted: [] };
  const refusals = new Set<Refusal>();
  for (const account of dir.accounts) {
    if (!identityCovers(account.verified, address)) continue;
    if (blockingFilter(account.filters, peer.ip) !== undefined) {
      refusals.add('blocked');
      continue;
    }
    const rules = applicableRules(account.rules, address);
    if (rules.length === 0) {
      refusals.add('no-rule');
      continue;
    }
    if (!peer.secure && rules.some((r) => r.TlsPolicy === 'Require')) {
      refusals.add('tls-required');
      continue;
    }
    route.accepted.push({ account, rules });
  }
  if (route.accepted.length === 0)
    route.refusal =
      (['tls-required', 'blocked', 'no-rule'] as const).find((r) => refusals.has(r)) ?? 'no-rule';
  return route;
}
