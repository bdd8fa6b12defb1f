// The Deliverability dashboard, inbox placement tests, VDM and archiving through
// @aws-sdk/client-sesv2 against a real Sesame: subscription rules, campaigns and domain statistics
// from recorded sends, DNSBL blacklist reports from a local DNS server, VDM settings in GetAccount,
// and a configuration set's archive searched and exported over Sesame's own API (SigV4 `sesame`).
import { Hash } from '@smithy/core/serde';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateConfigurationSetCommand,
  CreateDeliverabilityTestReportCommand,
  GetAccountCommand,
  GetBlacklistReportsCommand,
  GetConfigurationSetCommand,
  GetDeliverabilityDashboardOptionsCommand,
  GetDeliverabilityTestReportCommand,
  GetDomainDeliverabilityCampaignCommand,
  GetDomainStatisticsReportCommand,
  ListDeliverabilityTestReportsCommand,
  ListDomainDeliverabilityCampaignsCommand,
  PutAccountVdmAttributesCommand,
  PutConfigurationSetArchivingOptionsCommand,
  PutConfigurationSetVdmOptionsCommand,
  PutDeliverabilityDashboardOptionCommand,
  SendEmailCommand,
} from '@aws-sdk/client-sesv2';
import { startTestDnsServer, type TestDnsServer } from '../../src/ses/verification/test-dns-server.js';
import { testDialects } from '../../src/store/database.js';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import { waitFor } from '../support/wait.js';
import {
  clientsFor,
  errorOf,
  genericDenied,
  grantProduction,
  policyDoc,
  userWithPolicy,
  verify,
  v2Simple,
  type Clients,
  type Creds,
} from '../support/ses-fixtures.js';

const ARCHIVE_ID = 'a-0123456789abcdefghijklmnop';
const ARCHIVE_ARN = `arn:aws:ses:us-east-1:${ACCOUNT}:mailmanager-archive/${ARCHIVE_ID}`;

