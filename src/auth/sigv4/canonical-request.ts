import { canonicalHeaders, type IncomingHeaders } from './canonical-headers.js';
import { canonicalPath } from './canonical-path.js';

export interface CanonicalRequestInput {
  method: string;
  rawPath: string;
  /** Already canonical (see canonical-query.ts). */
  canonicalQuery: string;
  headers: IncomingHeaders;
  signedHeaders: readonly string[];
  payloadHash: string;
}

/**
 * METHOD \n canonical URI \n canonical query \n canonical headers \n signed headers \n payload hash
 * (the canonical headers block ends with its own newline, hence the blank line).
 */
export function canonicalRequest(r: CanonicalRequestInput): string {
  return (
    `${r.method.toUpperCase()}\n${canonicalPath(r.rawPath)}\n${r.canonicalQuery}\n` +
    `${canonicalHeaders(r.headers, r.signedHeaders)}\n${r.signedHeaders.join(';')}\n${r.payloadHash}`
  );
}
