// SES v2 email identities: create (email or domain, Easy DKIM tokens for domains), get, list,
// delete and the Put*Attributes operations. Shares rows with v1.
import type { CallContext, OperationTable } from '../../api/operation.js';
import { AwsError } from '../../errors/aws-error.js';
import { onAnyResource } from '../authz.js';
import { alreadyExists, badRequest, notFound, texts } from '../errors.js';
import { getConfigurationSet } from '../state/configuration-sets.js';
import {
  deleteIdentity,
  dkimTokensOf,
  getIdentity,
  initialVerificationStatus,
  identityQuotaAllows,
  insertIdentity,
  listIdentities,
  newDkimTokens,
  newVerificationToken,
  tagsOf,
  updateIdentity,
} from '../state/identities.js';
import {
  identityTypeOf,
  isValidDomain,
  isValidEmailAddress,
  normalizeIdentity,
} from '../state/identity-names.js';
import type { Tag } from '../state/json.js';
import { pageSize, toPage } from '../state/paging.js';
import { onEmailIdentityRequested } from '../verification/trigger.js';
import { mailFromPatch } from '../state/mail-from.js';
import { newEasyDkimTokens } from '../../delivery/dkim.js';
import { afterToken, v2Status } from './common.js';
import { creating, onIdentity } from './resources.js';
import { checkTags } from './tag-rules.js';
import {
  applySigning,
  dkimAttributes,
  dkimTexts,
  requestedSigning,
  type DkimSigningAttributes,
} from './dkim-signing.js';
import { EASY_DKIM } from '../state/dkim-signing.js';

const V2_TYPE: Record<string, string> = { EmailAddress: 'EMAIL_ADDRESS', Domain: 'DOMAIN' };
const BEHAVIOR_V2: Record<string, string> = {
  UseDefaultValue: 'USE_DEFAULT_VALUE',
  RejectMessage: 'REJECT_MESSAGE',
};
const BEHAVIOR_V1: Record<string, string> = {
  USE_DEFAULT_VALUE: 'UseDefaultValue',
  REJECT_MESSAGE: 'RejectMessage',
};

async function requireConfigurationSet(ctx: CallContext, name: string): Promise<void> {
  if (!(await getConfigurationSet(ctx.store, ctx.caller.accountId, ctx.region, name)))
    throw notFound(texts.configSetNotFound(name));
}

