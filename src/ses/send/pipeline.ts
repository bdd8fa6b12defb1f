// The send pipeline (docs/spec/ses.md §8), the same for SES v1, v2 and SMTP: identities -> sandbox ->
// authorization -> validation -> account and configuration-set state -> template -> quotas ->
// commit (outbox + ledger in one transaction) -> MessageIds. Nothing is returned before the commit.
import { cachedMailFrom, checkMailFrom } from '../state/mail-from.js';
import type { AuthorizationCheck, CallContext } from '../../api/operation.js';
import { authorizeSend } from '../../authz/index.js';
import { AwsError } from '../../errors/aws-error.js';
import { batchedWrite, inTransaction } from '../../store/write-batch.js';
import {
  getConfigurationSet,
  getTemplate,
  type ConfigurationSet,
  countSend,
  sentInLast24HoursForSend,
  type TemplateContent,
  writeSend,
} from '../state/index.js';
import { isSimulatorAddress } from './address.js';
import {
  buildSendChecks,
  effectiveConfigurationSet,
  parseTemplateArn,
  sendingIdentity,
  sendResources,
} from './checks.js';
import { composeMessage } from './compose.js';
import { listSendFor } from './list-management.js';
import { resolveSendIdentities } from './identities.js';
import { messageIdHeader, newMessageId, rfc5322Date } from './message-id.js';
import { rebuildMessage, splitHeaders } from './mime-headers.js';
import { insertOutbox, type OutboxMessage } from './outbox.js';
import { notify as wakeDeliveryWorkers } from '../../delivery/notify.js';
import { defaultRateLimiter, type RateLimiter } from './rate-limiter.js';
import { fitQuotaUnderLock, quotaNeedsLock } from './cluster-limits.js';
import { countSendOutcome } from '../../metrics/counters.js';
import { mergeTags } from './normalize-raw.js';
import type { SendEntry, SendRequest } from './send-request.js';
import { MAX_DESTINATIONS, MAX_RECIPIENTS, validateEntry, validateRequest } from './validate.js';
import { checkTenantSend } from './tenant.js';
import { recordRenderingFailures } from './rendering-failure.js';
import { renderLimits, renderWithBudget } from '../render/render-pool.js';

export interface SendDeps {
  /** Runs the checks; throws AccessDenied (family A) on the first denial. */
  authorizer: (ctx: CallContext, checks: readonly AuthorizationCheck[]) => void;
  rateLimiter: RateLimiter;
}

export const defaultSendDeps: SendDeps = { authorizer: authorizeSend, rateLimiter: defaultRateLimiter };

/** One message's outcome: accepted with its id, or refused on its own (bulk sends only). */
export type EntryResult = { messageId: string } | { error: AwsError };

export interface SendResult {
  /** Ids of the accepted messages, in entry order. */
  messageIds: string[];
  /** One result per entry, in order (bulk sends report per-destination statuses from it). */
  results: EntryResult[];
}

const throttled = (message: string) => new AwsError('Throttling', message);

/**
 * Accepts a normalized send. Single-message requests throw on any failure; bulk requests
 * (several entries) throw for request-level failures and report entry-level ones in `results`.
 */
export async function acceptSend(
  ctx: CallContext,
  req: SendRequest,
  deps: SendDeps = defaultSendDeps,
): Promise<SendResult> {
  try {
    const result = await acceptSendOnce(ctx, req, deps);
    for (const r of result.results) {
      if ('messageId' in r) countSendOutcome('accepted');
      else countRefusal(r.error);
    }
    return result;
  } catch (e) {
    countRefusal(e);
    throw e;
  }
}

/** The refusal's reason for the metrics: the error code, throttling told apart by its cause. */
function countRefusal(e: unknown): void {
  if (!(e instanceof AwsError)) countSendOutcome('refused', 'InternalFailure');
  else if (e.code !== 'Throttling') countSendOutcome('refused', e.code);
  else countSendOutcome('refused', /Daily/.test(e.message) ? 'DailyQuotaExceeded' : 'MaxSendRateExceeded');
}

