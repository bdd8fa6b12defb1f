// Issue 14, finding 4: the default verification mode verified anything (victim@gmail.com at once,
// then mail through mx/relay), identities were unlimited and any string — 300 characters even —
// was a region with its own sandbox quota. Now `auto` with real delivery is refused at start unless
// explicitly allowed, identities are capped per account and region as SES caps them, and only the
// configured regions exist (SigV4 scope, emulator, SMTP, console).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ListUsersCommand } from '@aws-sdk/client-iam';
import {
  ListIdentitiesCommand,
  VerifyDomainIdentityCommand,
  VerifyEmailIdentityCommand,
} from '@aws-sdk/client-ses';
import { CreateEmailIdentityCommand } from '@aws-sdk/client-sesv2';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { testDialects } from '../../src/store/database.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { clientsFor, errorOf, queryErrorOf, type Clients } from '../support/ses-fixtures.js';
import { queryErrorFields, signedFetch } from '../support/signed-fetch.js';

describe('auto verification with a transport that reaches real mailboxes', () => {
  const refusal = (why: string, transport: string) =>
    new ConfigError(
      `${why} verifies any address at once, and SESAME_DELIVERY_TRANSPORT=${transport} delivers to real ` +
        'mailboxes: use SESAME_VERIFICATION=email or dns, or set ' +
        'SESAME_ALLOW_AUTO_VERIFICATION_WITH_REAL_DELIVERY=true to accept that',
    );

  it('is refused at start: the default verification with mx or relay', () => {
    expect(() => loadConfig({ SESAME_DELIVERY_TRANSPORT: 'mx' })).toThrow(
      refusal('SESAME_VERIFICATION=auto', 'mx'),
    );
    expect(() =>
      loadConfig({ SESAME_DELIVERY_TRANSPORT: 'relay', SESAME_RELAY_URL: 'smtp://relay.example:587' }),
    ).toThrow(refusal('SESAME_VERIFICATION=auto', 'relay'));
    expect(() =>
      loadConfig({
        SESAME_PROFILE: 'emulator',
        SESAME_VERIFICATION: 'email',
        SESAME_DELIVERY_TRANSPORT: 'mx',
      }),
    ).toThrow(refusal('SESAME_PROFILE=emulator', 'mx'));
  });

  it('is accepted when verification is real, delivery is captured, or the operator allows it', () => {
    expect(
      loadConfig({ SESAME_DELIVERY_TRANSPORT: 'mx', SESAME_VERIFICATION: 'email' }).deliveryTransport,
    ).toBe('mx');
    expect(loadConfig({ SESAME_DELIVERY_TRANSPORT: 'mx', SESAME_VERIFICATION: 'dns' }).verification).toBe(
      'dns',
    );
    expect(loadConfig({}).verification).toBe('auto');
    expect(
      loadConfig({
        SESAME_DELIVERY_TRANSPORT: 'mx',
        SESAME_ALLOW_AUTO_VERIFICATION_WITH_REAL_DELIVERY: 'true',
      }).allowAutoVerificationWithRealDelivery,
    ).toBe(true);
  });
});