export const identityOperations: OperationTable = {
  CreateEmailIdentity: {
    authorize: creating('identity', 'CreateEmailIdentity'),
    async handle(
      ctx: CallContext,
      i: {
        EmailIdentity: string;
        Tags?: Tag[];
        ConfigurationSetName?: string;
        DkimSigningAttributes?: DkimSigningAttributes;
      },
    ) {
      const type = identityTypeOf(i.EmailIdentity);
      if (type === 'EmailAddress' ? !isValidEmailAddress(i.EmailIdentity) : !isValidDomain(i.EmailIdentity)) {
        throw badRequest(
          type === 'EmailAddress'
            ? texts.invalidEmail(i.EmailIdentity)
            : texts.invalidDomain(i.EmailIdentity),
        );
      }
      // Checked before anything is written: a bad tag list or key creates nothing.
      const tags = checkTags(i.Tags);
      if (i.DkimSigningAttributes !== undefined && type === 'EmailAddress')
        throw badRequest(dkimTexts.domainOnly);
      const signing = i.DkimSigningAttributes
        ? requestedSigning(undefined, i.DkimSigningAttributes, EASY_DKIM)
        : undefined;
      if (i.ConfigurationSetName) await requireConfigurationSet(ctx, i.ConfigurationSetName);
      const identity = normalizeIdentity(i.EmailIdentity);
      const max = ctx.config.maxIdentitiesPerRegion;
      if (!(await identityQuotaAllows(ctx.store, ctx.caller.accountId, ctx.region, identity, max)))
        throw new AwsError('LimitExceededException', texts.identityLimit(max, ctx.region), 400);
      const status = initialVerificationStatus(ctx.config);
      // Domains get Easy DKIM at once (three CNAME tokens); v2 verifies a domain through DKIM.
      const domain = type === 'Domain';
      const created = await insertIdentity(ctx.store, ctx.caller.accountId, ctx.region, {
        identity,
        type,
        status,
        now: ctx.now,
        tags,
        ...(domain
          ? {
              verificationToken: newVerificationToken(),
              dkimEnabled: true,
              dkimTokens: newDkimTokens(),
              dkimStatus: status,
            }
          : {}),
        ...(i.ConfigurationSetName ? { configurationSet: i.ConfigurationSetName } : {}),
      });
      if (!created) throw alreadyExists(texts.identityExists(i.EmailIdentity));
      if (!domain) await onEmailIdentityRequested(ctx, identity, 'CreateEmailIdentity');
      const read = () => getIdentity(ctx.store, ctx.caller.accountId, ctx.region, identity);
      let row = (await read())!;
      if (signing) {
        await applySigning(ctx, row, signing);
        row = (await read())!;
      }
      return {
        IdentityType: V2_TYPE[type],
        VerifiedForSendingStatus: row.verification_status === 'Success',
        DkimAttributes: await dkimAttributes(ctx, row),
      };
    },
  },
  GetEmailIdentity: onIdentity<{ EmailIdentity: string }>('GetEmailIdentity', async (ctx, i, found) => {
    const row = await found.existing();
    const policies = await found.policies();
    return {
      IdentityType: V2_TYPE[row.identity_type],
      FeedbackForwardingStatus: row.feedback_forwarding === 1,
      VerifiedForSendingStatus: row.verification_status === 'Success',
      DkimAttributes: await dkimAttributes(ctx, row),
      MailFromAttributes: {
        ...(row.mail_from_domain
          ? {
              MailFromDomain: row.mail_from_domain,
              MailFromDomainStatus: v2Status(row.mail_from_status ?? 'Pending'),
            }
          : {}),
        BehaviorOnMxFailure: BEHAVIOR_V2[row.mail_from_behavior] ?? 'USE_DEFAULT_VALUE',
      },
      Policies: Object.fromEntries(policies.map((p) => [p.name, p.policy])),
      Tags: tagsOf(row),
      ...(row.configuration_set ? { ConfigurationSetName: row.configuration_set } : {}),
      VerificationStatus: v2Status(row.verification_status),
      VerificationInfo: {},
    };
  }),
  ListEmailIdentities: {
    authorize: onAnyResource('ListEmailIdentities'),
    async handle(ctx: CallContext, i: { NextToken?: string; PageSize?: number }) {
      const after = afterToken(i.NextToken);
      const size = pageSize(i.PageSize, 1000, 1000);
      const rows = await listIdentities(ctx.store, ctx.caller.accountId, ctx.region, {
        ...(after !== undefined ? { after } : {}),
        limit: size + 1,
      });
      const page = toPage(rows, size, (r) => r.identity);
      return {
        EmailIdentities: page.items.map((r) => ({
          IdentityType: V2_TYPE[r.identity_type],
          IdentityName: r.identity,
          SendingEnabled: r.verification_status === 'Success',
          VerificationStatus: v2Status(r.verification_status),
        })),
        ...(page.nextToken ? { NextToken: page.nextToken } : {}),
      };
    },
  },
  DeleteEmailIdentity: onIdentity<{ EmailIdentity: string }>('DeleteEmailIdentity', async (ctx, i) => {
    if (
      !(await deleteIdentity(ctx.store, ctx.caller.accountId, ctx.region, normalizeIdentity(i.EmailIdentity)))
    ) {
      throw notFound(texts.identityNotFound(i.EmailIdentity));
    }
    return {};
  }),
  PutEmailIdentityDkimAttributes: onIdentity<{ EmailIdentity: string; SigningEnabled?: boolean }>(
    'PutEmailIdentityDkimAttributes',
    async (ctx, i, found) => {
      const row = await found.row();
      if (!row) throw badRequest(`Domain ${i.EmailIdentity} is not verified for DKIM signing.`);
      let tokens = dkimTokensOf(row);
      const patch: Parameters<typeof updateIdentity>[4] = { dkim_enabled: i.SigningEnabled ? 1 : 0 };
      if (i.SigningEnabled && row.identity_type === 'Domain' && tokens.length === 0) {
        tokens = await newEasyDkimTokens(ctx.store, ctx.caller.accountId, ctx.region, row.identity, ctx.now);
        Object.assign(patch, {
          dkim_tokens: JSON.stringify(tokens),
          dkim_status: initialVerificationStatus(ctx.config),
        });
      }
      await updateIdentity(ctx.store, ctx.caller.accountId, ctx.region, row.identity, patch);
      return {};
    },
  ),
  PutEmailIdentityFeedbackAttributes: onIdentity<{ EmailIdentity: string; EmailForwardingEnabled?: boolean }>(
    'PutEmailIdentityFeedbackAttributes',
    async (ctx, i, found) => {
      const row = await found.existing();
      if (!i.EmailForwardingEnabled && (!row.bounce_topic || !row.complaint_topic)) {
        throw badRequest(
          `Feedback forwarding cannot be disabled for identity ${row.identity} until a bounce and a complaint notification topic are set.`,
        );
      }
      await updateIdentity(ctx.store, ctx.caller.accountId, ctx.region, row.identity, {
        feedback_forwarding: i.EmailForwardingEnabled ? 1 : 0,
      });
      return {};
    },
  ),
  PutEmailIdentityMailFromAttributes: onIdentity<{
    EmailIdentity: string;
    MailFromDomain?: string;
    BehaviorOnMxFailure?: string;
  }>('PutEmailIdentityMailFromAttributes', async (ctx, i, found) => {
    const row = await found.existing();
    const domain = i.MailFromDomain ? i.MailFromDomain.toLowerCase() : null;
    if (domain !== null) {
      const parent = row.identity.slice(row.identity.lastIndexOf('@') + 1);
      if (!isValidDomain(domain) || !domain.endsWith(`.${parent}`)) {
        throw badRequest(
          `Invalid custom MAIL FROM domain: ${i.MailFromDomain}. It must be a subdomain of ${parent}.`,
        );
      }
    }
    const behavior = BEHAVIOR_V1[i.BehaviorOnMxFailure ?? 'USE_DEFAULT_VALUE'] ?? 'UseDefaultValue';
    await updateIdentity(
      ctx.store,
      ctx.caller.accountId,
      ctx.region,
      row.identity,
      mailFromPatch(row, domain, behavior, ctx.config, ctx.now),
    );
    return {};
  }),
  PutEmailIdentityConfigurationSetAttributes: onIdentity<{
    EmailIdentity: string;
    ConfigurationSetName?: string;
  }>('PutEmailIdentityConfigurationSetAttributes', async (ctx, i, found) => {
    const row = await found.existing();
    if (i.ConfigurationSetName) await requireConfigurationSet(ctx, i.ConfigurationSetName);
    await updateIdentity(ctx.store, ctx.caller.accountId, ctx.region, row.identity, {
      configuration_set: i.ConfigurationSetName || null,
    });
    return {};
  }),
};
