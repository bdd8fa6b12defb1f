// SES v2 dedicated IPs through @aws-sdk/client-sesv2: the operator's addresses
// (SESAME_DEDICATED_IPS on loopback 127.0.0.2/3), pools, warm-up, IAM decisions, and delivery
// through a real SMTP relay that records which local address each message came from.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateConfigurationSetCommand,
  CreateDedicatedIpPoolCommand,
  DeleteDedicatedIpPoolCommand,
  GetAccountCommand,
  GetDedicatedIpCommand,
  GetDedicatedIpPoolCommand,
  GetDedicatedIpsCommand,
  ListDedicatedIpPoolsCommand,
  ListTagsForResourceCommand,
  PutAccountDedicatedIpWarmupAttributesCommand,
  PutConfigurationSetDeliveryOptionsCommand,
  PutDedicatedIpInPoolCommand,
  PutDedicatedIpPoolScalingAttributesCommand,
  PutDedicatedIpWarmupAttributesCommand,
  SendEmailCommand,
} from '@aws-sdk/client-sesv2';
import { startSmtpSink, type SmtpSink } from '../../src/delivery/smtp-sink.js';
import { testDialects } from '../../src/store/database.js';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import { waitFor } from '../support/wait.js';
import {
  clientsFor,
  errorOf,
  grantProduction,
  policyDoc,
  userWithPolicy,
  verify,
  v2Simple,
  type Clients,
} from '../support/ses-fixtures.js';

