// Which rules of a rule set apply to a recipient, and whether an account receives for it at all
// (pure functions over the directory's snapshot). Addresses and domains compare case-insensitively.
import type { ReceiptRule } from '../ses/receiving/index.js';

const lower = (s: string) => s.toLowerCase();
const domainOf = (address: string) => lower(address.slice(address.lastIndexOf('@') + 1));

/**
 * A rule's recipient entry against an envelope recipient: `user@example.com` is that address,
 * `example.com` every address of that domain (not its subdomains), `.example.com` every address of
 * any subdomain of example.com (not of example.com itself).
 */
export function recipientMatches(spec: string, address: string): boolean {
  const s = lower(spec);
  if (s.includes('@')) return s === lower(address);
  const domain = domainOf(address);
  if (s.startsWith('.')) return domain.endsWith(s) && domain.length > s.length;
  return domain === s;
}

/** A rule applies to a recipient when it lists none (every verified domain) or lists a match. */
export function ruleApplies(rule: ReceiptRule, address: string): boolean {
  return rule.Recipients.length === 0 || rule.Recipients.some((spec) => recipientMatches(spec, address));
}

/** The enabled rules that apply to `address`, in rule-set order. */
export function applicableRules(rules: readonly ReceiptRule[], address: string): ReceiptRule[] {
  return rules.filter((r) => r.Enabled && ruleApplies(r, address));
}

/**
 * Whether verified identities cover an address for receiving: the address itself, its domain, or
 * a parent of its domain (a verified domain receives for its subdomains too).
 */
export function identityCovers(verified: ReadonlySet<string>, address: string): boolean {
  if (verified.has(lower(address))) return true;
  const labels = domainOf(address).split('.');
  for (let i = 0; i < labels.length - 1; i++) if (verified.has(labels.slice(i).join('.'))) return true;
  return false;
}
