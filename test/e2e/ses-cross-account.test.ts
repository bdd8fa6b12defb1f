// Cross-account sending authorization (docs/spec/ses.md §4): account B's callers send as account A's verified
// identity by naming its ARN (v1 SourceArn/FromArn, v2 FromEmailAddressIdentityArn). A's identity
// policy must allow B, and across accounts B's own IAM policy must allow too; the message is
// charged to B.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DeleteIdentityPolicyCommand,
  GetSendQuotaCommand,
  PutIdentityPolicyCommand,
  SendEmailCommand,
  SendRawEmailCommand,
} from '@aws-sdk/client-ses';
import {
  CreateEmailIdentityPolicyCommand,
  DeleteEmailIdentityCommand,
  DeleteEmailIdentityPolicyCommand,
  GetEmailIdentityCommand,
  SendEmailCommand as V2SendEmailCommand,
} from '@aws-sdk/client-sesv2';
import { getOutboxMessage } from '../../src/ses/send/outbox.js';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import {
  clientsFor,
  errorOf,
  grantProduction,
  identityArn,
  mime,
  outbox,
  policyDoc,
  secondAccount,
  sendDenied,
  userWithPolicy,
  v1SendInput,
  v2SendInput,
  verify,
  type Clients,
} from '../support/ses-fixtures.js';

const B = '444455556666';
const OWNER_ARN = identityArn(ACCOUNT, 'owner.com');
const SEND = ['ses:SendEmail', 'ses:SendRawEmail'];

let server: TestServer;
let rootA: Clients;
let rootB: Clients;

beforeAll(async () => {
  server = await startTestServer({ SESAME_PRODUCTION_MAX_SEND_RATE: '1000' });
  rootA = clientsFor(server, server.credentials);
  rootB = (await secondAccount(server, B)).root;
  await verify(rootA.v1, 'owner.com');
  await verify(rootB.v1, 'b-own.net');
  await grantProduction(server, ACCOUNT);
  await grantProduction(server, B);
});
afterAll(async () => server?.stop());

/** Replaces A's identity policies on owner.com with this one (v1 PutIdentityPolicy). */
async function ownerPolicy(...statements: object[]): Promise<void> {
  await rootA.v1.send(
    new PutIdentityPolicyCommand({
      Identity: 'owner.com',
      PolicyName: 'delegate',
      Policy: policyDoc(...statements),
    }),
  );
}

const allowPrincipal = (principal: string, extra: object = {}) => ({
  Effect: 'Allow',
  Principal: { AWS: principal },
  Action: SEND,
  Resource: OWNER_ARN,
  ...extra,
});

async function userB(policy?: object[]): Promise<{ arn: string; c: Clients }> {
  const u = await userWithPolicy(rootB, policy ? policyDoc(...policy) : undefined);
  return { arn: u.arn, c: clientsFor(server, u.creds) };
}

const delegatedV1 = (from = 'news@owner.com') =>
  new SendEmailCommand(v1SendInput({ from, fromArn: OWNER_ARN }));
const delegatedV2 = (from = 'news@owner.com') =>
  new V2SendEmailCommand(v2SendInput({ from, fromArn: OWNER_ARN }));

const deniedV1 = (principal: string, action = 'ses:SendEmail') => ({
  name: 'AccessDenied',
  status: 403,
  message: sendDenied(principal, action, OWNER_ARN),
});
const deniedV2 = (principal: string, action = 'ses:SendEmail') => ({
  ...deniedV1(principal, action),
  name: 'AccessDeniedException',
});

describe('without an identity policy on A’s identity', () => {
  it('B’s root and B’s fully-permitted user are denied, on both APIs', async () => {
    await rootA.v1.send(new DeleteIdentityPolicyCommand({ Identity: 'owner.com', PolicyName: 'delegate' }));
    const u = await userB([{ Effect: 'Allow', Action: 'ses:*', Resource: '*' }]);
    expect(await errorOf(rootB.v1.send(delegatedV1()))).toEqual(deniedV1(`arn:aws:iam::${B}:root`));
    expect(await errorOf(u.c.v1.send(delegatedV1()))).toEqual(deniedV1(u.arn));
    expect(await errorOf(u.c.v2.send(delegatedV2()))).toEqual(deniedV2(u.arn));
  });
  it('naming no ARN, A’s address is simply not a verified identity of B', async () => {
    expect(
      await errorOf(rootB.v1.send(new SendEmailCommand(v1SendInput({ from: 'news@owner.com' })))),
    ).toEqual({
      name: 'MessageRejected',
      status: 400,
      message:
        'Email address is not verified. The following identities failed the check in region US-EAST-1: news@owner.com',
    });
  });
});

