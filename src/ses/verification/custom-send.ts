// SendCustomVerificationEmail (v1 and v2): adds the address as an identity (pending until its link
// is opened, or at once under `auto` verification), and mails the template's content from its
// sender with SES's link and disclaimer appended. The message counts against the sending quotas
// and rate like any send, is refused in the sandbox (ProductionAccessNotGranted), and is committed
// with its identity, link, ledger and audit rows before its MessageId is returned.
import { randomBytes } from 'node:crypto';
import type { AuthorizationCheck, CallContext, Operation } from '../../api/operation.js';
import { resourceTagContext } from '../../authz/tag-context.js';
import { notify as wakeDeliveryWorkers } from '../../delivery/notify.js';
import { AwsError } from '../../errors/aws-error.js';
import { batchedWrite } from '../../store/write-batch.js';
import { addressSyntaxError } from '../send/address.js';
import { toV2Error } from '../send/errors.js';
import { newMessageId } from '../send/message-id.js';
import { insertOutbox } from '../send/outbox.js';
import { defaultRateLimiter } from '../send/rate-limiter.js';
import { notVerifiedError } from '../send/identities.js';
import { getAccountState } from '../state/account.js';
import { configurationSetArn, customVerificationTemplateArn, identityArn } from '../state/arn.js';
import { getConfigurationSet } from '../state/configuration-sets.js';
import { findSendingIdentity, initialVerificationStatus, newIdentityRow } from '../state/identities.js';
import { normalizeIdentity } from '../state/identity-names.js';
import { invalidateSendState } from '../state/invalidate.js';
import { countSend, sentInLast24HoursForSend, writeSend } from '../state/ledger.js';
import { getCustomVerificationTemplate, type CustomVerificationTemplate } from './custom-templates.js';
import { customTemplateTexts, type Api } from './custom-template-rules.js';
import { customVerificationMessage } from './custom-message.js';
import { EMAIL_TOKEN_TTL_MS, publicBaseUrl, storedTokenValue } from './email-link.js';

interface Input {
  EmailAddress?: string;
  TemplateName: string;
  ConfigurationSetName?: string;
}

const v1 = (code: string, message: string) => new AwsError(code, message);

function checkAddress(address: string | undefined): string {
  if (address === undefined || address.trim() === '')
    throw v1('InvalidParameterValue', 'Email address not specified.');
  if (addressSyntaxError(address) !== undefined)
    throw v1('InvalidParameterValue', `Invalid email address<${address}>.`);
  return address;
}

async function checks(ctx: CallContext, i: Input): Promise<AuthorizationCheck[]> {
  const action = 'ses:SendCustomVerificationEmail';
  const { accountId } = ctx.caller;
  const t = await getCustomVerificationTemplate(ctx.store, accountId, ctx.region, i.TemplateName);
  const keys = {
    'ses:Recipients': [i.EmailAddress ?? ''],
    ...(t ? { 'ses:FromAddress': t.fromEmailAddress, 'ses:FeedbackAddress': t.fromEmailAddress } : {}),
  };
  const out: AuthorizationCheck[] = [
    {
      action,
      resource: identityArn(ctx.region, accountId, normalizeIdentity(i.EmailAddress ?? '')),
      context: keys,
    },
    {
      action,
      resource: customVerificationTemplateArn(ctx.region, accountId, i.TemplateName),
      context: { ...keys, ...resourceTagContext(t?.tags) },
    },
  ];
  if (i.ConfigurationSetName) {
    const cs = await getConfigurationSet(ctx.store, accountId, ctx.region, i.ConfigurationSetName);
    out.push({
      action,
      resource: configurationSetArn(ctx.region, accountId, i.ConfigurationSetName),
      context: { ...keys, ...resourceTagContext(cs?.tags) },
    });
  }
  return out;
}

/** The template, its sender verified, the configuration set usable, the account out of the sandbox. */
async function sendable(
  ctx: CallContext,
  api: Api,
  i: Input,
): Promise<{ template: CustomVerificationTemplate; from: string }> {
  const { store, region } = ctx;
  const accountId = ctx.caller.accountId;
  const t = await getCustomVerificationTemplate(store, accountId, region, i.TemplateName);
  if (!t)
    throw api === '1'
      ? v1('CustomVerificationEmailTemplateDoesNotExist', customTemplateTexts.sendNotFound(i.TemplateName))
      : new AwsError('NotFoundException', customTemplateTexts.notFound(i.TemplateName), 404);
  const from = await findSendingIdentity(store, accountId, region, t.fromEmailAddress);
  if (!from?.verified) {
    const e = notVerifiedError(region, [t.fromEmailAddress]);
    throw api === '1' ? v1('FromEmailAddressNotVerified', e.message) : e;
  }
  if (i.ConfigurationSetName) {
    const cs = await getConfigurationSet(store, accountId, region, i.ConfigurationSetName);
    if (!cs)
      throw v1(
        'ConfigurationSetDoesNotExist',
        `Configuration set <${i.ConfigurationSetName}> does not exist.`,
      );
    if (!cs.sendingEnabled)
      throw v1(
        'ConfigurationSetSendingPausedException',
        `Sending is paused for configuration set <${i.ConfigurationSetName}>.`,
      );
  }
  return { template: t, from: from.identity };
}

