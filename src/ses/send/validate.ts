// Limits and syntax of a send, checked after authorization as SES does, with SES's texts (docs/spec/ses.md §3.8,
// tag texts as recorded from AWS). Every failure is InvalidParameterValue (v2: BadRequestException).
import { AwsError } from '../../errors/aws-error.js';
import { addressSyntaxError } from './address.js';
import type { MessageTag, SendEntry, SendRequest } from './send-request.js';

export const MAX_RECIPIENTS = 50;
/** Destinations of one bulk send. */
export const MAX_DESTINATIONS = 50;
/** 10 MB on API v1; 40 MB on API v2 and SMTP (docs/spec/ses.md §6.5). */
export const maxMessageBytes = (apiVersion: '1' | '2'): number =>
  (apiVersion === '1' ? 10 : 40) * 1024 * 1024;

const invalid = (message: string) => new AwsError('InvalidParameterValue', message);

export function tagError(tag: MessageTag): string | undefined {
  if (!tag.Name) return 'The tag name must be specified.';
  if (tag.Name.length > 255) return 'Tag name cannot exceed 255 characters.';
  if (!/^[A-Za-z0-9_-]+$/.test(tag.Name))
    return `Invalid tag name <${tag.Name}>: only alphanumeric ASCII characters, '_',  '-' are allowed.`;
  if (!tag.Value) return 'The tag value must be specified.';
  if (tag.Value.length > 255) return 'Tag value cannot exceed 255 characters.';
  if (!/^[A-Za-z0-9_.@-]+$/.test(tag.Value))
    return `Invalid tag value <${tag.Value}>: only alphanumeric ASCII characters, '_',  '-' , '.', '@' are allowed.`;
  return undefined;
}

function checkAddress(address: string): void {
  const err = addressSyntaxError(address);
  if (err) throw invalid(err);
}

/** Request-level checks: shape problems, From, sender/feedback syntax, tags, size. */
export function validateRequest(req: SendRequest): void {
  if (req.problems[0] !== undefined) throw invalid(req.problems[0]);
  if (req.size > maxMessageBytes(req.apiVersion))
    throw invalid(
      `Message length is more than ${maxMessageBytes(req.apiVersion)} bytes long: '${req.size}'.`,
    );
  if (!req.from) throw invalid("Missing required header 'From'.");
  checkAddress(req.from.address);
  for (const m of [req.source, req.sender, req.returnPath]) if (m) checkAddress(m.address);
  for (const r of req.replyTo) checkAddress(r);
  for (const t of req.tags) {
    const err = tagError(t);
    if (err) throw invalid(err);
  }
  if (req.operation === 'SendBounce') {
    for (const r of req.bounce?.recipients ?? []) checkAddress(r.address);
    return;
  }
  if (req.entries.length === 0) throw invalid('There are no recipients in this message.');
}

/** Per-message checks (each entry of a bulk send fails on its own). */
export function validateEntry(req: SendRequest, entry: SendEntry): void {
  if (req.operation === 'SendBounce') return;
  const recipients = entry.envelopeRecipients;
  if (recipients.length === 0) throw invalid('There are no recipients in this message.');
  checkRecipientCount(recipients);
  for (const r of recipients) checkAddress(r);
  for (const t of entry.tags) {
    const err = tagError(t);
    if (err) throw invalid(err);
  }
  if (entry.message && entry.message.length > maxMessageBytes(req.apiVersion))
    throw invalid(
      `Message length is more than ${maxMessageBytes(req.apiVersion)} bytes long: '${entry.message.length}'.`,
    );
}

/**
 * The recipient limit on its own, for the front ends to check before composing a message for the
 * recipients (composing 200,000 To addresses would cost seconds for a request that can only fail).
 */
export function checkRecipientCount(recipients: readonly string[]): void {
  if (recipients.length > MAX_RECIPIENTS) throw invalid(`Recipient count exceeds ${MAX_RECIPIENTS}.`);
}

/** Both levels, for single-message sends. */
export function validateSend(req: SendRequest): void {
  validateRequest(req);
  for (const e of req.entries) validateEntry(req, e);
}
