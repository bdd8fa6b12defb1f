// SES v2 multi-region endpoints through @aws-sdk/client-sesv2: CRUD with AWS's shapes and errors,
// IAM decisions, and SendEmail through an EndpointId signed with SigV4a (region set `*`, as the SDK
// signs it against a custom endpoint) split between the endpoint's two regions.
import '@aws-sdk/signature-v4a';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hash } from '@smithy/core/serde';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4a } from '@aws-sdk/signature-v4a';
import {
  CreateMultiRegionEndpointCommand,
  DeleteMultiRegionEndpointCommand,
  GetMultiRegionEndpointCommand,
  ListMultiRegionEndpointsCommand,
  SendEmailCommand,
} from '@aws-sdk/client-sesv2';
import { testDialects } from '../../src/store/database.js';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import {
  clientsFor,
  errorOf,
  grantProduction,
  outbox,
  policyDoc,
  sendDenied,
  userWithPolicy,
  verify,
  v2Simple,
  type Clients,
} from '../support/ses-fixtures.js';

const route = (Region: string) => ({ RoutesDetails: [{ Region }] });

/** A request signed by the SDK's own SigV4a signer for `regionSet`, sent as is; status and JSON. */
async function sigV4a(
  server: TestServer,
  regionSet: string,
  method: string,
  path: string,
  body?: object,
): Promise<{ status: number; type: string | null; json: Record<string, unknown> }> {
  const url = new URL(server.endpoint);
  const text = body === undefined ? undefined : JSON.stringify(body);
  const signer = new SignatureV4a({
    credentials: server.credentials,
    region: regionSet,
    service: 'ses',
    sha256: Hash.bind(null, 'sha256'),
  });
  const req = await signer.sign(
    new HttpRequest({
      method,
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path,
      headers: { host: url.host, ...(text ? { 'content-type': 'application/json' } : {}) },
      ...(text ? { body: text } : {}),
    }),
    {},
  );
  const res = await fetch(`${server.endpoint}${path}`, {
    method,
    headers: req.headers,
    ...(text ? { body: text } : {}),
  });
  return {
    status: res.status,
    type: res.headers.get('x-amzn-errortype'),
    json: (await res.json()) as Record<string, unknown>,
  };
}

