// GetMessageInsights: a message of the caller's account in this region, told from its recorded
// events. As SES documents the event types, deliveries, bounces and complaints are left out for
// the mailbox simulator and for messages addressed to more than one recipient, and complaints that
// came from the account-level suppression list too.
import type { CallContext, OperationTable } from '../../api/operation.js';
import { eventsOfMessage, type StoredEvent } from '../../delivery/events.js';
import type { Store } from '../../store/database.js';
import type { OutboxRow } from '../../store/schema/outbox.js';
import { buildMailObject } from '../../delivery/mail-object.js';
import { MATCHING } from '../../delivery/publishing/fanout.js';
import { isSimulatorAddress } from '../send/address.js';
import { onAnyResource } from '../authz.js';
import { notFound } from '../errors.js';
import { ispOf } from './isp.js';
import { selectOutboxRows } from '../send/outbox.js';

const PER_RECIPIENT_ONLY = new Set(['Delivery', 'Bounce', 'Complaint']);
/** Events about the whole message: every destination shows them. */
const MESSAGE_LEVEL = new Set(['Send', 'Reject', 'RenderingFailure']);

// [INF] The NotFoundException text is not recorded.
export const messageNotFound = (id: string) => `Message ${id} does not exist.`;

function details(e: StoredEvent): Record<string, unknown> | undefined {
  if (e.type === 'Bounce') {
    const b = e.payload.bounce as {
      bounceType: string;
      bounceSubType: string;
      bouncedRecipients: { diagnosticCode?: string }[];
    };
    const code = b.bouncedRecipients[0]?.diagnosticCode;
    return {
      Bounce: {
        BounceType: b.bounceType.toUpperCase(),
        BounceSubType: b.bounceSubType,
        ...(code ? { DiagnosticCode: code } : {}),
      },
    };
  }
  if (e.type === 'Complaint') {
    const c = e.payload.complaint as { complaintSubType: string | null; complaintFeedbackType?: string };
    return {
      Complaint: {
        ...(c.complaintSubType ? { ComplaintSubType: c.complaintSubType } : {}),
        ...(c.complaintFeedbackType ? { ComplaintFeedbackType: c.complaintFeedbackType } : {}),
      },
    };
  }
  return undefined;
}

/** GetMessageInsights' answer for a message of the outbox (export jobs answer the same). */
export async function insightsOfMessage(store: Store, row: OutboxRow) {
  const mail = buildMailObject(row);
  const recipients = JSON.parse(row.recipients) as string[];
  const single = recipients.length === 1;
  const events = await eventsOfMessage(store, row.message_id);
  const subject = mail.commonHeaders.subject as string | undefined;
  return {
    MessageId: row.message_id,
    FromEmailAddress: row.from_address ?? row.source,
    ...(subject ? { Subject: subject } : {}),
    EmailTags: Object.entries(mail.tags).flatMap(([Name, values]) =>
      values.map((Value) => ({ Name, Value })),
    ),
    Insights: recipients.map((destination) => {
      const shown = events.filter((e) => {
        if (MESSAGE_LEVEL.has(e.type)) return true;
        if (!e.recipients.some((r) => r.toLowerCase() === destination.toLowerCase())) return false;
        if (!PER_RECIPIENT_ONLY.has(e.type)) return true;
        if (!single || isSimulatorAddress(destination)) return false;
        return !(
          e.type === 'Complaint' &&
          (e.payload.complaint as { complaintSubType?: string }).complaintSubType ===
            'OnAccountSuppressionList'
        );
      });
      const isp = ispOf(destination);
      return {
        Destination: destination,
        ...(isp ? { Isp: isp } : {}),
        Events: shown.map((e) => {
          const d = details(e);
          return {
            Timestamp: e.at,
            Type: MATCHING[e.type],
            ...(d ? { Details: d } : {}),
          };
        }),
      };
    }),
  };
}

export type MessageInsights = Awaited<ReturnType<typeof insightsOfMessage>>;

export const messageInsightsOperations: OperationTable = {
  GetMessageInsights: {
    authorize: onAnyResource('GetMessageInsights'),
    async handle(ctx: CallContext, i: { MessageId: string }) {
      const row = await selectOutboxRows(ctx.store.db)
        .where('message_id', '=', i.MessageId)
        .where('account_id', '=', ctx.caller.accountId)
        .where('region', '=', ctx.region)
        .executeTakeFirst();
      if (!row) throw notFound(messageNotFound(i.MessageId));
      return insightsOfMessage(ctx.store, row);
    },
  },
};