const poolArn = (name: string) => `arn:aws:ses:us-east-1:${ACCOUNT}:dedicated-ip-pool/${name}`;
const denied = (user: string, action: string, resource: string) =>
  `User: ${user} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;

describe.each(testDialects())('SES v2 dedicated IPs (%s)', (dialect) => {
  let server: TestServer;
  let sink: SmtpSink;
  let root: Clients;

  beforeAll(async () => {
    sink = await startSmtpSink();
    server = await startTestServer(
      {
        SESAME_DEDICATED_IPS: '127.0.0.2,127.0.0.3',
        SESAME_DELIVERY_TRANSPORT: 'relay',
        // The relay is a local sink: auto verification reaches no real mailbox.
        SESAME_ALLOW_AUTO_VERIFICATION_WITH_REAL_DELIVERY: 'true',
        SESAME_RELAY_URL: `smtp://127.0.0.1:${sink.port}?tls=off`,
        SESAME_PRODUCTION_MAX_24_HOUR_SEND: '10',
      },
      dialect,
    );
    root = clientsFor(server, server.credentials);
    await verify(root.v1, 'example.com');
    await grantProduction(server, ACCOUNT);
  });
  afterAll(async () => {
    await server?.stop();
    await sink?.close();
  });

  it('lists the declared addresses in the default pool, fully warmed', async () => {
    const ips = await root.v2.send(new GetDedicatedIpsCommand({}));
    expect(ips.DedicatedIps).toEqual([
      {
        Ip: '127.0.0.2',
        WarmupStatus: 'DONE',
        WarmupPercentage: 100,
        PoolName: 'ses-default-dedicated-pool',
      },
      {
        Ip: '127.0.0.3',
        WarmupStatus: 'DONE',
        WarmupPercentage: 100,
        PoolName: 'ses-default-dedicated-pool',
      },
    ]);
    const page = await root.v2.send(new GetDedicatedIpsCommand({ PageSize: 1 }));
    expect(page.DedicatedIps?.map((i) => i.Ip)).toEqual(['127.0.0.2']);
    const next = await root.v2.send(new GetDedicatedIpsCommand({ PageSize: 1, NextToken: page.NextToken }));
    expect(next.DedicatedIps?.map((i) => i.Ip)).toEqual(['127.0.0.3']);
    expect(next.NextToken).toBeUndefined();
    expect(await errorOf(root.v2.send(new GetDedicatedIpCommand({ Ip: '10.9.9.9' })))).toEqual({
      name: 'NotFoundException',
      status: 404,
      message: 'Could not find dedicated IP 10.9.9.9 under this account.',
    });
  });

  it('creates, reads, lists and tags pools; refuses duplicates, reserved names and bad modes', async () => {
    await root.v2.send(
      new CreateDedicatedIpPoolCommand({ PoolName: 'marketing', Tags: [{ Key: 'team', Value: 'mail' }] }),
    );
    await root.v2.send(new CreateDedicatedIpPoolCommand({ PoolName: 'managed', ScalingMode: 'MANAGED' }));
    expect(await root.v2.send(new GetDedicatedIpPoolCommand({ PoolName: 'marketing' }))).toMatchObject({
      DedicatedIpPool: { PoolName: 'marketing', ScalingMode: 'STANDARD' },
    });
    // SES's default pool is listed too: the account has dedicated IPs.
    expect((await root.v2.send(new ListDedicatedIpPoolsCommand({}))).DedicatedIpPools).toEqual([
      'managed',
      'marketing',
      'ses-default-dedicated-pool',
    ]);
    const first = await root.v2.send(new ListDedicatedIpPoolsCommand({ PageSize: 2 }));
    expect(first.DedicatedIpPools).toEqual(['managed', 'marketing']);
    const rest = await root.v2.send(
      new ListDedicatedIpPoolsCommand({ PageSize: 2, NextToken: first.NextToken }),
    );
    expect(rest).toMatchObject({ DedicatedIpPools: ['ses-default-dedicated-pool'] });
    expect(rest.NextToken).toBeUndefined();
    expect(
      (await root.v2.send(new ListTagsForResourceCommand({ ResourceArn: poolArn('marketing') }))).Tags,
    ).toEqual([{ Key: 'team', Value: 'mail' }]);
    expect(await errorOf(root.v2.send(new CreateDedicatedIpPoolCommand({ PoolName: 'marketing' })))).toEqual({
      name: 'AlreadyExistsException',
      status: 400,
      message: 'The pool <marketing> already exists.',
    });
    expect(
      await errorOf(
        root.v2.send(new CreateDedicatedIpPoolCommand({ PoolName: 'ses-default-dedicated-pool' })),
      ),
    ).toEqual({
      name: 'BadRequestException',
      status: 400,
      message: 'Pool name describes either a shared or default dedicated ip pool',
    });
    expect(
      await errorOf(
        root.v2.send(new CreateDedicatedIpPoolCommand({ PoolName: 'x', ScalingMode: 'BIG' as never })),
      ),
    ).toEqual({
      name: 'BadRequestException',
      status: 400,
      message:
        "1 validation error detected: Value 'BIG' at 'scalingMode' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, MANAGED]",
    });
    expect(await errorOf(root.v2.send(new GetDedicatedIpPoolCommand({ PoolName: 'none' })))).toEqual({
      name: 'NotFoundException',
      status: 404,
      message: 'The requested pool <none> does not exist.',
    });
    expect((await root.v2.send(new ListDedicatedIpPoolsCommand({}))).DedicatedIpPools).toHaveLength(3);
  });

  it('moves an address into a pool, sets its warm-up, and refuses a managed destination', async () => {
    await root.v2.send(
      new PutDedicatedIpInPoolCommand({ Ip: '127.0.0.2', DestinationPoolName: 'marketing' }),
    );
    expect((await root.v2.send(new GetDedicatedIpCommand({ Ip: '127.0.0.2' }))).DedicatedIp?.PoolName).toBe(
      'marketing',
    );
    expect(
      (await root.v2.send(new GetDedicatedIpsCommand({ PoolName: 'marketing' }))).DedicatedIps?.map(
        (i) => i.Ip,
      ),
    ).toEqual(['127.0.0.2']);
    expect(
      await errorOf(
        root.v2.send(new PutDedicatedIpInPoolCommand({ Ip: '127.0.0.3', DestinationPoolName: 'managed' })),
      ),
    ).toEqual({
      name: 'BadRequestException',
      status: 400,
      message: 'Dedicated IPs cannot be moved into the managed pool <managed>.',
    });
    await root.v2.send(new PutDedicatedIpWarmupAttributesCommand({ Ip: '127.0.0.2', WarmupPercentage: 20 }));
    expect((await root.v2.send(new GetDedicatedIpCommand({ Ip: '127.0.0.2' }))).DedicatedIp).toEqual({
      Ip: '127.0.0.2',
      WarmupStatus: 'IN_PROGRESS',
      WarmupPercentage: 20,
      PoolName: 'marketing',
    });
    expect(
      await errorOf(
        root.v2.send(new PutDedicatedIpWarmupAttributesCommand({ Ip: '127.0.0.2', WarmupPercentage: 101 })),
      ),
    ).toEqual({
      name: 'BadRequestException',
      status: 400,
      message: 'WarmupPercentage must be between 0 and 100.',
    });
  });

  it("binds a configuration set pool's mail to its address, within the warm-up cap", async () => {
    await root.v2.send(new CreateConfigurationSetCommand({ ConfigurationSetName: 'pooled' }));
    await root.v2.send(
      new PutConfigurationSetDeliveryOptionsCommand({
        ConfigurationSetName: 'pooled',
        SendingPoolName: 'marketing',
      }),
    );
    // 20 % of a 10-recipient daily quota: two recipients a day through 127.0.0.2, then the shared address.
    for (let i = 0; i < 3; i++) {
      await root.v2.send(
        new SendEmailCommand({
          FromEmailAddress: 'a@example.com',
          Destination: { ToAddresses: [`r${i}@dest.example`] },
          Content: v2Simple,
          ConfigurationSetName: 'pooled',
        }),
      );
    }
    await root.v2.send(
      new SendEmailCommand({
        FromEmailAddress: 'a@example.com',
        Destination: { ToAddresses: ['plain@dest.example'] },
        Content: v2Simple,
      }),
    );
    const by = await waitFor(() => (sink.messages.length >= 4 ? sink.messages : undefined));
    const from = Object.fromEntries(by.map((m) => [m.rcptTo[0], m.remoteAddress]));
    expect(from['plain@dest.example']).toBe('127.0.0.1');
    const pooled = ['r0@dest.example', 'r1@dest.example', 'r2@dest.example'].map((r) => from[r]);
    expect(pooled.filter((a) => a === '127.0.0.2')).toHaveLength(2);
    expect(pooled.filter((a) => a === '127.0.0.1')).toHaveLength(1);
    expect(pooled).not.toContain('127.0.0.3');
  });

  it('changes scaling modes one way, turns automatic warm-up on, deletes a pool back into the default', async () => {
    await root.v2.send(
      new PutDedicatedIpPoolScalingAttributesCommand({ PoolName: 'managed', ScalingMode: 'MANAGED' }),
    );
    expect(
      await errorOf(
        root.v2.send(
          new PutDedicatedIpPoolScalingAttributesCommand({ PoolName: 'managed', ScalingMode: 'STANDARD' }),
        ),
      ),
    ).toEqual({
      name: 'BadRequestException',
      status: 400,
      message: 'Scaling mode cannot be changed from MANAGED to STANDARD.',
    });
    expect((await root.v2.send(new GetAccountCommand({}))).DedicatedIpAutoWarmupEnabled).toBe(false);
    await root.v2.send(new PutAccountDedicatedIpWarmupAttributesCommand({ AutoWarmupEnabled: true }));
    expect((await root.v2.send(new GetAccountCommand({}))).DedicatedIpAutoWarmupEnabled).toBe(true);
    await root.v2.send(new DeleteDedicatedIpPoolCommand({ PoolName: 'marketing' }));
    expect((await root.v2.send(new GetDedicatedIpCommand({ Ip: '127.0.0.2' }))).DedicatedIp?.PoolName).toBe(
      'ses-default-dedicated-pool',
    );
    expect(await errorOf(root.v2.send(new DeleteDedicatedIpPoolCommand({ PoolName: 'marketing' })))).toEqual({
      name: 'NotFoundException',
      status: 404,
      message: 'The requested pool <marketing> does not exist.',
    });
  });

  it('authorizes pool actions on the pool ARN with its tags, and address actions on *', async () => {
    await root.v2.send(
      new CreateDedicatedIpPoolCommand({ PoolName: 'tagged', Tags: [{ Key: 'team', Value: 'mail' }] }),
    );
    const u = await userWithPolicy(
      root,
      policyDoc(
        {
          Effect: 'Allow',
          Action: 'ses:GetDedicatedIpPool',
          Resource: '*',
          Condition: { StringEquals: { 'aws:ResourceTag/team': 'mail' } },
        },
        { Effect: 'Allow', Action: 'ses:CreateDedicatedIpPool', Resource: poolArn('mine-*') },
      ),
      `pools-${dialect}`,
    );
    const c = clientsFor(server, u.creds);
    expect(
      (await c.v2.send(new GetDedicatedIpPoolCommand({ PoolName: 'tagged' }))).DedicatedIpPool?.PoolName,
    ).toBe('tagged');
    expect(await errorOf(c.v2.send(new GetDedicatedIpPoolCommand({ PoolName: 'managed' })))).toEqual({
      name: 'AccessDeniedException',
      status: 403,
      message: denied(u.arn, 'ses:GetDedicatedIpPool', poolArn('managed')),
    });
    await c.v2.send(new CreateDedicatedIpPoolCommand({ PoolName: 'mine-1' }));
    expect(await errorOf(c.v2.send(new CreateDedicatedIpPoolCommand({ PoolName: 'yours' })))).toEqual({
      name: 'AccessDeniedException',
      status: 403,
      message: denied(u.arn, 'ses:CreateDedicatedIpPool', poolArn('yours')),
    });
    expect(await errorOf(c.v2.send(new GetDedicatedIpCommand({ Ip: '127.0.0.2' })))).toEqual({
      name: 'AccessDeniedException',
      status: 403,
      message: denied(u.arn, 'ses:GetDedicatedIp', '*'),
    });
  });
});
