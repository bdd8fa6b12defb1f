import { describe, expect, it } from 'vitest';
import { AwsError } from '../../errors/aws-error.js';
import { loadModel } from '../model.js';
import { serializeQueryError, serializeQueryOutput } from './serialize.js';

const ses = loadModel('ses');
const RID = 'c5f33708-f7da-11e5-9de4-7d09fc8f79d0';
const decl = '<?xml version="1.0" encoding="UTF-8"?>\n';
const meta = `<ResponseMetadata><RequestId>${RID}</RequestId></ResponseMetadata>`;
const NS = 'xmlns="http://ses.amazonaws.com/doc/2010-12-01/"';

describe('serializeQueryOutput', () => {
  it('writes doubles with a decimal point, in model member order', () => {
    expect(
      serializeQueryOutput(
        ses,
        'GetSendQuota',
        { SentLast24Hours: 0, MaxSendRate: 1, Max24HourSend: 200 },
        RID,
      ),
    ).toBe(
      `${decl}<GetSendQuotaResponse ${NS}><GetSendQuotaResult><Max24HourSend>200.0</Max24HourSend>` +
        `<MaxSendRate>1.0</MaxSendRate><SentLast24Hours>0.0</SentLast24Hours></GetSendQuotaResult>${meta}</GetSendQuotaResponse>`,
    );
  });

  it('writes lists as <member>, timestamps in ISO 8601 UTC, integers plainly', () => {
    const xml = serializeQueryOutput(
      ses,
      'GetSendStatistics',
      { SendDataPoints: [{ Timestamp: new Date('2026-11-28T11:45:00Z'), DeliveryAttempts: 3, Bounces: 0 }] },
      RID,
    );
    expect(xml).toContain(
      '<GetSendStatisticsResult><SendDataPoints><member><Timestamp>2026-11-28T11:45:00Z</Timestamp>' +
        '<DeliveryAttempts>3</DeliveryAttempts><Bounces>0</Bounces></member></SendDataPoints></GetSendStatisticsResult>',
    );
  });

  it('writes maps as <entry><key/><value/></entry> and escapes text', () => {
    const xml = serializeQueryOutput(ses, 'GetIdentityPolicies', { Policies: { 'a&b': '{"x":"<y>"}' } }, RID);
    expect(xml).toContain(
      '<Policies><entry><key>a&amp;b</key><value>{&quot;x&quot;:&quot;&lt;y&gt;&quot;}</value></entry></Policies>',
    );
  });

  it('nests structures inside map values', () => {
    const xml = serializeQueryOutput(
      ses,
      'GetIdentityVerificationAttributes',
      {
        VerificationAttributes: { 'example.com': { VerificationStatus: 'Success', VerificationToken: 't' } },
      },
      RID,
    );
    expect(xml).toContain(
      '<VerificationAttributes><entry><key>example.com</key><value><VerificationStatus>Success</VerificationStatus>' +
        '<VerificationToken>t</VerificationToken></value></entry></VerificationAttributes>',
    );
  });

  it('an empty result is <OpResult/>; an operation without output carries only ResponseMetadata', () => {
    expect(serializeQueryOutput(ses, 'VerifyEmailIdentity', {}, RID)).toBe(
      `${decl}<VerifyEmailIdentityResponse ${NS}><VerifyEmailIdentityResult/>${meta}</VerifyEmailIdentityResponse>`,
    );
    expect(serializeQueryOutput(ses, 'VerifyEmailAddress', {}, RID)).toBe(
      `${decl}<VerifyEmailAddressResponse ${NS}>${meta}</VerifyEmailAddressResponse>`,
    );
  });

  it('drops characters XML 1.0 cannot carry and keeps carriage returns', () => {
    const xml = serializeQueryOutput(ses, 'SendEmail', { MessageId: 'a\u0000b\r\nc' }, RID);
    expect(xml).toContain('<MessageId>ab&#xD;\nc</MessageId>');
  });
});

describe('serializeQueryError', () => {
  it('writes the ErrorResponse envelope in each service namespace', () => {
    const err = new AwsError('MessageRejected', 'Email address is not verified.', 400);
    expect(serializeQueryError(ses, err, RID)).toBe(
      `${decl}<ErrorResponse ${NS}><Error><Type>Sender</Type><Code>MessageRejected</Code>` +
        `<Message>Email address is not verified.</Message></Error><RequestId>${RID}</RequestId></ErrorResponse>`,
    );
    const internal = new AwsError('InternalFailure', 'oops <x>', 500);
    expect(serializeQueryError(loadModel('iam'), internal, RID)).toContain(
      '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>oops &lt;x&gt;</Message>',
    );
    expect(serializeQueryError(loadModel('sts'), err, RID)).toContain(
      '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">',
    );
  });

  it('refuses a model that has no XML namespace', () => {
    expect(() => serializeQueryError(loadModel('sesv2'), new AwsError('X', 'y'), RID)).toThrow(
      /no xmlNamespace/,
    );
  });
});
