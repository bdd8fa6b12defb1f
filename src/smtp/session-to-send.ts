// SMTP DATA -> the one normalized send (docs/architecture.md rule 3): the envelope MAIL FROM is the Source,
// RCPT TO the recipients, and the message goes through the same normalizeRawMessage and acceptSend
// as SendRawEmail. Authorization runs once per message, at end of DATA (docs/spec/ses.md §6.4).
import { requestSource, type VpcEndpoint } from '../api/vpc-endpoint.js';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { SMTPServerSession } from 'smtp-server';
import type { CallContext, Caller } from '../api/operation.js';
import type { Config } from '../config/config.js';
import { callAuditEvent, insertAuditEvent, recordAuditEvent } from '../audit/audit-log.js';
import { toAwsError, type AwsError } from '../errors/aws-error.js';
import { acceptSend, normalizeRawMessage, type SendRequest } from '../ses/send/index.js';
import type { Store } from '../store/database.js';
import { REPLIES, accepted, replyError, replyForError, type ReplyError } from './replies.js';

/** 40 MB: the SMTP and API v2 limit (docs/spec/ses.md §6.5); also advertised as `SIZE`. */
export const MAX_MESSAGE_BYTES = 41_943_040;

/** Commits one normalized send and answers its MessageId. */
export type AcceptSend = (ctx: CallContext, req: SendRequest) => Promise<{ messageId: string }>;

/** The send pipeline itself: an SMTP message is one entry, so one MessageId or a thrown AwsError. */
export const pipelineAccept: AcceptSend = async (ctx, req) => {
  const { messageIds } = await acceptSend(ctx, req);
  const messageId = messageIds[0];
  if (messageId === undefined) throw new Error('the send pipeline accepted no message');
  return { messageId };
};

export type DataResult = { kind: 'complete'; raw: Buffer } | { kind: 'too-long'; bytes: number };

/**
 * Reads the DATA stream. Past the limit the bytes are drained and dropped (the client still sends
 * them); a connection that closes before the final dot rejects, so nothing is accepted.
 */
export function readDataStream(stream: Readable, limit = MAX_MESSAGE_BYTES): Promise<DataResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let ended = false;
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limit) chunks.length = 0;
      else chunks.push(chunk);
    });
    stream.once('end', () => {
      ended = true;
      resolve(
        bytes > limit ? { kind: 'too-long', bytes } : { kind: 'complete', raw: Buffer.concat(chunks, bytes) },
      );
    });
    stream.once('error', reject);
    stream.once('close', () => {
      if (!ended) reject(new Error('Connection closed before the end of DATA'));
    });
  });
}

export interface SubmitContext {
  config: Config;
  store: Store;
  region: string;
  caller: Caller;
  now: Date;
  /** The VPC endpoint whose listener took the connection, if any. */
  endpoint?: VpcEndpoint;
}

/** The CallContext of one SMTP message: ApiVersion 2, the listener's region, the TCP peer. */
export function smtpCallContext(c: SubmitContext, session: SMTPServerSession): CallContext {
  return {
    requestId: randomUUID(),
    region: c.region,
    now: c.now,
    caller: c.caller,
    // aws:UserAgent is absent for SMTP (docs/spec/ses.md §7); aws:SecureTransport is true on any TLS session.
    source: requestSource(session.remoteAddress, session.secure, undefined, c.endpoint),
    apiVersion: '2',
    store: c.store,
    config: c.config,
    audit: { actions: [], resources: [] },
  };
}

/**
 * Normalizes and accepts one received message. Resolves with the `250` text (`Ok <MessageId>`)
 * or rejects with a ReplyError carrying SES's reply for the failure.
 */
export async function submitMessage(
  accept: AcceptSend,
  c: SubmitContext,
  session: SMTPServerSession,
  data: DataResult,
): Promise<string> {
  if (data.kind === 'too-long') throw replyError(REPLIES.tooLong);
  const mailFrom = session.envelope.mailFrom;
  const envelope = {
    from: mailFrom ? mailFrom.address : '',
    to: session.envelope.rcptTo.map((r) => r.address),
  };
  const ctx = smtpCallContext(c, session);
  ctx.audit.writeSuccess = (tx) => insertAuditEvent(tx, callAuditEvent(ctx, 'smtp', 'SendRawEmail'));
  try {
    const req = await normalizeRawMessage(data.raw, envelope);
    const { messageId } = await accept(ctx, req);
    if (!ctx.audit.recorded) await audit(ctx);
    return accepted(messageId);
  } catch (e) {
    if (!ctx.audit.recorded) await audit(ctx, toAwsError(e));
    throw replyError(replyForError(e)) satisfies ReplyError;
  }
}

/** One audit record per SMTP message, like an API call's (the SMTP path never fails on it). */
async function audit(ctx: CallContext, error?: AwsError): Promise<void> {
  try {
    await recordAuditEvent(ctx.store, callAuditEvent(ctx, 'smtp', 'SendRawEmail', error));
  } catch {
    // The message outcome stands; a failed audit write must not change the SMTP reply.
  }
}
