// DKIM signing (docs/spec/ses.md §4.5: signing follows the identity owner's setting). Easy DKIM: each
// DKIM-enabled domain identity gets one RSA key (2048 bits unless its NextSigningKeyLength says
// 1024), made on first use and kept in delivery_dkim_keys (sealed when a secret box is given); the
// selector is the identity's first DKIM token, as SES's CNAMEs name it. BYODKIM: the owner's key
// and selector (ses/state/dkim-signing.ts).
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { coveringIdentities } from '../ses/state/identity-names.js';
import { getIdentities, dkimTokensOf, newDkimTokens } from '../ses/state/identities.js';
import { secretBoxOf } from '../iam/secrets.js';
import { bitsOf, getDkimSigning } from '../ses/state/dkim-signing.js';
import { domainOf } from '../ses/send/address.js';
import { cachedAccountRead } from '../ses/state/send-cache.js';
import type { Store } from '../store/database.js';
import type { SecretBox } from '../store/secret-box.js';
import type { SigningKey } from './dkim-signature.js';

export interface DkimKey {
  domain: string;
  selector: string;
  privateKey: string;
  /** base64 DER, the `p=` of `<selector>._domainkey.<domain> TXT "v=DKIM1; k=rsa; p=…"`. */
  publicKey: string;
}

/**
 * The domain identity that signs mail from `address` in the owner's account, if DKIM is on; with
 * when its tokens were made (SES makes an Easy DKIM key with them).
 */
export async function signingDomain(
  store: Store,
  ownerAccountId: string,
  region: string,
  address: string,
): Promise<{ domain: string; selector: string; since: number } | undefined> {
  const candidates = coveringIdentities(address).filter((c) => !c.includes('@'));
  const rows = await getIdentities(store, ownerAccountId, region, candidates);
  for (const c of candidates) {
    const row = rows.find((r) => r.identity === c);
    if (row && row.identity_type === 'Domain' && row.dkim_enabled === 1 && row.dkim_status === 'Success') {
      return {
        domain: row.identity,
        selector: dkimTokensOf(row)[0] ?? 'sesame',
        since: Number(row.created_at),
      };
    }
  }
  return undefined;
}

/**
 * The domain's Easy DKIM key for `selector` (the identity's first token), created on first use
 * (concurrent creators agree on the first one stored). A key made for another selector is replaced:
 * the identity's tokens changed since (it was deleted and created again), so DNS names another key.
 */
export async function dkimKeyFor(
  store: Store,
  accountId: string,
  region: string,
  domain: string,
  selector: string,
  box?: SecretBox,
  now: Date = new Date(),
  bits = 2048,
): Promise<DkimKey> {
  const read = () =>
    store.db
      .selectFrom('delivery_dkim_keys')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('domain', '=', domain)
      .executeTakeFirst();
  let row = await read();
  if (row && row.selector !== selector) {
    await store.db
      .deleteFrom('delivery_dkim_keys')
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('domain', '=', domain)
      .where('selector', '=', row.selector)
      .execute();
    row = undefined;
  }
  if (!row) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await store.db
      .insertInto('delivery_dkim_keys')
      .values({
        account_id: accountId,
        region,
        domain,
        selector,
        private_key: box ? box.seal(pem) : pem,
        public_key: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
        created_at: now.getTime(),
      })
      .onConflict((oc) => oc.columns(['account_id', 'region', 'domain']).doNothing())
      .execute();
    row = await read();
    if (!row) throw new Error(`DKIM key for ${domain} could not be stored`);
  }
  const sealed = row.private_key.startsWith('v1:');
  if (sealed && !box) throw new Error(`DKIM key for ${domain} is sealed and no secret box was given`);
  return {
    domain,
    selector: row.selector,
    privateKey: sealed ? box!.open(row.private_key) : row.private_key,
    publicKey: row.public_key,
  };
}

/** Replaces the domain's Easy DKIM key with a new one of `bits` (a new key length, new tokens). */
export async function rotateDkimKey(
  store: Store,
  accountId: string,
  region: string,
  domain: string,
  selector: string,
  bits: number,
  box?: SecretBox,
  now: Date = new Date(),
): Promise<DkimKey> {
  await store.db
    .deleteFrom('delivery_dkim_keys')
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('domain', '=', domain)
    .execute();
  return dkimKeyFor(store, accountId, region, domain, selector, box, now, bits);
}

/**
 * New Easy DKIM tokens for an existing domain identity (v1 VerifyDomainDkim, v2
 * PutEmailIdentityDkimAttributes), with their key made now, as SES makes it with them; a new
 * identity's key is made on first use and dated with the identity.
 */
export async function newEasyDkimTokens(
  store: Store,
  accountId: string,
  region: string,
  domain: string,
  now: Date,
): Promise<string[]> {
  const tokens = newDkimTokens();
  const s = await getDkimSigning(store, accountId, region, domain);
  const bits = s.origin === 'AWS_SES' ? bitsOf(s.nextKeyLength) : 2048;
  await rotateDkimKey(store, accountId, region, domain, tokens[0]!, bits, secretBoxOf(store), now);
  return tokens;
}

/** The Easy DKIM key in use: its length and when it was made; undefined before the first one. */
export async function easyDkimKeyInfo(
  store: Store,
  accountId: string,
  region: string,
  domain: string,
): Promise<{ bits: number; createdAt: Date } | undefined> {
  const row = await store.db
    .selectFrom('delivery_dkim_keys')
    .select(['public_key', 'created_at'])
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('domain', '=', domain)
    .executeTakeFirst();
  if (!row) return undefined;
  const key = createPublicKey({ key: Buffer.from(row.public_key, 'base64'), format: 'der', type: 'spki' });
  return {
    bits: key.asymmetricKeyDetails?.modulusLength ?? 2048,
    createdAt: new Date(Number(row.created_at)),
  };
}

/** The key that signs mail from `address` in the owner's account: BYODKIM's or Easy DKIM's. */
export async function signingKeyFor(
  store: Store,
  ownerAccountId: string,
  region: string,
  address: string,
  box?: SecretBox,
): Promise<SigningKey | undefined> {
  // Both kept while the owner's account generation holds (every identity or DKIM write bumps it):
  // which domain identity signs an address's domain (an address identity never signs: keyed by the
  // domain, so many From addresses do not crowd the cache), and that domain's parsed key.
  const d = await cachedAccountRead(
    store,
    ownerAccountId,
    `dkim-domain\u0000${region}\u0000${domainOf(address)}`,
    () => signingDomain(store, ownerAccountId, region, address),
  );
  if (!d) return undefined;
  return cachedAccountRead(store, ownerAccountId, `dkim-key\u0000${region}\u0000${d.domain}`, async () => {
    const s = await getDkimSigning(store, ownerAccountId, region, d.domain);
    if (s.origin === 'AWS_SES') {
      const k = await dkimKeyFor(
        store,
        ownerAccountId,
        region,
        d.domain,
        d.selector,
        box,
        // Made on first use, dated as SES makes it: with the identity's tokens.
        new Date(d.since),
        bitsOf(s.nextKeyLength),
      );
      return { domain: k.domain, selector: k.selector, key: createPrivateKey(k.privateKey) };
    }
    if (!box) throw new Error(`the DKIM key of ${d.domain} is sealed and no secret box was given`);
    return { domain: d.domain, selector: s.selector, key: createPrivateKey(box.open(s.sealedPrivateKey)) };
  });
}
