// An email address identity reports the DKIM of the domain that signs its mail: GetIdentityDkimAttributes'
// reference says that for an address "the tokens represent the domain of that address", and v2's
// GetEmailIdentity shows the same signing state. An address whose domain is no identity keeps its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GetIdentityDkimAttributesCommand,
  SetIdentityDkimEnabledCommand,
  VerifyDomainDkimCommand,
  VerifyDomainIdentityCommand,
  VerifyEmailIdentityCommand,
} from '@aws-sdk/client-ses';
import { GetEmailIdentityCommand } from '@aws-sdk/client-sesv2';
import { testDialects } from '../../src/store/database.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { clientsFor, type Clients } from '../support/ses-fixtures.js';

describe.each(testDialects())('DKIM of an address identity under a domain identity (%s)', (dialect) => {
  let server: TestServer;
  let root: Clients;
  beforeAll(async () => {
    server = await startTestServer({ SESAME_VERIFICATION: 'auto' }, dialect);
    root = clientsFor(server, server.credentials);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const dkim = async (...Identities: string[]) =>
    (await root.v1.send(new GetIdentityDkimAttributesCommand({ Identities }))).DkimAttributes;

  it("reads the domain's DKIM for an address of it, v1 and v2, and its own for any other", async () => {
    const { DkimTokens } = await root.v1.send(new VerifyDomainDkimCommand({ Domain: 'signed.example' }));
    await root.v1.send(new VerifyEmailIdentityCommand({ EmailAddress: 'news@signed.example' }));
    await root.v1.send(new VerifyEmailIdentityCommand({ EmailAddress: 'solo@unsigned.example' }));
    expect(await dkim('news@signed.example', 'solo@unsigned.example')).toEqual({
      'news@signed.example': { DkimEnabled: true, DkimVerificationStatus: 'Success', DkimTokens },
      'solo@unsigned.example': { DkimEnabled: false, DkimVerificationStatus: 'NotStarted' },
    });
    const v2 = await root.v2.send(new GetEmailIdentityCommand({ EmailIdentity: 'news@signed.example' }));
    expect(v2.IdentityType).toBe('EMAIL_ADDRESS');
    expect(v2.DkimAttributes).toMatchObject({
      SigningEnabled: true,
      Status: 'SUCCESS',
      Tokens: DkimTokens,
      SigningAttributesOrigin: 'AWS_SES',
    });
  });

  it("follows the domain's switch; the address's own switch changes nothing", async () => {
    const { DkimTokens } = await root.v1.send(new VerifyDomainDkimCommand({ Domain: 'switch.example' }));
    await root.v1.send(new VerifyEmailIdentityCommand({ EmailAddress: 'a@switch.example' }));
    await root.v1.send(new SetIdentityDkimEnabledCommand({ Identity: 'switch.example', DkimEnabled: false }));
    expect((await dkim('a@switch.example'))!['a@switch.example']).toEqual({
      DkimEnabled: false,
      DkimVerificationStatus: 'Success',
      DkimTokens,
    });
    await root.v1.send(
      new SetIdentityDkimEnabledCommand({ Identity: 'a@switch.example', DkimEnabled: true }),
    );
    expect(await dkim('switch.example', 'a@switch.example')).toEqual({
      'switch.example': { DkimEnabled: false, DkimVerificationStatus: 'Success', DkimTokens },
      'a@switch.example': { DkimEnabled: false, DkimVerificationStatus: 'Success', DkimTokens },
    });
  });

  it('a domain identity without Easy DKIM gives its addresses none either', async () => {
    await root.v1.send(new VerifyDomainIdentityCommand({ Domain: 'plain.example' }));
    await root.v1.send(new VerifyEmailIdentityCommand({ EmailAddress: 'b@plain.example' }));
    expect(await dkim('b@plain.example')).toEqual({
      'b@plain.example': { DkimEnabled: false, DkimVerificationStatus: 'NotStarted' },
    });
  });
});