async function acceptSendOnce(ctx: CallContext, req: SendRequest, deps: SendDeps): Promise<SendResult> {
  const { store, region } = ctx;
  const accountId = ctx.caller.accountId;
  const bulk = req.operation === 'SendBulkTemplatedEmail' || req.operation === 'SendBulkEmail';

  // Cheap limits before any per-recipient work: a message over the recipient limit can only fail,
  // so it is refused (bulk: that entry fails on its own and its recipients take no part).
  const scoped = withinRecipientLimit(req, bulk);

  // Steps 4-5: identities and the sandbox.
  const scope = { store, accountId, region, defaults: ctx.config };
  const ids = await resolveSendIdentities(scope, scoped);

  // Steps 6-7: every action on every resource; the first denial is AccessDenied. The configuration
  // set and the template are read first: their tags are the aws:ResourceTag/* keys of the checks
  // on them (whether they exist is answered after authorization, as SES does).
  const csRef = effectiveConfigurationSet(req, ids, accountId);
  const tplRef = templateLocation(req, region, accountId);
  const [csRow, tplRow] = await Promise.all([
    csRef ? getConfigurationSet(store, csRef.ownerAccountId, region, csRef.name) : undefined,
    tplRef && tplRef !== 'invalid' ? getTemplate(store, tplRef.owner, region, tplRef.name) : undefined,
  ]);
  const resourceTags = {
    ...(csRow ? { configurationSet: csRow.tags } : {}),
    ...(tplRow ? { template: tplRow.tags } : {}),
  };
  const resources = sendResources(scoped, ids, region, accountId, resourceTags);
  deps.authorizer(ctx, buildSendChecks(scoped, resources));

  // Step 3, after authorization as SES answers: limits and syntax.
  validateRequest(req);
  if (!bulk) for (const e of req.entries) validateEntry(req, e);

  // A named tenant exists, may send, and owns every resource the send uses.
  if (req.tenantName !== undefined) await checkTenantSend(ctx, req.tenantName, resources);

  // Step 8: account and configuration-set state.
  const { account } = ids;
  if (!account.sendingEnabled)
    throw new AwsError('AccountSendingPausedException', 'Sending is paused for this account.');
  const configurationSet = checkConfigurationSet(req, csRef, csRow);
  const template = templateOf(req, tplRef, tplRow);
  const sender = sendingIdentity(ids);
  const sourceArn = sender?.identityArn;
  const mailFrom = sender && (await cachedMailFrom(store, sender.ownerAccountId, region, sender.address));
  const lists = await listSendFor(ctx, req.listManagement);
  let sent24h = await sentInLast24HoursForSend(store, accountId, region, ctx.now);

  const results: EntryResult[] = [];
  const accepted: OutboxMessage[] = [];
  let countable = 0;
  for (const entry of req.entries) {
    try {
      checkMailFrom(mailFrom);
      const messageId = newMessageId(ctx.now);
      let renderingFailure: string | undefined;
      const build = async (t: TemplateContent | undefined) => {
        const built = await finalMessage(req, entry, t, ctx);
        renderingFailure = built.renderingFailure;
        return built.message;
      };
      const message = lists ? await lists.message(entry, messageId, template, build) : await build(template);
      if (renderingFailure === undefined) validateEntry(req, { ...entry, message });
      // Step 9: quotas count recipients; simulator recipients use the rate, not the daily quota.
      const recipients = entry.envelopeRecipients;
      const daily = recipients.filter((r) => !isSimulatorAddress(r)).length;
      if (account.max24HourSend >= 0 && sent24h + daily > account.max24HourSend)
        throw throttled('Daily message quota exceeded.');
      const key = `${accountId}/${region}`;
      if (!(await deps.rateLimiter.tryTake(key, account.maxSendRate, recipients.length, ctx.now, store)))
        throw throttled('Maximum sending rate exceeded.');
      sent24h += daily;
      countable += daily;
      const out: OutboxMessage = {
        messageId,
        accountId,
        region,
        principalArn: ctx.caller.principal.arn,
        source: req.feedbackAddress ?? req.from?.address ?? '',
        recipients,
        raw: stampMessage(message, messageId, region, ctx.now),
        tags: mergeTags(req.tags, entry.tags),
        apiVersion: req.apiVersion,
        operation: req.operation,
        createdAt: ctx.now,
      };
      if (req.from) out.fromAddress = req.from.address;
      if (sourceArn !== undefined) out.sourceArn = sourceArn;
      if (configurationSet !== undefined) out.configurationSet = configurationSet;
      if (req.tenantName !== undefined) out.tenantName = req.tenantName;
      if (req.listManagement) out.listManagement = req.listManagement;
      if (renderingFailure !== undefined) out.failed = { error: renderingFailure };
      accepted.push(out);
      results.push({ messageId });
    } catch (e) {
      if (!bulk || !(e instanceof AwsError)) throw e;
      results.push({ error: e });
    }
  }

  // Step 10: commit the outbox rows and the ledger together, then answer (docs/architecture.md rule 4).
  // The transaction is shared with the other requests in flight (group commit).
  if (accepted.length > 0) {
    const writeAudit = ctx.audit.writeSuccess;
    // Near the 24-hour quota on a cluster: re-counted under the account's lock, in a transaction
    // of its own (a shared one could take two accounts' locks in either order).
    const locked = quotaNeedsLock(store, account, sent24h);
    await (locked ? inTransaction : batchedWrite)(store, async (tx) => {
      if (locked) {
        const counts = accepted.map((m) => m.recipients.filter((r) => !isSimulatorAddress(r)).length);
        const fits = await fitQuotaUnderLock(tx, accountId, region, ctx.now, counts, account.max24HourSend);
        if (fits.includes(false)) {
          const quota = throttled('Daily message quota exceeded.');
          if (!bulk) throw quota;
          const over = new Set(accepted.filter((_, i) => !fits[i]).map((m) => m.messageId));
          for (const [i, r] of results.entries())
            if ('messageId' in r && over.has(r.messageId)) results[i] = { error: quota };
          const kept = accepted.filter((_, i) => fits[i]);
          accepted.splice(0, accepted.length, ...kept);
          countable = counts.filter((_, i) => fits[i]).reduce((a, b) => a + b, 0);
        }
      }
      await insertOutbox(tx, accepted);
      if (lists) await lists.addContacts(tx, accepted);
      await recordRenderingFailures(tx, ctx.config, accepted, templateName(req), ctx.now);
      await writeSend(tx, accountId, region, ctx.now, countable);
      if (writeAudit) await writeAudit(tx);
    });
    countSend(store, accountId, region, ctx.now, countable); // committed: now it counts
    if (writeAudit) ctx.audit.recorded = true;
  }
  wakeDeliveryWorkers('outbox'); // committed: the workers may take it now
  return { messageIds: accepted.map((m) => m.messageId), results };
}

