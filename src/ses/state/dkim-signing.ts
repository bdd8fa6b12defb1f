// DKIM signing attributes of domain identities (PutEmailIdentityDkimSigningAttributes,
// CreateEmailIdentity's DkimSigningAttributes): Easy DKIM and its next key length, or a key the
// owner brought (BYODKIM), kept sealed under the master key. No row means Easy DKIM, 2048 bits.
import type { Store } from '../../store/database.js';
import type { SesDkimSigningRow } from '../../store/schema/lists.js';

export type KeyLength = 'RSA_1024_BIT' | 'RSA_2048_BIT';

export type DkimSigning =
  | { origin: 'AWS_SES'; nextKeyLength: KeyLength }
  | { origin: 'EXTERNAL'; selector: string; sealedPrivateKey: string; publicKey: string };

export const EASY_DKIM: DkimSigning = { origin: 'AWS_SES', nextKeyLength: 'RSA_2048_BIT' };

export const bitsOf = (length: KeyLength): number => (length === 'RSA_1024_BIT' ? 1024 : 2048);

function toSigning(r: SesDkimSigningRow): DkimSigning {
  if (r.origin === 'EXTERNAL' && r.selector && r.private_key && r.public_key)
    return {
      origin: 'EXTERNAL',
      selector: r.selector,
      sealedPrivateKey: r.private_key,
      publicKey: r.public_key,
    };
  return {
    origin: 'AWS_SES',
    nextKeyLength: r.next_key_length === 'RSA_1024_BIT' ? 'RSA_1024_BIT' : 'RSA_2048_BIT',
  };
}

export async function getDkimSigning(
  store: Store,
  accountId: string,
  region: string,
  identity: string,
): Promise<DkimSigning> {
  const row = await store.db
    .selectFrom('ses_dkim_signing')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('identity', '=', identity)
    .executeTakeFirst();
  return row ? toSigning(row) : EASY_DKIM;
}

/** The signing rows of these identities (the DNS check reads them in one go). */
export async function getDkimSignings(
  store: Store,
  rows: readonly { account_id: string; region: string; identity: string }[],
): Promise<Map<string, DkimSigning>> {
  const out = new Map<string, DkimSigning>();
  if (rows.length === 0) return out;
  const found = await store.db
    .selectFrom('ses_dkim_signing')
    .selectAll()
    .where('identity', 'in', [...new Set(rows.map((r) => r.identity))])
    .execute();
  for (const r of found) out.set(`${r.account_id}/${r.region}/${r.identity}`, toSigning(r));
  return out;
}

export async function putDkimSigning(
  store: Store,
  accountId: string,
  region: string,
  identity: string,
  s: DkimSigning,
  now: Date,
): Promise<void> {
  const values = {
    origin: s.origin,
    selector: s.origin === 'EXTERNAL' ? s.selector : null,
    private_key: s.origin === 'EXTERNAL' ? s.sealedPrivateKey : null,
    public_key: s.origin === 'EXTERNAL' ? s.publicKey : null,
    next_key_length: s.origin === 'AWS_SES' ? s.nextKeyLength : 'RSA_2048_BIT',
    updated_at: now.getTime(),
  };
  await store.db
    .insertInto('ses_dkim_signing')
    .values({ account_id: accountId, region, identity, ...values })
    .onConflict((oc) => oc.columns(['account_id', 'region', 'identity']).doUpdateSet(values))
    .execute();
}

export async function deleteDkimSigning(store: Store, accountId: string, region: string, identity: string) {
  await store.db
    .deleteFrom('ses_dkim_signing')
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('identity', '=', identity)
    .execute();
}
