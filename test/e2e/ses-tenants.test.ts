// SES v2 tenants and reputation entities through @aws-sdk/client-sesv2: CRUD and associations with
// AWS's shapes and errors, IAM decisions on the tenant and the associated resource, sends attributed
// to a tenant (associations enforced, ses:TenantName decided, events tagged ses:tenant-name), and a
// tenant's sending status from its reputation policy and Sesame's own bounce records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateConfigurationSetCommand,
  CreateEmailIdentityCommand,
  CreateTenantCommand,
  CreateTenantResourceAssociationCommand,
  DeleteTenantCommand,
  DeleteTenantResourceAssociationCommand,
  GetReputationEntityCommand,
  GetTenantCommand,
  ListReputationEntitiesCommand,
  ListResourceTenantsCommand,
  ListTagsForResourceCommand,
  ListTenantResourcesCommand,
  ListTenantsCommand,
  SendEmailCommand,
  UpdateReputationEntityCustomerManagedStatusCommand,
  UpdateReputationEntityPolicyCommand,
} from '@aws-sdk/client-sesv2';
import { eventsOfMessage } from '../../src/delivery/events.js';
import { testDialects } from '../../src/store/database.js';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import { waitFor } from '../support/wait.js';
import {
  clientsFor,
  errorOf,
  grantProduction,
  policyDoc,
  sendDenied,
  userWithPolicy,
  v2Simple,
  type Clients,
} from '../support/ses-fixtures.js';