describe('identity policy with B’s account as principal', () => {
  beforeAll(() => ownerPolicy(allowPrincipal(B)));

  it('B’s root sends; the message is charged to B, not A', async () => {
    const beforeA = (await outbox(server, ACCOUNT)).length;
    const quotaB = (await rootB.v1.send(new GetSendQuotaCommand({}))).SentLast24Hours ?? 0;
    const quotaA = (await rootA.v1.send(new GetSendQuotaCommand({}))).SentLast24Hours ?? 0;
    const r = await rootB.v1.send(delegatedV1());
    const row = (await outbox(server, B)).find((m) => m.messageId === r.MessageId);
    expect(row).toMatchObject({
      accountId: B,
      principalArn: `arn:aws:iam::${B}:root`,
      sourceArn: OWNER_ARN,
      fromAddress: 'news@owner.com',
    });
    expect((await outbox(server, ACCOUNT)).length).toBe(beforeA);
    expect((await rootB.v1.send(new GetSendQuotaCommand({}))).SentLast24Hours).toBe(quotaB + 1);
    expect((await rootA.v1.send(new GetSendQuotaCommand({}))).SentLast24Hours).toBe(quotaA);
  });
  it('B’s user needs B’s IAM policy too: with it allowed, without it denied', async () => {
    const allowed = await userB([{ Effect: 'Allow', Action: SEND, Resource: OWNER_ARN }]);
    const v2 = await allowed.c.v2.send(delegatedV2());
    expect((await outbox(server, B)).find((m) => m.messageId === v2.MessageId)?.accountId).toBe(B);
    const raw = await allowed.c.v1.send(
      new SendRawEmailCommand({
        FromArn: OWNER_ARN,
        RawMessage: { Data: mime({ From: 'news@owner.com', To: 'x@y.org' }) },
      }),
    );
    expect((await outbox(server, B)).find((m) => m.messageId === raw.MessageId)?.sourceArn).toBe(OWNER_ARN);

    const bare = await userB();
    expect(await errorOf(bare.c.v1.send(delegatedV1()))).toEqual(deniedV1(bare.arn));
    expect(await errorOf(bare.c.v2.send(delegatedV2()))).toEqual(deniedV2(bare.arn));
  });
  it('X-SES-FROM-ARN in the MIME names the identity when no parameter does; it is stripped', async () => {
    const raw = mime({ 'X-SES-FROM-ARN': OWNER_ARN, From: 'news@owner.com', To: 'x@y.org' });
    const r = await rootB.v1.send(new SendRawEmailCommand({ RawMessage: { Data: raw } }));
    const stored = await getOutboxMessage(server.app.store, r.MessageId!);
    expect(stored).toMatchObject({ accountId: B, sourceArn: OWNER_ARN });
    expect(stored!.raw.toString('latin1')).not.toMatch(/X-SES-FROM-ARN/i);
    // Without the header (or a parameter) the address is not B's identity.
    const plain = mime({ From: 'news@owner.com', To: 'x@y.org' });
    expect(
      await errorOf(rootB.v2.send(new V2SendEmailCommand({ Content: { Raw: { Data: plain } } }))),
    ).toEqual({
      name: 'MessageRejected',
      status: 400,
      message:
        'Email address is not verified. The following identities failed the check in region US-EAST-1: news@owner.com',
    });
    // v2 FromEmailAddressIdentityArn overrides the header.
    const v2 = await rootB.v2.send(
      new V2SendEmailCommand({ FromEmailAddressIdentityArn: OWNER_ARN, Content: { Raw: { Data: plain } } }),
    );
    expect((await getOutboxMessage(server.app.store, v2.MessageId!))?.sourceArn).toBe(OWNER_ARN);
  });
  it('B’s IAM policy for another resource does not carry over', async () => {
    const u = await userB([{ Effect: 'Allow', Action: SEND, Resource: identityArn(B, 'b-own.net') }]);
    expect(await errorOf(u.c.v2.send(delegatedV2()))).toEqual(deniedV2(u.arn));
  });
  it('the policy allows only the send actions it lists (raw send not listed -> denied)', async () => {
    await ownerPolicy(allowPrincipal(B, { Action: ['ses:SendEmail'] }));
    const u = await userB([{ Effect: 'Allow', Action: SEND, Resource: '*' }]);
    expect((await u.c.v1.send(delegatedV1())).MessageId).toBeTruthy();
    const raw = new SendRawEmailCommand({
      FromArn: OWNER_ARN,
      RawMessage: { Data: mime({ From: 'news@owner.com', To: 'x@y.org' }) },
    });
    expect(await errorOf(u.c.v1.send(raw))).toEqual(deniedV1(u.arn, 'ses:SendRawEmail'));
    await ownerPolicy(allowPrincipal(B));
  });
});

describe('identity policy naming one user of B (set through v2)', () => {
  it('that user sends; B’s other user with the same IAM policy is denied', async () => {
    const chosen = await userB([{ Effect: 'Allow', Action: SEND, Resource: '*' }]);
    const other = await userB([{ Effect: 'Allow', Action: SEND, Resource: '*' }]);
    await rootA.v1.send(new DeleteIdentityPolicyCommand({ Identity: 'owner.com', PolicyName: 'delegate' }));
    await rootA.v2.send(
      new CreateEmailIdentityPolicyCommand({
        EmailIdentity: 'owner.com',
        PolicyName: 'user-only',
        Policy: policyDoc(allowPrincipal(chosen.arn)),
      }),
    );
    try {
      expect((await chosen.c.v2.send(delegatedV2())).MessageId).toBeTruthy();
      expect((await chosen.c.v1.send(delegatedV1())).MessageId).toBeTruthy();
      expect(await errorOf(other.c.v2.send(delegatedV2()))).toEqual(deniedV2(other.arn));
      expect(await errorOf(rootB.v1.send(delegatedV1()))).toEqual(deniedV1(`arn:aws:iam::${B}:root`));
    } finally {
      await rootA.v2.send(
        new DeleteEmailIdentityPolicyCommand({ EmailIdentity: 'owner.com', PolicyName: 'user-only' }),
      );
    }
  });
});

