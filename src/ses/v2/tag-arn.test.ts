import { describe, expect, it } from 'vitest';
import { arnTexts, parseTagArn } from './tag-arn.js';

const ME = '111122223333';
const arn = (resource: string, account = ME, region = 'us-east-1') =>
  `arn:aws:ses:${region}:${account}:${resource}`;
const refused = (message: string) => ({ ok: false, status: 400, message });

describe('parseTagArn', () => {
  it('reads identities (domain lower-cased), configuration sets and templates', () => {
    expect(parseTagArn(arn('identity/Example.COM'), ME)).toEqual({
      ok: true,
      kind: 'identity',
      name: 'example.com',
      region: 'us-east-1',
    });
    expect(parseTagArn(arn('identity/Ann@Example.com'), ME)).toMatchObject({
      ok: true,
      name: 'Ann@example.com',
    });
    expect(parseTagArn(arn('configuration-set/cs_1-a', ME, 'eu-west-1'), ME)).toEqual({
      ok: true,
      kind: 'configuration-set',
      name: 'cs_1-a',
      region: 'eu-west-1',
    });
    expect(parseTagArn(arn('template/_t-1'), ME)).toMatchObject({ ok: true, kind: 'template', name: '_t-1' });
  });

  it('ignores the partition and service fields but needs them present', () => {
    expect(parseTagArn(`arn:aws-cn:s3:us-east-1:${ME}:template/t`, ME)).toMatchObject({ ok: true });
    expect(parseTagArn(`arn::ses:us-east-1:${ME}:template/t`, ME)).toEqual(refused(arnTexts.format));
    expect(parseTagArn(`arn:aws::us-east-1:${ME}:template/t`, ME)).toEqual(refused(arnTexts.format));
    expect(parseTagArn(`arn:aws:ses::${ME}:template/t`, ME)).toEqual(refused(arnTexts.format));
  });

  it('refuses what is not an ARN of the expected shape', () => {
    for (const bad of [
      'invalid-arn',
      '',
      arn('configuration-set/name:extra'),
      arn('template/name:extra'),
      arn('configuration-set/ '),
      arn('template'),
      arn('/x'),
    ]) {
      expect(parseTagArn(bad, ME), bad).toEqual(refused(arnTexts.format));
    }
  });

  it('refuses malformed accounts and identity names as not SES resources, before the account match', () => {
    for (const account of ['', '12345678901', 'not-an-account']) {
      expect(parseTagArn(arn('identity/example.com', account), ME), account).toEqual(
        refused(arnTexts.notSes),
      );
      expect(parseTagArn(arn('template/t', account), ME), account).toEqual(refused(arnTexts.notSes));
    }
    for (const name of [
      'a.example.com/extra',
      'a.example.com/',
      'a.example.com:x',
      'a.example.com bad',
      '_name',
      'name-',
      'foo.123',
      'a..b',
    ]) {
      expect(parseTagArn(arn(`identity/${name}`, '999999999999'), ME), name).toEqual(
        refused(arnTexts.notSes),
      );
    }
    expect(parseTagArn(arn('bucket/b'), ME)).toEqual(refused(arnTexts.notSes));
  });

  it('accepts the identity shapes AWS accepts', () => {
    for (const name of [
      'a_b.example.com',
      'user/name@example.com',
      'user+tag@example.com',
      '"user:name"@example.com',
      '"user name"@example.com',
      'user@-example.com',
    ]) {
      expect(parseTagArn(arn(`identity/${name}`), ME), name).toMatchObject({ ok: true, kind: 'identity' });
    }
  });

  it("refuses another account's resources, then bad template and configuration-set names", () => {
    expect(parseTagArn(arn('identity/example.com', '999999999999'), ME)).toEqual(
      refused(arnTexts.otherAccount),
    );
    expect(parseTagArn(arn('template/bad name', '999999999999'), ME)).toEqual(refused(arnTexts.otherAccount));
    expect(parseTagArn(arn('template/bad name'), ME)).toEqual(refused(arnTexts.templateName));
    expect(parseTagArn(arn(`template/${'n'.repeat(129)}`), ME)).toEqual(refused(arnTexts.templateName));
    expect(parseTagArn(arn(`template/${'n'.repeat(128)}`), ME)).toMatchObject({ ok: true });
    expect(parseTagArn(arn('configuration-set/bad name'), ME)).toEqual(
      refused(arnTexts.configurationSetName('bad name')),
    );
    expect(parseTagArn(arn(`configuration-set/${'n'.repeat(64)}`), ME)).toMatchObject({ ok: true });
  });

  it('reads contact lists and custom verification email templates, whatever the name', () => {
    expect(parseTagArn(arn('contact-list/news'), ME)).toEqual({
      ok: true,
      kind: 'contact-list',
      name: 'news',
      region: 'us-east-1',
    });
    expect(parseTagArn(arn('custom-verification-email-template/a b'), ME)).toMatchObject({
      ok: true,
      kind: 'custom-verification-email-template',
      name: 'a b',
    });
  });

  it('reads the v2 types Sesame keeps: pools, test reports, endpoints, tenants as NAME/ID', () => {
    expect(parseTagArn(arn('dedicated-ip-pool/p'), ME)).toEqual({
      ok: true,
      kind: 'dedicated-ip-pool',
      name: 'p',
      region: 'us-east-1',
    });
    expect(parseTagArn(arn('deliverability-test-report/r1'), ME)).toMatchObject({
      ok: true,
      kind: 'deliverability-test-report',
    });
    expect(parseTagArn(arn('multi-region-endpoint/g'), ME)).toMatchObject({
      ok: true,
      kind: 'multi-region-endpoint',
    });
    expect(parseTagArn(arn('tenant/acme/tn-1'), ME)).toMatchObject({
      ok: true,
      kind: 'tenant',
      name: 'acme/tn-1',
    });
    expect(parseTagArn(arn('tenant/acme'), ME)).toEqual({
      ok: false,
      status: 404,
      message: 'No Tenant present with name: acme',
    });
  });
});
