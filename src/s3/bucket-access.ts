// Which account's work Sesame may read or write a bucket for. Sesame reaches S3 with the operator's
// one key (SESAME_S3_ENDPOINT), where AWS lets SES into a bucket only through the bucket's policy
// naming the account (aws:SourceAccount). Without such a rule, any account could have an import job
// read, or an export job or receipt S3 action write, any bucket the operator's key reaches. So an
// account may use the buckets SESAME_S3_BUCKET_ACCOUNTS grants it; a bucket not listed there belongs
// to the operator's own account (SESAME_ACCOUNT_ID) alone.
import type { Config } from '../config/config.js';
import type { S3Settings } from '../config/receiving.js';
import { EMULATOR_ACCOUNT_ID } from '../http/principal-resolver.js';

/**
 * Whether `accountId`'s work may use `bucket`. An unlisted bucket is the operator's own account's:
 * SESAME_ACCOUNT_ID, or in the emulator profile its one account, whose root every caller acts as
 * there (so any bucket is the caller's, as on moto).
 */
export function bucketAllowed(
  config: Pick<Config, 'accountId' | 'profile'> & { s3?: Pick<S3Settings, 'bucketAccounts'> },
  accountId: string,
  bucket: string,
): boolean {
  const granted = config.s3?.bucketAccounts?.find((b) => b.bucket === bucket);
  if (granted) return granted.accounts.includes(accountId);
  return accountId === (config.profile === 'emulator' ? EMULATOR_ACCOUNT_ID : config.accountId);
}

/** What a job or action says when its account may not use the bucket. */
export const bucketRefused = (bucket: string): string =>
  `Access Denied: this account may not use S3 bucket ${bucket} (SESAME_S3_BUCKET_ACCOUNTS)`;
