// DKIM signing attributes of a domain identity (SES v2): PutEmailIdentityDkimSigningAttributes and
// CreateEmailIdentity's DkimSigningAttributes. EXTERNAL (BYODKIM) takes the owner's selector and
// RSA key (1024 to 2048 bits, base64 DER without PEM lines, as SES asks) and verifies once the
// selector's TXT record holds its public key; AWS_SES (Easy DKIM) takes a key length for the key it
// makes. Texts not recorded from AWS are marked [INF].
import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { CallContext, OperationTable } from '../../api/operation.js';
import { easyDkimKeyInfo, rotateDkimKey } from '../../delivery/dkim.js';
import { secretBoxOf } from '../../iam/secrets.js';
import type { SesIdentityRow } from '../../store/schema/ses.js';
import { badRequest } from '../errors.js';
import {
  bitsOf,
  getDkimSigning,
  putDkimSigning,
  type DkimSigning,
  type KeyLength,
} from '../state/dkim-signing.js';
import {
  dkimTokensOf,
  initialVerificationStatus,
  newDkimTokens,
  updateIdentity,
} from '../state/identities.js';
import { v2Status } from './common.js';
import { onIdentity } from './resources.js';
import { dkimHolder } from '../state/address-dkim.js';

export interface DkimSigningAttributes {
  DomainSigningSelector?: string;
  DomainSigningPrivateKey?: string;
  NextSigningKeyLength?: KeyLength;
  DomainSigningAttributesOrigin?: string;
}

export const dkimTexts = {
  // [INF]
  domainOnly: 'DkimSigningAttributes can only be specified for domain identities.',
  externalNeedsKey:
    'DomainSigningSelector and DomainSigningPrivateKey are required for EXTERNAL signing attributes.',
  badKey:
    'Invalid DomainSigningPrivateKey: it must be a base64-encoded RSA private key of 1024 to 2048 bits.',
  deed: (origin: string) => `SigningAttributesOrigin ${origin} (Deterministic Easy DKIM) is not supported.`,
};

/** SigningHostedZone of Easy DKIM: the zone its CNAMEs point into (`<token>.dkim.amazonses.com`). */
export const SIGNING_HOSTED_ZONE = 'dkim.amazonses.com';

/** The key's PEM and public key (base64 SPKI DER), or BadRequestException. */
function readPrivateKey(b64: string): { pem: string; publicKey: string } {
  const der = Buffer.from(b64, 'base64');
  for (const type of ['pkcs8', 'pkcs1'] as const) {
    try {
      const key = createPrivateKey({ key: der, format: 'der', type });
      const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
      if (key.asymmetricKeyType !== 'rsa' || bits < 1024 || bits > 2048) break;
      return {
        pem: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
        publicKey: createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64'),
      };
    } catch {
      /* the other encoding, then refusal */
    }
  }
  throw badRequest(dkimTexts.badKey);
}

/** What the request asks for, checked before anything is written. */
export function requestedSigning(
  origin: string | undefined,
  attrs: DkimSigningAttributes | undefined,
  current: DkimSigning,
): { signing: DkimSigning; pem?: string } {
  const o =
    origin ??
    attrs?.DomainSigningAttributesOrigin ??
    (attrs?.DomainSigningPrivateKey ? 'EXTERNAL' : 'AWS_SES');
  if (o === 'EXTERNAL') {
    if (!attrs?.DomainSigningSelector || !attrs.DomainSigningPrivateKey)
      throw badRequest(dkimTexts.externalNeedsKey);
    const { pem, publicKey } = readPrivateKey(attrs.DomainSigningPrivateKey);
    return {
      signing: { origin: 'EXTERNAL', selector: attrs.DomainSigningSelector, sealedPrivateKey: '', publicKey },
      pem,
    };
  }
  if (o !== 'AWS_SES') throw badRequest(dkimTexts.deed(o));
  const previous = current.origin === 'AWS_SES' ? current.nextKeyLength : 'RSA_2048_BIT';
  return { signing: { origin: 'AWS_SES', nextKeyLength: attrs?.NextSigningKeyLength ?? previous } };
}

