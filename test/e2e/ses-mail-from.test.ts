// Custom MAIL FROM domains end to end: the envelope sender and Return-Path of captured mail, the
// domain's status (at once with automatic verification; by its MX record with SESAME_VERIFICATION=dns
// against a local DNS server), and BehaviorOnMXFailure until it is verified.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GetIdentityMailFromDomainAttributesCommand,
  SendEmailCommand as V1SendEmail,
} from '@aws-sdk/client-ses';
import {
  CreateEmailIdentityCommand,
  CreateEmailTemplateCommand,
  SendBulkEmailCommand,
  GetEmailIdentityCommand,
  PutEmailIdentityMailFromAttributesCommand,
  SendEmailCommand,
} from '@aws-sdk/client-sesv2';
import { runDnsVerification, systemResolver } from '../../src/ses/verification/dns-check.js';
import { startTestDnsServer, type TestDnsServer } from '../../src/ses/verification/test-dns-server.js';
import { testDialects } from '../../src/store/database.js';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import {
  clientsFor,
  errorOf,
  grantProduction,
  simpleMessage,
  type Clients,
} from '../support/ses-fixtures.js';

/** Sends from `from` and answers the captured copy's envelope sender and Return-Path. */
async function sendAndRead(server: TestServer, root: Clients, from: string) {
  const { MessageId } = await root.v2.send(
    new SendEmailCommand({
      FromEmailAddress: from,
      Destination: { ToAddresses: ['reader@example.net'] },
      Content: { Simple: { Subject: { Data: 'mail from' }, Body: { Text: { Data: 'x' } } } },
    }),
  );
  const end = Date.now() + 10_000;
  for (;;) {
    const row = await server.app.store.db
      .selectFrom('captured_messages')
      .select(['mail_from', 'raw'])
      .where('message_id', '=', MessageId!)
      .executeTakeFirst();
    if (row) {
      const returnPath = /^Return-Path: <([^>]*)>/m.exec(Buffer.from(row.raw).toString('latin1'))?.[1];
      return { id: MessageId!, mailFrom: row.mail_from, returnPath };
    }
    if (Date.now() > end) throw new Error('not captured');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const mailFrom = (root: Clients, EmailIdentity: string, MailFromDomain?: string, reject = false) =>
  root.v2.send(
    new PutEmailIdentityMailFromAttributesCommand({
      EmailIdentity,
      ...(MailFromDomain ? { MailFromDomain } : {}),
      BehaviorOnMxFailure: reject ? 'REJECT_MESSAGE' : 'USE_DEFAULT_VALUE',
    }),
  );

describe.each(testDialects())('custom MAIL FROM with automatic verification (%s)', (dialect) => {
  let server: TestServer;
  let root: Clients;
  beforeAll(async () => {
    server = await startTestServer({}, dialect);
    root = clientsFor(server, server.credentials);
    await grantProduction(server, ACCOUNT);
    await root.v2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'example.com' }));
    await root.v2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'boss@example.com' }));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('sends with the verified MAIL FROM domain as envelope sender and Return-Path', async () => {
    const before = await sendAndRead(server, root, 'news@example.com');
    expect(before.mailFrom).toBe(`${before.id}@amazonses.com`);
    await mailFrom(root, 'example.com', 'bounce.example.com');
    expect(
      (await root.v1.send(new GetIdentityMailFromDomainAttributesCommand({ Identities: ['example.com'] })))
        .MailFromDomainAttributes,
    ).toEqual({
      'example.com': {
        MailFromDomain: 'bounce.example.com',
        MailFromDomainStatus: 'Success',
        BehaviorOnMXFailure: 'UseDefaultValue',
      },
    });
    const after = await sendAndRead(server, root, 'news@example.com');
    expect(after).toEqual({
      id: after.id,
      mailFrom: `${after.id}@bounce.example.com`,
      returnPath: `${after.id}@bounce.example.com`,
    });
  });

  it('lets an address identity’s MAIL FROM domain win over its domain’s, and goes back when it is removed', async () => {
    await mailFrom(root, 'example.com', 'bounce.example.com');
    await mailFrom(root, 'boss@example.com', 'boss-bounce.example.com');
    const own = await sendAndRead(server, root, 'boss@example.com');
    expect(own.returnPath).toBe(`${own.id}@boss-bounce.example.com`);
    const other = await sendAndRead(server, root, 'staff@example.com');
    expect(other.returnPath).toBe(`${other.id}@bounce.example.com`);
    await mailFrom(root, 'boss@example.com');
    await mailFrom(root, 'example.com');
    const none = await sendAndRead(server, root, 'boss@example.com');
    expect(none.returnPath).toBe(`${none.id}@amazonses.com`);
  });
});

