// One claimed outbox row, one attempt: Send event, then per recipient the mailbox simulator, the
// suppression list or the transport; then events, suppression feedback and the row's next state
// committed together (with the mailbox's copy, when the transport is capture). Recipients settled
// in an earlier attempt (Delivery/Bounce) are not retried.
import { getConfigurationSet, suppressedAmong, type ConfigurationSet } from '../ses/state/index.js';
import type { Store } from '../store/database.js';
import { batchedOnSqlite } from '../store/write-batch.js';
import type { OutboxRow } from '../store/schema/outbox.js';
import type { SecretBox } from '../store/secret-box.js';
import { failAll, type RecipientOutcome, type Transport } from './transports/types.js';
import { signingKeyFor } from './dkim.js';
import type { SigningKey } from './dkim-signature.js';
import {
  bounceEvent,
  complaintEvent,
  deliveryDelayEvent,
  deliveryEvent,
  eventsOfMessage,
  recordEvents,
  recordEventsFolded,
  sendEvent,
  type BouncedRecipient,
  type EventScope,
  type SesEvent,
} from './events.js';
import { applyFeedback } from './feedback.js';
import { backoffMs, settleFolded, type HeldLease, type Settlement } from './lease.js';
import { buildMailObject } from './mail-object.js';
import { prepareMessage } from './prepare.js';
import { enqueuePublications, hasTargets, type PublishTargets } from './publishing/fanout.js';
import {
  SIMULATED_OUTCOMES,
  SIMULATOR_MTA,
  SIMULATOR_USER_AGENT,
  simulatorScenario,
  type SimulatedOutcome,
} from './simulator.js';
import { mailArrived } from './mailbox-arrivals.js';
import { captureSimulatorMail } from './simulator-mail.js';
import { boundAddress, type AddressReservation } from './sending-pool.js';
import { archiveIfConfigured } from '../archive/on-delivery.js';
import { listOptOuts, UNSUBSCRIBED_SUBTYPE } from '../ses/lists/delivery.js';
import { cachedMailFrom, usableMailFromDomain } from '../ses/state/mail-from.js';

export interface DeliveryTuning {
  /** How long a claim lasts before another worker may take the row over. */
  leaseMs: number;
  /** First retry delay after a temporary failure; doubles per attempt up to retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Age after which temporary failures become a bounce (SES: 14 hours by default). */
  maxAgeMs: number;
  /** Name in events' reportingMTA. */
  reportingMta: string;
}

export interface ProcessDeps {
  store: Store;
  transport: Transport;
  tuning: DeliveryTuning;
  workerId: string;
  now: () => Date;
  secretBox?: SecretBox;
  /** Subscribers to publish new events to (event destinations, notification topics). */
  publishing?: PublishTargets;
}

/** The lease an attempt runs under; `lost` once renewal found it taken over (worker.ts). */
export interface LeaseState {
  lease: HeldLease;
  lost: boolean;
}

const SUPPRESSED_ACCOUNT =
  'Amazon SES did not send the message to this address because it is on the suppression list for your account. For more information about removing addresses from the suppression list, see the Amazon SES Developer Guide at https://docs.aws.amazon.com/ses/latest/DeveloperGuide/sending-email-suppression-list.html';
const SUPPRESSED_GLOBAL =
  'Amazon SES has suppressed sending to this address because it has a recent history of bouncing as an invalid address. For more information about how to remove an address from the suppression list, see the Amazon SES Developer Guide: http://docs.aws.amazon.com/ses/latest/DeveloperGuide/remove-from-suppressionlist.html ';

const lower = (s: string) => s.toLowerCase();

/** Recipients already settled by earlier attempts: delivered, and delivered-or-bounced. */
async function settledBefore(
  store: Store,
  messageId: string,
): Promise<{ delivered: Set<string>; done: Set<string> }> {
  const delivered = new Set<string>();
  const done = new Set<string>();
  for (const e of await eventsOfMessage(store, messageId)) {
    if (e.type !== 'Delivery' && e.type !== 'Bounce') continue;
    for (const r of e.recipients) {
      done.add(lower(r));
      if (e.type === 'Delivery') delivered.add(lower(r));
    }
  }
  return { delivered, done };
}

// DKIM and the MAIL FROM domain follow the identity owner (docs/spec/ses.md §4.5): the account in
// the identity ARN used for From.
const ownerOf = (row: OutboxRow) => row.source_arn?.split(':')[4] || row.account_id;

async function dkimFor(deps: ProcessDeps, row: OutboxRow): Promise<SigningKey | undefined> {
  if (!row.from_address) return undefined;
  return signingKeyFor(deps.store, ownerOf(row), row.region, row.from_address, deps.secretBox);
}

async function mailFromDomainFor(deps: ProcessDeps, row: OutboxRow): Promise<string | undefined> {
  if (!row.from_address) return undefined;
  return usableMailFromDomain(await cachedMailFrom(deps.store, ownerOf(row), row.region, row.from_address));
}

