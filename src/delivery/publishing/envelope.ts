// What subscribers receive: SNS-format notification envelopes (event publishing and identity
// notifications) and EventBridge-shaped events, signed with HMAC-SHA256 (`x-sesame-signature`).
// Real SNS signs with an RSA certificate only AWS holds; a shared key is what a self-hosted
// server can offer.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { configurationSetArn } from '../../ses/state/arn.js';
import type { EventType, SesEvent } from '../events.js';

export const SIGNATURE_HEADER = 'x-sesame-signature';
/** Event publishing's SNS Subject (recorded payloads); identity notifications carry none. */
export const EVENT_SUBJECT = 'Amazon SES Email Event Notification';

const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface SnsEnvelope {
  Type: 'Notification';
  MessageId: string;
  TopicArn: string;
  Subject?: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: string;
}

export function snsEnvelope(topicArn: string, message: object, at: Date, subject?: string): SnsEnvelope {
  return {
    Type: 'Notification',
    MessageId: randomUUID(),
    TopicArn: topicArn,
    ...(subject !== undefined ? { Subject: subject } : {}),
    Message: JSON.stringify(message),
    Timestamp: at.toISOString(),
    // Not SNS's RSA scheme: the signature is the x-sesame-signature header.
    SignatureVersion: 'sesame-hmac-sha256',
  };
}

export type NotificationType = 'Bounce' | 'Complaint' | 'Delivery';

/**
 * An identity notification (SetIdentityNotificationTopic): `notificationType` instead of
 * `eventType`, no tags, and the headers only when the identity asked for them.
 */
export function identityNotification(event: SesEvent, withHeaders: boolean): Record<string, unknown> {
  const type = event.type as NotificationType;
  const key = type.toLowerCase();
  const {
    tags: _tags,
    headers,
    headersTruncated,
    commonHeaders,
    ...mail
  } = event.payload.mail as Record<string, unknown>;
  return {
    notificationType: type,
    mail: withHeaders ? { ...mail, headersTruncated, headers, commonHeaders } : mail,
    [key]: event.payload[key],
  };
}

const DETAIL_TYPES: Record<EventType, string> = {
  Send: 'Email Sent',
  Reject: 'Email Rejected',
  Delivery: 'Email Delivered',
  Bounce: 'Email Bounced',
  Complaint: 'Email Complaint Received',
  DeliveryDelay: 'Email Delivery Delayed',
  RenderingFailure: 'Email Rendering Failed',
  Subscription: 'Email Subscribed', // [INF] not in the recorded payloads
};

export function eventBridgeEvent(
  event: SesEvent,
  scope: { accountId: string; region: string; configurationSet: string },
  at: Date,
): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': DETAIL_TYPES[event.type],
    source: 'aws.ses',
    account: scope.accountId,
    time: isoSeconds(at),
    region: scope.region,
    resources: [configurationSetArn(scope.region, scope.accountId, scope.configurationSet)],
    detail: event.payload,
  };
}

/** `sha256=<hex>` of the exact body bytes under the data folder's event-signing key. */
export function signBody(key: Buffer, body: string): string {
  return `sha256=${createHmac('sha256', key).update(body, 'utf8').digest('hex')}`;
}

/** For subscribers (and tests): whether `header` is this body's signature under `key`. */
export function verifyBody(key: Buffer, body: string, header: string | undefined): boolean {
  if (!header) return false;
  const want = Buffer.from(signBody(key, body));
  const got = Buffer.from(header);
  return want.length === got.length && timingSafeEqual(want, got);
}
