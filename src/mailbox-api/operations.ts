// The mailbox API's operations (SigV4 service `sesame`): each authorizes through IAM with Sesame's
// own actions, so policies decide; messages are always the caller's account's.
import type { CallContext, Operation, OperationTable } from '../api/operation.js';
import {
  deleteMessage,
  deleteMessages,
  getMessage,
  listMessages,
  messageTimeline,
  type CapturedSummary,
} from '../delivery/mailbox.js';
import type { MailboxFilter } from '../delivery/mailbox-filters.js';
import { nextArrival, WAIT_POLL_MS } from '../delivery/mailbox-arrivals.js';
import { AwsError } from '../errors/aws-error.js';
import { badRequest, dateParam } from '../api/query-params.js';
import { parseMessage } from './parse-message.js';
import { inboundTimeline, type InboundTimeline } from '../inbound/timeline.js';

export const MAX_LIMIT = 1000;

/** `arn:aws:sesame:REGION:ACCOUNT:message/ID`. */
export const messageArn = (ctx: CallContext, id: string): string =>
  `arn:aws:sesame:${ctx.region}:${ctx.caller.accountId}:message/${id}`;

/** Marks an output the surface sends as bytes (`?format=raw`, attachments, the HTML preview). */
export const RAW_OUTPUT = Symbol('raw');
export interface RawOutput {
  [RAW_OUTPUT]: { body: Buffer; headers: Record<string, string> };
}

/** Bytes that came in a message are never run by a browser opening them on this origin. */
export const UNTRUSTED_BYTES = {
  'content-security-policy': "default-src 'none'; sandbox",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

export interface FilterInput {
  recipient?: string;
  principal?: string;
  identity?: string;
  kind?: string;
  q?: string;
  since?: string;
  until?: string;
}

export interface ListInput extends FilterInput {
  limit?: string;
  after?: string;
  /** Seconds (0–MAX_WAIT) to wait for a first matching message when there is none yet. */
  wait?: string;
}

export const MAX_WAIT = 20;
const KINDS = ['outbound', 'simulated', 'auto-reply', 'inbound'];

/** The filters of ListMessages and DeleteMessages, checked the same way. */
function filterOf(ctx: CallContext, input: FilterInput): MailboxFilter {
  if (input.kind !== undefined && input.kind !== '' && !KINDS.includes(input.kind))
    throw badRequest(`kind must be one of ${KINDS.join(', ')}.`);
  const since = dateParam('since', input.since);
  const until = dateParam('until', input.until);
  return {
    accountId: ctx.caller.accountId,
    ...(input.recipient ? { recipient: input.recipient } : {}),
    ...(input.q ? { query: input.q } : {}),
    ...(input.principal ? { principal: input.principal } : {}),
    ...(input.identity ? { identity: input.identity } : {}),
    ...(input.kind ? { kind: input.kind } : {}),
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
  };
}

function wholeParam(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max)
    throw badRequest(`${name} must be a whole number from ${min} to ${max}.`);
  return Number(v);
}

const notFound = (id: string) => new AwsError('NotFoundException', `Message ${id} does not exist.`, 404);

const encodeToken = (s: CapturedSummary) =>
  Buffer.from(`${s.deliveredAt.getTime()}:${s.captureId}`, 'utf8').toString('base64url');

function decodeToken(t: string): { deliveredAt: Date; captureId: string } {
  const text = Buffer.from(t, 'base64url').toString('utf8');
  const m = /^(\d+):(.+)$/s.exec(text);
  if (!m) throw badRequest('after is not a token this API returned.');
  return { deliveredAt: new Date(Number(m[1])), captureId: m[2]! };
}