/**
 * The request the identity and authorization steps see. A single message over the recipient limit
 * is refused here; a bulk entry over it keeps its place (it fails in validateEntry) but leaves the
 * union of recipients, so its size costs nothing.
 */
function withinRecipientLimit(req: SendRequest, bulk: boolean): SendRequest {
  if (req.entries.length > MAX_DESTINATIONS)
    throw new AwsError('InvalidParameterValue', `Destination count exceeds ${MAX_DESTINATIONS}.`);
  const over = (e: SendEntry) => e.envelopeRecipients.length > MAX_RECIPIENTS;
  if (!req.entries.some(over)) return req;
  if (!bulk) throw new AwsError('InvalidParameterValue', `Recipient count exceeds ${MAX_RECIPIENTS}.`);
  return { ...req, entries: req.entries.filter((e) => !over(e)) };
}

/** The configuration set the message goes out with (its row read before authorization). */
function checkConfigurationSet(
  req: SendRequest,
  cs: { name: string } | undefined,
  found: ConfigurationSet | undefined,
): string | undefined {
  if (!cs) return undefined;
  if (!found) {
    // A named set must exist; a default that was deleted since is simply not applied.
    if (req.configurationSetName === undefined) return undefined;
    throw new AwsError('ConfigurationSetDoesNotExist', `Configuration set <${cs.name}> does not exist.`);
  }
  if (!found.sendingEnabled)
    throw new AwsError(
      'ConfigurationSetSendingPausedException',
      `Sending is paused for configuration set <${cs.name}>.`,
    );
  return cs.name;
}

