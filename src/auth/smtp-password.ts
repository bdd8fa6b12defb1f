// SES SMTP passwords derived from a secret access key (docs/spec/ses.md §6.3). Version 4 is the SigV4
// key chain with a fixed date and "SendRawEmail" as the last step, so it binds the region;
// the legacy version 2 is one HMAC of the secret and binds nothing but the secret.

import { createHmac, timingSafeEqual } from 'node:crypto';

const DATE = '11111111';
const SERVICE = 'ses';
const TERMINAL = 'aws4_request';
const MESSAGE = 'SendRawEmail';
const VERSION_4 = 0x04;
const VERSION_2 = 0x02;

function hmac(key: string | Buffer, msg: string): Buffer {
  return createHmac('sha256', key).update(msg, 'utf8').digest();
}

function smtpPasswordV4Bytes(secretAccessKey: string, region: string): Buffer {
  const kDate = hmac('AWS4' + secretAccessKey, DATE);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, SERVICE);
  const kTerminal = hmac(kService, TERMINAL);
  return Buffer.concat([Buffer.from([VERSION_4]), hmac(kTerminal, MESSAGE)]);
}

function smtpPasswordV2Bytes(secretAccessKey: string): Buffer {
  return Buffer.concat([Buffer.from([VERSION_2]), hmac(secretAccessKey, MESSAGE)]);
}

/** The SMTP password for `region`: 44 base64 characters starting with "B". */
export function smtpPasswordV4(secretAccessKey: string, region: string): string {
  return smtpPasswordV4Bytes(secretAccessKey, region).toString('base64');
}

/** The legacy, region-free SMTP password: 44 base64 characters starting with "A". */
export function smtpPasswordV2(secretAccessKey: string): string {
  return smtpPasswordV2Bytes(secretAccessKey).toString('base64');
}

/**
 * Whether `password` is the v4 password of `secretAccessKey` for this server's `region`, or its
 * v2 password. Compared as bytes in constant time; the leading version byte picks the form.
 */
export function verifySmtpPassword(password: string, secretAccessKey: string, region: string): boolean {
  const given = Buffer.from(password, 'base64');
  // Buffer.from(…, 'base64') skips junk silently: insist the text round-trips.
  if (given.length !== 33 || given.toString('base64') !== password) return false;
  const expected =
    given[0] === VERSION_4
      ? smtpPasswordV4Bytes(secretAccessKey, region)
      : given[0] === VERSION_2
        ? smtpPasswordV2Bytes(secretAccessKey)
        : undefined;
  return expected !== undefined && timingSafeEqual(given, expected);
}
