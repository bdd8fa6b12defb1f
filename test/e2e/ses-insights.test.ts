// Deliverability insights end to end through the SDK: messages delivered (or bounced) over real SMTP
// by the relay transport, DNS answered by a local server (SESAME_DNS_SERVERS). GetMessageInsights
// from the recorded events, GetEmailAddressInsights from syntax, DNS and the account's own records,
// ListRecommendations from the identities' DNS records and the bounce rate, OPEN then FIXED.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateEmailIdentityCommand,
  GetEmailAddressInsightsCommand,
  GetMessageInsightsCommand,
  ListRecommendationsCommand,
  PutEmailIdentityDkimAttributesCommand,
  PutEmailIdentityMailFromAttributesCommand,
  PutSuppressedDestinationCommand,
  SendEmailCommand,
} from '@aws-sdk/client-sesv2';
import { startSmtpSink, type SmtpSink } from '../../src/delivery/smtp-sink.js';
import { startTestDnsServer, type TestDnsServer } from '../../src/ses/verification/test-dns-server.js';
import { testDialects } from '../../src/store/database.js';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import {
  clientsFor,
  errorOf,
  grantProduction,
  secondAccount,
  type Clients,
} from '../support/ses-fixtures.js';

const ARN = `arn:aws:ses:us-east-1:${ACCOUNT}:identity/rec.example`;