/**
 * Runs one attempt for a claimed row; resolves to how the row was settled. An attempt whose lease
 * was lost (`lease.lost`) hands nothing to the transport from then on, and its settle is fenced.
 */
export async function processMessage(
  deps: ProcessDeps,
  row: OutboxRow,
  lease?: LeaseState,
): Promise<Settlement> {
  const { store, tuning } = deps;
  const mail = buildMailObject(row);
  const createdAt = new Date(Number(row.created_at));
  const scope: EventScope = {
    accountId: row.account_id,
    region: row.region,
    configurationSet: row.configuration_set,
    sourceArn: row.source_arn,
    tenantName: row.tenant_name,
  };
  const events: SesEvent[] = [sendEvent(mail, createdAt)];
  // The sending pool and the archive come from the message's configuration set, read once.
  let csRead: Promise<ConfigurationSet | undefined> | undefined;
  const configurationSet = () =>
    (csRead ??= row.configuration_set
      ? getConfigurationSet(store, row.account_id, row.region, row.configuration_set)
      : Promise.resolve(undefined));
  const recipients = JSON.parse(row.recipients) as string[];
  const before = Number(row.attempts) > 1 ? await settledBefore(store, row.message_id) : undefined;
  const pending = recipients.filter((r) => !before?.done.has(lower(r)));

  // Mail to the mailbox simulator is kept too (kind `simulated`), with what SES simulated.
  const simulated: Record<string, SimulatedOutcome> = {};
  const simBounced: BouncedRecipient[] = [];
  const simSuppressed: BouncedRecipient[] = [];
  const accountSuppressed: BouncedRecipient[] = [];
  // ListManagementOptions: contacts who unsubscribed from the list or the topic are bounced.
  const optedOut = await listOptOuts(store, row, pending);
  const listBounced: BouncedRecipient[] = [];
  const ooto: string[] = [];
  const toSend: string[] = [];
  let now = deps.now();
  const suppressed = await suppressedAmong(
    store,
    row.account_id,
    row.region,
    pending.filter((r) => simulatorScenario(r) === undefined && !optedOut?.has(r)),
  );
  for (const r of pending) {
    const scenario = simulatorScenario(r);
    if (scenario !== undefined) simulated[r] = SIMULATED_OUTCOMES[scenario];
    if (scenario === 'bounce')
      simBounced.push({
        emailAddress: r,
        action: 'failed',
        status: '5.1.1',
        diagnosticCode: 'smtp; 550 5.1.1 user unknown',
      });
    else if (scenario === 'suppressionlist')
      simSuppressed.push({
        emailAddress: r,
        action: 'failed',
        status: '5.1.1',
        diagnosticCode: SUPPRESSED_GLOBAL,
      });
    else if (scenario !== undefined) {
      events.push(deliveryEvent(mail, now, r, '250 2.6.0 Message received', tuning.reportingMta));
      // The complaint follows the delivery.
      if (scenario === 'complaint')
        events.push(complaintEvent(mail, new Date(now.getTime() + 1), r, SIMULATOR_USER_AGENT));
      if (scenario === 'ooto') ooto.push(r);
    } else if (optedOut?.has(r)) listBounced.push(optedOut.bounce(r));
    else if (suppressed.has(r))
      accountSuppressed.push({
        emailAddress: r,
        action: 'failed',
        status: '5.1.1',
        diagnosticCode: SUPPRESSED_ACCOUNT,
      });
    else toSend.push(r);
  }
  if (simBounced.length > 0)
    events.push(bounceEvent(mail, now, 'Permanent', 'General', simBounced, SIMULATOR_MTA));
  if (simSuppressed.length > 0)
    events.push(bounceEvent(mail, now, 'Permanent', 'Suppressed', simSuppressed, SIMULATOR_MTA));
  if (listBounced.length > 0)
    events.push(bounceEvent(mail, now, 'Permanent', UNSUBSCRIBED_SUBTYPE, listBounced, 'dns; amazonses.com'));
  if (accountSuppressed.length > 0)
    events.push(
      bounceEvent(
        mail,
        now,
        'Permanent',
        'OnAccountSuppressionList',
        accountSuppressed,
        'dns; amazonses.com',
      ),
    );

  let outcomes: RecipientOutcome[] = [];
  let leaving: Buffer | undefined; // the bytes as handed to the next hop (archived when asked)
  let reserved: AddressReservation | undefined; // a dedicated address and the volume it counted
  let deliveryWrite: ((tx: Store) => Promise<void>) | undefined; // capture: made with the settle
  const simulating = Object.keys(simulated).length > 0;
  const dkim = toSend.length > 0 || simulating ? await dkimFor(deps, row) : undefined;
  const mailFromDomain = toSend.length > 0 || simulating ? await mailFromDomainFor(deps, row) : undefined;
  const outgoing = { now, ...(dkim ? { dkim } : {}), ...(mailFromDomain ? { mailFromDomain } : {}) };
  // As the capture transport keeps it: Return-Path added, DKIM-signed when on.
  const simulatedCopy = simulating ? await prepareMessage(row, { returnPath: true, ...outgoing }) : undefined;
  if (toSend.length > 0) {
    const prepared = await prepareMessage(row, { returnPath: deps.transport.addsReturnPath, ...outgoing });
    leaving = prepared.raw;
    if (deps.transport.name !== 'capture')
      reserved = await boundAddress(store, row, await configurationSet(), toSend.length, deps.now());
    const out = {
      messageId: row.message_id,
      accountId: row.account_id,
      region: row.region,
      principalArn: row.principal_arn,
      mailFrom: prepared.mailFrom,
      recipients: toSend,
      raw: prepared.raw,
      createdAt,
      ...(row.from_address ? { fromAddress: row.from_address } : {}),
      ...(reserved ? { localAddress: reserved.localAddress } : {}),
    };
    // Another worker has this message now: handing it over again would send it twice.
    if (lease?.lost) throw new Error(`lease on ${row.message_id} lost before delivery`);
    try {
      const asWrite = await deps.transport.deliver.asWrite?.(out);
      if (asWrite) ({ outcomes, write: deliveryWrite } = asWrite);
      else outcomes = await deps.transport.deliver(out);
    } catch (err) {
      outcomes = failAll(toSend, err);
    }
    now = deps.now();
  }

  const expired = now.getTime() - createdAt.getTime() >= tuning.maxAgeMs;
  const bounced: BouncedRecipient[] = [];
  const expiredBounced: BouncedRecipient[] = [];
  const delayed: { emailAddress: string; status: string; diagnosticCode: string }[] = [];
  for (const o of outcomes) {
    if (o.kind === 'delivered') {
      events.push(deliveryEvent(mail, now, o.recipient, o.smtpResponse, tuning.reportingMta));
    } else if (o.permanent) {
      bounced.push({
        emailAddress: o.recipient,
        action: 'failed',
        status: o.status,
        diagnosticCode: `smtp; ${o.smtpResponse}`,
      });
    } else if (expired) {
      const minutes = Math.round(tuning.maxAgeMs / 60_000);
      expiredBounced.push({
        emailAddress: o.recipient,
        action: 'failed',
        status: '4.4.7',
        diagnosticCode: `smtp; 554 4.4.7 Message expired: unable to deliver in ${minutes} minutes.<${o.smtpResponse}>`,
      });
    } else {
      delayed.push({
        emailAddress: o.recipient,
        status: o.status,
        diagnosticCode: `smtp; ${o.smtpResponse}`,
      });
    }
  }
  const mta = `dsn; ${tuning.reportingMta}`;
  if (bounced.length > 0) events.push(bounceEvent(mail, now, 'Permanent', 'General', bounced, mta));
  if (expiredBounced.length > 0)
    events.push({ ...bounceEvent(mail, now, 'Permanent', 'General', expiredBounced, mta), feedback: false });

  const attempt = Number(row.attempts);
  let settlement: Settlement;
  if (delayed.length > 0) {
    const next = Math.min(
      now.getTime() + backoffMs(attempt, tuning.retryBaseMs, tuning.retryMaxMs),
      createdAt.getTime() + tuning.maxAgeMs,
    );
    const expiration = new Date(createdAt.getTime() + tuning.maxAgeMs);
    events.push(deliveryDelayEvent(mail, now, attempt, delayed, expiration, mta));
    settlement = {
      kind: 'retry',
      nextAttemptAt: next,
      error: delayed.map((d) => `${d.emailAddress}: ${d.diagnosticCode}`).join('; '),
    };
  } else {
    const anyDelivered = (before?.delivered.size ?? 0) > 0 || events.some((e) => e.type === 'Delivery');
    settlement = { kind: 'done', status: anyDelivered ? 'delivered' : 'failed' };
  }

  // Read before the transaction: on SQLite it holds the only connection.
  const cs = await configurationSet();
  // On SQLite, group-committed with the other attempts (and sends) of this turn of the event loop.
  await batchedOnSqlite(store, 'transaction', async (tx) => {
    await deliveryWrite?.(tx);
    if (deps.publishing && hasTargets(deps.publishing)) {
      const recorded = await recordEvents(tx, scope, events);
      const fresh = events.filter((e) => recorded.has(e.id));
      await enqueuePublications(tx, scope, fresh, deps.publishing, now, row.from_address ?? undefined);
    } else await recordEventsFolded(tx, scope, events);
    await applyFeedback(tx, scope, events, now);
    await captureSimulatorMail(tx, row, mail, { copy: simulatedCopy, outcomes: simulated, ooto }, now);
    const subject = mail.commonHeaders.subject as string | undefined;
    await archiveIfConfigured(tx, row, cs, subject, leaving ?? Buffer.from(row.raw), now);
    await reserved?.release(tx, outcomes);
    await settleFolded(tx, row.message_id, deps.workerId, settlement, Number(row.attempts));
  });
  if (deliveryWrite || simulatedCopy || ooto.length > 0) mailArrived(store);
  return settlement;
}