describe.each(testDialects())('SES v2 multi-region endpoints (%s)', (dialect) => {
  let server: TestServer;
  let east: Clients;
  let west: Clients;
  let endpointId: string;

  beforeAll(async () => {
    server = await startTestServer({ SESAME_PRODUCTION_MAX_SEND_RATE: '100' }, dialect);
    east = clientsFor(server, server.credentials);
    west = clientsFor(server, server.credentials, 'us-west-2');
    await verify(east.v1, 'example.com');
    await verify(west.v1, 'example.com');
    await grantProduction(server, ACCOUNT);
    await grantProduction(server, ACCOUNT, 'us-west-2');
  });
  afterAll(async () => server?.stop());

  it('creates an endpoint in the primary region and answers it READY with both routes', async () => {
    const created = await east.v2.send(
      new CreateMultiRegionEndpointCommand({
        EndpointName: 'global',
        Details: route('us-west-2'),
        Tags: [{ Key: 'team', Value: 'mail' }],
      }),
    );
    expect(created.Status).toBe('CREATING');
    expect(created.EndpointId).toMatch(/^[0-9a-f]{8}\.[0-9a-f]{8}$/);
    endpointId = created.EndpointId!;
    const got = await east.v2.send(new GetMultiRegionEndpointCommand({ EndpointName: 'global' }));
    expect(got).toMatchObject({
      EndpointName: 'global',
      EndpointId: endpointId,
      Routes: [{ Region: 'us-east-1' }, { Region: 'us-west-2' }],
      Status: 'READY',
    });
    expect(got.CreatedTimestamp).toBeInstanceOf(Date);
    const listed = await east.v2.send(new ListMultiRegionEndpointsCommand({}));
    expect(listed.MultiRegionEndpoints).toEqual([
      expect.objectContaining({
        EndpointName: 'global',
        Regions: ['us-east-1', 'us-west-2'],
        Status: 'READY',
      }),
    ]);
    // Only the primary region manages it.
    expect((await west.v2.send(new ListMultiRegionEndpointsCommand({}))).MultiRegionEndpoints).toEqual([]);
  });

  it('refuses a duplicate, a bad route list and the primary as secondary, and stores nothing', async () => {
    expect(
      await errorOf(
        east.v2.send(
          new CreateMultiRegionEndpointCommand({ EndpointName: 'global', Details: route('eu-west-1') }),
        ),
      ),
    ).toEqual({
      name: 'AlreadyExistsException',
      status: 400,
      message: 'Multi-region endpoint <global> already exists.',
    });
    expect(
      await errorOf(
        east.v2.send(
          new CreateMultiRegionEndpointCommand({
            EndpointName: 'two',
            Details: { RoutesDetails: [{ Region: 'us-west-2' }, { Region: 'eu-west-1' }] },
          }),
        ),
      ),
    ).toEqual({
      name: 'BadRequestException',
      status: 400,
      message: 'RoutesDetails must contain exactly one route configuration.',
    });
    expect(
      await errorOf(
        east.v2.send(
          new CreateMultiRegionEndpointCommand({ EndpointName: 'same', Details: route('us-east-1') }),
        ),
      ),
    ).toEqual({
      name: 'BadRequestException',
      status: 400,
      message: 'The secondary region <us-east-1> must be different from the primary region.',
    });
    expect(
      await errorOf(
        east.v2.send(
          new CreateMultiRegionEndpointCommand({ EndpointName: 'bad name', Details: route('eu-west-1') }),
        ),
      ),
    ).toEqual({
      name: 'BadRequestException',
      status: 400,
      message:
        "1 validation error detected: Value 'bad name' at 'endpointName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\w\\-_]+$",
    });
    expect((await east.v2.send(new ListMultiRegionEndpointsCommand({}))).MultiRegionEndpoints).toHaveLength(
      1,
    );
    expect(await errorOf(east.v2.send(new GetMultiRegionEndpointCommand({ EndpointName: 'none' })))).toEqual({
      name: 'NotFoundException',
      status: 404,
      message: 'Multi-region endpoint <none> does not exist.',
    });
  });

  it('sends through the EndpointId with SigV4a, alternating between the two regions', async () => {
    const before = (await outbox(server, ACCOUNT)).length;
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await east.v2.send(
        new SendEmailCommand({
          EndpointId: endpointId,
          FromEmailAddress: 'a@example.com',
          Destination: { ToAddresses: ['success@simulator.amazonses.com'] },
          Content: v2Simple,
        }),
      );
      ids.push(r.MessageId!);
    }
    const rows = (await outbox(server, ACCOUNT)).filter((m) => ids.includes(m.messageId));
    expect(rows).toHaveLength(4);
    expect((await outbox(server, ACCOUNT)).length).toBe(before + 4);
    expect(rows.map((m) => m.region).sort()).toEqual(['us-east-1', 'us-east-1', 'us-west-2', 'us-west-2']);
  });

  it('sends only to the regions the SigV4a region set names, and refuses a set naming neither', async () => {
    const send = {
      FromEmailAddress: 'a@example.com',
      Destination: { ToAddresses: ['success@simulator.amazonses.com'] },
      Content: v2Simple,
    };
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await sigV4a(server, 'us-west-2', 'POST', '/v2/email/outbound-emails', {
        ...send,
        EndpointId: endpointId,
      });
      expect(r.status).toBe(200);
      ids.push(r.json.MessageId as string);
    }
    const rows = (await outbox(server, ACCOUNT)).filter((m) => ids.includes(m.messageId));
    expect(rows.map((m) => m.region)).toEqual(['us-west-2', 'us-west-2', 'us-west-2']);
    const before = (await outbox(server, ACCOUNT)).length;
    const refused = await sigV4a(server, 'eu-west-1', 'POST', '/v2/email/outbound-emails', {
      ...send,
      EndpointId: endpointId,
    });
    expect({ status: refused.status, message: refused.json.message }).toEqual({
      status: 403,
      message: `The request's region set <eu-west-1> names neither region of multi-region endpoint <${endpointId}>.`,
    });
    // SES v2's name for SignatureDoesNotMatch.
    expect(refused.type).toMatch(/^InvalidSignatureException/);
    expect((await outbox(server, ACCOUNT)).length).toBe(before);
  });

  it('refuses SigV4a where SES does not take it: any call but a send through an EndpointId', async () => {
    const incomplete = (auth: string) => ({
      status: 400,
      message:
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
        `Authorization header requires 'SignedHeaders' parameter. Authorization=${auth}`,
    });
    const before = (await outbox(server, ACCOUNT)).length;
    const list = await sigV4a(server, '*', 'GET', '/v2/email/identities');
    expect(list.type).toMatch(/^IncompleteSignature/);
    expect({ status: list.status, message: list.json.message }).toEqual(
      incomplete(String(list.json.message).replace(/^.*Authorization=/, '')),
    );
    expect(String(list.json.message)).toMatch(/Authorization=AWS4-ECDSA-P256-SHA256 Credential=/);
    // A send without an EndpointId goes to a regional endpoint, which knows only SigV4.
    const plain = await sigV4a(server, '*', 'POST', '/v2/email/outbound-emails', {
      FromEmailAddress: 'a@example.com',
      Destination: { ToAddresses: ['success@simulator.amazonses.com'] },
      Content: v2Simple,
    });
    expect(plain.status).toBe(400);
    expect(plain.type).toMatch(/^IncompleteSignature/);
    expect((await outbox(server, ACCOUNT)).length).toBe(before);
  });

  it('decides ses:MultiRegionEndpointId and refuses an unknown EndpointId', async () => {
    const allowOnly = async (id: string, name: string) => {
      const u = await userWithPolicy(
        east,
        policyDoc({
          Effect: 'Allow',
          Action: 'ses:SendEmail',
          Resource: '*',
          Condition: { StringEquals: { 'ses:MultiRegionEndpointId': id } },
        }),
        name,
      );
      return { arn: u.arn, c: clientsFor(server, u.creds) };
    };
    const send = (c: Clients, EndpointId?: string) =>
      c.v2.send(
        new SendEmailCommand({
          ...(EndpointId ? { EndpointId } : {}),
          FromEmailAddress: 'a@example.com',
          Destination: { ToAddresses: ['success@simulator.amazonses.com'] },
          Content: v2Simple,
        }),
      );
    const right = await allowOnly(endpointId, `mre-right-${dialect}`);
    expect((await send(right.c, endpointId)).MessageId).toBeTruthy();
    // Without an EndpointId the key is absent: StringEquals fails, the send is denied.
    expect(await errorOf(send(right.c))).toEqual({
      name: 'AccessDeniedException',
      status: 403,
      message: sendDenied(
        right.arn,
        'ses:SendEmail',
        `arn:aws:ses:us-east-1:${ACCOUNT}:identity/example.com`,
      ),
    });
    const wrong = await allowOnly('abcd0000.ffff0000', `mre-wrong-${dialect}`);
    const denied = await errorOf(send(wrong.c, endpointId));
    expect(denied.name).toBe('AccessDeniedException');
    expect([
      sendDenied(wrong.arn, 'ses:SendEmail', `arn:aws:ses:us-east-1:${ACCOUNT}:identity/example.com`),
      sendDenied(wrong.arn, 'ses:SendEmail', `arn:aws:ses:us-west-2:${ACCOUNT}:identity/example.com`),
    ]).toContain(denied.message);
    expect(await errorOf(send(east, 'abcd0000.ffff0000'))).toEqual({
      name: 'NotFoundException',
      status: 404,
      message: 'Multi-region endpoint with id <abcd0000.ffff0000> does not exist.',
    });
  });

  it('denies GetMultiRegionEndpoint on another endpoint, then deletes with DELETING', async () => {
    const u = await userWithPolicy(
      east,
      policyDoc({
        Effect: 'Allow',
        Action: ['ses:GetMultiRegionEndpoint', 'ses:DeleteMultiRegionEndpoint'],
        Resource: `arn:aws:ses:us-east-1:${ACCOUNT}:multi-region-endpoint/other`,
      }),
      `mre-get-${dialect}`,
    );
    const c = clientsFor(server, u.creds);
    expect(await errorOf(c.v2.send(new GetMultiRegionEndpointCommand({ EndpointName: 'global' })))).toEqual({
      name: 'AccessDeniedException',
      status: 403,
      message: `User: ${u.arn} is not authorized to perform: ses:GetMultiRegionEndpoint on resource: arn:aws:ses:us-east-1:${ACCOUNT}:multi-region-endpoint/global because no identity-based policy allows the ses:GetMultiRegionEndpoint action`,
    });
    expect(
      (await east.v2.send(new DeleteMultiRegionEndpointCommand({ EndpointName: 'global' }))).Status,
    ).toBe('DELETING');
    expect(
      (await errorOf(east.v2.send(new DeleteMultiRegionEndpointCommand({ EndpointName: 'global' })))).name,
    ).toBe('NotFoundException');
  });
});