describe('conditions and denies in the identity policy', () => {
  it('StringLike ses:FromAddress "invoicing*@owner.com" limits the delegate’s From', async () => {
    await ownerPolicy(
      allowPrincipal(B, { Condition: { StringLike: { 'ses:FromAddress': 'invoicing*@owner.com' } } }),
    );
    expect((await rootB.v2.send(delegatedV2('invoicing-eu@owner.com'))).MessageId).toBeTruthy();
    expect(await errorOf(rootB.v2.send(delegatedV2('sales@owner.com')))).toEqual(
      deniedV2(`arn:aws:iam::${B}:root`),
    );
  });
  it('a Deny in the identity policy also binds A’s own users', async () => {
    await ownerPolicy(allowPrincipal(B), {
      Effect: 'Deny',
      Principal: { AWS: ACCOUNT },
      Action: SEND,
      Resource: OWNER_ARN,
      Condition: { StringEquals: { 'ses:FromAddress': 'ceo@owner.com' } },
    });
    const a = await userWithPolicy(rootA, policyDoc({ Effect: 'Allow', Action: 'ses:*', Resource: '*' }));
    const c = clientsFor(server, a.creds);
    expect(
      (await c.v1.send(new SendEmailCommand(v1SendInput({ from: 'news@owner.com' })))).MessageId,
    ).toBeTruthy();
    expect(await errorOf(c.v1.send(new SendEmailCommand(v1SendInput({ from: 'ceo@owner.com' }))))).toEqual(
      deniedV1(a.arn),
    );
  });
  it('an ARN that does not cover the address, or names an unknown identity, is MessageRejected', async () => {
    await ownerPolicy(allowPrincipal(B));
    const notVerified = (id: string) => ({
      name: 'MessageRejected',
      status: 400,
      message: `Email address is not verified. The following identities failed the check in region US-EAST-1: ${id}`,
    });
    expect(
      await errorOf(
        rootB.v1.send(new SendEmailCommand(v1SendInput({ from: 'x@elsewhere.com', fromArn: OWNER_ARN }))),
      ),
    ).toEqual(notVerified('x@elsewhere.com'));
    const ghost = identityArn(ACCOUNT, 'ghost.com');
    expect(
      await errorOf(
        rootB.v2.send(new V2SendEmailCommand(v2SendInput({ from: 'x@ghost.com', fromArn: ghost }))),
      ),
    ).toEqual(notVerified('x@ghost.com'));
  });
});

describe('identity policies on v2 management calls, same account (docs/spec/ses.md §4.1)', () => {
  it('an Allow for a user grants GetEmailIdentity without any IAM policy; a Deny blocks an ses:* user', async () => {
    const reader = await userWithPolicy(rootA, undefined);
    const admin = await userWithPolicy(rootA, policyDoc({ Effect: 'Allow', Action: 'ses:*', Resource: '*' }));
    await ownerPolicy(
      {
        Effect: 'Allow',
        Principal: { AWS: reader.arn },
        Action: ['ses:GetEmailIdentity'],
        Resource: OWNER_ARN,
      },
      {
        Effect: 'Deny',
        Principal: { AWS: admin.arn },
        Action: ['ses:DeleteEmailIdentity'],
        Resource: OWNER_ARN,
      },
    );
    const r = clientsFor(server, reader.creds);
    expect(
      (await r.v2.send(new GetEmailIdentityCommand({ EmailIdentity: 'owner.com' }))).VerifiedForSendingStatus,
    ).toBe(true);
    expect(await errorOf(r.v2.send(new GetEmailIdentityCommand({ EmailIdentity: 'b-own.net' })))).toEqual({
      name: 'AccessDeniedException',
      status: 403,
      message: `User: ${reader.arn} is not authorized to perform: ses:GetEmailIdentity on resource: ${identityArn(ACCOUNT, 'b-own.net')} because no identity-based policy allows the ses:GetEmailIdentity action`,
    });
    const a = clientsFor(server, admin.creds);
    expect(await errorOf(a.v2.send(new DeleteEmailIdentityCommand({ EmailIdentity: 'owner.com' })))).toEqual({
      name: 'AccessDeniedException',
      status: 403,
      message: `User: ${admin.arn} is not authorized to perform: ses:DeleteEmailIdentity on resource: ${OWNER_ARN} with an explicit deny in a resource-based policy`,
    });
    expect((await a.v2.send(new GetEmailIdentityCommand({ EmailIdentity: 'owner.com' }))).IdentityType).toBe(
      'DOMAIN',
    );
    await ownerPolicy(allowPrincipal(B));
  });
});
