// Malformed input of every kind gets AWS's error (code, HTTP status, message; docs/spec/ses.md §3.8, §4.2) on
// SES v1 and v2, and leaves the store as it was: no outbox row, no identity-policy row changed.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  GetIdentityPoliciesCommand,
  PutIdentityPolicyCommand,
  SendEmailCommand,
  SendRawEmailCommand,
} from '@aws-sdk/client-ses';
import {
  CreateEmailIdentityPolicyCommand,
  DeleteEmailIdentityPolicyCommand,
  GetEmailIdentityPoliciesCommand,
  SendEmailCommand as V2SendEmailCommand,
  UpdateEmailIdentityPolicyCommand,
} from '@aws-sdk/client-sesv2';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import {
  clientsFor,
  errorOf,
  grantProduction,
  identityArn,
  identityPolicyRows,
  mime,
  outbox,
  policyDoc,
  queryErrorOf,
  v1SendInput,
  v2SendInput,
  verify,
  type Clients,
} from '../support/ses-fixtures.js';

let server: TestServer;
let root: Clients;
const ARN = identityArn(ACCOUNT, 'example.com');
const goodPolicy = policyDoc({
  Effect: 'Allow',
  Principal: { AWS: ACCOUNT },
  Action: ['ses:SendEmail'],
  Resource: ARN,
});

beforeAll(async () => {
  server = await startTestServer({ SESAME_PRODUCTION_MAX_SEND_RATE: '1000' });
  root = clientsFor(server, server.credentials);
  await verify(root.v1, 'example.com');
  await grantProduction(server, ACCOUNT);
  await root.v1.send(
    new PutIdentityPolicyCommand({ Identity: 'example.com', PolicyName: 'keep', Policy: goodPolicy }),
  );
});
afterAll(async () => server?.stop());

// Every test runs against a snapshot: whatever it refuses must leave these as they were.
let snapshot: { outbox: number; policies: unknown[] };
beforeEach(async () => {
  snapshot = { outbox: (await outbox(server, ACCOUNT)).length, policies: await identityPolicyRows(server) };
});
async function expectStoreUnchanged(): Promise<void> {
  expect((await outbox(server, ACCOUNT)).length).toBe(snapshot.outbox);
  expect(await identityPolicyRows(server)).toEqual(snapshot.policies);
}

const v1Invalid = (message: string) => ({ name: 'InvalidParameterValue', status: 400, message });
const v2Bad = (message: string) => ({ name: 'BadRequestException', status: 400, message });

