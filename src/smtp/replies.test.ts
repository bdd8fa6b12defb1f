// AwsError -> SMTP reply (docs/spec/ses.md §6.6, §3.8) and smtp-server's replies reworded as SES's.
import { describe, expect, it } from 'vitest';
import { AwsError } from '../errors/aws-error.js';
import { REPLIES, replyError, replyForError, rewriteLibraryReply } from './replies.js';

describe('replyForError', () => {
  it.each([
    [
      new AwsError(
        'AccessDenied',
        "User `u' is not authorized to perform `ses:SendRawEmail' on resource `r'",
        403,
      ),
      554,
      "Access denied: User `u' is not authorized to perform `ses:SendRawEmail' on resource `r'",
    ],
    [
      new AwsError(
        'MessageRejected',
        'Email address is not verified. The following identities failed the check in region US-EAST-1: a@x.com',
      ),
      554,
      'Message rejected: Email address is not verified. The following identities failed the check in region US-EAST-1: a@x.com',
    ],
    [
      new AwsError('MailFromDomainNotVerifiedException', 'x'),
      554,
      'MAIL FROM domain not verified: DNS setup for MAIL FROM domain is invalid.',
    ],
    [
      new AwsError('Throttling', 'Maximum sending rate exceeded.'),
      454,
      'Throttling failure: Maximum sending rate exceeded.',
    ],
    [
      new AwsError('Throttling', 'Daily message quota exceeded.'),
      454,
      'Throttling failure: Daily message quota exceeded.',
    ],
    [
      new AwsError('TooManyRequestsException', 'Maximum sending rate exceeded.', 429),
      454,
      'Throttling failure: Maximum sending rate exceeded.',
    ],
    [
      new AwsError('InvalidParameterValue', "Message length is more than 41943040 bytes long: '41943041'."),
      552,
      'Message is too long.',
    ],
    [
      new AwsError('InvalidParameterValue', "Missing required header 'From'."),
      554,
      "Transaction failed: Missing required header 'From'.",
    ],
    [
      new AwsError('AccountSendingPausedException', 'Sending is paused for this account.'),
      554,
      'Transaction failed: Sending is paused for this account.',
    ],
    [new AwsError('ServiceUnavailable', 'busy', 503), 454, 'Temporary service failure'],
    [new AwsError('InternalFailure', 'secret detail', 500), 451, 'Temporary service failure'],
    [new TypeError('secret detail'), 451, 'Temporary service failure'],
    ['a string', 451, 'Temporary service failure'],
  ])('%s -> %i %s', (error, code, message) => {
    expect(replyForError(error)).toEqual({ code, message });
  });

  it('replyError carries the code smtp-server reads', () => {
    const e = replyError(REPLIES.tooLong);
    expect(e).toBeInstanceOf(Error);
    expect(e.responseCode).toBe(552);
    expect(e.message).toBe('Message is too long.');
  });
});

describe('rewriteLibraryReply', () => {
  it.each([
    [538, 'Error: Must issue a STARTTLS command first', 530, 'Must issue a STARTTLS command first'],
    [552, 'Error: message exceeds fixed maximum message size 41943040', 552, 'Message is too long.'],
    [452, 'Error: too many recipients', 452, 'Too many recipients'],
    [501, 'Error: Bad sender address syntax', 553, 'Invalid email address'],
    [501, 'Error: Bad recipient address syntax', 553, 'Address unknown'],
    [235, 'Authentication successful', 235, 'Authentication successful.'],
    [250, 'Accepted', 250, 'Ok'],
    [250, 'OK', 250, 'Ok'],
    [503, 'Error: need RCPT command', 503, 'need RCPT command'],
    [421, 'Error: too many unrecognized commands', 421, 'too many unrecognized commands'],
  ])('%i %s -> %i %s', (code, text, newCode, newText) => {
    expect(rewriteLibraryReply(code, text)).toEqual({ code: newCode, message: newText });
  });

  it.each([
    [250, 'Ok 0100018f-x'],
    [220, 'Ready to start TLS'],
    [354, 'End data with <CR><LF>.<CR><LF>'],
    [554, 'Access denied: Error: nested'],
    [221, 'Bye'],
  ])('keeps %i %s', (code, text) => {
    expect(rewriteLibraryReply(code, text)).toBeUndefined();
  });
});
