// The one error family that crosses the wire. Domain code throws these; protocol layers
// (query XML, rest-json, SMTP) only serialize them (docs/spec/ses.md §3.4, §3.6).
import { isStoreUnavailable, isUnstorableText } from '../store/faults.js';

export type FaultType = 'Sender' | 'Receiver';

export class AwsError extends Error {
  readonly code: string;
  readonly httpStatus: number;
  readonly type: FaultType;

  constructor(
    code: string,
    message: string,
    httpStatus = 400,
    type: FaultType = httpStatus >= 500 ? 'Receiver' : 'Sender',
  ) {
    // An answer to the client, not a fault of ours: capturing a stack trace would cost more than
    // the rest of a denied request (an internal fault keeps the stack of its original error).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'AwsError';
    this.code = code;
    this.httpStatus = httpStatus;
    this.type = type;
  }
}

export const isAwsError = (e: unknown): e is AwsError => e instanceof AwsError;

/**
 * The store is down (a PostgreSQL restart or failover, a full disk): AWS's retryable answer, so
 * SDKs back off and retry on their own. Nothing was accepted; nothing stored changed.
 */
export const serviceUnavailable = (): AwsError =>
  new AwsError('ServiceUnavailable', 'The request has failed due to a temporary failure of the server.', 503);

/** Anything that is not an AwsError becomes InternalFailure: never leak internals on the wire. */
export function toAwsError(e: unknown): AwsError {
  if (e instanceof AwsError) return e;
  if (isStoreUnavailable(e)) return serviceUnavailable();
  if (isUnstorableText(e))
    return new AwsError(
      'InvalidParameterValue',
      'A value holds a NUL character (U+0000), which is not allowed.',
    );
  return new AwsError(
    'InternalFailure',
    'The request processing has failed because of an unknown error, exception or failure.',
    500,
  );
}