const summary = (s: CapturedSummary) => ({
  Id: s.captureId,
  MessageId: s.messageId,
  Kind: s.kind,
  MailFrom: s.mailFrom,
  ...(s.fromAddress !== undefined ? { From: s.fromAddress } : {}),
  ...(s.fromName !== undefined ? { FromName: s.fromName } : {}),
  Recipients: s.recipients,
  ...(s.subject !== undefined ? { Subject: s.subject } : {}),
  Size: s.size,
  AcceptedAt: s.createdAt.toISOString(),
  DeliveredAt: s.deliveredAt.toISOString(),
  ...(s.outcomes
    ? {
        SimulatorOutcomes: Object.entries(s.outcomes).map(([Recipient, Outcome]) => ({ Recipient, Outcome })),
      }
    : {}),
});

const ListMessages: Operation<ListInput> = {
  authorize: () => [{ action: 'sesame:ListMessages', resource: '*' }],
  async handle(ctx, input) {
    const limit = wholeParam('limit', input.limit, 1, MAX_LIMIT) ?? 100;
    const wait = wholeParam('wait', input.wait, 0, MAX_WAIT) ?? 0;
    const options = {
      ...filterOf(ctx, input),
      limit,
      ...(input.after ? { after: decodeToken(input.after) } : {}),
    };
    // With `wait`: the first page that is not empty, or an empty one when the time is up.
    const deadline = Date.now() + wait * 1000;
    let page = await listMessages(ctx.store, options);
    while (page.length === 0 && Date.now() < deadline) {
      if (!(await nextArrival(ctx.store, Math.min(WAIT_POLL_MS, deadline - Date.now()), ctx.signal))) break;
      page = await listMessages(ctx.store, options);
    }
    const last = page.at(-1);
    return {
      Messages: page.map(summary),
      ...(page.length === limit && last ? { NextToken: encodeToken(last) } : {}),
    };
  },
};

/** DELETE on the list: the messages the same filters list (every message without any). */
const DeleteMessages: Operation<FilterInput> = {
  authorize: () => [{ action: 'sesame:DeleteMessages', resource: '*' }],
  async handle(ctx, input) {
    return { DeletedCount: await deleteMessages(ctx.store, filterOf(ctx, input)) };
  },
};

const GetMessage: Operation<{ Id: string; format?: string }> = {
  authorize: (ctx, input) => [{ action: 'sesame:GetMessage', resource: messageArn(ctx, input.Id) }],
  async handle(ctx, input): Promise<object> {
    if (input.format !== undefined && input.format !== 'raw' && input.format !== 'parsed')
      throw badRequest('format must be parsed or raw.');
    const m = await getMessage(ctx.store, ctx.caller.accountId, input.Id);
    if (!m) throw notFound(input.Id);
    if (input.format === 'raw')
      return {
        [RAW_OUTPUT]: { body: m.raw, headers: { 'content-type': 'message/rfc822', ...UNTRUSTED_BYTES } },
      } satisfies RawOutput;
    const { raw, ...rest } = m;
    let parsed: Awaited<ReturnType<typeof parseMessage>>;
    try {
      parsed = await parseMessage(raw);
    } catch (e) {
      // MIME the parser refuses (too deep, too many parts) is still the caller's message to read raw.
      throw badRequest(
        `Message ${input.Id} cannot be shown parsed: ${(e as Error).message}. Read it with format=raw.`,
      );
    }
    return { ...summary(rest), ...parsed };
  },
};

const DeleteMessage: Operation<{ Id: string }> = {
  authorize: (ctx, input) => [{ action: 'sesame:DeleteMessage', resource: messageArn(ctx, input.Id) }],
  async handle(ctx, input) {
    if (!(await deleteMessage(ctx.store, ctx.caller.accountId, input.Id))) throw notFound(input.Id);
    return {};
  },
};

