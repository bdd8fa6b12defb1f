// SES v1 identity operations: verification, listing, attributes, notification and MAIL FROM settings.
import type { CallContext, Operation, OperationTable } from '../../api/operation.js';
import { onAnyResource } from '../authz.js';
import { invalidParameter, texts, v1Error } from '../errors.js';
import { identityNameOf } from '../identity-arg.js';
import {
  deleteIdentity,
  dkimTokensOf,
  getIdentities,
  getIdentity,
  initialVerificationStatus,
  identityQuotaAllows,
  insertIdentity,
  listIdentities,
  newVerificationToken,
  updateIdentity,
  type IdentityPatch,
} from '../state/identities.js';
import { isValidDomain, isValidEmailAddress, normalizeIdentity } from '../state/identity-names.js';
import { decodeNextToken, pageSize, toPage } from '../state/paging.js';
import { onEmailIdentityRequested } from '../verification/trigger.js';
import { mailFromPatch } from '../state/mail-from.js';
import { newEasyDkimTokens } from '../../delivery/dkim.js';
import { dkimHolder } from '../state/address-dkim.js';
import type { SesIdentityRow } from '../../store/schema/ses.js';

const op = <I>(name: string, handle: (ctx: CallContext, input: I) => Promise<unknown>): Operation<I> => ({
  authorize: onAnyResource(name),
  handle,
});

async function verifyEmail(ctx: CallContext, address: string, operation: string): Promise<void> {
  if (!isValidEmailAddress(address)) throw invalidParameter(texts.invalidEmail(address));
  const identity = normalizeIdentity(address);
  await requireIdentityRoom(ctx, identity);
  const created = await insertIdentity(ctx.store, ctx.caller.accountId, ctx.region, {
    identity,
    type: 'EmailAddress',
    status: initialVerificationStatus(ctx.config),
    now: ctx.now,
  });
  // Verifying again restarts a failed verification (SES sends a new mail).
  if (!created) {
    const row = await getIdentity(ctx.store, ctx.caller.accountId, ctx.region, identity);
    if (!row || row.verification_status === 'Success') return;
    await updateIdentity(ctx.store, ctx.caller.accountId, ctx.region, identity, {
      verification_status: initialVerificationStatus(ctx.config),
    });
  }
  await onEmailIdentityRequested(ctx, identity, operation);
}

/** SES's identity quota (SESAME_MAX_IDENTITIES per account and region); an existing one passes. */
async function requireIdentityRoom(ctx: CallContext, identity: string): Promise<void> {
  const max = ctx.config.maxIdentitiesPerRegion;
  if (!(await identityQuotaAllows(ctx.store, ctx.caller.accountId, ctx.region, identity, max)))
    throw v1Error('LimitExceeded', texts.identityLimit(max, ctx.region));
}

/** Creates the domain identity if needed; returns its row. */
async function ensureDomain(ctx: CallContext, domain: string): Promise<SesIdentityRow> {
  if (!isValidDomain(domain)) throw invalidParameter(texts.invalidDomain(domain));
  const identity = normalizeIdentity(domain);
  await requireIdentityRoom(ctx, identity);
  await insertIdentity(ctx.store, ctx.caller.accountId, ctx.region, {
    identity,
    type: 'Domain',
    status: initialVerificationStatus(ctx.config),
    verificationToken: newVerificationToken(),
    now: ctx.now,
  });
  return (await getIdentity(ctx.store, ctx.caller.accountId, ctx.region, identity))!;
}

/** The existing identity named by a v1 `Identity` argument, or (by default) the recorded MessageRejected. */
async function requireIdentity(
  ctx: CallContext,
  arg: string,
  missing: () => Error = () => v1Error('MessageRejected', texts.identityUnknownV1(arg)),
): Promise<SesIdentityRow> {
  const name = identityNameOf(arg, ctx.caller.accountId, ctx.region);
  const row =
    name === undefined ? undefined : await getIdentity(ctx.store, ctx.caller.accountId, ctx.region, name);
  if (!row) throw missing();
  return row;
}

