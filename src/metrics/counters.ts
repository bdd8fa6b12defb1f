// Sesame's counters and histograms. Call sites count with one line (`countSend('accepted')`); the
// hot paths only increment (children are bound once per label set, so no label hashing per call).
import client from 'prom-client';
import { registry } from './registry.js';

const registers = [registry];

/** A label set's child, bound once: `inc()` then costs a number addition. */
function bound<T extends string>(
  metric: client.Counter<T>,
): (...values: string[]) => client.Counter.Internal {
  const children = new Map<string, client.Counter.Internal>();
  return (...values) => {
    const key = values.join('\u0000');
    let child = children.get(key);
    if (!child) {
      // Label values come from a small, known vocabulary (operations, codes, statuses).
      if (children.size > 5000) children.clear();
      children.set(key, (child = metric.labels(...values)));
    }
    return child;
  };
}

const apiRequests = new client.Counter({
  name: 'sesame_api_requests_total',
  help: 'AWS API requests answered, by service (credential scope), operation and HTTP status',
  labelNames: ['service', 'operation', 'status'] as const,
  registers,
});
const apiRequest = bound(apiRequests);

const apiDuration = new client.Histogram({
  name: 'sesame_api_request_duration_seconds',
  help: 'Time from a request body read to its answer, by service',
  labelNames: ['service'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
  registers,
});

const durationOf = new Map<string, client.Histogram.Internal<'service'>>();

export function countApiRequest(service: string, operation: string, status: number, seconds: number): void {
  apiRequest(service, operation, String(status)).inc();
  let h = durationOf.get(service);
  if (!h) durationOf.set(service, (h = apiDuration.labels(service)));
  h.observe(seconds);
}

const decisions = new client.Counter({
  name: 'sesame_authorization_decisions_total',
  help: 'Authorization checks decided by the policy engine, by outcome (Allowed, ExplicitDeny, ImplicitDeny)',
  labelNames: ['outcome'] as const,
  registers,
});
const decision = bound(decisions);

export function countDecision(outcome: string): void {
  decision(outcome).inc();
}

const sends = new client.Counter({
  name: 'sesame_sends_total',
  help: 'Send requests (API and SMTP): accepted, or refused by reason (the error code; throttling split into MaxSendRateExceeded and DailyQuotaExceeded)',
  labelNames: ['outcome', 'reason'] as const,
  registers,
});
const send = bound(sends);

export function countSendOutcome(outcome: 'accepted' | 'refused', reason = ''): void {
  send(outcome, reason).inc();
}

const deliveryAttempts = new client.Counter({
  name: 'sesame_delivery_attempts_total',
  help: 'Delivery attempts by outcome: delivered, failed (bounced for good), retry (temporary failure), error (the attempt itself failed; the message is retried)',
  labelNames: ['outcome'] as const,
  registers,
});
const deliveryAttempt = bound(deliveryAttempts);

export function countDeliveryAttempt(outcome: 'delivered' | 'failed' | 'retry' | 'error'): void {
  deliveryAttempt(outcome).inc();
}

const smtpSessions = new client.Counter({
  name: 'sesame_smtp_sessions_total',
  help: 'SMTP connections accepted by the listeners',
  registers,
});
const smtpOpen = new client.Gauge({
  name: 'sesame_smtp_sessions_open',
  help: 'SMTP connections open now',
  registers,
});
const smtpMessages = new client.Counter({
  name: 'sesame_smtp_messages_total',
  help: 'Messages submitted over SMTP, by reply code',
  labelNames: ['code'] as const,
  registers,
});
const smtpMessage = bound(smtpMessages);

export function countSmtpSession(): () => void {
  smtpSessions.inc();
  smtpOpen.inc();
  let closed = false;
  return () => {
    if (!closed) smtpOpen.dec();
    closed = true;
  };
}

export function countSmtpMessage(code: number): void {
  smtpMessage(String(code)).inc();
}
