// Every operation this part of SES v2 added, called by an IAM user without policies: each is
// denied before it runs, naming its Service Authorization Reference action and resource, and a
// policy allowing exactly that action on exactly that resource lets the same call through.
import '@aws-sdk/signature-v4a';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as v2 from '@aws-sdk/client-sesv2';
import { testDialects } from '../../src/store/database.js';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import { clientsFor, errorOf, policyDoc, userWithPolicy, type Clients } from '../support/ses-fixtures.js';

const arn = (r: string) => `arn:aws:ses:us-east-1:${ACCOUNT}:${r}`;
const ARCHIVE = arn('mailmanager-archive/a-0123456789abcdefghijklmnop');
const POLICY = 'arn:aws:ses:us-east-1:aws:reputation-policy/strict';

interface Case {
  action: string;
  resource: string | ((tenantArn: string) => string);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  command: (tenantArn: string) => any;
}

const cases: Case[] = [
  {
    action: 'CreateDedicatedIpPool',
    resource: arn('dedicated-ip-pool/p2'),
    command: () => new v2.CreateDedicatedIpPoolCommand({ PoolName: 'p2' }),
  },
  {
    action: 'GetDedicatedIpPool',
    resource: arn('dedicated-ip-pool/p1'),
    command: () => new v2.GetDedicatedIpPoolCommand({ PoolName: 'p1' }),
  },
  {
    action: 'DeleteDedicatedIpPool',
    resource: arn('dedicated-ip-pool/p1'),
    command: () => new v2.DeleteDedicatedIpPoolCommand({ PoolName: 'p1' }),
  },
  { action: 'ListDedicatedIpPools', resource: '*', command: () => new v2.ListDedicatedIpPoolsCommand({}) },
  {
    action: 'PutDedicatedIpPoolScalingAttributes',
    resource: arn('dedicated-ip-pool/p1'),
    command: () =>
      new v2.PutDedicatedIpPoolScalingAttributesCommand({ PoolName: 'p1', ScalingMode: 'STANDARD' }),
  },
  {
    action: 'GetDedicatedIp',
    resource: '*',
    command: () => new v2.GetDedicatedIpCommand({ Ip: '127.0.0.2' }),
  },
  {
    action: 'GetDedicatedIps',
    resource: arn('dedicated-ip-pool/p1'),
    command: () => new v2.GetDedicatedIpsCommand({ PoolName: 'p1' }),
  },
  {
    action: 'PutDedicatedIpInPool',
    resource: arn('dedicated-ip-pool/p1'),
    command: () => new v2.PutDedicatedIpInPoolCommand({ Ip: '127.0.0.2', DestinationPoolName: 'p1' }),
  },
  {
    action: 'PutDedicatedIpWarmupAttributes',
    resource: '*',
    command: () => new v2.PutDedicatedIpWarmupAttributesCommand({ Ip: '127.0.0.2', WarmupPercentage: 50 }),
  },
  {
    action: 'PutAccountDedicatedIpWarmupAttributes',
    resource: '*',
    command: () => new v2.PutAccountDedicatedIpWarmupAttributesCommand({ AutoWarmupEnabled: true }),
  },
  {
    action: 'CreateTenant',
    resource: arn('tenant/t2/*'),
    command: () => new v2.CreateTenantCommand({ TenantName: 't2' }),
  },
  { action: 'GetTenant', resource: (t) => t, command: () => new v2.GetTenantCommand({ TenantName: 'acme' }) },
  { action: 'ListTenants', resource: '*', command: () => new v2.ListTenantsCommand({}) },
  {
    action: 'ListTenantResources',
    resource: (t) => t,
    command: () => new v2.ListTenantResourcesCommand({ TenantName: 'acme' }),
  },
  {
    action: 'CreateTenantResourceAssociation',
    resource: (t) => t,
    command: () =>
      new v2.CreateTenantResourceAssociationCommand({
        TenantName: 'acme',
        ResourceArn: arn('configuration-set/cs'),
      }),
  },
  {
    action: 'DeleteTenantResourceAssociation',
    resource: (t) => t,
    command: () =>
      new v2.DeleteTenantResourceAssociationCommand({
        TenantName: 'acme',
        ResourceArn: arn('configuration-set/cs'),
      }),
  },
  {
    action: 'ListResourceTenants',
    resource: arn('configuration-set/cs'),
    command: () => new v2.ListResourceTenantsCommand({ ResourceArn: arn('configuration-set/cs') }),
  },
  {
    action: 'CreateMultiRegionEndpoint',
    resource: '*',
    command: () =>
      new v2.CreateMultiRegionEndpointCommand({
        EndpointName: 'g2',
        Details: { RoutesDetails: [{ Region: 'eu-west-1' }] },
      }),
  },
  {
    action: 'GetMultiRegionEndpoint',
    resource: arn('multi-region-endpoint/g'),
    command: () => new v2.GetMultiRegionEndpointCommand({ EndpointName: 'g' }),
  },
  {
    action: 'ListMultiRegionEndpoints',
    resource: '*',
    command: () => new v2.ListMultiRegionEndpointsCommand({}),
  },
  {
    action: 'GetReputationEntity',
    resource: (t) => t,
    command: (t) =>
      new v2.GetReputationEntityCommand({ ReputationEntityType: 'RESOURCE', ReputationEntityReference: t }),
  },
  {
    action: 'ListReputationEntities',
    resource: arn('tenant/*/*'),
    command: () => new v2.ListReputationEntitiesCommand({}),
  },
  {
    action: 'UpdateReputationEntityPolicy',
    resource: (t) => t,
    command: (t) =>
      new v2.UpdateReputationEntityPolicyCommand({
        ReputationEntityType: 'RESOURCE',
        ReputationEntityReference: t,
        ReputationEntityPolicy: POLICY,
      }),
  },
  {
    action: 'UpdateReputationEntityCustomerManagedStatus',
    resource: (t) => t,
    command: (t) =>
      new v2.UpdateReputationEntityCustomerManagedStatusCommand({
        ReputationEntityType: 'RESOURCE',
        ReputationEntityReference: t,
        SendingStatus: 'ENABLED',
      }),
  },
  {
    action: 'GetDeliverabilityDashboardOptions',
    resource: '*',
    command: () => new v2.GetDeliverabilityDashboardOptionsCommand({}),
  },
  {
    action: 'PutDeliverabilityDashboardOption',
    resource: '*',
    command: () => new v2.PutDeliverabilityDashboardOptionCommand({ DashboardEnabled: false }),
  },
  {
    action: 'ListDomainDeliverabilityCampaigns',
    resource: '*',
    command: () =>
      new v2.ListDomainDeliverabilityCampaignsCommand({
        SubscribedDomain: 'example.com',
        StartDate: new Date(0),
        EndDate: new Date(0),
      }),
  },
  {
    action: 'GetDomainDeliverabilityCampaign',
    resource: '*',
    command: () => new v2.GetDomainDeliverabilityCampaignCommand({ CampaignId: 'c' }),
  },
  {
    action: 'GetDomainStatisticsReport',
    resource: arn('identity/example.com'),
    command: () =>
      new v2.GetDomainStatisticsReportCommand({
        Domain: 'example.com',
        StartDate: new Date(0),
        EndDate: new Date(0),
      }),
  },
  {
    action: 'GetBlacklistReports',
    resource: '*',
    command: () => new v2.GetBlacklistReportsCommand({ BlacklistItemNames: ['127.0.0.2'] }),
  },
  {
    action: 'CreateDeliverabilityTestReport',
    resource: arn('identity/example.com'),
    command: () =>
      new v2.CreateDeliverabilityTestReportCommand({
        FromEmailAddress: 'a@example.com',
        Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } },
      }),
  },
  {
    action: 'GetDeliverabilityTestReport',
    resource: arn('deliverability-test-report/r'),
    command: () => new v2.GetDeliverabilityTestReportCommand({ ReportId: 'r' }),
  },
  {
    action: 'ListDeliverabilityTestReports',
    resource: '*',
    command: () => new v2.ListDeliverabilityTestReportsCommand({}),
  },
  {
    action: 'PutAccountVdmAttributes',
    resource: '*',
    command: () => new v2.PutAccountVdmAttributesCommand({ VdmAttributes: { VdmEnabled: 'ENABLED' } }),
  },
  {
    action: 'PutConfigurationSetVdmOptions',
    resource: arn('configuration-set/cs'),
    command: () =>
      new v2.PutConfigurationSetVdmOptionsCommand({ ConfigurationSetName: 'cs', VdmOptions: {} }),
  },
  {
    action: 'PutConfigurationSetArchivingOptions',
    resource: arn('configuration-set/cs'),
    command: () =>
      new v2.PutConfigurationSetArchivingOptionsCommand({ ConfigurationSetName: 'cs', ArchiveArn: ARCHIVE }),
  },
  {
    action: 'DeleteMultiRegionEndpoint',
    resource: arn('multi-region-endpoint/g'),
    command: () => new v2.DeleteMultiRegionEndpointCommand({ EndpointName: 'g' }),
  },
  {
    action: 'DeleteTenant',
    resource: (t) => t,
    command: () => new v2.DeleteTenantCommand({ TenantName: 'acme' }),
  },
];

