// DKIM signing attributes end to end, with SESAME_VERIFICATION=dns against a local DNS server:
// BYODKIM through the aws CLI and the SDK (the key validated as SES asks, verification by the
// selector's TXT record, mail signed with the owner's key), Easy DKIM key lengths, and every
// signature checked by a field DKIM verifier (mailauth) resolving through the same DNS server.
import { generateKeyPairSync } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import {
  CreateEmailIdentityCommand,
  DeleteEmailIdentityCommand,
  GetEmailIdentityCommand,
  PutEmailIdentityDkimSigningAttributesCommand,
  SendEmailCommand,
} from '@aws-sdk/client-sesv2';
import { runDnsVerification, systemResolver } from '../../src/ses/verification/dns-check.js';
import { startTestDnsServer, type TestDnsServer } from '../../src/ses/verification/test-dns-server.js';
import { testDialects } from '../../src/store/database.js';
import { runAwsCli } from '../support/aws-cli.js';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import { clientsFor, errorOf, grantProduction, type Clients } from '../support/ses-fixtures.js';

const rsa = (bits: number, type: 'pkcs1' | 'pkcs8' = 'pkcs1') => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return {
    // As SES asks: the PEM body without its first and last lines and line breaks.
    privateKey: privateKey.export({ type, format: 'der' }).toString('base64'),
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
  };
};
const bad = (message: string) => ({ name: 'BadRequestException', status: 400, message });