describe.each(testDialects())('custom MAIL FROM verified by its MX record (%s)', (dialect) => {
  let dns: TestDnsServer;
  let server: TestServer;
  let root: Clients;
  const recheck = (now = new Date()) =>
    runDnsVerification(server.app.store, systemResolver(server.config.dnsServers), now);
  const status = async (identity: string) =>
    (await root.v2.send(new GetEmailIdentityCommand({ EmailIdentity: identity }))).MailFromAttributes;
  beforeAll(async () => {
    dns = await startTestDnsServer();
    server = await startTestServer({ SESAME_VERIFICATION: 'dns', SESAME_DNS_SERVERS: dns.address }, dialect);
    root = clientsFor(server, server.credentials);
    await grantProduction(server, ACCOUNT);
    const created = await root.v2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'dns.example' }));
    for (const t of created.DkimAttributes!.Tokens!)
      dns.records.cname[`${t}._domainkey.dns.example`] = `${t}.dkim.amazonses.com`;
    await recheck();
  });
  afterAll(async () => {
    await server?.stop();
    await dns?.stop();
  });

  it('refuses sends while pending with RejectMessage, uses SES’s domain with UseDefaultValue, and its own once the MX is seen', async () => {
    await mailFrom(root, 'dns.example', 'mail.dns.example', true);
    expect(await status('dns.example')).toEqual({
      MailFromDomain: 'mail.dns.example',
      MailFromDomainStatus: 'PENDING',
      BehaviorOnMxFailure: 'REJECT_MESSAGE',
    });
    const notVerified = {
      name: 'MailFromDomainNotVerifiedException',
      status: 400,
      message: 'DNS setup for MAIL FROM domain is invalid.',
    };
    expect(await errorOf(sendAndRead(server, root, 'a@dns.example'))).toEqual(notVerified);
    expect(
      await errorOf(
        root.v1.send(
          new V1SendEmail({
            Source: 'a@dns.example',
            Destination: { ToAddresses: ['reader@example.net'] },
            Message: simpleMessage,
          }),
        ),
      ),
    ).toEqual(notVerified);

    // A bulk send fails entry by entry, in SES's bulk status words.
    await root.v2.send(
      new CreateEmailTemplateCommand({
        TemplateName: 'mf',
        TemplateContent: { Subject: 'hi {{n}}', Text: 'x' },
      }),
    );
    const bulk = await root.v2.send(
      new SendBulkEmailCommand({
        FromEmailAddress: 'a@dns.example',
        DefaultContent: { Template: { TemplateName: 'mf', TemplateData: '{"n":"1"}' } },
        BulkEmailEntries: [
          { Destination: { ToAddresses: ['one@example.net'] } },
          { Destination: { ToAddresses: ['two@example.net'] } },
        ],
      }),
    );
    expect(bulk.BulkEmailEntryResults?.map((r) => r.Status)).toEqual([
      'MAIL_FROM_DOMAIN_NOT_VERIFIED',
      'MAIL_FROM_DOMAIN_NOT_VERIFIED',
    ]);

    // An MX record of another region's endpoint is not the one SES asks for.
    dns.records.mx['mail.dns.example'] = [
      { priority: 10, exchange: 'feedback-smtp.eu-west-1.amazonses.com' },
    ];
    await recheck();
    expect((await status('dns.example'))?.MailFromDomainStatus).toBe('PENDING');

    await mailFrom(root, 'dns.example', 'mail.dns.example', false);
    const fallback = await sendAndRead(server, root, 'a@dns.example');
    expect(fallback.returnPath).toBe(`${fallback.id}@amazonses.com`);

    dns.records.mx['mail.dns.example'] = [
      { priority: 10, exchange: 'feedback-smtp.us-east-1.amazonses.com' },
    ];
    await recheck();
    expect((await status('dns.example'))?.MailFromDomainStatus).toBe('SUCCESS');
    const own = await sendAndRead(server, root, 'a@dns.example');
    expect(own.returnPath).toBe(`${own.id}@mail.dns.example`);
  });

  it('fails a MAIL FROM domain whose MX record is still missing after 72 hours', async () => {
    await mailFrom(root, 'dns.example', 'never.dns.example', true);
    await recheck(new Date(Date.now() + 71 * 3600_000));
    expect((await status('dns.example'))?.MailFromDomainStatus).toBe('PENDING');
    await recheck(new Date(Date.now() + 72 * 3600_000 + 60_000));
    expect((await status('dns.example'))?.MailFromDomainStatus).toBe('FAILED');
    expect(await errorOf(sendAndRead(server, root, 'a@dns.example'))).toMatchObject({
      name: 'MailFromDomainNotVerifiedException',
    });
  });
});
