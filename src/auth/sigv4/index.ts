// Public surface of server-side SigV4 verification.
export {
  verifySigV4,
  prepareSigV4,
  parseCredentialScope,
  type PreparedSignature,
  type IncomingSignedRequest,
  type StoredKey,
  type SignatureScope,
  type VerifyOptions,
  type VerifyResult,
} from './verify.js';
export type { Credential } from './credential-scope.js';
export { toRestJsonAuthError } from './errors.js';
export { SigningKeyCache } from './signing-key.js';
