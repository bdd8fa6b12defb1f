// The receipt verdicts of one received message, computed for real: SPF (the peer's IP against the
// envelope sender's domain), DKIM (every signature) and DMARC (alignment and the From domain's
// policy) with mailauth against the resolver, and, when a matching rule has ScanEnabled, spam and
// virus verdicts from the configured scanners. The headers SES adds are built from the same results.
import { Resolver } from 'node:dns/promises';
import { authenticate, type AuthenticateResult } from 'mailauth';
import type { ReceivingSettings } from '../config/receiving.js';
import { clamdVerdict, spamdVerdict } from './scanners.js';

export type VerdictStatus = 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED';

export interface Verdicts {
  spf: VerdictStatus;
  dkim: VerdictStatus;
  dmarc: VerdictStatus;
  /** The From domain's policy, present only when DMARC failed (SES's rule). */
  dmarcPolicy?: 'none' | 'quarantine' | 'reject';
  /** Present when the message was scanned (a matching rule had ScanEnabled). */
  spam?: VerdictStatus;
  virus?: VerdictStatus;
}

export interface Authentication {
  verdicts: Verdicts;
  /** `Received-SPF` and `Authentication-Results` values, SES-style. */
  receivedSpf: string;
  authenticationResults: string;
}

export type DnsResolve = (name: string, rrtype: string) => Promise<unknown>;

/** How long answers (and "no such name" answers) are reused, and how many are kept. */
const DNS_CACHE_MS = 30_000;
const DNS_CACHE_ENTRIES = 10_000;

/**
 * The resolver verdicts use: the given servers (SESAME_DNS_SERVERS), else the system's, behind a
 * small cache as an MTA's resolver has one: a sender's SPF and DMARC records are read once per
 * half minute, not once per message. Failures other than NXDOMAIN/no data are not kept.
 */
export function verdictResolver(servers: readonly string[]): DnsResolve {
  const r = new Resolver({ timeout: 2000, tries: 2 });
  if (servers.length > 0) r.setServers([...servers]);
  const cache = new Map<string, { until: number; answer: Promise<unknown> }>();
  return (name, rrtype) => {
    const key = `${rrtype} ${name.toLowerCase()}`;
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && hit.until > now) return hit.answer;
    const answer = r.resolve(name, rrtype);
    cache.delete(key);
    if (cache.size >= DNS_CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(key, { until: now + DNS_CACHE_MS, answer });
    answer.catch((e: { code?: string }) => {
      if (e.code !== 'ENOTFOUND' && e.code !== 'ENODATA') cache.delete(key);
    });
    return answer;
  };
}

function spfStatus(result: string | undefined): VerdictStatus {
  if (result === 'pass') return 'PASS';
  if (result === 'fail') return 'FAIL';
  if (result === 'temperror' || result === 'permerror') return 'PROCESSING_FAILED';
  return 'GRAY'; // softfail, neutral, none
}

function dkimStatus(results: readonly { status: { result: string } }[]): VerdictStatus {
  const outcomes = results.map((r) => r.status.result);
  if (outcomes.includes('pass')) return 'PASS';
  if (outcomes.includes('fail')) return 'FAIL';
  if (outcomes.some((o) => o === 'temperror' || o === 'permerror')) return 'PROCESSING_FAILED';
  return 'GRAY'; // not signed, neutral
}

function dmarcStatus(result: string | undefined): VerdictStatus {
  if (result === 'pass') return 'PASS';
  if (result === 'fail') return 'FAIL';
  if (result === 'temperror' || result === 'permerror') return 'PROCESSING_FAILED';
  return 'GRAY';
}

export interface AuthenticateInput {
  raw: Buffer;
  ip: string;
  helo: string;
  /** Envelope sender; '' for the null sender. */
  mailFrom: string;
  resolve: DnsResolve;
  /** Run the spam and virus scanners too. */
  scan: boolean;
  scanners: Pick<ReceivingSettings, 'spamd' | 'clamd'>;
}

/** Fallback when nothing could be checked (mailauth itself failed). */
const UNCHECKED: Pick<Verdicts, 'spf' | 'dkim' | 'dmarc'> = {
  spf: 'PROCESSING_FAILED',
  dkim: 'PROCESSING_FAILED',
  dmarc: 'PROCESSING_FAILED',
};

export async function authenticateMessage(i: AuthenticateInput): Promise<Authentication> {
  const sender = i.mailFrom || `postmaster@${i.helo}`;
  let result: AuthenticateResult | undefined;
  try {
    result = await authenticate(i.raw, {
      ip: i.ip,
      helo: i.helo,
      sender,
      // mailauth prefixes its comments with this name: SES's read `(spfCheck: …)`.
      mta: 'spfCheck',
      disableArc: true,
      disableBimi: true,
      resolver: i.resolve as never,
    });
  } catch {
    result = undefined;
  }
  const spf = result?.spf || undefined;
  const dmarc = result?.dmarc || undefined;
  const verdicts: Verdicts = result
    ? {
        spf: spfStatus(spf?.status.result),
        dkim: dkimStatus(result.dkim.results),
        dmarc: dmarcStatus(dmarc?.status.result),
      }
    : { ...UNCHECKED };
  if (verdicts.dmarc === 'FAIL' && dmarc && /^(none|quarantine|reject)$/.test(dmarc.policy ?? ''))
    verdicts.dmarcPolicy = dmarc.policy as Verdicts['dmarcPolicy'];
  if (i.scan) {
    const [spam, virus] = await Promise.all([
      i.scanners.spamd ? spamdVerdict(i.scanners.spamd, i.raw) : Promise.resolve('PASS' as const),
      i.scanners.clamd ? clamdVerdict(i.scanners.clamd, i.raw) : Promise.resolve('PASS' as const),
    ]);
    verdicts.spam = spam;
    verdicts.virus = virus;
  }
  // SES names the domain where mailauth names the address: `domain of example.com designates …`.
  const comment = (spf?.status.comment ?? 'spfCheck').replace(
    `domain of ${sender}`,
    `domain of ${spf?.domain}`,
  );
  const spfText = spf
    ? `${spf.status.result} (${comment}) client-ip=${i.ip}; envelope-from=${sender}; helo=${i.helo};`
    : `temperror (spfCheck: the check failed) client-ip=${i.ip}; envelope-from=${sender}; helo=${i.helo};`;
  const parts = [
    `spf=${spfText}`,
    ...(result ? result.dkim.results.map((r) => `${r.info};`) : ['dkim=temperror;']),
    ...(dmarc ? [`${dmarc.info};`] : []),
  ];
  return {
    verdicts,
    receivedSpf: spfText,
    authenticationResults: `amazonses.com;\r\n ${parts.join('\r\n ')}`,
  };
}
