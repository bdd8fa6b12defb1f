import { describe, expect, it } from 'vitest';
import { AwsError } from '../../errors/aws-error.js';
import { parseCredentialV4a } from './credential-scope.js';

const served = (r: string) => ['us-east-1', 'eu-west-1'].includes(r);
const credential = 'AKIAEXAMPLE000000001/20261207/ses/aws4_request';

describe('parseCredentialV4a: the region set against the regions this server answers for', () => {
  it('takes wildcards and regions it serves', () => {
    expect(parseCredentialV4a(credential, '*', served)).toMatchObject({ region: '*' });
    expect(parseCredentialV4a(credential, 'us-*,eu-west-1', served)).toMatchObject({
      region: 'us-*,eu-west-1',
    });
  });

  it('refuses a set naming a region outside SESAME_REGIONS, as a SigV4 scope is refused', () => {
    const e = parseCredentialV4a(credential, 'us-east-1,ap-east-9', served);
    expect(e).toBeInstanceOf(AwsError);
    expect((e as AwsError).code).toBe('SignatureDoesNotMatch');
    expect((e as AwsError).message).toBe(
      "Credential should be scoped to a valid region set, not 'us-east-1,ap-east-9'.",
    );
  });
});
