import { KEY_TYPE } from './constants.js';
import { incompleteSignature, signatureDoesNotMatch } from './errors.js';
import type { AwsError } from '../../errors/aws-error.js';

/** `AKID/20261128/us-east-1/ses/aws4_request`, taken apart. */
export interface Credential {
  accessKeyId: string;
  date: string; // YYYYMMDD
  region: string;
  service: string;
  /** SigV4a (parseCredentialScope): `region` is the X-Amz-Region-Set as sent. */
  v4a?: boolean;
}

/** The scope string of the string to sign: `20261128/us-east-1/ses/aws4_request`. */
export function credentialScope(date: string, region: string, service: string): string {
  return `${date}/${region}/${service}/${KEY_TYPE}`;
}

const SCOPE_DATE = /^\d{8}$/;
const REGION = /^[a-z0-9][a-z0-9-]*$/;
/** X-Amz-Region-Set: region names or `*` patterns (`*`, `us-*`), comma-separated. */
const REGION_SET = /^[a-z0-9*][a-z0-9*-]*(,[a-z0-9*][a-z0-9*-]*)*$/;

/** Splits a Credential value without judging it (for routing by service before verification). */
export function splitCredential(value: string, v4a = false): Credential | undefined {
  const parts = value.split('/');
  // SigV4a scopes carry no region (`AKID/date/service/aws4_request`): the region set is a header.
  if (v4a && parts.length === 4 && parts[3] === KEY_TYPE) {
    const [accessKeyId, date, service] = parts as [string, string, string];
    if (accessKeyId === '' || !SCOPE_DATE.test(date) || service === '') return undefined;
    return { accessKeyId, date, region: '*', service };
  }
  if (parts.length !== 5 || parts[4] !== KEY_TYPE) return undefined;
  const [accessKeyId, date, region, service] = parts as [string, string, string, string];
  if (accessKeyId === '' || !SCOPE_DATE.test(date) || region === '' || service === '') return undefined;
  return { accessKeyId, date, region, service };
}

/** A SigV4a Credential (`AKID/date/service/aws4_request`); `regionSet` is the X-Amz-Region-Set header. */
export function parseCredentialV4a(
  value: string,
  regionSet: string,
  isValidRegion: (region: string) => boolean = () => true,
): Credential | AwsError {
  const parts = value.split('/');
  if (parts.length !== 4) {
    return incompleteSignature(
      `Credential must have exactly 4 slash-delimited elements, e.g. keyid/date/service/term, got '${value}'`,
    );
  }
  const [accessKeyId, date, service, terminator] = parts as [string, string, string, string];
  if (terminator !== KEY_TYPE) {
    return signatureDoesNotMatch(
      `Credential should be scoped with a valid terminator: '${KEY_TYPE}', not '${terminator}'.`,
    );
  }
  const regions = regionSet
    .split(',')
    .map((r) => r.trim())
    .join(',');
  // Every region the set names outright must be one this server answers for (SESAME_REGIONS);
  // wildcards (`*`, `us-*`) name whichever of them match.
  if (!REGION_SET.test(regions) || regions.split(',').some((r) => !r.includes('*') && !isValidRegion(r)))
    return signatureDoesNotMatch(`Credential should be scoped to a valid region set, not '${regionSet}'.`);
  return { accessKeyId, date, region: regions, service };
}

/** Parses and checks a Credential value, with AWS's error for each way it can be wrong. */
export function parseCredential(
  value: string,
  isValidRegion: (region: string) => boolean,
): Credential | AwsError {
  const parts = value.split('/');
  if (parts.length !== 5) {
    return incompleteSignature(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${value}'`,
    );
  }
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  if (terminator !== KEY_TYPE) {
    return signatureDoesNotMatch(
      `Credential should be scoped with a valid terminator: '${KEY_TYPE}', not '${terminator}'.`,
    );
  }
  if (!REGION.test(region) || !isValidRegion(region)) {
    return signatureDoesNotMatch(`Credential should be scoped to a valid region, not '${region}'.`);
  }
  return { accessKeyId, date, region, service };
}