async function patchIdentity(
  ctx: CallContext,
  arg: string,
  patch: (row: SesIdentityRow) => IdentityPatch,
): Promise<Record<string, never>> {
  const row = await requireIdentity(ctx, arg);
  await updateIdentity(ctx.store, ctx.caller.accountId, ctx.region, row.identity, patch(row));
  return {};
}

/** Rows for the requested identities that exist (unknown names are left out of the map, as SES does). */
async function requested(
  ctx: CallContext,
  identities: string[] | undefined,
): Promise<Map<string, SesIdentityRow>> {
  const args = identities ?? [];
  const names = new Map<string, string>();
  for (const a of args) {
    const n = identityNameOf(a, ctx.caller.accountId, ctx.region);
    if (n !== undefined) names.set(a, n);
  }
  const rows = await getIdentities(ctx.store, ctx.caller.accountId, ctx.region, [...new Set(names.values())]);
  const byName = new Map(rows.map((r) => [r.identity, r]));
  const out = new Map<string, SesIdentityRow>();
  for (const [arg, n] of names) {
    const row = byName.get(n);
    if (row) out.set(arg, row);
  }
  return out;
}

const NOTIFICATION_TYPES = ['Bounce', 'Complaint', 'Delivery'] as const;
type NotificationType = (typeof NOTIFICATION_TYPES)[number];
function notificationType(t: string): NotificationType {
  if (!(NOTIFICATION_TYPES as readonly string[]).includes(t))
    throw invalidParameter(texts.notificationType(t));
  return t as NotificationType;
}

