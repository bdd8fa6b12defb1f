// DNS verification (SESAME_VERIFICATION=dns): a domain verifies when `_amazonses.<domain>` has a TXT
// record equal to its verification token; Easy DKIM verifies when every `<token>._domainkey.<domain>`
// is a CNAME to `<token>.dkim.amazonses.com`, BYODKIM when `<selector>._domainkey.<domain>` holds the
// key's public key (a DKIM-verified domain is verified, as SES v2 does it); a custom MAIL FROM
// domain when its MX record names `feedback-smtp.<region>.amazonses.com`.
// Records still missing after 72 hours: Pending -> Failed, SES's rule.
import { Resolver } from 'node:dns/promises';
import type { Logger } from 'pino';
import type { Store } from '../../store/database.js';
import type { Config } from '../../config/config.js';
import type { SesIdentityRow } from '../../store/schema/ses.js';
import { dkimTokensOf, updateIdentity, type IdentityPatch } from '../state/identities.js';
import { EASY_DKIM, getDkimSignings, type DkimSigning } from '../state/dkim-signing.js';

export const DNS_VERIFICATION_WINDOW_MS = 72 * 60 * 60 * 1000;
export const DEFAULT_DNS_CHECK_INTERVAL_MS = 60_000;

/** The lookups the check needs (node's dns.promises.Resolver fits). */
export interface DnsLookup {
  resolveTxt(name: string): Promise<string[][]>;
  resolveCname(name: string): Promise<string[]>;
  resolveMx(name: string): Promise<{ exchange: string; priority: number }[]>;
}

export function systemResolver(servers?: readonly string[]): DnsLookup {
  const r = new Resolver({ timeout: 2000, tries: 2 });
  if (servers && servers.length > 0) r.setServers([...servers]);
  return r;
}

const bare = (name: string) => name.toLowerCase().replace(/\.$/, '');

// Identity records — NXDOMAIN / no data: the record is not there yet. Other failures (timeouts)
// also count as "not found this round"; the next round tries again. (A MAIL FROM domain's MX is
// stricter: only a missing record counts toward Failed, see hasMailFromMx; one whose lookups always
// fail stays Pending.)
async function quietly<T>(p: Promise<T>, empty: T): Promise<T> {
  try {
    return await p;
  } catch {
    return empty;
  }
}

export async function hasVerificationTxt(dns: DnsLookup, domain: string, token: string): Promise<boolean> {
  const records = await quietly(dns.resolveTxt(`_amazonses.${domain}`), []);
  return records.some((chunks) => chunks.join('') === token);
}

export async function hasDkimCnames(
  dns: DnsLookup,
  domain: string,
  tokens: readonly string[],
): Promise<boolean> {
  if (tokens.length === 0) return false;
  const found = await Promise.all(
    tokens.map(async (t) => {
      const targets = await quietly(dns.resolveCname(`${t}._domainkey.${domain}`), []);
      return targets.some((c) => bare(c) === `${t}.dkim.amazonses.com`);
    }),
  );
  return found.every(Boolean);
}

/** BYODKIM: `<selector>._domainkey.<domain>` is a TXT record whose `p=` is the key's public key. */
export async function hasDkimPublicKey(
  dns: DnsLookup,
  domain: string,
  selector: string,
  publicKey: string,
): Promise<boolean> {
  const records = await quietly(dns.resolveTxt(`${selector}._domainkey.${domain}`), []);
  return records.some(
    (chunks) => /(?:^|;)\s*p=([^;]*)/.exec(chunks.join(''))?.[1]?.replace(/\s+/g, '') === publicKey,
  );
}

/**
 * Whether a custom MAIL FROM domain's MX record leads to SES's feedback endpoint of the identity's
 * region; undefined when the resolver could not tell (a timeout, SERVFAIL): that is no missing record.
 */
export async function hasMailFromMx(
  dns: DnsLookup,
  mailFromDomain: string,
  region: string,
): Promise<boolean | undefined> {
  try {
    const records = await dns.resolveMx(mailFromDomain);
    return records.some((r) => bare(r.exchange) === `feedback-smtp.${region}.amazonses.com`);
  } catch (e) {
    const code = (e as { code?: string }).code;
    return code === 'ENODATA' || code === 'ENOTFOUND' ? false : undefined;
  }
}

/** The patch one check of an identity's pending MAIL FROM domain yields (empty when nothing changes). */
export async function checkMailFromDomain(
  dns: DnsLookup,
  row: SesIdentityRow,
  now: Date,
): Promise<IdentityPatch> {
  if (!row.mail_from_domain || row.mail_from_status !== 'Pending') return {};
  const found = await hasMailFromMx(dns, row.mail_from_domain, row.region);
  if (found) return { mail_from_status: 'Success' };
  const since = Number(row.mail_from_set_at ?? row.created_at);
  const expired = now.getTime() - since >= DNS_VERIFICATION_WINDOW_MS;
  return found === false && expired ? { mail_from_status: 'Failed' } : {};
}

