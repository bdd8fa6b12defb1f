// The send pipeline (spec §8), the same for SES v1, v2 and SMTP: identities -> sandbox ->
// authorization -> validation -> account and configuration-set state -> template -> quotas ->
// commit (outbox + ledger in one transaction) -> MessageIds. Nothing is returned before the commit.
import type { AuthorizationCheck, CallContext } from '../../api/operation.js';
import { authorizeSend } from '../../authz/index.js';
import { AwsError } from '../../errors/aws-error.js';
import type { Store } from '../../store/database.js';
import { batchedWrite } from '../../store/write-batch.js';
import {
  getConfigurationSet,
  getTemplate,
  recordSend,
  renderTemplate,
  sentInLast24HoursForSend,
  type TemplateContent,
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
import { resolveSendIdentities, type SendIdentities } from './identities.js';
import { messageIdHeader, newMessageId, rfc5322Date } from './message-id.js';
import { rebuildMessage, splitHeaders } from './mime-headers.js';
import { insertOutbox, type OutboxMessage } from './outbox.js';
import { notify as wakeDeliveryWorkers } from '../../delivery/notify.js';
import { defaultRateLimiter, type RateLimiter } from './rate-limiter.js';
import { mergeTags } from './normalize-raw.js';
import type { SendEntry, SendRequest } from './send-request.js';
import { validateEntry, validateRequest } from './validate.js';

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
  const { store, region } = ctx;
  const accountId = ctx.caller.accountId;
  const bulk = req.operation === 'SendBulkTemplatedEmail' || req.operation === 'SendBulkEmail';

  // Steps 4-5: identities and the sandbox.
  const scope = { store, accountId, region, defaults: ctx.config };
  const ids = await resolveSendIdentities(scope, req);

  // Steps 6-7: every action on every resource; the first denial is AccessDenied.
  deps.authorizer(ctx, buildSendChecks(req, sendResources(req, ids, region, accountId)));

  // Step 3, after authorization as SES answers: limits and syntax.
  validateRequest(req);
  if (!bulk) for (const e of req.entries) validateEntry(req, e);

  // Step 8: account and configuration-set state.
  const { account } = ids;
  if (!account.sendingEnabled)
    throw new AwsError('AccountSendingPausedException', 'Sending is paused for this account.');
  const configurationSet = await checkConfigurationSet(store, req, ids, accountId, region);

  const template = await loadTemplate(store, req, region, accountId);
  const sourceArn = sendingIdentity(ids)?.identityArn;
  let sent24h = await sentInLast24HoursForSend(store, accountId, region, ctx.now);

  const results: EntryResult[] = [];
  const accepted: OutboxMessage[] = [];
  let countable = 0;
  for (const entry of req.entries) {
    try {
      const message = await finalMessage(req, entry, template);
      validateEntry(req, { ...entry, message });
      // Step 9: quotas count recipients; simulator recipients use the rate, not the daily quota.
      const recipients = entry.envelopeRecipients;
      const daily = recipients.filter((r) => !isSimulatorAddress(r)).length;
      if (account.max24HourSend >= 0 && sent24h + daily > account.max24HourSend)
        throw throttled('Daily message quota exceeded.');
      if (
        !deps.rateLimiter.tryTake(`${accountId}/${region}`, account.maxSendRate, recipients.length, ctx.now)
      )
        throw throttled('Maximum sending rate exceeded.');
      sent24h += daily;
      countable += daily;
      const messageId = newMessageId(ctx.now);
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
      accepted.push(out);
      results.push({ messageId });
    } catch (e) {
      if (!bulk || !(e instanceof AwsError)) throw e;
      results.push({ error: e });
    }
  }

  // Step 10: commit the outbox rows and the ledger together, then answer (DESIGN.md rule 4).
  // The transaction is shared with the other requests in flight (group commit).
  if (accepted.length > 0) {
    const writeAudit = ctx.audit.writeSuccess;
    await batchedWrite(store, async (tx) => {
      await insertOutbox(tx, accepted);
      await recordSend(tx, accountId, region, ctx.now, countable);
      if (writeAudit) await writeAudit(tx);
    });
    if (writeAudit) ctx.audit.recorded = true;
  }
  wakeDeliveryWorkers(); // committed: the workers may take it now
  return { messageIds: accepted.map((m) => m.messageId), results };
}

async function checkConfigurationSet(
  store: Store,
  req: SendRequest,
  ids: SendIdentities,
  accountId: string,
  region: string,
): Promise<string | undefined> {
  const cs = effectiveConfigurationSet(req, ids, accountId);
  if (!cs) return undefined;
  const found = await getConfigurationSet(store, cs.ownerAccountId, region, cs.name);
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

async function loadTemplate(
  store: Store,
  req: SendRequest,
  region: string,
  accountId: string,
): Promise<TemplateContent | undefined> {
  const t = req.template;
  if (!t) return undefined;
  if (t.inline) return t.inline;
  let owner = accountId;
  let name = t.name ?? '';
  if (t.arn !== undefined) {
    const parsed = parseTemplateArn(t.arn);
    if (!parsed || parsed.region !== region)
      throw new AwsError('TemplateDoesNotExist', `Template ${t.arn} does not exist.`);
    owner = parsed.accountId;
    name = parsed.name;
  }
  const found = await getTemplate(store, owner, region, name);
  if (!found) throw new AwsError('TemplateDoesNotExist', `Template ${name} does not exist.`);
  return found;
}

/** The entry's MIME bytes: as submitted, or rendered from the template and composed. */
async function finalMessage(
  req: SendRequest,
  entry: SendEntry,
  template: TemplateContent | undefined,
): Promise<Buffer> {
  if (entry.message) return entry.message;
  if (!template || !entry.compose) throw new AwsError('InvalidParameterValue', 'The message has no content.');
  const rendered = renderTemplate(template, entry.templateData ?? '{}');
  if (!rendered.ok) throw new AwsError(rendered.reason, rendered.message);
  const content: { subject: string; text?: string; html?: string } = { subject: rendered.subject };
  if (rendered.text !== undefined) content.text = rendered.text;
  if (rendered.html !== undefined) content.html = rendered.html;
  return composeMessage(entry.compose, content);
}

/** SES replaces Message-ID and Date (spec §6.4) with its own. */
function stampMessage(raw: Buffer, messageId: string, region: string, now: Date): Buffer {
  const split = splitHeaders(raw);
  return rebuildMessage(raw, split, (f) => /^(message-id|date)$/i.test(f.name), [
    { name: 'Message-ID', value: messageIdHeader(messageId, region) },
    { name: 'Date', value: rfc5322Date(now) },
  ]);
}