describe('send input', () => {
  it('a recipient address without @domain', async () => {
    const s = { from: 'a@example.com', to: ['not-an-address'] };
    expect(await errorOf(root.v1.send(new SendEmailCommand(v1SendInput(s))))).toEqual(
      v1Invalid("Missing final '@domain'"),
    );
    expect(await errorOf(root.v2.send(new V2SendEmailCommand(v2SendInput(s))))).toEqual(
      v2Bad("Missing final '@domain'"),
    );
    await expectStoreUnchanged();
  });
  it('whitespace in the local part; a From without @domain', async () => {
    expect(
      await errorOf(
        root.v1.send(new SendEmailCommand(v1SendInput({ from: 'a@example.com', to: ['a b@x.org'] }))),
      ),
    ).toEqual(v1Invalid('Local address contains control or whitespace'));
    expect(await errorOf(root.v2.send(new V2SendEmailCommand(v2SendInput({ from: 'alice' }))))).toEqual(
      v2Bad("Missing final '@domain'"),
    );
    await expectStoreUnchanged();
  });
  it('more than 50 recipients (To + Cc + Bcc)', async () => {
    const many = Array.from({ length: 26 }, (_, i) => `r${i}@x.org`);
    const s = { from: 'a@example.com', to: many, bcc: many.map((r) => `b${r}`) };
    expect(await errorOf(root.v1.send(new SendEmailCommand(v1SendInput(s))))).toEqual(
      v1Invalid('Recipient count exceeds 50.'),
    );
    expect(await errorOf(root.v2.send(new V2SendEmailCommand(v2SendInput(s))))).toEqual(
      v2Bad('Recipient count exceeds 50.'),
    );
    await expectStoreUnchanged();
  });
  it('exactly 50 recipients is accepted (the boundary)', async () => {
    const fifty = Array.from({ length: 50 }, (_, i) => `r${i}@x.org`);
    await root.v2.send(new V2SendEmailCommand(v2SendInput({ from: 'a@example.com', to: fifty })));
    expect((await outbox(server, ACCOUNT)).length).toBe(snapshot.outbox + 1);
  });
  it('no recipients at all', async () => {
    const p = root.v1.send(
      new SendRawEmailCommand({ RawMessage: { Data: mime({ From: 'a@example.com' }) } }),
    );
    expect(await errorOf(p)).toEqual(v1Invalid('There are no recipients in this message.'));
    await expectStoreUnchanged();
  });
  it('a raw message without a From header', async () => {
    const raw = mime({ To: 'x@y.org' });
    expect(await errorOf(root.v1.send(new SendRawEmailCommand({ RawMessage: { Data: raw } })))).toEqual(
      v1Invalid("Missing required header 'From'."),
    );
    expect(await errorOf(root.v2.send(new V2SendEmailCommand({ Content: { Raw: { Data: raw } } })))).toEqual(
      v2Bad("Missing required header 'From'."),
    );
    await expectStoreUnchanged();
  });
  it('a configuration set that does not exist (v1 ConfigurationSetDoesNotExist, v2 NotFoundException 404)', async () => {
    const cs = { ConfigurationSetName: 'nope' };
    expect(
      await errorOf(root.v1.send(new SendEmailCommand({ ...v1SendInput({ from: 'a@example.com' }), ...cs }))),
    ).toEqual({
      // The SDK names the wire code ConfigurationSetDoesNotExist after its modelled exception.
      name: 'ConfigurationSetDoesNotExistException',
      status: 400,
      message: 'Configuration set <nope> does not exist.',
    });
    expect(
      await errorOf(
        root.v2.send(new V2SendEmailCommand({ ...v2SendInput({ from: 'a@example.com' }), ...cs })),
      ),
    ).toEqual({
      name: 'NotFoundException',
      status: 404,
      message: 'Configuration set <nope> does not exist.',
    });
    await expectStoreUnchanged();
  });
  it('a bad message tag', async () => {
    const p = root.v1.send(
      new SendEmailCommand({
        ...v1SendInput({ from: 'a@example.com' }),
        Tags: [{ Name: 'a b', Value: 'v' }],
      }),
    );
    expect(await errorOf(p)).toEqual(
      v1Invalid("Invalid tag name <a b>: only alphanumeric ASCII characters, '_',  '-' are allowed."),
    );
    await expectStoreUnchanged();
  });
});