/** The patch one check yields for one identity row (empty when nothing changes). */
export async function checkIdentity(
  dns: DnsLookup,
  row: SesIdentityRow,
  now: Date,
  signing: DkimSigning = EASY_DKIM,
): Promise<IdentityPatch> {
  const patch: IdentityPatch = {};
  const domain = row.identity;
  const expired = now.getTime() - Number(row.created_at) >= DNS_VERIFICATION_WINDOW_MS;
  const tokens = dkimTokensOf(row);
  let dkimOk = false;
  if (row.dkim_status === 'Pending' && tokens.length > 0) {
    dkimOk =
      signing.origin === 'EXTERNAL'
        ? await hasDkimPublicKey(dns, domain, signing.selector, signing.publicKey)
        : await hasDkimCnames(dns, domain, tokens);
    if (dkimOk) patch.dkim_status = 'Success';
    else if (expired) patch.dkim_status = 'Failed';
  }
  if (row.verification_status === 'Pending') {
    const txtOk =
      row.verification_token !== null && (await hasVerificationTxt(dns, domain, row.verification_token));
    if (txtOk || dkimOk) patch.verification_status = 'Success';
    else if (expired) patch.verification_status = 'Failed';
  }
  return patch;
}

/**
 * One pass over every pending domain identity and MAIL FROM domain of every account (with
 * SESAME_VERIFICATION=email, over the MAIL FROM domains only); returns how many rows changed.
 */
export async function runDnsVerification(
  store: Store,
  dns: DnsLookup,
  now: Date,
  domains: 'with domains' | 'mail-from only' = 'with domains',
): Promise<number> {
  let changed = 0;
  const apply = async (row: SesIdentityRow, patch: IdentityPatch) => {
    if (Object.keys(patch).length === 0) return;
    if (await updateIdentity(store, row.account_id, row.region, row.identity, patch)) changed++;
  };
  if (domains === 'with domains') {
    const rows = await store.db
      .selectFrom('ses_identities')
      .selectAll()
      .where('identity_type', '=', 'Domain')
      .where((eb) => eb.or([eb('verification_status', '=', 'Pending'), eb('dkim_status', '=', 'Pending')]))
      .orderBy('created_at')
      .limit(10_000)
      .execute();
    const signings = await getDkimSignings(store, rows);
    for (const row of rows) {
      const signing = signings.get(`${row.account_id}/${row.region}/${row.identity}`);
      await apply(row, await checkIdentity(dns, row, now, signing));
    }
  }
  // Custom MAIL FROM domains, of domain and address identities alike.
  const mailFrom = await store.db
    .selectFrom('ses_identities')
    .selectAll()
    .where('mail_from_status', '=', 'Pending')
    .orderBy('created_at')
    .limit(10_000)
    .execute();
  for (const row of mailFrom) await apply(row, await checkMailFromDomain(dns, row, now));
  return changed;
}

export interface DnsVerifierOptions {
  store: Store;
  config: Pick<Config, 'verification' | 'profile'> & Partial<Pick<Config, 'dnsServers'>>;
  log: Pick<Logger, 'warn' | 'info'>;
  /** A ready lookup (tests); otherwise node's resolver on `servers` (default: SESAME_DNS_SERVERS, else the system's). */
  resolver?: DnsLookup;
  servers?: readonly string[];
  intervalMs?: number;
  now?: () => Date;
}

/**
 * Re-checks pending domains and MAIL FROM domains every interval while SESAME_VERIFICATION=dns, and
 * the MAIL FROM domains alone with email (addresses verify by link, their MAIL FROM domain by its
 * MX record); with automatic verification does nothing.
 */
export function startDnsVerifier(opts: DnsVerifierOptions): { stop(): Promise<void> } {
  if (opts.config.verification === 'auto' || opts.config.profile === 'emulator')
    return { stop: async () => {} };
  const domains = opts.config.verification === 'dns' ? 'with domains' : 'mail-from only';
  const dns = opts.resolver ?? systemResolver(opts.servers ?? opts.config.dnsServers);
  const now = opts.now ?? (() => new Date());
  const interval = opts.intervalMs ?? DEFAULT_DNS_CHECK_INTERVAL_MS;
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = runDnsVerification(opts.store, dns, now(), domains)
      .then((n) => {
        if (n > 0) opts.log.info({ changed: n }, 'dns verification updated identities');
      })
      .catch((err: unknown) => opts.log.warn({ err }, 'dns verification pass failed'))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, interval);
  timer.unref();
  tick();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