describe.each(testDialects())('DKIM signing attributes (%s)', (dialect) => {
  let dns: TestDnsServer;
  let server: TestServer;
  let root: Clients;
  const verifier = new Resolver();
  beforeAll(async () => {
    dns = await startTestDnsServer();
    verifier.setServers([dns.address]);
    server = await startTestServer({ SESAME_VERIFICATION: 'dns', SESAME_DNS_SERVERS: dns.address }, dialect);
    root = clientsFor(server, server.credentials);
    await grantProduction(server, ACCOUNT);
  });
  afterAll(async () => {
    await server?.stop();
    await dns?.stop();
  });

  const recheck = () =>
    runDnsVerification(server.app.store, systemResolver(server.config.dnsServers), new Date());
  const identity = (EmailIdentity: string) => root.v2.send(new GetEmailIdentityCommand({ EmailIdentity }));
  /** Sends from the domain, waits for the capture, and verifies the signature as a receiver would. */
  async function sendAndVerify(domain: string, body = 'signed') {
    const { MessageId } = await root.v2.send(
      new SendEmailCommand({
        FromEmailAddress: `news@${domain}`,
        Destination: { ToAddresses: ['reader@example.net'] },
        Content: { Simple: { Subject: { Data: 'dkim' }, Body: { Text: { Data: body } } } },
      }),
    );
    const end = Date.now() + 10_000;
    for (;;) {
      const row = await server.app.store.db
        .selectFrom('captured_messages')
        .select('raw')
        .where('message_id', '=', MessageId!)
        .executeTakeFirst();
      if (row)
        return {
          raw: Buffer.from(row.raw),
          verify: (raw: Buffer) =>
            dkimVerify(raw, {
              resolver: (name: string, type: string) => verifier.resolve(name, type as 'TXT'),
            }),
        };
      if (Date.now() > end) throw new Error('not captured');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('creates a BYODKIM domain with the aws CLI, verifies it by its TXT record, signs with its key', async () => {
    const key = rsa(2048);
    const cli = await runAwsCli(server.endpoint, server.credentials, [
      'sesv2',
      'create-email-identity',
      '--email-identity',
      'byo.example',
      '--dkim-signing-attributes',
      `DomainSigningSelector=sel1,DomainSigningPrivateKey=${key.privateKey}`,
    ]);
    expect(cli.exitCode).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({
      IdentityType: 'DOMAIN',
      VerifiedForSendingStatus: false,
      DkimAttributes: {
        SigningEnabled: true,
        Status: 'PENDING',
        Tokens: ['sel1'],
        SigningAttributesOrigin: 'EXTERNAL',
      },
    });
    // Another key's record does not verify it.
    dns.records.txt['sel1._domainkey.byo.example'] = [`v=DKIM1; k=rsa; p=${rsa(1024).publicKey}`];
    await recheck();
    expect((await identity('byo.example')).DkimAttributes?.Status).toBe('PENDING');
    dns.records.txt['sel1._domainkey.byo.example'] = [`v=DKIM1; k=rsa; p=${key.publicKey}`];
    await recheck();
    const verified = await identity('byo.example');
    expect(verified.DkimAttributes).toMatchObject({ Status: 'SUCCESS', SigningAttributesOrigin: 'EXTERNAL' });
    expect(verified.VerificationStatus).toBe('SUCCESS');

    const { raw, verify } = await sendAndVerify('byo.example');
    const result = await verify(raw);
    expect(result.results[0]).toMatchObject({
      signingDomain: 'byo.example',
      selector: 'sel1',
      status: { result: 'pass' },
    });
    const tampered = Buffer.from(raw.toString('latin1').replace('signed', 'changed'), 'latin1');
    expect((await verify(tampered)).results[0]?.status).toMatchObject({
      result: 'neutral',
      comment: 'body hash did not verify',
    });
  });

  it('validates the key and the request as SES does, changing nothing when refused', async () => {
    await root.v2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'keys.example' }));
    const put = (SigningAttributesOrigin: string, SigningAttributes?: object) =>
      errorOf(
        root.v2.send(
          new PutEmailIdentityDkimSigningAttributesCommand({
            EmailIdentity: 'keys.example',
            SigningAttributesOrigin: SigningAttributesOrigin as 'EXTERNAL',
            SigningAttributes,
          }),
        ),
      );
    const badKey = bad(
      'Invalid DomainSigningPrivateKey: it must be a base64-encoded RSA private key of 1024 to 2048 bits.',
    );
    expect(
      await put('EXTERNAL', { DomainSigningSelector: 's', DomainSigningPrivateKey: rsa(512).privateKey }),
    ).toEqual(badKey);
    expect(
      await put('EXTERNAL', { DomainSigningSelector: 's', DomainSigningPrivateKey: rsa(3072).privateKey }),
    ).toEqual(badKey);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      type: 'pkcs8',
      format: 'der',
    });
    expect(
      await put('EXTERNAL', { DomainSigningSelector: 's', DomainSigningPrivateKey: ec.toString('base64') }),
    ).toEqual(badKey);
    expect(await put('EXTERNAL', { DomainSigningSelector: 's', DomainSigningPrivateKey: 'AAAA' })).toEqual(
      badKey,
    );
    expect(await put('EXTERNAL', { DomainSigningSelector: 's' })).toEqual(
      bad('DomainSigningSelector and DomainSigningPrivateKey are required for EXTERNAL signing attributes.'),
    );
    expect(
      (await put('EXTERNAL', { DomainSigningSelector: '-bad', DomainSigningPrivateKey: 'AAAA' })).message,
    ).toMatch(/Value '-bad' at 'signingAttributes.domainSigningSelector' failed to satisfy constraint/);
    expect(await put('AWS_SES_EU_WEST_1')).toEqual(
      bad('SigningAttributesOrigin AWS_SES_EU_WEST_1 (Deterministic Easy DKIM) is not supported.'),
    );
    expect(
      await errorOf(
        root.v2.send(
          new CreateEmailIdentityCommand({
            EmailIdentity: 'a@keys.example',
            DkimSigningAttributes: { NextSigningKeyLength: 'RSA_1024_BIT' },
          }),
        ),
      ),
    ).toEqual(bad('DkimSigningAttributes can only be specified for domain identities.'));
    expect(
      (
        await errorOf(
          root.v2.send(
            new PutEmailIdentityDkimSigningAttributesCommand({
              EmailIdentity: 'none.example',
              SigningAttributesOrigin: 'AWS_SES',
            }),
          ),
        )
      ).name,
    ).toBe('NotFoundException');
    expect((await identity('keys.example')).DkimAttributes).toMatchObject({
      SigningAttributesOrigin: 'AWS_SES',
      NextSigningKeyLength: 'RSA_2048_BIT',
    });
  });

  it('makes Easy DKIM keys of the asked length and moves between Easy DKIM and BYODKIM', async () => {
    const created = await root.v2.send(
      new CreateEmailIdentityCommand({
        EmailIdentity: 'easy.example',
        DkimSigningAttributes: { NextSigningKeyLength: 'RSA_1024_BIT' },
      }),
    );
    const tokens = created.DkimAttributes!.Tokens!;
    expect(tokens).toHaveLength(3);
    expect(created.DkimAttributes).toMatchObject({
      NextSigningKeyLength: 'RSA_1024_BIT',
      CurrentSigningKeyLength: 'RSA_1024_BIT',
      SigningHostedZone: 'dkim.amazonses.com',
    });
    // Easy DKIM's CNAMEs, and the key they point at as SES would publish it.
    const keyRow = await server.app.store.db
      .selectFrom('delivery_dkim_keys')
      .selectAll()
      .where('domain', '=', 'easy.example')
      .executeTakeFirstOrThrow();
    for (const t of tokens) {
      dns.records.cname[`${t}._domainkey.easy.example`] = `${t}.dkim.amazonses.com`;
      dns.records.txt[`${t}.dkim.amazonses.com`] = [`p=${keyRow.public_key}`];
    }
    await recheck();
    expect((await identity('easy.example')).DkimAttributes?.Status).toBe('SUCCESS');
    const { raw, verify } = await sendAndVerify('easy.example');
    expect((await verify(raw)).results[0]).toMatchObject({ selector: tokens[0], status: { result: 'pass' } });
    expect(raw.toString('latin1')).toMatch(/^DKIM-Signature: .*a=rsa-sha256/m);

    // To BYODKIM: the selector becomes the token; back to Easy DKIM: three new tokens, pending again.
    const byo = rsa(1024, 'pkcs8');
    const toExternal = await root.v2.send(
      new PutEmailIdentityDkimSigningAttributesCommand({
        EmailIdentity: 'easy.example',
        SigningAttributesOrigin: 'EXTERNAL',
        SigningAttributes: { DomainSigningSelector: 'mine', DomainSigningPrivateKey: byo.privateKey },
      }),
    );
    expect(toExternal).toMatchObject({ DkimStatus: 'PENDING', DkimTokens: ['mine'] });
    const back = await root.v2.send(
      new PutEmailIdentityDkimSigningAttributesCommand({
        EmailIdentity: 'easy.example',
        SigningAttributesOrigin: 'AWS_SES',
        SigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
      }),
    );
    expect(back.DkimStatus).toBe('PENDING');
    expect(back.DkimTokens).toHaveLength(3);
    expect(back.DkimTokens).not.toContain(tokens[0]);
    expect((await identity('easy.example')).DkimAttributes).toMatchObject({
      CurrentSigningKeyLength: 'RSA_2048_BIT',
      SigningAttributesOrigin: 'AWS_SES',
    });
  });

  it('signs for a domain deleted and created again with a new key, under its new first token', async () => {
    const keyOf = () =>
      server.app.store.db
        .selectFrom('delivery_dkim_keys')
        .selectAll()
        .where('domain', '=', 'again.example')
        .executeTakeFirst();
    /** Publishes the identity's CNAMEs, and the TXT of the key they lead to once it exists. */
    const publish = async (tokens: string[]) => {
      for (const t of tokens) dns.records.cname[`${t}._domainkey.again.example`] = `${t}.dkim.amazonses.com`;
      const key = await keyOf();
      for (const t of tokens) dns.records.txt[`${t}.dkim.amazonses.com`] = key ? [`p=${key.public_key}`] : [];
    };
    const first = (await root.v2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'again.example' })))
      .DkimAttributes!.Tokens!;
    await publish(first);
    await recheck();
    const before = await sendAndVerify('again.example', 'first');
    await publish(first);
    expect((await before.verify(before.raw)).results[0]).toMatchObject({
      selector: first[0],
      status: { result: 'pass' },
    });
    const oldKey = (await keyOf())!.public_key;

    await root.v2.send(new DeleteEmailIdentityCommand({ EmailIdentity: 'again.example' }));
    expect(await keyOf()).toBeUndefined(); // the private key goes with its identity
    const second = (await root.v2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'again.example' })))
      .DkimAttributes!.Tokens!;
    expect(second).not.toContain(first[0]);
    await publish(second);
    await recheck();
    const after = await sendAndVerify('again.example', 'second');
    await publish(second);
    expect((await keyOf())!.public_key).not.toBe(oldKey);
    expect((await after.verify(after.raw)).results[0]).toMatchObject({
      selector: second[0],
      status: { result: 'pass' },
    });
  });
});
