// Whose DKIM an identity shows. A domain shows its own. An address shows the domain that signs its
// mail (GetIdentityDkimAttributes' reference: for an address, "the tokens represent the domain of
// that address"): the nearest covering domain identity with DKIM on and verified, as delivery picks
// it (delivery/dkim.ts), else the nearest covering domain identity; with none, the address's own row.
import type { Store } from '../../store/database.js';
import type { SesIdentityRow } from '../../store/schema/ses.js';
import { getIdentities } from './identities.js';
import { coveringIdentities } from './identity-names.js';

export async function dkimHolder(
  store: Store,
  accountId: string,
  region: string,
  row: SesIdentityRow,
): Promise<SesIdentityRow> {
  if (row.identity_type === 'Domain') return row;
  const domains = coveringIdentities(row.identity).filter((c) => !c.includes('@'));
  const rows = await getIdentities(store, accountId, region, domains);
  const nearest = domains
    .map((d) => rows.find((r) => r.identity === d && r.identity_type === 'Domain'))
    .filter((r): r is SesIdentityRow => r !== undefined);
  return nearest.find((r) => r.dkim_enabled === 1 && r.dkim_status === 'Success') ?? nearest[0] ?? row;
}