/** Applies checked signing attributes to an existing domain identity; answers as the Put operation. */
export async function applySigning(
  ctx: CallContext,
  row: SesIdentityRow,
  req: { signing: DkimSigning; pem?: string },
): Promise<{ DkimStatus: string; DkimTokens: string[]; SigningHostedZone?: string }> {
  const { store, region } = ctx;
  const accountId = ctx.caller.accountId;
  const domain = row.identity;
  const current = await getDkimSigning(store, accountId, region, domain);
  const box = secretBoxOf(store);
  const status = initialVerificationStatus(ctx.config);
  let tokens = dkimTokensOf(row);
  let dkimStatus = row.dkim_status;
  let signing = req.signing;
  if (signing.origin === 'EXTERNAL') {
    signing = { ...signing, sealedPrivateKey: box.seal(req.pem!) };
    tokens = [signing.selector];
    dkimStatus = status;
  } else {
    const fresh = current.origin === 'EXTERNAL' || tokens.length === 0;
    if (fresh) {
      tokens = newDkimTokens();
      dkimStatus = status;
    }
    const key = await easyDkimKeyInfo(store, accountId, region, domain);
    // Sesame makes the key of the new length at once (SES does at its next rotation).
    if (fresh || !key || key.bits !== bitsOf(signing.nextKeyLength))
      await rotateDkimKey(
        store,
        accountId,
        region,
        domain,
        tokens[0]!,
        bitsOf(signing.nextKeyLength),
        box,
        ctx.now,
      );
  }
  await putDkimSigning(store, accountId, region, domain, signing, ctx.now);
  await updateIdentity(store, accountId, region, domain, {
    dkim_enabled: 1,
    dkim_tokens: JSON.stringify(tokens),
    dkim_status: dkimStatus,
    // SES v2 verifies a domain through its DKIM records.
    ...(dkimStatus === 'Success' ? { verification_status: 'Success' } : {}),
  });
  return {
    DkimStatus: v2Status(dkimStatus),
    DkimTokens: tokens,
    ...(signing.origin === 'AWS_SES' ? { SigningHostedZone: SIGNING_HOSTED_ZONE } : {}),
  };
}

/** DkimAttributes of GetEmailIdentity and CreateEmailIdentity. */
export async function dkimAttributes(
  ctx: CallContext,
  row: SesIdentityRow,
): Promise<Record<string, unknown>> {
  const holder = await dkimHolder(ctx.store, ctx.caller.accountId, ctx.region, row);
  if (holder !== row) return dkimAttributes(ctx, holder);
  const tokens = dkimTokensOf(row);
  const base = {
    SigningEnabled: row.dkim_enabled === 1,
    Status: v2Status(row.dkim_status),
    ...(tokens.length > 0 ? { Tokens: tokens } : {}),
  };
  if (row.identity_type !== 'Domain')
    return { ...base, SigningAttributesOrigin: 'AWS_SES', NextSigningKeyLength: 'RSA_2048_BIT' };
  const s = await getDkimSigning(ctx.store, ctx.caller.accountId, ctx.region, row.identity);
  if (s.origin === 'EXTERNAL') return { ...base, SigningAttributesOrigin: 'EXTERNAL' };
  const key =
    tokens.length > 0
      ? await easyDkimKeyInfo(ctx.store, ctx.caller.accountId, ctx.region, row.identity)
      : undefined;
  return {
    ...base,
    ...(tokens.length > 0 ? { SigningHostedZone: SIGNING_HOSTED_ZONE } : {}),
    SigningAttributesOrigin: 'AWS_SES',
    NextSigningKeyLength: s.nextKeyLength,
    ...(tokens.length > 0
      ? {
          CurrentSigningKeyLength: key
            ? key.bits === 1024
              ? 'RSA_1024_BIT'
              : 'RSA_2048_BIT'
            : s.nextKeyLength,
          LastKeyGenerationTimestamp: key?.createdAt ?? new Date(Number(row.created_at)),
        }
      : {}),
  };
}

export const dkimSigningOperations: OperationTable = {
  PutEmailIdentityDkimSigningAttributes: onIdentity<{
    EmailIdentity: string;
    SigningAttributesOrigin: string;
    SigningAttributes?: DkimSigningAttributes;
  }>('PutEmailIdentityDkimSigningAttributes', async (ctx, i, found) => {
    const row = await found.existing();
    if (row.identity_type !== 'Domain') throw badRequest(dkimTexts.domainOnly);
    const current = await getDkimSigning(ctx.store, ctx.caller.accountId, ctx.region, row.identity);
    return applySigning(ctx, row, requestedSigning(i.SigningAttributesOrigin, i.SigningAttributes, current));
  }),
};