describe.each(testDialects())('authorization of the remaining SES v2 operations (%s)', (dialect) => {
  let server: TestServer;
  let root: Clients;
  let tenantArn: string;

  beforeAll(async () => {
    server = await startTestServer({ SESAME_DEDICATED_IPS: '127.0.0.2' }, dialect);
    root = clientsFor(server, server.credentials);
    await root.v2.send(new v2.CreateEmailIdentityCommand({ EmailIdentity: 'example.com' }));
    await root.v2.send(new v2.CreateConfigurationSetCommand({ ConfigurationSetName: 'cs' }));
    await root.v2.send(new v2.CreateDedicatedIpPoolCommand({ PoolName: 'p1' }));
    await root.v2.send(
      new v2.CreateMultiRegionEndpointCommand({
        EndpointName: 'g',
        Details: { RoutesDetails: [{ Region: 'eu-west-1' }] },
      }),
    );
    tenantArn = (await root.v2.send(new v2.CreateTenantCommand({ TenantName: 'acme' }))).TenantArn!;
  });
  afterAll(async () => server?.stop());

  it('denies each operation to a user without policies, naming the action and its resource', async () => {
    const u = await userWithPolicy(root, undefined, `nobody-${dialect}`);
    const c = clientsFor(server, u.creds);
    for (const k of cases) {
      const resource = typeof k.resource === 'function' ? k.resource(tenantArn) : k.resource;
      const action = `ses:${k.action}`;
      expect(await errorOf(c.v2.send(k.command(tenantArn))), k.action).toEqual({
        name: 'AccessDeniedException',
        status: 403,
        message: `User: ${u.arn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
      });
    }
  });

  it('lets each call through for a policy allowing exactly that action on exactly that resource', async () => {
    for (const k of cases) {
      const resource = typeof k.resource === 'function' ? k.resource(tenantArn) : k.resource;
      const resources =
        k.action === 'UpdateReputationEntityPolicy'
          ? [resource, POLICY]
          : k.action === 'PutConfigurationSetArchivingOptions'
            ? [resource, ARCHIVE]
            : k.action.endsWith('TenantResourceAssociation')
              ? [resource, arn('configuration-set/cs')]
              : [resource];
      const u = await userWithPolicy(
        root,
        policyDoc({ Effect: 'Allow', Action: `ses:${k.action}`, Resource: resources }),
        `exact-${k.action}-${dialect}`.slice(0, 64),
      );
      const answer = await clientsFor(server, u.creds)
        .v2.send(k.command(tenantArn))
        .then(
          () => 'ok',
          (e: { name: string }) => e.name,
        );
      expect(answer, k.action).not.toBe('AccessDeniedException');
    }
  });
});
