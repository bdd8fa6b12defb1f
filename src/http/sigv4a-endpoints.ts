// Where AWS takes SigV4a (AWS4-ECDSA-P256-SHA256). The service models list it for STS (metadata
// `auth`); for SES it is the global endpoint only (`{EndpointId}.endpoints.email.global…`), which
// the v2 endpoint rules choose for SendEmail and SendBulkEmail naming an EndpointId. Everywhere
// else AWS's endpoints know only SigV4, and so does Sesame (auth/sigv4/verify.ts).
const ENDPOINT_SENDS = new Set(['/v2/email/outbound-emails', '/v2/email/outbound-bulk-emails']);

/** Asked only of a SigV4a-signed request, before it is verified. */
export function acceptsSigV4a(
  service: string | undefined,
  method: string,
  rawPath: string,
  body: Buffer,
): boolean {
  if (service === 'sts') return true;
  if (service !== 'ses' || method !== 'POST' || !ENDPOINT_SENDS.has(rawPath)) return false;
  try {
    const input = JSON.parse(body.toString('utf8')) as { EndpointId?: unknown } | null;
    return typeof input?.EndpointId === 'string' && input.EndpointId !== '';
  } catch {
    return false;
  }
}

/** Whether a region is one a SigV4a region set names (`*` matches any run of characters). */
export function inRegionSet(region: string, regionSet: readonly string[]): boolean {
  return regionSet.some((p) => new RegExp(`^${p.replace(/\*/g, '.*')}$`).test(region));
}