describe.each(testDialects())('SES v2 deliverability, VDM and archiving (%s)', (dialect) => {
  let server: TestServer;
  let dns: TestDnsServer;
  let root: Clients;
  const today = () => new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000);

  async function sesame(
    creds: Creds,
    path: string,
    query: Record<string, string> = {},
    region = 'us-east-1',
  ) {
    const url = new URL(server.endpoint);
    const signer = new SignatureV4({
      credentials: creds,
      region,
      service: 'sesame',
      sha256: Hash.bind(null, 'sha256'),
    });
    const signed = await signer.sign(
      new HttpRequest({
        method: 'GET',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path,
        query,
        headers: { host: url.host },
      }),
    );
    const qs = new URLSearchParams(query).toString();
    const res = await fetch(`${server.endpoint}${path}${qs ? `?${qs}` : ''}`, {
      headers: signed.headers as Record<string, string>,
    });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  }

  beforeAll(async () => {
    dns = await startTestDnsServer({
      a: { '2.0.0.127.bl.example': ['127.0.0.2'] },
      txt: { '2.0.0.127.bl.example': ['Listed for testing'] },
    });
    server = await startTestServer(
      {
        SESAME_DEDICATED_IPS: '127.0.0.2,127.0.0.4',
        SESAME_DNSBL_ZONES: 'bl.example,clean.example',
        SESAME_DNS_SERVERS: dns.address,
        SESAME_PRODUCTION_MAX_SEND_RATE: '100',
      },
      dialect,
    );
    root = clientsFor(server, server.credentials);
    await verify(root.v1, 'example.com');
    await grantProduction(server, ACCOUNT);
  });
  afterAll(async () => {
    await server?.stop();
    await dns?.stop();
  });

  it('reports DNSBL listings of dedicated addresses from the configured zones', async () => {
    const r = await root.v2.send(
      new GetBlacklistReportsCommand({ BlacklistItemNames: ['127.0.0.2', '127.0.0.4'] }),
    );
    expect(r.BlacklistReport?.['127.0.0.4']).toEqual([]);
    expect(r.BlacklistReport?.['127.0.0.2']).toEqual([
      { RblName: 'bl.example', ListingTime: expect.any(Date), Description: 'Listed for testing' },
    ]);
    expect(
      await errorOf(root.v2.send(new GetBlacklistReportsCommand({ BlacklistItemNames: ['10.0.0.1'] }))),
    ).toEqual({
      name: 'NotFoundException',
      status: 404,
      message: 'Could not find dedicated IP 10.0.0.1 under this account.',
    });
  });

  it('subscribes verified domains only and answers the subscription', async () => {
    expect(await root.v2.send(new GetDeliverabilityDashboardOptionsCommand({}))).toMatchObject({
      DashboardEnabled: false,
      AccountStatus: 'DISABLED',
    });
    expect(
      await errorOf(
        root.v2.send(
          new PutDeliverabilityDashboardOptionCommand({
            DashboardEnabled: true,
            SubscribedDomains: [{ Domain: 'other.org' }],
          }),
        ),
      ),
    ).toEqual({
      name: 'NotFoundException',
      status: 404,
      message: 'Domain other.org is not a verified domain of this account.',
    });
    await root.v2.send(
      new PutDeliverabilityDashboardOptionCommand({
        DashboardEnabled: true,
        SubscribedDomains: [{ Domain: 'example.com' }],
      }),
    );
    const o = await root.v2.send(new GetDeliverabilityDashboardOptionsCommand({}));
    expect(o).toMatchObject({
      DashboardEnabled: true,
      AccountStatus: 'ACTIVE',
      PendingExpirationSubscribedDomains: [],
    });
    expect(o.ActiveSubscribedDomains?.map((d) => d.Domain)).toEqual(['example.com']);
    expect(o.ActiveSubscribedDomains?.[0]?.SubscriptionStartDate).toBeInstanceOf(Date);
  });

  it('builds campaigns and domain statistics from the recorded sends', async () => {
    for (const to of ['success@simulator.amazonses.com', 'complaint@simulator.amazonses.com'])
      await root.v2.send(
        new SendEmailCommand({
          FromEmailAddress: 'news@example.com',
          Destination: { ToAddresses: [to] },
          Content: { Simple: { Subject: { Data: 'Spring sale' }, Body: { Text: { Data: 'hi' } } } },
        }),
      );
    const StartDate = today();
    const EndDate = today();
    const list = await waitFor(async () => {
      const l = await root.v2.send(
        new ListDomainDeliverabilityCampaignsCommand({ SubscribedDomain: 'example.com', StartDate, EndDate }),
      );
      const c = l.DomainDeliverabilityCampaigns?.[0];
      return c && c.InboxCount === 2 && c.SpamCount === 1 ? l : undefined;
    });
    const c = list.DomainDeliverabilityCampaigns![0]!;
    expect(c).toMatchObject({
      Subject: 'Spring sale',
      FromAddress: 'news@example.com',
      ProjectedVolume: 2,
      Esps: ['simulator.amazonses.com'],
      ReadRate: 0,
    });
    expect(
      (await root.v2.send(new GetDomainDeliverabilityCampaignCommand({ CampaignId: c.CampaignId })))
        .DomainDeliverabilityCampaign,
    ).toEqual(c);
    const stats = await root.v2.send(
      new GetDomainStatisticsReportCommand({ Domain: 'example.com', StartDate, EndDate }),
    );
    expect(stats.OverallVolume?.VolumeStatistics).toEqual({
      InboxRawCount: 2,
      SpamRawCount: 1,
      ProjectedInbox: 2,
      ProjectedSpam: 1,
    });
    expect(stats.DailyVolumes).toHaveLength(1);
    expect(
      await errorOf(
        root.v2.send(
          new GetDomainStatisticsReportCommand({
            Domain: 'example.com',
            StartDate,
            EndDate: new Date(StartDate.getTime() + 40 * 86_400_000),
          }),
        ),
      ),
    ).toEqual({
      name: 'BadRequestException',
      status: 400,
      message: 'EndDate must be on or after StartDate and at most 30 days after it.',
    });
    expect(
      await errorOf(root.v2.send(new GetDomainDeliverabilityCampaignCommand({ CampaignId: 'nope' }))),
    ).toEqual({ name: 'NotFoundException', status: 404, message: 'Campaign nope does not exist.' });
  });

  it('runs an inbox placement test through the pipeline and reports what was observed', async () => {
    const created = await root.v2.send(
      new CreateDeliverabilityTestReportCommand({
        ReportName: 'spring',
        FromEmailAddress: 'news@example.com',
        Content: { Simple: { Subject: { Data: 'Placement' }, Body: { Text: { Data: 'hi' } } } },
        Tags: [{ Key: 'k', Value: 'v' }],
      }),
    );
    expect(created.DeliverabilityTestStatus).toBe('IN_PROGRESS');
    const report = await waitFor(async () => {
      const r = await root.v2.send(new GetDeliverabilityTestReportCommand({ ReportId: created.ReportId }));
      return r.DeliverabilityTestReport?.DeliverabilityTestStatus === 'COMPLETED' ? r : undefined;
    });
    expect(report.DeliverabilityTestReport).toMatchObject({
      ReportName: 'spring',
      Subject: 'Placement',
      FromEmailAddress: 'news@example.com',
    });
    expect(report.OverallPlacement).toMatchObject({
      InboxPercentage: 100,
      SpamPercentage: 0,
      MissingPercentage: 0,
    });
    expect(report.Tags).toEqual([{ Key: 'k', Value: 'v' }]);
    expect(
      (await root.v2.send(new ListDeliverabilityTestReportsCommand({}))).DeliverabilityTestReports?.map(
        (r) => r.ReportId,
      ),
    ).toEqual([created.ReportId]);
    const u = await userWithPolicy(
      root,
      policyDoc({
        Effect: 'Allow',
        Action: 'ses:CreateDeliverabilityTestReport',
        Resource: `arn:aws:ses:us-east-1:${ACCOUNT}:identity/other.org`,
      }),
      `placement-${dialect}`,
    );
    expect(
      await errorOf(
        clientsFor(server, u.creds).v2.send(
          new CreateDeliverabilityTestReportCommand({
            FromEmailAddress: 'news@example.com',
            Content: v2Simple,
          }),
        ),
      ),
    ).toEqual({
      name: 'AccessDeniedException',
      status: 403,
      message: `User: ${u.arn} is not authorized to perform: ses:CreateDeliverabilityTestReport on resource: arn:aws:ses:us-east-1:${ACCOUNT}:identity/example.com because no identity-based policy allows the ses:CreateDeliverabilityTestReport action`,
    });
  });

  it('keeps VDM settings for the account and a configuration set', async () => {
    await root.v2.send(
      new PutAccountVdmAttributesCommand({
        VdmAttributes: { VdmEnabled: 'ENABLED', DashboardAttributes: { EngagementMetrics: 'ENABLED' } },
      }),
    );
    expect((await root.v2.send(new GetAccountCommand({}))).VdmAttributes).toEqual({
      VdmEnabled: 'ENABLED',
      DashboardAttributes: { EngagementMetrics: 'ENABLED' },
    });
    await root.v2.send(new CreateConfigurationSetCommand({ ConfigurationSetName: 'archived' }));
    await root.v2.send(
      new PutConfigurationSetVdmOptionsCommand({
        ConfigurationSetName: 'archived',
        VdmOptions: { GuardianOptions: { OptimizedSharedDelivery: 'DISABLED' } },
      }),
    );
    expect(
      (await root.v2.send(new GetConfigurationSetCommand({ ConfigurationSetName: 'archived' }))).VdmOptions,
    ).toEqual({
      GuardianOptions: { OptimizedSharedDelivery: 'DISABLED' },
    });
    const u = await userWithPolicy(root, undefined, `vdm-${dialect}`);
    expect(
      await errorOf(
        clientsFor(server, u.creds).v2.send(
          new PutAccountVdmAttributesCommand({ VdmAttributes: { VdmEnabled: 'DISABLED' } }),
        ),
      ),
    ).toEqual({
      name: 'AccessDeniedException',
      status: 403,
      message: genericDenied(u.arn, 'ses:PutAccountVdmAttributes'),
    });
  });

  it("archives a configuration set's mail; searches, reads and exports it as mbox", async () => {
    expect(
      await errorOf(
        root.v2.send(
          new PutConfigurationSetArchivingOptionsCommand({
            ConfigurationSetName: 'archived',
            ArchiveArn: `arn:aws:ses:us-east-1:999999999999:mailmanager-archive/${ARCHIVE_ID}`,
          }),
        ),
      ),
    ).toMatchObject({ name: 'BadRequestException', status: 400 });
    await root.v2.send(
      new PutConfigurationSetArchivingOptionsCommand({
        ConfigurationSetName: 'archived',
        ArchiveArn: ARCHIVE_ARN,
      }),
    );
    expect(
      (await root.v2.send(new GetConfigurationSetCommand({ ConfigurationSetName: 'archived' })))
        .ArchivingOptions,
    ).toEqual({
      ArchiveArn: ARCHIVE_ARN,
    });
    const ids: string[] = [];
    for (const subject of ['Invoice 1', 'Receipt 2'])
      ids.push(
        (
          await root.v2.send(
            new SendEmailCommand({
              FromEmailAddress: 'billing@example.com',
              Destination: { ToAddresses: ['success@simulator.amazonses.com'] },
              Content: { Simple: { Subject: { Data: subject }, Body: { Text: { Data: 'From here on' } } } },
              ConfigurationSetName: 'archived',
            }),
          )
        ).MessageId!,
      );
    const base = `/sesame/archives/${ARCHIVE_ID}`;
    const all = await waitFor(async () => {
      const r = await sesame(server.credentials, `${base}/messages`);
      const m = (JSON.parse(r.text) as { Messages: { MessageId: string; Subject: string }[] }).Messages;
      return m.length === 2 ? m : undefined;
    });
    expect(all.map((m) => m.MessageId).sort()).toEqual([...ids].sort());
    const found = JSON.parse(
      (await sesame(server.credentials, `${base}/messages`, { subject: 'invoice' })).text,
    ) as {
      Messages: { MessageId: string }[];
    };
    expect(found.Messages.map((m) => m.MessageId)).toEqual([ids[0]]);
    const raw = await sesame(server.credentials, `${base}/messages/${encodeURIComponent(ids[0]!)}`, {
      format: 'raw',
    });
    expect(raw.type).toBe('message/rfc822');
    expect(raw.text).toContain('Subject: Invoice 1');
    const mbox = await sesame(server.credentials, `${base}/export`);
    expect(mbox.type).toBe('application/mbox');
    // RFC 4155: the separator's date is asctime's (`Mon Dec  7 17:10:12 2026`), in UTC.
    expect(
      mbox.text.match(
        /^From billing@example\.com [A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}$/gm,
      ),
    ).toHaveLength(2);
    expect(mbox.text).toContain('\n>From here on');
    const u = await userWithPolicy(
      root,
      policyDoc({ Effect: 'Allow', Action: 'ses:StartArchiveSearch', Resource: ARCHIVE_ARN }),
      `archive-${dialect}`,
    );
    expect((await sesame(u.creds, `${base}/messages`)).status).toBe(200);
    const refused = await sesame(u.creds, `${base}/export`);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text)).toMatchObject({
      message: `User: ${u.arn} is not authorized to perform: ses:StartArchiveExport on resource: ${ARCHIVE_ARN} because no identity-based policy allows the ses:StartArchiveExport action`,
    });
  });

  it('searches an archive for text holding _ and % as written, and only in its own region', async () => {
    const base = `/sesame/archives/${ARCHIVE_ID}`;
    const id = (
      await root.v2.send(
        new SendEmailCommand({
          FromEmailAddress: 'billing@example.com',
          Destination: { ToAddresses: ['success@simulator.amazonses.com'] },
          Content: { Simple: { Subject: { Data: 'Invoice_3 at 100%' }, Body: { Text: { Data: 'x' } } } },
          ConfigurationSetName: 'archived',
        }),
      )
    ).MessageId!;
    const search = async (query: Record<string, string>, region?: string) => {
      const r = await sesame(server.credentials, `${base}/messages`, query, region);
      return (JSON.parse(r.text) as { Messages: { MessageId: string }[] }).Messages.map((m) => m.MessageId);
    };
    await waitFor(async () => ((await search({})).includes(id) ? true : undefined));
    // _ and % are the characters themselves, not patterns.
    expect(await search({ subject: 'invoice_3' })).toEqual([id]);
    expect(await search({ subject: '100%' })).toEqual([id]);
    expect(await search({ subject: 'invoice%3' })).toEqual([]);
    expect(await search({ subject: 'invoice_1' })).toEqual([]);
    // The archive is us-east-1's: a call in another region (its ARN there) finds nothing of it.
    expect(await search({}, 'eu-west-1')).toEqual([]);
    const elsewhere = await sesame(
      server.credentials,
      `${base}/messages/${encodeURIComponent(id)}`,
      { format: 'raw' },
      'eu-west-1',
    );
    expect(elsewhere.status).toBe(404);
  });
});