/** Where a stored template is: its owner and name; 'invalid' for an ARN that names none here. */
function templateLocation(
  req: SendRequest,
  region: string,
  accountId: string,
): { owner: string; name: string } | 'invalid' | undefined {
  const t = req.template;
  if (!t || t.inline) return undefined;
  if (t.arn === undefined) return { owner: accountId, name: t.name ?? '' };
  const parsed = parseTemplateArn(t.arn);
  return parsed && parsed.region === region ? { owner: parsed.accountId, name: parsed.name } : 'invalid';
}

/** The template's content (its row read before authorization), or TemplateDoesNotExist. */
function templateOf(
  req: SendRequest,
  where: ReturnType<typeof templateLocation>,
  found: TemplateContent | undefined,
): TemplateContent | undefined {
  const t = req.template;
  if (!t) return undefined;
  if (t.inline) return t.inline;
  if (where === 'invalid') throw new AwsError('TemplateDoesNotExist', `Template ${t.arn} does not exist.`);
  if (!found) throw new AwsError('TemplateDoesNotExist', `Template ${where?.name ?? ''} does not exist.`);
  return found;
}

/**
 * The entry's MIME bytes: as submitted, or rendered from the template (in the render pool, under
 * its budget) and composed. Data that is not JSON is refused at once; a template that cannot be
 * rendered is accepted and fails afterwards, as on SES (`renderingFailure`: a message of headers only).
 */
async function finalMessage(
  req: SendRequest,
  entry: SendEntry,
  template: TemplateContent | undefined,
  ctx: CallContext,
): Promise<{ message: Buffer; renderingFailure?: string }> {
  if (entry.message) return { message: entry.message };
  if (!template || !entry.compose) throw new AwsError('InvalidParameterValue', 'The message has no content.');
  const rendered = await renderWithBudget(renderLimits(ctx.config), template, entry.templateData ?? '{}');
  if (!rendered.ok) {
    if (rendered.reason === 'InvalidRenderingParameter')
      throw new AwsError(rendered.reason, rendered.message);
    return {
      message: await composeMessage(entry.compose, { subject: '' }),
      renderingFailure: rendered.message,
    };
  }
  const content: { subject: string; text?: string; html?: string } = { subject: rendered.subject };
  if (rendered.text !== undefined) content.text = rendered.text;
  if (rendered.html !== undefined) content.html = rendered.html;
  return { message: await composeMessage(entry.compose, content) };
}

/** The template's name for Rendering Failure events (stored templates only). */
function templateName(req: SendRequest): string | undefined {
  const t = req.template;
  if (!t || t.inline) return undefined;
  return t.arn !== undefined ? (parseTemplateArn(t.arn)?.name ?? t.name) : t.name;
}

/** SES replaces Message-ID and Date (docs/spec/ses.md §6.4) with its own. */
function stampMessage(raw: Buffer, messageId: string, region: string, now: Date): Buffer {
  const split = splitHeaders(raw);
  return rebuildMessage(raw, split, (f) => /^(message-id|date)$/i.test(f.name), [
    { name: 'Message-ID', value: messageIdHeader(messageId, region) },
    { name: 'Date', value: rfc5322Date(now) },
  ]);
}