describe('regions are a configured list', () => {
  it('defaults to the SES regions; SESAME_REGIONS and SESAME_REGION are checked at start', () => {
    const c = loadConfig({});
    expect(c.regions).toContain('us-east-1');
    expect(c.regions).toContain('eu-west-1');
    expect(c.regions).not.toContain('us-gov-west-1');
    expect(c.regions).toHaveLength(27);
    expect(loadConfig({ SESAME_REGIONS: 'eu-west-1, us-east-1' }).regions).toEqual([
      'eu-west-1',
      'us-east-1',
    ]);
    expect(() => loadConfig({ SESAME_REGIONS: 'eu-west-1,Mars' })).toThrow(
      new ConfigError('SESAME_REGIONS: "Mars" is not a region name (like us-east-1)'),
    );
    expect(() => loadConfig({ SESAME_REGIONS: 'eu-west-1' })).toThrow(
      new ConfigError('SESAME_REGION "us-east-1" is not one of SESAME_REGIONS (eu-west-1)'),
    );
  });

  describe('requests signed for a region the server does not have', () => {
    let server: TestServer;
    let emulator: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ SESAME_REGIONS: 'us-east-1,eu-west-1' });
      emulator = await startTestServer({ SESAME_PROFILE: 'emulator' });
    });
    afterAll(async () => {
      await server?.stop();
      await emulator?.stop();
    });
    const invalid = (r: string) => `Credential should be scoped to a valid region, not '${r}'.`;

    it('are refused on every service with SignatureDoesNotMatch, 300 characters or a near miss', async () => {
      for (const region of ['eu-west-2', 'xx-fake-1', `a${'b'.repeat(299)}`]) {
        for (const [service, body] of [
          ['ses', 'Action=ListIdentities&Version=2010-12-01'],
          ['sts', 'Action=GetCallerIdentity&Version=2011-06-15'],
          ['iam', 'Action=ListUsers&Version=2010-05-08'],
        ] as const) {
          const r = await signedFetch(server.endpoint, { service, region, body });
          expect(r.status).toBe(403);
          expect(queryErrorFields(r.text)).toEqual({
            code: 'SignatureDoesNotMatch',
            message: invalid(region),
          });
        }
        const v2 = await signedFetch(server.endpoint, {
          method: 'GET',
          path: '/v2/email/identities',
          region,
          service: 'ses',
        });
        expect(v2.status).toBe(403);
        expect(JSON.parse(v2.text)).toEqual({
          __type: 'InvalidSignatureException',
          message: invalid(region),
        });
      }
    });

    it('a configured region works with the SDKs, an unconfigured one does not', async () => {
      const eu = clientsFor(server, server.credentials, 'eu-west-1');
      expect((await eu.sts.send(new GetCallerIdentityCommand({}))).Account).toBeDefined();
      expect((await eu.iam.send(new ListUsersCommand({}))).Users).toEqual([]);
      expect((await eu.v1.send(new ListIdentitiesCommand({}))).Identities).toEqual([]);
      const other = clientsFor(server, server.credentials, 'ap-south-1');
      expect(await errorOf(other.v1.send(new ListIdentitiesCommand({})))).toEqual({
        name: 'SignatureDoesNotMatch',
        status: 403,
        message: invalid('ap-south-1'),
      });
    });

    it('the emulator profile, which checks no signature, still refuses an unknown region', async () => {
      const r = await signedFetch(emulator.endpoint, {
        service: 'ses',
        region: 'xx-fake-1',
        body: 'Action=ListIdentities&Version=2010-12-01',
      });
      expect(r.status).toBe(403);
      expect(queryErrorFields(r.text)).toEqual({
        code: 'SignatureDoesNotMatch',
        message: invalid('xx-fake-1'),
      });
      const ok = await signedFetch(emulator.endpoint, {
        service: 'ses',
        region: 'us-west-2',
        body: 'Action=ListIdentities&Version=2010-12-01',
      });
      expect(ok.status).toBe(200);
    });
  });
});

for (const dialect of testDialects()) {
  describe(`identities are capped per account and region (${dialect})`, () => {
    let server: TestServer;
    let root: Clients;
    beforeAll(async () => {
      server = await startTestServer({ SESAME_MAX_IDENTITIES: '3' }, dialect);
      root = clientsFor(server, server.credentials);
    });
    afterAll(async () => server?.stop());

    it('the fourth identity is refused on v1 and v2; existing ones verify again; another region has its own room', async () => {
      await root.v1.send(new VerifyEmailIdentityCommand({ EmailAddress: 'a@example.com' }));
      await root.v1.send(new VerifyDomainIdentityCommand({ Domain: 'example.org' }));
      await root.v2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'example.net' }));
      const message = 'Maximum number of identities reached: an account may have 3 identities in us-east-1.';
      expect(
        await errorOf(root.v1.send(new VerifyEmailIdentityCommand({ EmailAddress: 'd@example.com' }))),
      ).toEqual({ name: 'LimitExceededException', status: 400, message });
      expect(
        await errorOf(root.v1.send(new VerifyDomainIdentityCommand({ Domain: 'example.info' }))),
      ).toEqual({
        name: 'LimitExceededException',
        status: 400,
        message,
      });
      expect(
        await errorOf(root.v2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'e@example.com' }))),
      ).toEqual({ name: 'LimitExceededException', status: 400, message });
      expect(
        await queryErrorOf(root.v1.send(new VerifyEmailIdentityCommand({ EmailAddress: 'f@example.com' }))),
      ).toEqual({ code: 'LimitExceeded', type: 'Sender', status: 400 });
      // Verifying an existing identity again is no new identity.
      await root.v1.send(new VerifyEmailIdentityCommand({ EmailAddress: 'a@example.com' }));
      expect((await root.v1.send(new ListIdentitiesCommand({}))).Identities).toHaveLength(3);
      const eu = clientsFor(server, server.credentials, 'eu-west-1');
      await eu.v1.send(new VerifyEmailIdentityCommand({ EmailAddress: 'd@example.com' }));
      expect((await eu.v1.send(new ListIdentitiesCommand({}))).Identities).toEqual(['d@example.com']);
    });

    it("the default quota is SES's 10,000", () => {
      expect(loadConfig({}).maxIdentitiesPerRegion).toBe(10_000);
    });
  });
}