describe('identity policies', () => {
  const put = (name: string, policy: string, identity = 'example.com') =>
    root.v1.send(new PutIdentityPolicyCommand({ Identity: identity, PolicyName: name, Policy: policy }));
  const create = (name: string, policy: string) =>
    root.v2.send(
      new CreateEmailIdentityPolicyCommand({
        EmailIdentity: 'example.com',
        PolicyName: name,
        Policy: policy,
      }),
    );

  it('policy text that is not JSON', async () => {
    expect(await errorOf(put('p1', '{"Version": "2012-10-17", "Statement": ['))).toEqual({
      // The SDK names the wire code InvalidPolicy after its modelled exception.
      name: 'InvalidPolicyException',
      status: 400,
      message: 'Syntax errors in policy.',
    });
    expect(await queryErrorOf(put('p1', 'nope'))).toEqual({
      code: 'InvalidPolicy',
      type: 'Sender',
      status: 400,
    });
    expect(await errorOf(create('p1', 'not json'))).toEqual(v2Bad('Syntax errors in policy.'));
    await expectStoreUnchanged();
  });
  it('an upper-case AWS: condition key is refused', async () => {
    const p = policyDoc({
      Effect: 'Allow',
      Principal: { Service: 'ses.amazonaws.com' },
      Action: ['ses:SendEmail'],
      Resource: ARN,
      Condition: { StringEquals: { 'AWS:SourceAccount': ACCOUNT } },
    });
    expect(await errorOf(put('p1', p))).toEqual({
      name: 'InvalidPolicyException',
      status: 400,
      message: "Unknown or unapplicable condition field 'AWS:SourceAccount'.",
    });
    await expectStoreUnchanged();
  });
  it('a policy without a Principal, or on another resource than its identity', async () => {
    // [INF] SES's exact wording of these two is not recorded; these are Sesame's.
    const noPrincipal = policyDoc({ Effect: 'Allow', Action: ['ses:SendEmail'], Resource: ARN });
    expect(await errorOf(put('p1', noPrincipal))).toEqual({
      name: 'InvalidPolicyException',
      status: 400,
      message: 'Missing required field Principal.',
    });
    const elsewhere = policyDoc({
      Effect: 'Allow',
      Principal: { AWS: ACCOUNT },
      Action: ['ses:SendEmail'],
      Resource: '*',
    });
    expect(await errorOf(create('p1', elsewhere))).toEqual(
      v2Bad(`Resource * must be ${ARN}, the resource the policy is attached to.`),
    );
    await expectStoreUnchanged();
  });
  it('a bad policy name, and one over 64 characters', async () => {
    const invalidName =
      'PolicyName is invalid. Policy names must only include alpha-numeric characters, dashes, and underscores.';
    expect(await errorOf(put('bad name!', goodPolicy))).toEqual(v1Invalid(invalidName));
    expect(await errorOf(create('bad.name', goodPolicy))).toEqual(v2Bad(invalidName));
    // Spec §4.2 (one source) words it without the value; AWS's generic validator form names it.
    const long = await errorOf(put('x'.repeat(65), goodPolicy));
    expect([long.name, long.status]).toEqual(['ValidationError', 400]);
    expect(long.message).toMatch(
      /^1 validation error detected: Value (?:'x{65}' )?at 'policyName' failed to satisfy constraint: Member must have length less than or equal to 64$/,
    );
    await expectStoreUnchanged();
  });
  it('v2 Create on an existing name; Update and Delete succeed whatever the name (SES v2 API reference)', async () => {
    expect(await errorOf(create('keep', goodPolicy))).toEqual({
      name: 'AlreadyExistsException',
      status: 400,
      message: 'Policy <keep> already exists',
    });
    await expectStoreUnchanged();
    // Deleting a name that is not there "returns successfully" and changes nothing.
    await root.v2.send(
      new DeleteEmailIdentityPolicyCommand({ EmailIdentity: 'example.com', PolicyName: 'nope' }),
    );
    await expectStoreUnchanged();
    // Updating one that is not there writes it, as v1's PutIdentityPolicy does.
    await root.v2.send(
      new UpdateEmailIdentityPolicyCommand({
        EmailIdentity: 'example.com',
        PolicyName: 'nope',
        Policy: goodPolicy,
      }),
    );
    const v2 = await root.v2.send(new GetEmailIdentityPoliciesCommand({ EmailIdentity: 'example.com' }));
    expect(v2.Policies?.nope).toBe(goodPolicy);
    await root.v2.send(
      new DeleteEmailIdentityPolicyCommand({ EmailIdentity: 'example.com', PolicyName: 'nope' }),
    );
    await expectStoreUnchanged();
  });
  it('the 21st policy on one identity (v1 InvalidParameterValue, v2 LimitExceededException)', async () => {
    for (let i = 2; i <= 20; i++) await put(`p${i}`, goodPolicy);
    const after20 = await identityPolicyRows(server);
    expect(after20.length).toBe(snapshot.policies.length + 19);
    const limit = 'Number of policies for <example.com> exceeds max allowed number of policies per resource';
    expect(await errorOf(put('p21', goodPolicy))).toEqual(v1Invalid(limit));
    expect(await errorOf(create('p21', goodPolicy))).toEqual({
      name: 'LimitExceededException',
      status: 400,
      message: limit,
    });
    expect(await identityPolicyRows(server)).toEqual(after20);
    const v2Update = root.v2.send(
      new UpdateEmailIdentityPolicyCommand({
        EmailIdentity: 'example.com',
        PolicyName: 'p21',
        Policy: goodPolicy,
      }),
    );
    expect(await errorOf(v2Update)).toEqual({ name: 'LimitExceededException', status: 400, message: limit });
    expect(await identityPolicyRows(server)).toEqual(after20);
    // Replacing one of the 20 is still allowed (v1 upserts); the text comes back as submitted.
    const pretty = JSON.stringify(JSON.parse(goodPolicy), null, 2);
    await put('p20', pretty);
    const got = await root.v1.send(
      new GetIdentityPoliciesCommand({ Identity: 'example.com', PolicyNames: ['p20', 'ghost'] }),
    );
    expect(got.Policies).toEqual({ p20: pretty });
    const v2 = await root.v2.send(new GetEmailIdentityPoliciesCommand({ EmailIdentity: 'example.com' }));
    expect(Object.keys(v2.Policies ?? {}).length).toBe(20);
  });
  it('a policy on an identity the caller does not have', async () => {
    const e = await errorOf(put('p1', goodPolicy, 'unknown.org'));
    expect([e.name, e.status]).toEqual(['MessageRejected', 400]);
    await expectStoreUnchanged();
  });
});