describe.each(testDialects())('insights and recommendations (%s)', (dialect) => {
  let sink: SmtpSink;
  let dns: TestDnsServer;
  let server: TestServer;
  let root: Clients;
  beforeAll(async () => {
    sink = await startSmtpSink({
      rcptReply: (a) => (a.startsWith('gone@') ? '550 5.1.1 No such user' : undefined),
    });
    dns = await startTestDnsServer({
      mx: {
        'good.example': [{ priority: 10, exchange: 'mx.good.example' }],
        'gmail.com': [{ priority: 5, exchange: 'mx.gmail.com' }],
      },
      a: { 'nomx.example': ['192.0.2.7'] },
    });
    server = await startTestServer(
      {
        SESAME_DNS_SERVERS: dns.address,
        SESAME_DELIVERY_TRANSPORT: 'relay',
        // The relay is a local sink: auto verification reaches no real mailbox.
        SESAME_ALLOW_AUTO_VERIFICATION_WITH_REAL_DELIVERY: 'true',
        SESAME_RELAY_URL: `smtp://127.0.0.1:${sink.port}?tls=off`,
      },
      dialect,
    );
    root = clientsFor(server, server.credentials);
    await grantProduction(server, ACCOUNT);
    await root.v2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'rec.example' }));
  });
  afterAll(async () => {
    await server?.stop();
    await dns?.stop();
    await sink?.close();
  });

  const send = async (to: string[], tags: { Name: string; Value: string }[] = []) => {
    const { MessageId } = await root.v2.send(
      new SendEmailCommand({
        FromEmailAddress: 'news@rec.example',
        Destination: { ToAddresses: to },
        Content: { Simple: { Subject: { Data: 'Weekly news' }, Body: { Text: { Data: 'hello' } } } },
        EmailTags: tags,
      }),
    );
    // Delivered or bounced: the attempt is over.
    const end = Date.now() + 10_000;
    for (;;) {
      const row = await server.app.store.db
        .selectFrom('outbox')
        .select('status')
        .where('message_id', '=', MessageId!)
        .executeTakeFirstOrThrow();
      if (row.status === 'delivered' || row.status === 'failed') return MessageId!;
      if (Date.now() > end) throw new Error('not settled');
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const insights = (MessageId: string) => root.v2.send(new GetMessageInsightsCommand({ MessageId }));
  const types = (i: Awaited<ReturnType<typeof insights>>, n = 0) =>
    i.Insights?.[n]?.Events?.map((e) => e.Type);

  it('tells a message from its recorded events, as SES documents them', async () => {
    const delivered = await send(['ann@gmail.com'], [{ Name: 'campaign', Value: 'weekly' }]);
    const got = await insights(delivered);
    expect(got).toMatchObject({
      MessageId: delivered,
      FromEmailAddress: 'news@rec.example',
      Subject: 'Weekly news',
    });
    expect(got.EmailTags).toEqual(
      expect.arrayContaining([
        { Name: 'campaign', Value: 'weekly' },
        { Name: 'ses:operation', Value: 'SendEmail' },
      ]),
    );
    expect(got.Insights).toHaveLength(1);
    expect(got.Insights![0]).toMatchObject({ Destination: 'ann@gmail.com', Isp: 'Gmail' });
    expect(types(got)).toEqual(['SEND', 'DELIVERY']);
    expect(got.Insights![0]!.Events![1]!.Timestamp).toBeInstanceOf(Date);

    const bounced = await insights(await send(['gone@good.example']));
    expect(types(bounced)).toEqual(['SEND', 'BOUNCE']);
    expect(bounced.Insights![0]!.Events![1]!.Details).toEqual({
      Bounce: {
        BounceType: 'PERMANENT',
        BounceSubType: 'General',
        DiagnosticCode: 'smtp; 550 5.1.1 No such user',
      },
    });
    // Deliveries to several recipients and to the mailbox simulator are left out.
    const two = await insights(await send(['a@good.example', 'b@good.example']));
    expect([types(two, 0), types(two, 1)]).toEqual([['SEND'], ['SEND']]);
    expect(types(await insights(await send(['success@simulator.amazonses.com'])))).toEqual(['SEND']);

    const other = await secondAccount(server);
    expect(
      await errorOf(other.root.v2.send(new GetMessageInsightsCommand({ MessageId: delivered }))),
    ).toEqual({
      name: 'NotFoundException',
      status: 404,
      message: `Message ${delivered} does not exist.`,
    });
  });

  it('judges addresses by syntax, DNS, the account’s records and the usual lists', async () => {
    const check = async (EmailAddress: string) => {
      const v = (await root.v2.send(new GetEmailAddressInsightsCommand({ EmailAddress }))).MailboxValidation!;
      const e = v.Evaluations!;
      return [
        v.IsValid?.ConfidenceVerdict,
        e.HasValidSyntax?.ConfidenceVerdict,
        e.HasValidDnsRecords?.ConfidenceVerdict,
        e.MailboxExists?.ConfidenceVerdict,
        e.IsRoleAddress?.ConfidenceVerdict,
        e.IsDisposable?.ConfidenceVerdict,
        e.IsRandomInput?.ConfidenceVerdict,
      ];
    };
    expect(await check('ann@gmail.com')).toEqual(['HIGH', 'HIGH', 'HIGH', 'HIGH', 'LOW', 'LOW', 'LOW']); // delivered earlier
    expect(await check('cy@good.example')).toEqual(['MEDIUM', 'HIGH', 'HIGH', 'MEDIUM', 'LOW', 'LOW', 'LOW']);
    expect(await check('gone@good.example')).toEqual(['LOW', 'HIGH', 'HIGH', 'LOW', 'LOW', 'LOW', 'LOW']); // hard bounce
    expect(await check('info@good.example')).toEqual([
      'MEDIUM',
      'HIGH',
      'HIGH',
      'MEDIUM',
      'HIGH',
      'LOW',
      'LOW',
    ]);
    expect(await check('x@nomx.example')).toEqual([
      'MEDIUM',
      'HIGH',
      'MEDIUM',
      'MEDIUM',
      'LOW',
      'LOW',
      'LOW',
    ]);
    expect(await check('x@nowhere.example')).toEqual(['LOW', 'HIGH', 'LOW', 'LOW', 'LOW', 'LOW', 'LOW']);
    expect(await check('bad@@good.example')).toEqual(['LOW', 'LOW', 'LOW', 'LOW', 'LOW', 'LOW', 'LOW']);
    expect((await check('x@mailinator.com'))[5]).toBe('HIGH');
    expect((await check('qwrtzpsdf@good.example'))[6]).toBe('HIGH');
    await root.v2.send(
      new PutSuppressedDestinationCommand({ EmailAddress: 'cy@good.example', Reason: 'COMPLAINT' }),
    );
    expect((await check('cy@good.example'))[3]).toBe('LOW');
  });

  it('recommends from DNS records and the bounce rate, and marks what was fixed', async () => {
    const list = async (Filter?: Record<string, string>) =>
      ((await root.v2.send(new ListRecommendationsCommand({ Filter }))).Recommendations ?? []).map((r) => [
        r.Type,
        r.Impact,
        r.Status,
        r.Description,
      ]);
    // One hard bounce of four non-simulator recipients from rec.example so far: 25%.
    expect(await list()).toEqual([
      [
        'BOUNCE',
        'HIGH',
        'OPEN',
        'Mail from rec.example bounced at 25% over the last 30 days; SES reviews accounts above 5%.',
      ],
      ['DMARC', 'HIGH', 'OPEN', 'rec.example has no DMARC record (_dmarc.rec.example).'],
      [
        'SPF',
        'LOW',
        'OPEN',
        'rec.example has no custom MAIL FROM domain, so SPF cannot align with it for DMARC.',
      ],
    ]);
    const first = (await root.v2.send(new ListRecommendationsCommand({}))).Recommendations!;
    expect(first.every((r) => r.ResourceArn === ARN)).toBe(true);

    dns.records.txt['_dmarc.rec.example'] = ['v=DMARC1; p=none; rua=mailto:d@rec.example'];
    await root.v2.send(
      new PutEmailIdentityMailFromAttributesCommand({
        EmailIdentity: 'rec.example',
        MailFromDomain: 'bounce.rec.example',
      }),
    );
    await root.v2.send(
      new PutEmailIdentityDkimAttributesCommand({ EmailIdentity: 'rec.example', SigningEnabled: false }),
    );
    expect(await list({ STATUS: 'OPEN' })).toEqual([
      ['BOUNCE', 'HIGH', 'OPEN', expect.stringContaining('bounced at 25%')],
      ['DKIM', 'HIGH', 'OPEN', 'DKIM signing is not enabled for rec.example.'],
      [
        'SPF',
        'HIGH',
        'OPEN',
        'The MAIL FROM domain bounce.rec.example has no SPF record that includes amazonses.com.',
      ],
      [
        'DMARC',
        'LOW',
        'OPEN',
        'The DMARC policy of rec.example is none: mail failing DMARC is still accepted.',
      ],
    ]);
    expect(await list({ STATUS: 'FIXED' })).toEqual([
      ['DMARC', 'HIGH', 'FIXED', 'rec.example has no DMARC record (_dmarc.rec.example).'],
      [
        'SPF',
        'LOW',
        'FIXED',
        'rec.example has no custom MAIL FROM domain, so SPF cannot align with it for DMARC.',
      ],
    ]);
    dns.records.txt['bounce.rec.example'] = ['v=spf1 include:amazonses.com ~all'];
    expect(await list({ TYPE: 'SPF', STATUS: 'OPEN' })).toEqual([]);
    expect(await list({ IMPACT: 'LOW', STATUS: 'OPEN' })).toHaveLength(1);

    const all = (await list()).map((r) => `${r[0]}/${r[2]}`);
    const page = await root.v2.send(new ListRecommendationsCommand({ PageSize: 2 }));
    const next = await root.v2.send(
      new ListRecommendationsCommand({ PageSize: 5, NextToken: page.NextToken }),
    );
    expect(page.Recommendations).toHaveLength(2);
    expect([...page.Recommendations!, ...next.Recommendations!].map((r) => `${r.Type}/${r.Status}`)).toEqual(
      all,
    );
    expect(next.NextToken).toBeUndefined();
    expect(
      await errorOf(
        root.v2.send(new ListRecommendationsCommand({ Filter: { TYPE: 'DKIM', IMPACT: 'HIGH' } })),
      ),
    ).toEqual({
      name: 'BadRequestException',
      status: 400,
      message: 'Filter can be a single filter, or STATUS combined with IMPACT or with TYPE.',
    });
  });
});
