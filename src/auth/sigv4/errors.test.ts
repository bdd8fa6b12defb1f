import { describe, expect, it } from 'vitest';
import { AwsError } from '../../errors/aws-error.js';
import { toRestJsonAuthError } from './errors.js';

describe('toRestJsonAuthError', () => {
  it('renames the Query-protocol codes to SES v2 JSON names and keeps message and status', () => {
    const cases: [string, string][] = [
      ['MissingAuthenticationToken', 'MissingAuthenticationTokenException'],
      ['IncompleteSignature', 'IncompleteSignatureException'],
      ['InvalidClientTokenId', 'UnrecognizedClientException'],
      ['SignatureDoesNotMatch', 'InvalidSignatureException'],
      ['ExpiredToken', 'ExpiredTokenException'],
      ['RequestExpired', 'RequestExpired'],
    ];
    for (const [from, to] of cases) {
      const e = toRestJsonAuthError(new AwsError(from, 'm', 403));
      expect([e.code, e.message, e.httpStatus]).toEqual([to, 'm', 403]);
    }
  });
});
