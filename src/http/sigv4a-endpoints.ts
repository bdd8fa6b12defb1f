// Where AWS takes SigV4a (AWS4-ECDSA-P256-SHA256). The service models list it for STS (metadata
// `auth`); for SES it is the global endpoint only (`{EndpointId}.endpoints.email.global…`), which
// the v2 endpoint rules choose for SendEmail and SendBulkEmail naming an EndpointId. Everywhere
// else AWS's endpoints know only SigV4, and so does Sesame (auth/sigv4/verify.ts).
import { parseAuthorizationHeader } from '../auth/sigv4/parse-authorization-header.js';
import { AwsError } from '../errors/aws-error.js';

const ENDPOINT_SENDS = new Set(['/v2/email/outbound-emails', '/v2/email/outbound-bulk-emails']);

/**
 * Asked of a SigV4a-signed request before it is verified, from its route alone (the body may not be
 * read yet): STS, and the two v2 sends. A send without an EndpointId is refused once parsed.
 */
export function acceptsSigV4a(service: string | undefined, method: string, rawPath: string): boolean {
  if (service === 'sts') return true;
  return service === 'ses' && method === 'POST' && ENDPOINT_SENDS.has(rawPath);
}

/**
 * A SigV4a send that names no EndpointId went, on AWS, to a regional endpoint, which knows only
 * SigV4: the same IncompleteSignature as any algorithm it does not know.
 */
export function sigV4aWithoutEndpoint(
  service: string,
  input: unknown,
  authorization: string | string[] | undefined,
): AwsError | undefined {
  if (service !== 'ses') return undefined;
  const endpointId = (input as { EndpointId?: unknown } | undefined)?.EndpointId;
  if (typeof endpointId === 'string' && endpointId !== '') return undefined;
  const header = Array.isArray(authorization) ? (authorization[0] ?? '') : (authorization ?? '');
  const refused = parseAuthorizationHeader(header, true);
  return refused instanceof AwsError ? refused : undefined;
}

/** Whether a region is one a SigV4a region set names (`*` matches any run of characters). */
export function inRegionSet(region: string, regionSet: readonly string[]): boolean {
  return regionSet.some((p) => new RegExp(`^${p.replace(/\*/g, '.*')}$`).test(region));
}
