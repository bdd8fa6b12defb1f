// v1 identity parameters accept a name or the identity's ARN (`arn:aws:ses:R:A:identity/NAME`).
import { normalizeIdentity } from './state/identity-names.js';

/** The identity name an argument denotes in (accountId, region); undefined for another owner's ARN. */
export function identityNameOf(arg: string, accountId: string, region: string): string | undefined {
  const m = /^arn:aws[\w-]*:ses:([^:]*):(\d{12}):identity\/(.+)$/.exec(arg);
  if (!m) return normalizeIdentity(arg);
  if (m[1] !== region || m[2] !== accountId) return undefined;
  return normalizeIdentity(m[3]!);
}
