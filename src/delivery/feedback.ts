// Feedback into the account-level suppression list (v2), as SES does: a hard bounce adds BOUNCE, a
// complaint adds COMPLAINT, when the sending account's SuppressedReasons include that reason.
// Simulator feedback never does (docs/spec/ses.md §5.2), nor a bounce caused by suppression itself.
import { getAccountState, putSuppressedDestination } from '../ses/state/index.js';
import type { Store } from '../store/database.js';
import type { EventScope, SesEvent } from './events.js';
import { SIMULATOR_MTA, SIMULATOR_USER_AGENT } from './simulator.js';
import { UNSUBSCRIBED_SUBTYPE } from '../ses/lists/delivery.js';

const NOT_FEEDBACK = new Set(['OnAccountSuppressionList', 'Suppressed', UNSUBSCRIBED_SUBTYPE]);

/** The (address, reason) pairs these events add to the suppression list. */
export function suppressionsFrom(
  events: readonly SesEvent[],
): { address: string; reason: 'BOUNCE' | 'COMPLAINT'; messageId: string; feedbackId: string }[] {
  const out: { address: string; reason: 'BOUNCE' | 'COMPLAINT'; messageId: string; feedbackId: string }[] =
    [];
  for (const e of events) {
    if (e.feedback === false) continue;
    const messageId = (e.payload.mail as { messageId: string }).messageId;
    if (e.type === 'Bounce') {
      const b = e.payload.bounce as {
        bounceType: string;
        bounceSubType: string;
        reportingMTA: string;
        feedbackId: string;
      };
      if (
        b.bounceType !== 'Permanent' ||
        NOT_FEEDBACK.has(b.bounceSubType) ||
        b.reportingMTA === SIMULATOR_MTA
      )
        continue;
      for (const r of e.recipients)
        out.push({ address: r, reason: 'BOUNCE', messageId, feedbackId: b.feedbackId });
    } else if (e.type === 'Complaint') {
      const c = e.payload.complaint as { userAgent: string; feedbackId: string };
      if (c.userAgent === SIMULATOR_USER_AGENT) continue;
      for (const r of e.recipients)
        out.push({ address: r, reason: 'COMPLAINT', messageId, feedbackId: c.feedbackId });
    }
  }
  return out;
}

/** Adds the suppressions these events call for; returns the addresses added. */
export async function applyFeedback(
  store: Store,
  scope: EventScope,
  events: readonly SesEvent[],
  now: Date,
): Promise<string[]> {
  const wanted = suppressionsFrom(events);
  if (wanted.length === 0) return [];
  const { suppressedReasons } = await getAccountState(store, scope.accountId, scope.region);
  const added: string[] = [];
  for (const s of wanted) {
    if (!suppressedReasons.includes(s.reason)) continue;
    await putSuppressedDestination(store, scope.accountId, scope.region, s.address, s.reason, now, {
      messageId: s.messageId,
      feedbackId: s.feedbackId,
    });
    added.push(s.address);
  }
  return added;
}
