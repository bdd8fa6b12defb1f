// The authentication errors of AWS's Query-protocol services (IAM, STS, SES v1), with their
// codes, statuses and wording as AWS sends them; toRestJsonAuthError gives SES v2's names.

import { AwsError } from '../../errors/aws-error.js';
import { formatAmzDate } from './amz-date.js';

export function missingAuthenticationToken(): AwsError {
  return new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
}

export function incompleteSignature(message: string): AwsError {
  return new AwsError('IncompleteSignature', message, 400);
}

export function invalidClientTokenId(): AwsError {
  return new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
}

export function expiredToken(): AwsError {
  return new AwsError('ExpiredToken', 'The security token included in the request is expired', 403);
}

export const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

export function signatureDoesNotMatch(message: string = SIGNATURE_MISMATCH_MESSAGE): AwsError {
  return new AwsError('SignatureDoesNotMatch', message, 403);
}

/** Signed more than 15 minutes ago (AWS answers SignatureDoesNotMatch, not RequestExpired). */
export function signatureExpired(signedAt: Date, now: Date, skewMs: number): AwsError {
  const minutes = Math.round(skewMs / 60000);
  return signatureDoesNotMatch(
    `Signature expired: ${formatAmzDate(signedAt)} is now earlier than ` +
      `${formatAmzDate(new Date(now.getTime() - skewMs))} (${formatAmzDate(now)} - ${minutes} min.)`,
  );
}

/** Signed more than 15 minutes in the future. */
export function signatureNotYetCurrent(signedAt: Date, now: Date, skewMs: number): AwsError {
  const minutes = Math.round(skewMs / 60000);
  return signatureDoesNotMatch(
    `Signature not yet current: ${formatAmzDate(signedAt)} is still later than ` +
      `${formatAmzDate(new Date(now.getTime() + skewMs))} (${formatAmzDate(now)} + ${minutes} min.)`,
  );
}

/** A presigned URL used after X-Amz-Date + X-Amz-Expires (AWS's common RequestExpired). */
export function requestExpired(): AwsError {
  return new AwsError('RequestExpired', 'Request has expired.', 400);
}

/**
 * SES v2 (rest-json) names the same failures the way JSON-protocol services do, with the same
 * messages: InvalidClientTokenId -> UnrecognizedClientException, SignatureDoesNotMatch ->
 * InvalidSignatureException, and an `Exception` suffix on the others.
 */
export function toRestJsonAuthError(e: AwsError): AwsError {
  const code = REST_JSON_CODES[e.code];
  return code === undefined ? e : new AwsError(code, e.message, e.httpStatus, e.type);
}

const REST_JSON_CODES: Record<string, string> = {
  MissingAuthenticationToken: 'MissingAuthenticationTokenException',
  IncompleteSignature: 'IncompleteSignatureException',
  InvalidClientTokenId: 'UnrecognizedClientException',
  SignatureDoesNotMatch: 'InvalidSignatureException',
  ExpiredToken: 'ExpiredTokenException',
};
