// Event publishing (migration 0007_event_publishing): SES events waiting to be POSTed to an SNS
// subscriber or the EventBridge webhook, and the ones that never got through. Times are epoch ms.

/** One (event, subscriber) delivery; written in the same transaction as the event itself. */
export interface EventPublicationRow {
  publication_id: string; // deterministic per (event, kind, target, url): enqueueing twice stores one
  event_id: string;
  message_id: string;
  account_id: string;
  kind: string; // 'sns' | 'eventbridge'
  target: string; // SNS topic ARN, or the event bus ARN
  url: string; // subscriber endpoint
  body: string; // the exact bytes POSTed (signed)
  attempts: number;
  next_attempt_at: number;
  lease_until: number; // 0 when unclaimed
  last_error: string | null;
  created_at: number;
}

/** A publication given up after the configured number of failed attempts. */
export interface EventDeadLetterRow {
  publication_id: string;
  event_id: string;
  message_id: string;
  account_id: string;
  kind: string;
  target: string;
  url: string;
  body: string;
  attempts: number;
  last_error: string | null;
  created_at: number;
  failed_at: number;
}

export interface PublishingTables {
  event_publications: EventPublicationRow;
  event_dead_letters: EventDeadLetterRow;
}