async function send(ctx: CallContext, api: Api, i: Input): Promise<{ MessageId: string }> {
  const { store, region, now } = ctx;
  const accountId = ctx.caller.accountId;
  const address = checkAddress(i.EmailAddress);
  const { template, from } = await sendable(ctx, api, i);
  const account = await getAccountState(store, accountId, region, ctx.config);
  // Custom verification email is for accounts out of the sandbox (developer guide, Q13).
  if (account.sandbox)
    throw api === '1'
      ? v1('ProductionAccessNotGranted', 'Production access is not granted for this account.')
      : new AwsError('BadRequestException', 'Production access is not granted for this account.');
  if (!account.sendingEnabled)
    throw v1('AccountSendingPausedException', 'Sending is paused for this account.');
  const sent = await sentInLast24HoursForSend(store, accountId, region, now);
  if (account.max24HourSend >= 0 && sent + 1 > account.max24HourSend)
    throw v1('Throttling', 'Daily message quota exceeded.');
  if (!(await defaultRateLimiter.tryTake(`${accountId}/${region}`, account.maxSendRate, 1, now, store)))
    throw v1('Throttling', 'Maximum sending rate exceeded.');

  const identity = normalizeIdentity(address);
  const token = randomBytes(32).toString('base64url');
  const linkId = randomBytes(16).toString('base64url');
  const expiresAt = now.getTime() + EMAIL_TOKEN_TTL_MS;
  const link = `${publicBaseUrl(ctx.config)}/verify-email?token=${token}&link=${linkId}`;
  const messageId = newMessageId(now);
  const raw = await customVerificationMessage(template, address, link, messageId, region, now);
  const writeAudit = ctx.audit.writeSuccess;
  await batchedWrite(store, async (tx) => {
    // A new address identity, as VerifyEmailIdentity adds it; an existing one keeps its state.
    const status = initialVerificationStatus(ctx.config);
    await tx.db
      .insertInto('ses_identities')
      .values(newIdentityRow(accountId, region, { identity, type: 'EmailAddress', status, now }))
      .onConflict((oc) => oc.columns(['account_id', 'region', 'identity']).doNothing())
      .execute();
    await tx.db
      .updateTable('ses_identities')
      .set({ verification_token: storedTokenValue(token, expiresAt) })
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('identity', '=', identity)
      .execute();
    await tx.db
      .insertInto('ses_custom_verification_links')
      .values({
        link_id: linkId,
        account_id: accountId,
        region,
        identity,
        success_url: template.successRedirectionUrl,
        failure_url: template.failureRedirectionUrl,
        expires_at: expiresAt,
        created_at: now.getTime(),
      })
      .execute();
    await insertOutbox(tx, [
      {
        messageId,
        accountId,
        region,
        principalArn: ctx.caller.principal.arn,
        source: template.fromEmailAddress,
        fromAddress: template.fromEmailAddress,
        sourceArn: identityArn(region, accountId, from),
        recipients: [address],
        raw,
        tags: [],
        apiVersion: api,
        operation: 'SendCustomVerificationEmail',
        createdAt: now,
        ...(i.ConfigurationSetName ? { configurationSet: i.ConfigurationSetName } : {}),
      },
    ]);
    await writeSend(tx, accountId, region, now, 1);
    if (writeAudit) await writeAudit(tx);
  });
  countSend(store, accountId, region, now, 1);
  if (writeAudit) ctx.audit.recorded = true;
  await invalidateSendState(store, accountId);
  wakeDeliveryWorkers('outbox');
  return { MessageId: messageId };
}

export function sendCustomVerificationEmail(api: Api): Operation<Input> {
  return {
    authorize: checks,
    handle: async (ctx, i) => {
      try {
        return await send(ctx, api, i);
      } catch (e) {
        throw api === '2' && e instanceof AwsError ? toV2Error(e) : e;
      }
    },
  };
}
