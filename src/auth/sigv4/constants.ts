// Names and limits of AWS Signature Version 4 as the services read them.

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const KEY_TYPE = 'aws4_request';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

export const AUTHORIZATION_HEADER = 'authorization';
export const AMZ_DATE_HEADER = 'x-amz-date';
export const DATE_HEADER = 'date';
export const CONTENT_SHA256_HEADER = 'x-amz-content-sha256';
export const SECURITY_TOKEN_HEADER = 'x-amz-security-token';
export const HOST_HEADER = 'host';

export const ALGORITHM_PARAM = 'X-Amz-Algorithm';
export const CREDENTIAL_PARAM = 'X-Amz-Credential';
export const DATE_PARAM = 'X-Amz-Date';
export const EXPIRES_PARAM = 'X-Amz-Expires';
export const SIGNED_HEADERS_PARAM = 'X-Amz-SignedHeaders';
export const SIGNATURE_PARAM = 'X-Amz-Signature';
export const SECURITY_TOKEN_PARAM = 'X-Amz-Security-Token';
export const CONTENT_SHA256_PARAM = 'X-Amz-Content-Sha256';

/** AWS accepts a request signed up to 15 minutes before or after its own clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
/** A presigned URL lives at most seven days (the signing key is only good that long). */
export const MAX_PRESIGNED_EXPIRES_SECONDS = 7 * 24 * 60 * 60;

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