const GetMessageTimeline: Operation<{ Id: string }> = {
  authorize: (ctx, input) => [{ action: 'sesame:GetMessageTimeline', resource: messageArn(ctx, input.Id) }],
  async handle(ctx, input) {
    // The id is a captured message's (an auto-reply's names its message) or an accepted message's.
    const captured = await getMessage(ctx.store, ctx.caller.accountId, input.Id);
    if (captured?.kind === 'inbound') {
      const received = await inboundTimeline(ctx.store, ctx.caller.accountId, captured.messageId);
      if (!received) throw notFound(input.Id);
      return inboundTimelineOutput(received, summary(captured));
    }
    const t = await messageTimeline(ctx.store, ctx.caller.accountId, captured?.messageId ?? input.Id);
    if (!t) throw notFound(input.Id);
    const a = t.accepted;
    return {
      MessageId: a.messageId,
      Accepted: {
        Timestamp: a.createdAt.toISOString(),
        Source: a.source,
        ...(a.fromAddress ? { From: a.fromAddress } : {}),
        ...(a.sourceArn ? { SourceArn: a.sourceArn } : {}),
        Recipients: a.recipients,
        PrincipalArn: a.principalArn,
        ...(a.configurationSet ? { ConfigurationSet: a.configurationSet } : {}),
        Operation: a.operation,
        Size: a.size,
      },
      ...(t.authorization
        ? {
            Authorization: {
              RequestId: t.authorization.requestId,
              Decision: t.authorization.decision,
              Actions: t.authorization.actions,
              Resources: t.authorization.resources,
            },
          }
        : {}),
      Status: a.status,
      Attempts: t.attempts,
      ...(t.nextAttemptAt ? { NextAttemptAt: t.nextAttemptAt.toISOString() } : {}),
      ...(t.lastError ? { LastError: t.lastError } : {}),
      Events: t.events.map((e) => ({
        EventId: e.eventId,
        Type: e.type,
        Timestamp: e.at.toISOString(),
        Recipients: e.recipients,
        Event: e.payload,
      })),
      Captured: t.captured.map(summary),
    };
  },
};

/** A received message's timeline: how it arrived, its verdicts, and its receipt actions in order. */
function inboundTimelineOutput(t: InboundTimeline, captured: ReturnType<typeof summary>) {
  const v = t.verdicts;
  return {
    MessageId: t.messageId,
    Kind: 'inbound',
    Received: {
      Timestamp: t.receivedAt.toISOString(),
      MailFrom: t.mailFrom,
      Recipients: t.recipients,
      RemoteIp: t.remoteIp,
      Helo: t.helo,
      Tls: t.tls,
      RuleSet: t.ruleSet,
    },
    Verdicts: {
      Spf: v.spf,
      Dkim: v.dkim,
      Dmarc: v.dmarc,
      ...(v.dmarcPolicy ? { DmarcPolicy: v.dmarcPolicy } : {}),
      ...(v.spam ? { Spam: v.spam } : {}),
      ...(v.virus ? { Virus: v.virus } : {}),
    },
    Status: t.status,
    ...(t.nextAttemptAt ? { NextAttemptAt: t.nextAttemptAt.toISOString() } : {}),
    ...(t.finishedAt ? { FinishedAt: t.finishedAt.toISOString() } : {}),
    ...(t.lastError ? { LastError: t.lastError } : {}),
    Trace: t.trace.map((e) => ({
      Timestamp: e.at,
      Event: e.event,
      ...(e.ruleSet !== undefined ? { RuleSet: e.ruleSet } : {}),
      ...(e.rules !== undefined ? { Rules: e.rules } : {}),
      ...(e.rule !== undefined ? { Rule: e.rule } : {}),
      ...(e.action !== undefined ? { Action: e.action } : {}),
      ...(e.position !== undefined ? { Position: e.position } : {}),
      ...(e.outcome !== undefined ? { Outcome: e.outcome } : {}),
      ...(e.attempt !== undefined ? { Attempt: e.attempt } : {}),
      ...(e.stop !== undefined ? { Stop: e.stop === 'rule' ? 'Rule' : 'RuleSet' } : {}),
      ...(e.detail !== undefined ? { Detail: e.detail } : {}),
    })),
    Captured: [captured],
  };
}

export const mailboxOperations: OperationTable = {
  ListMessages,
  DeleteMessages,
  GetMessage,
  DeleteMessage,
  GetMessageTimeline,
};