const arn = (r: string) => `arn:aws:ses:us-east-1:${ACCOUNT}:${r}`;
const denied = (user: string, action: string, resource: string) =>
  `User: ${user} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;

describe.each(testDialects())('SES v2 tenants and reputation entities (%s)', (dialect) => {
  let server: TestServer;
  let root: Clients;
  let acme: { TenantArn?: string; TenantId?: string };

  const send = (c: Clients, extra: Record<string, unknown>, to = 'success@simulator.amazonses.com') =>
    c.v2.send(
      new SendEmailCommand({
        FromEmailAddress: 'a@example.com',
        Destination: { ToAddresses: [to] },
        Content: v2Simple,
        ...extra,
      }),
    );

  beforeAll(async () => {
    server = await startTestServer({ SESAME_PRODUCTION_MAX_SEND_RATE: '1000' }, dialect);
    root = clientsFor(server, server.credentials);
    await root.v2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'example.com' }));
    await root.v2.send(new CreateConfigurationSetCommand({ ConfigurationSetName: 'acme-set' }));
    await grantProduction(server, ACCOUNT);
  });
  afterAll(async () => server?.stop());

  it('creates a tenant with a tn- id, its ARN, tags and ENABLED; refuses a duplicate and a bad name', async () => {
    const created = await root.v2.send(
      new CreateTenantCommand({ TenantName: 'acme', Tags: [{ Key: 'tier', Value: 'gold' }] }),
    );
    expect(created.TenantId).toMatch(/^tn-[0-9a-f]{30}$/);
    expect(created).toMatchObject({
      TenantName: 'acme',
      TenantArn: arn(`tenant/acme/${created.TenantId}`),
      Tags: [{ Key: 'tier', Value: 'gold' }],
      SendingStatus: 'ENABLED',
    });
    acme = created;
    expect(await errorOf(root.v2.send(new CreateTenantCommand({ TenantName: 'acme' })))).toEqual({
      name: 'AlreadyExistsException',
      status: 400,
      message: 'Tenant <acme> already exists.',
    });
    expect(await errorOf(root.v2.send(new CreateTenantCommand({ TenantName: 'a b' })))).toEqual({
      name: 'BadRequestException',
      status: 400,
      message:
        'Tenant name can contain up to 64 alphanumeric characters, including letters, numbers, hyphens (-) and underscores (_) only.',
    });
    await root.v2.send(new CreateTenantCommand({ TenantName: 'beta' }));
    const got = await root.v2.send(new GetTenantCommand({ TenantName: 'acme' }));
    expect(got.Tenant).toMatchObject({
      TenantName: 'acme',
      TenantId: acme.TenantId,
      SendingStatus: 'ENABLED',
    });
    const first = await root.v2.send(new ListTenantsCommand({ PageSize: 1 }));
    expect(first.Tenants?.map((t) => t.TenantName)).toEqual(['acme']);
    const second = await root.v2.send(new ListTenantsCommand({ PageSize: 1, NextToken: first.NextToken }));
    expect(second.Tenants?.map((t) => t.TenantName)).toEqual(['beta']);
    expect(
      (await root.v2.send(new ListTagsForResourceCommand({ ResourceArn: acme.TenantArn }))).Tags,
    ).toEqual([{ Key: 'tier', Value: 'gold' }]);
    expect(await errorOf(root.v2.send(new GetTenantCommand({ TenantName: 'none' })))).toEqual({
      name: 'NotFoundException',
      status: 404,
      message: 'Tenant <none> does not exist.',
    });
  });

  it('associates resources, lists both ways with filters, refuses duplicates and strangers', async () => {
    const identity = arn('identity/example.com');
    await root.v2.send(
      new CreateTenantResourceAssociationCommand({ TenantName: 'acme', ResourceArn: identity }),
    );
    await root.v2.send(
      new CreateTenantResourceAssociationCommand({
        TenantName: 'acme',
        ResourceArn: arn('configuration-set/acme-set'),
      }),
    );
    await root.v2.send(
      new CreateTenantResourceAssociationCommand({ TenantName: 'beta', ResourceArn: identity }),
    );
    expect(
      (await root.v2.send(new ListTenantResourcesCommand({ TenantName: 'acme' }))).TenantResources,
    ).toEqual([
      { ResourceType: 'CONFIGURATION_SET', ResourceArn: arn('configuration-set/acme-set') },
      { ResourceType: 'EMAIL_IDENTITY', ResourceArn: identity },
    ]);
    expect(
      (
        await root.v2.send(
          new ListTenantResourcesCommand({ TenantName: 'acme', Filter: { RESOURCE_TYPE: 'EMAIL_IDENTITY' } }),
        )
      ).TenantResources,
    ).toEqual([{ ResourceType: 'EMAIL_IDENTITY', ResourceArn: identity }]);
    const tenants = await root.v2.send(new ListResourceTenantsCommand({ ResourceArn: identity }));
    expect(tenants.ResourceTenants?.map((t) => [t.TenantName, t.TenantId?.slice(0, 3)])).toEqual([
      ['acme', 'tn-'],
      ['beta', 'tn-'],
    ]);
    expect(
      await errorOf(
        root.v2.send(
          new CreateTenantResourceAssociationCommand({ TenantName: 'acme', ResourceArn: identity }),
        ),
      ),
    ).toEqual({
      name: 'AlreadyExistsException',
      status: 400,
      message: `Resource <${identity}> is already associated with tenant <acme>.`,
    });
    expect(
      await errorOf(
        root.v2.send(
          new CreateTenantResourceAssociationCommand({
            TenantName: 'acme',
            ResourceArn: arn('template/none'),
          }),
        ),
      ),
    ).toEqual({
      name: 'NotFoundException',
      status: 404,
      message: `Resource <${arn('template/none')}> does not exist.`,
    });
    const pool = arn('dedicated-ip-pool/p');
    expect(
      await errorOf(
        root.v2.send(new CreateTenantResourceAssociationCommand({ TenantName: 'acme', ResourceArn: pool })),
      ),
    ).toEqual({
      name: 'BadRequestException',
      status: 400,
      message: `Invalid resource ARN <${pool}>: only email identities, configuration sets and email templates can be associated with a tenant.`,
    });
  });

  it('sends as a tenant with associated resources only, tags its events and decides ses:TenantName', async () => {
    const sent = await send(root, { TenantName: 'acme', ConfigurationSetName: 'acme-set' });
    const events = await waitFor(async () => {
      const e = await eventsOfMessage(server.app.store, sent.MessageId!);
      return e.some((x) => x.type === 'Delivery') ? e : undefined;
    });
    const mail = events[0]!.payload.mail as { tags: Record<string, string[]> };
    expect(mail.tags['ses:tenant-name']).toEqual(['acme']);
    // beta has the identity but not the configuration set.
    expect(await errorOf(send(root, { TenantName: 'beta', ConfigurationSetName: 'acme-set' }))).toEqual({
      name: 'BadRequestException',
      status: 400,
      message: `Resource <${arn('configuration-set/acme-set')}> is not associated with tenant <beta>.`,
    });
    // Raw messages (and SMTP) name the tenant in X-SES-TENANT; the header never leaves Sesame.
    const raw = (tenant: string) =>
      Buffer.from(
        `From: a@example.com\r\nTo: success@simulator.amazonses.com\r\nX-SES-TENANT: ${tenant}\r\nX-SES-CONFIGURATION-SET: acme-set\r\nSubject: raw\r\n\r\nhello\r\n`,
      );
    expect(
      await errorOf(root.v2.send(new SendEmailCommand({ Content: { Raw: { Data: raw('beta') } } }))),
    ).toEqual({
      name: 'BadRequestException',
      status: 400,
      message: `Resource <${arn('configuration-set/acme-set')}> is not associated with tenant <beta>.`,
    });
    const rawSent = await root.v2.send(new SendEmailCommand({ Content: { Raw: { Data: raw('acme') } } }));
    const rawEvents = await waitFor(async () => {
      const e = await eventsOfMessage(server.app.store, rawSent.MessageId!);
      return e.length > 0 ? e : undefined;
    });
    const rawMail = rawEvents[0]!.payload.mail as {
      tags: Record<string, string[]>;
      headers: { name: string }[];
    };
    expect(rawMail.tags['ses:tenant-name']).toEqual(['acme']);
    expect(rawMail.headers.map((h) => h.name.toLowerCase())).not.toContain('x-ses-tenant');
    expect(await errorOf(send(root, { TenantName: 'ghost' }))).toEqual({
      name: 'NotFoundException',
      status: 404,
      message: 'Tenant <ghost> does not exist.',
    });
    const u = await userWithPolicy(
      root,
      policyDoc({
        Effect: 'Allow',
        Action: 'ses:SendEmail',
        Resource: '*',
        Condition: { StringEquals: { 'ses:TenantName': 'beta' } },
      }),
      `tenant-sender-${dialect}`,
    );
    const c = clientsFor(server, u.creds);
    expect((await send(c, { TenantName: 'beta' })).MessageId).toBeTruthy();
    expect(await errorOf(send(c, { TenantName: 'acme' }))).toEqual({
      name: 'AccessDeniedException',
      status: 403,
      message: sendDenied(u.arn, 'ses:SendEmail', arn('identity/example.com')),
    });
  });

  it('authorizes an association on the tenant and on the resource', async () => {
    const u = await userWithPolicy(
      root,
      policyDoc({
        Effect: 'Allow',
        Action: 'ses:CreateTenantResourceAssociation',
        Resource: arn('tenant/*'),
      }),
      `assoc-${dialect}`,
    );
    const c = clientsFor(server, u.creds);
    expect(
      await errorOf(
        c.v2.send(
          new CreateTenantResourceAssociationCommand({
            TenantName: 'beta',
            ResourceArn: arn('configuration-set/acme-set'),
          }),
        ),
      ),
    ).toEqual({
      name: 'AccessDeniedException',
      status: 403,
      message: denied(u.arn, 'ses:CreateTenantResourceAssociation', arn('configuration-set/acme-set')),
    });
    expect(
      (await root.v2.send(new ListTenantResourcesCommand({ TenantName: 'beta' }))).TenantResources,
    ).toHaveLength(1);
  });

  it('reports the reputation entity; a customer-managed DISABLED tenant cannot send', async () => {
    const ref = acme.TenantArn!;
    const got = await root.v2.send(
      new GetReputationEntityCommand({ ReputationEntityType: 'RESOURCE', ReputationEntityReference: ref }),
    );
    expect(got.ReputationEntity).toMatchObject({
      ReputationEntityReference: ref,
      ReputationEntityType: 'RESOURCE',
      ReputationManagementPolicy: 'arn:aws:ses:us-east-1:aws:reputation-policy/standard',
      CustomerManagedStatus: { Status: 'ENABLED' },
      AwsSesManagedStatus: { Status: 'ENABLED' },
      SendingStatusAggregate: 'ENABLED',
    });
    await root.v2.send(
      new UpdateReputationEntityPolicyCommand({
        ReputationEntityType: 'RESOURCE',
        ReputationEntityReference: ref,
        ReputationEntityPolicy: 'arn:aws:ses:us-east-1:aws:reputation-policy/strict',
      }),
    );
    expect(
      await errorOf(
        root.v2.send(
          new UpdateReputationEntityPolicyCommand({
            ReputationEntityType: 'RESOURCE',
            ReputationEntityReference: ref,
            ReputationEntityPolicy: 'arn:aws:ses:us-east-1:aws:reputation-policy/lenient',
          }),
        ),
      ),
    ).toMatchObject({ name: 'BadRequestException', status: 400 });
    await root.v2.send(
      new UpdateReputationEntityCustomerManagedStatusCommand({
        ReputationEntityType: 'RESOURCE',
        ReputationEntityReference: ref,
        SendingStatus: 'DISABLED',
      }),
    );
    expect((await root.v2.send(new GetTenantCommand({ TenantName: 'acme' }))).Tenant?.SendingStatus).toBe(
      'DISABLED',
    );
    expect(await errorOf(send(root, { TenantName: 'acme' }))).toEqual({
      name: 'SendingPausedException',
      status: 400,
      message: 'Sending is paused for tenant <acme>.',
    });
    const listed = await root.v2.send(
      new ListReputationEntitiesCommand({ Filter: { SENDING_STATUS: 'DISABLED' } }),
    );
    expect(listed.ReputationEntities?.map((e) => e.ReputationEntityReference)).toEqual([ref]);
    expect(
      await errorOf(
        root.v2.send(
          new GetReputationEntityCommand({
            ReputationEntityType: 'RESOURCE',
            ReputationEntityReference: arn('tenant/acme/tn-000'),
          }),
        ),
      ),
    ).toEqual({
      name: 'NotFoundException',
      status: 404,
      message: `Reputation entity <${arn('tenant/acme/tn-000')}> does not exist.`,
    });
  });

  it('pauses a tenant by its bounce rate under the standard policy, until reinstated', async () => {
    // Every fifth send by beta hard-bounces (20 %): once 20 recipients are on record, SES pauses it.
    // Sends see the rates read within the last minute; GetTenant reads them afresh.
    for (let i = 0; i < 25; i++) {
      const to = i % 5 === 0 ? 'bounce@simulator.amazonses.com' : 'success@simulator.amazonses.com';
      expect((await send(root, { TenantName: 'beta' }, to)).MessageId).toBeTruthy();
    }
    const status = async () =>
      (await root.v2.send(new GetTenantCommand({ TenantName: 'beta' }))).Tenant!.SendingStatus;
    await waitFor(async () => ((await status()) === 'DISABLED' ? true : undefined));
    const ref = (await root.v2.send(new GetTenantCommand({ TenantName: 'beta' }))).Tenant!.TenantArn!;
    const entity = (
      await root.v2.send(
        new GetReputationEntityCommand({ ReputationEntityType: 'RESOURCE', ReputationEntityReference: ref }),
      )
    ).ReputationEntity!;
    expect(entity).toMatchObject({
      AwsSesManagedStatus: { Status: 'DISABLED' },
      SendingStatusAggregate: 'DISABLED',
      ReputationImpact: 'HIGH',
    });
    expect((await errorOf(send(root, { TenantName: 'beta' }))).name).toBe('SendingPausedException');
    await root.v2.send(
      new UpdateReputationEntityCustomerManagedStatusCommand({
        ReputationEntityType: 'RESOURCE',
        ReputationEntityReference: ref,
        SendingStatus: 'REINSTATED',
      }),
    );
    expect((await send(root, { TenantName: 'beta' })).MessageId).toBeTruthy();
  });

  it('deletes a tenant with its associations, never the resources', async () => {
    await root.v2.send(new DeleteTenantCommand({ TenantName: 'acme' }));
    expect(
      (
        await root.v2.send(new ListResourceTenantsCommand({ ResourceArn: arn('identity/example.com') }))
      ).ResourceTenants?.map((t) => t.TenantName),
    ).toEqual(['beta']);
    expect(
      await errorOf(
        root.v2.send(
          new DeleteTenantResourceAssociationCommand({ TenantName: 'beta', ResourceArn: arn('template/x') }),
        ),
      ),
    ).toEqual({
      name: 'NotFoundException',
      status: 404,
      message: `Resource <${arn('template/x')}> is not associated with tenant <beta>.`,
    });
    expect((await errorOf(root.v2.send(new DeleteTenantCommand({ TenantName: 'acme' })))).name).toBe(
      'NotFoundException',
    );
  });
});