export const identityOperations: OperationTable = {
  VerifyEmailIdentity: op<{ EmailAddress: string }>('VerifyEmailIdentity', async (ctx, i) => {
    await verifyEmail(ctx, i.EmailAddress, 'VerifyEmailIdentity');
    return {};
  }),
  VerifyEmailAddress: op<{ EmailAddress: string }>('VerifyEmailAddress', async (ctx, i) => {
    await verifyEmail(ctx, i.EmailAddress, 'VerifyEmailAddress');
    return {};
  }),
  VerifyDomainIdentity: op<{ Domain: string }>('VerifyDomainIdentity', async (ctx, i) => {
    const row = await ensureDomain(ctx, i.Domain);
    let token = row.verification_token;
    if (!token) {
      token = newVerificationToken();
      await updateIdentity(ctx.store, ctx.caller.accountId, ctx.region, row.identity, {
        verification_token: token,
      });
    }
    return { VerificationToken: token };
  }),
  VerifyDomainDkim: op<{ Domain: string }>('VerifyDomainDkim', async (ctx, i) => {
    const row = await ensureDomain(ctx, i.Domain);
    let tokens = dkimTokensOf(row);
    if (tokens.length === 0) {
      tokens = await newEasyDkimTokens(ctx.store, ctx.caller.accountId, ctx.region, row.identity, ctx.now);
      await updateIdentity(ctx.store, ctx.caller.accountId, ctx.region, row.identity, {
        dkim_tokens: JSON.stringify(tokens),
        dkim_enabled: 1,
        dkim_status: initialVerificationStatus(ctx.config),
      });
    }
    return { DkimTokens: tokens };
  }),
  ListIdentities: op<{ IdentityType?: 'EmailAddress' | 'Domain'; NextToken?: string; MaxItems?: number }>(
    'ListIdentities',
    async (ctx, i) => {
      const after = decodeNextToken(i.NextToken);
      if (after === null) throw invalidParameter(texts.invalidNextToken);
      const size = pageSize(i.MaxItems, 1000, 1000);
      const rows = await listIdentities(ctx.store, ctx.caller.accountId, ctx.region, {
        ...(i.IdentityType ? { type: i.IdentityType } : {}),
        ...(after !== undefined ? { after } : {}),
        limit: size + 1,
      });
      const page = toPage(rows, size, (r) => r.identity);
      return {
        Identities: page.items.map((r) => r.identity),
        ...(page.nextToken ? { NextToken: page.nextToken } : {}),
      };
    },
  ),
  ListVerifiedEmailAddresses: op<Record<string, never>>('ListVerifiedEmailAddresses', async (ctx) => {
    const rows = await listIdentities(ctx.store, ctx.caller.accountId, ctx.region, {
      type: 'EmailAddress',
      limit: 100_000,
    });
    return {
      VerifiedEmailAddresses: rows.filter((r) => r.verification_status === 'Success').map((r) => r.identity),
    };
  }),
  GetIdentityVerificationAttributes: op<{ Identities: string[] }>(
    'GetIdentityVerificationAttributes',
    async (ctx, i) => {
      const out: Record<string, { VerificationStatus: string; VerificationToken?: string }> = {};
      for (const [arg, row] of await requested(ctx, i.Identities)) {
        out[arg] = {
          VerificationStatus: row.verification_status,
          // Tokens are for domains; an address row may hold its link's hash (verification/).
          ...(row.identity_type === 'Domain' && row.verification_token
            ? { VerificationToken: row.verification_token }
            : {}),
        };
      }
      return { VerificationAttributes: out };
    },
  ),
  GetIdentityDkimAttributes: op<{ Identities: string[] }>('GetIdentityDkimAttributes', async (ctx, i) => {
    const out: Record<
      string,
      { DkimEnabled: boolean; DkimVerificationStatus: string; DkimTokens?: string[] }
    > = {};
    for (const [arg, own] of await requested(ctx, i.Identities)) {
      const row = await dkimHolder(ctx.store, ctx.caller.accountId, ctx.region, own);
      const tokens = dkimTokensOf(row);
      out[arg] = {
        DkimEnabled: row.dkim_enabled === 1,
        DkimVerificationStatus: row.dkim_status,
        ...(tokens.length > 0 ? { DkimTokens: tokens } : {}),
      };
    }
    return { DkimAttributes: out };
  }),
  SetIdentityDkimEnabled: op<{ Identity: string; DkimEnabled: boolean }>('SetIdentityDkimEnabled', (ctx, i) =>
    patchIdentity(ctx, i.Identity, () => ({ dkim_enabled: i.DkimEnabled ? 1 : 0 })),
  ),
  DeleteIdentity: op<{ Identity: string }>('DeleteIdentity', async (ctx, i) => {
    const name = identityNameOf(i.Identity, ctx.caller.accountId, ctx.region);
    if (name !== undefined) await deleteIdentity(ctx.store, ctx.caller.accountId, ctx.region, name);
    return {};
  }),
  DeleteVerifiedEmailAddress: op<{ EmailAddress: string }>('DeleteVerifiedEmailAddress', async (ctx, i) => {
    await deleteIdentity(ctx.store, ctx.caller.accountId, ctx.region, normalizeIdentity(i.EmailAddress));
    return {};
  }),
  GetIdentityNotificationAttributes: op<{ Identities: string[] }>(
    'GetIdentityNotificationAttributes',
    async (ctx, i) => {
      const out: Record<string, Record<string, unknown>> = {};
      for (const [arg, row] of await requested(ctx, i.Identities)) {
        out[arg] = {
          ...(row.bounce_topic ? { BounceTopic: row.bounce_topic } : {}),
          ...(row.complaint_topic ? { ComplaintTopic: row.complaint_topic } : {}),
          ...(row.delivery_topic ? { DeliveryTopic: row.delivery_topic } : {}),
          ForwardingEnabled: row.feedback_forwarding === 1,
          HeadersInBounceNotificationsEnabled: row.headers_in_bounce === 1,
          HeadersInComplaintNotificationsEnabled: row.headers_in_complaint === 1,
          HeadersInDeliveryNotificationsEnabled: row.headers_in_delivery === 1,
        };
      }
      return { NotificationAttributes: out };
    },
  ),
  SetIdentityNotificationTopic: op<{ Identity: string; NotificationType: string; SnsTopic?: string }>(
    'SetIdentityNotificationTopic',
    async (ctx, i) => {
      const type = notificationType(i.NotificationType);
      const topic = i.SnsTopic ? i.SnsTopic : null;
      if (topic !== null && !/^arn:aws[\w-]*:sns:[^:]+:\d{12}:[\w-]+$/.test(topic)) {
        throw v1Error('InvalidParameterValue', `Invalid SNS topic ARN: ${topic}.`);
      }
      return patchIdentity(ctx, i.Identity, () =>
        type === 'Bounce'
          ? { bounce_topic: topic }
          : type === 'Complaint'
            ? { complaint_topic: topic }
            : { delivery_topic: topic },
      );
    },
  ),
  SetIdentityFeedbackForwardingEnabled: op<{ Identity: string; ForwardingEnabled: boolean }>(
    'SetIdentityFeedbackForwardingEnabled',
    async (ctx, i) => {
      const row = await requireIdentity(ctx, i.Identity);
      // Feedback must go somewhere: forwarding can be turned off only with bounce and complaint topics.
      if (!i.ForwardingEnabled && (!row.bounce_topic || !row.complaint_topic)) {
        throw invalidParameter(
          `Feedback forwarding cannot be disabled for identity ${row.identity} until a bounce and a complaint notification topic are set.`,
        );
      }
      await updateIdentity(ctx.store, ctx.caller.accountId, ctx.region, row.identity, {
        feedback_forwarding: i.ForwardingEnabled ? 1 : 0,
      });
      return {};
    },
  ),
  SetIdentityHeadersInNotificationsEnabled: op<{
    Identity: string;
    NotificationType: string;
    Enabled: boolean;
  }>('SetIdentityHeadersInNotificationsEnabled', async (ctx, i) => {
    const type = notificationType(i.NotificationType);
    const v = i.Enabled ? 1 : 0;
    return patchIdentity(ctx, i.Identity, () =>
      type === 'Bounce'
        ? { headers_in_bounce: v }
        : type === 'Complaint'
          ? { headers_in_complaint: v }
          : { headers_in_delivery: v },
    );
  }),
  GetIdentityMailFromDomainAttributes: op<{ Identities: string[] }>(
    'GetIdentityMailFromDomainAttributes',
    async (ctx, i) => {
      const out: Record<string, Record<string, unknown>> = {};
      for (const [arg, row] of await requested(ctx, i.Identities)) {
        out[arg] = {
          ...(row.mail_from_domain
            ? {
                MailFromDomain: row.mail_from_domain,
                MailFromDomainStatus: row.mail_from_status ?? 'Pending',
              }
            : {}),
          BehaviorOnMXFailure: row.mail_from_behavior,
        };
      }
      return { MailFromDomainAttributes: out };
    },
  ),
  SetIdentityMailFromDomain: op<{ Identity: string; MailFromDomain?: string; BehaviorOnMXFailure?: string }>(
    'SetIdentityMailFromDomain',
    async (ctx, i) => {
      // Unlike the notification setters (MessageRejected, recorded), this one answers
      // InvalidParameterValue for an unknown identity. [INF] the text, in SES's <…> style.
      const row = await requireIdentity(ctx, i.Identity, () =>
        invalidParameter(`Identity <${i.Identity}> does not exist.`),
      );
      const domain = i.MailFromDomain ? i.MailFromDomain.toLowerCase() : null;
      if (domain !== null) {
        const parent = row.identity.slice(row.identity.lastIndexOf('@') + 1);
        if (!isValidDomain(domain) || !domain.endsWith(`.${parent}`)) {
          throw invalidParameter(
            `Invalid custom MAIL FROM domain: ${i.MailFromDomain}. It must be a subdomain of ${parent}.`,
          );
        }
      }
      await updateIdentity(
        ctx.store,
        ctx.caller.accountId,
        ctx.region,
        row.identity,
        mailFromPatch(row, domain, i.BehaviorOnMXFailure ?? 'UseDefaultValue', ctx.config, ctx.now),
      );
      return {};
    },
  ),
};
