// Identity names: an email address or a domain. Domains compare case-insensitively, so the domain
// part is stored lower-cased; an address's local part keeps its case (docs/spec/ses.md §1.3: case is kept).

export type IdentityType = 'EmailAddress' | 'Domain';

const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

export function isValidDomain(domain: string): boolean {
  if (domain.length === 0 || domain.length > 253) return false;
  const labels = domain.replace(/\.$/, '').split('.');
  return labels.length >= 2 && labels.every((l) => LABEL.test(l));
}

export function isValidEmailAddress(address: string): boolean {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1 || address.length > 320) return false;
  const local = address.slice(0, at);
  // Control characters and whitespace are refused in the local part (docs/spec/ses.md §3.8).
  if ([...local].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f || /\s/.test(ch)))
    return false;
  if (local.length > 64) return false;
  return isValidDomain(address.slice(at + 1));
}

export function identityTypeOf(name: string): IdentityType {
  return name.includes('@') ? 'EmailAddress' : 'Domain';
}

/** The stored form of an identity name: domain (part) lower-cased, surrounding space trimmed. */
export function normalizeIdentity(name: string): string {
  const n = name.trim();
  const at = n.lastIndexOf('@');
  if (at < 0) return n.toLowerCase();
  return `${n.slice(0, at)}@${n.slice(at + 1).toLowerCase()}`;
}

/** The identities that can cover an address, most specific first: address, domain, parent domains. */
export function coveringIdentities(address: string): string[] {
  const n = normalizeIdentity(address);
  const at = n.lastIndexOf('@');
  const out: string[] = [];
  let domain = n;
  if (at >= 0) {
    out.push(n);
    domain = n.slice(at + 1);
  }
  const labels = domain.split('.');
  for (let i = 0; i < labels.length - 1; i++) out.push(labels.slice(i).join('.'));
  return out;
}
