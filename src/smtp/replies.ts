// SMTP replies as SES words them (docs/spec/ses.md §6.6, §3.8). Domain code throws AwsError; this file
// only translates it into a reply line, and rewrites the few smtp-server replies SES words otherwise.
import { isAwsError } from '../errors/aws-error.js';

export interface SmtpReply {
  code: number;
  message: string;
}

/** An Error smtp-server turns into a reply: it sends `responseCode message`. */
export type ReplyError = Error & { responseCode: number };

export function replyError(reply: SmtpReply): ReplyError {
  return Object.assign(new Error(reply.message), { responseCode: reply.code });
}

export const REPLIES = {
  authOk: { code: 235, message: 'Authentication successful.' },
  authInvalid: { code: 535, message: 'Authentication Credentials Invalid' },
  authRequired: { code: 530, message: 'Authentication required' },
  mustStartTls: { code: 530, message: 'Must issue a STARTTLS command first' },
  authTemporaryFailure: { code: 454, message: 'Temporary authentication failure' },
  tooLong: { code: 552, message: 'Message is too long.' },
  tooManyRecipients: { code: 452, message: 'Too many recipients' },
  localError: { code: 451, message: 'Temporary service failure' },
  serviceUnavailable: { code: 454, message: 'Temporary service failure' },
} as const satisfies Record<string, SmtpReply>;

export const invalidMailFrom = (address: string): SmtpReply => ({
  code: 553,
  message: `<${address}> Invalid email address`,
});

export const unknownRcptTo = (address: string): SmtpReply => ({
  code: 553,
  message: `<${address}> address unknown`,
});

export const accepted = (messageId: string): string => `Ok ${messageId}`;

/**
 * The reply for an error thrown while a message is accepted. Sender faults are 554 (fix the
 * request), throttling 454 (retry), anything unknown 451: nothing internal reaches the wire.
 */
export function replyForError(e: unknown): SmtpReply {
  if (!isAwsError(e)) return REPLIES.localError;
  switch (e.code) {
    case 'AccessDenied':
    case 'AccessDeniedException':
      return { code: 554, message: `Access denied: ${e.message}` };
    case 'MessageRejected':
      return { code: 554, message: `Message rejected: ${e.message}` };
    case 'MailFromDomainNotVerifiedException':
    case 'MailFromDomainNotVerified':
      return {
        code: 554,
        message: 'MAIL FROM domain not verified: DNS setup for MAIL FROM domain is invalid.',
      };
    case 'Throttling':
    case 'ThrottlingException':
    case 'TooManyRequestsException':
      return { code: 454, message: `Throttling failure: ${e.message}` };
    case 'ServiceUnavailable':
    case 'ServiceUnavailableException':
      return REPLIES.serviceUnavailable;
  }
  if (/^Message length is more than/.test(e.message)) return REPLIES.tooLong;
  // Other request faults (missing From, bad header, unknown configuration set, paused sending):
  // SES answers them as a failed transaction with the API's message.
  if (e.type === 'Sender') return { code: 554, message: `Transaction failed: ${e.message}` };
  return REPLIES.localError;
}

/**
 * smtp-server's own replies that SES words differently. Returns undefined to keep the reply.
 * (The library answers AUTH before STARTTLS with a non-standard 538 and prefixes texts with "Error:".)
 */
export function rewriteLibraryReply(code: number, text: string): SmtpReply | undefined {
  if (code === 235) return REPLIES.authOk;
  if (code === 250 && (text === 'Accepted' || text === 'OK')) return { code: 250, message: 'Ok' };
  if (code === 538 && /Must issue a STARTTLS command first/.test(text)) return REPLIES.mustStartTls;
  if (code === 552 && /exceeds fixed maximum message size/.test(text)) return REPLIES.tooLong;
  if (code === 452 && /too many recipients/i.test(text)) return REPLIES.tooManyRecipients;
  // The library checks address syntax before onMailFrom/onRcptTo see it (and without the address).
  if (code === 501 && /Bad sender address syntax/.test(text))
    return { code: 553, message: 'Invalid email address' };
  if (code === 501 && /Bad recipient address syntax/.test(text))
    return { code: 553, message: 'Address unknown' };
  if (code >= 400 && text.startsWith('Error: ')) return { code, message: text.slice('Error: '.length) };
  return undefined;
}
