// Shared helpers for the SES end-to-end tests (test/e2e/ses-*.test.ts): SDK clients on a running
// Sesame, IAM users with a given policy, verified identities, production access, error capture,
// raw MIME messages and store snapshots.
import { expect } from 'vitest';
import {
  SendEmailCommand,
  SESClient,
  VerifyDomainIdentityCommand,
  VerifyEmailIdentityCommand,
} from '@aws-sdk/client-ses';
import { SendEmailCommand as V2SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import {
  AddUserToGroupCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateUserCommand,
  IAMClient,
  PutGroupPolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { createAccount } from '../../src/accounts/accounts.js';
import { decideProductionAccess } from '../../src/ses/state/index.js';
import { listOutbox, type OutboxSummary } from '../../src/ses/send/outbox.js';
import { clientConfig, type TestServer } from './server.js';

export interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface Clients {
  v1: SESClient;
  v2: SESv2Client;
  iam: IAMClient;
  sts: STSClient;
}

export function clientsFor(server: TestServer, creds: Creds, region = 'us-east-1'): Clients {
  const cfg = clientConfig(server, creds, region);
  return {
    v1: new SESClient(cfg),
    v2: new SESv2Client(cfg),
    iam: new IAMClient(cfg),
    sts: new STSClient(cfg),
  };
}

export interface CaughtError {
  name: string;
  status: number | undefined;
  message: string;
}

/** The AWS error a call ends with; fails the test when the call succeeds. */
export async function errorOf(p: Promise<unknown>): Promise<CaughtError> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, status: err.$metadata?.httpStatusCode, message: err.message };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** The v1 (Query) error's wire fields: `<Code>` and `<Type>` as the server wrote them. */
export async function queryErrorOf(
  p: Promise<unknown>,
): Promise<{ code: unknown; type: unknown; status: number | undefined }> {
  try {
    await p;
  } catch (e) {
    const err = e as { Code?: unknown; Type?: unknown; $metadata?: { httpStatusCode?: number } };
    return { code: err.Code, type: err.Type, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

export const policyDoc = (...statements: object[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });

let userSeq = 0;

/** A new IAM user (in the account of `root`) with one inline policy, and an access key for it. */
export async function userWithPolicy(
  root: Clients,
  policy: string | undefined,
  name = `user${++userSeq}`,
): Promise<{ name: string; arn: string; creds: Creds }> {
  const created = await root.iam.send(new CreateUserCommand({ UserName: name }));
  if (policy !== undefined)
    await root.iam.send(
      new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: policy }),
    );
  const key = await root.iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return {
    name,
    arn: created.User!.Arn!,
    creds: { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! },
  };
}

/** A new user whose only permission comes from a group's inline policy. */
export async function userInGroup(
  root: Clients,
  groupPolicy: string,
  name = `member${++userSeq}`,
): Promise<{ name: string; arn: string; creds: Creds }> {
  const group = `group${userSeq}`;
  await root.iam.send(new CreateGroupCommand({ GroupName: group }));
  await root.iam.send(
    new PutGroupPolicyCommand({ GroupName: group, PolicyName: 'g', PolicyDocument: groupPolicy }),
  );
  const user = await userWithPolicy(root, undefined, name);
  await root.iam.send(new AddUserToGroupCommand({ GroupName: group, UserName: name }));
  return user;
}

/** Verifies addresses and domains (the test server verifies at once: SESAME_VERIFICATION=auto). */
export async function verify(v1: SESClient, ...identities: string[]): Promise<void> {
  for (const id of identities) {
    if (id.includes('@')) await v1.send(new VerifyEmailIdentityCommand({ EmailAddress: id }));
    else await v1.send(new VerifyDomainIdentityCommand({ Domain: id }));
  }
}

/** Takes an account out of the sandbox with the server's production quota. */
export async function grantProduction(
  server: TestServer,
  accountId: string,
  region = 'us-east-1',
): Promise<void> {
  await decideProductionAccess(server.app.store, accountId, region, 'grant', server.config);
}

/**
 * A server ready to send: production access at 1,000 messages a second and example.com verified in
 * the default account; `root` are that account's root clients.
 */
export async function sendingServer(
  start: (env: Record<string, string>) => Promise<TestServer>,
  env: Record<string, string> = {},
): Promise<{ server: TestServer; root: Clients }> {
  const server = await start({ SESAME_PRODUCTION_MAX_SEND_RATE: '1000', ...env });
  const root = clientsFor(server, server.credentials);
  await verify(root.v1, 'example.com');
  await grantProduction(server, server.config.accountId);
  return { server, root };
}

/** A second account with its root clients. */
export async function secondAccount(
  server: TestServer,
  accountId?: string,
): Promise<{ accountId: string; root: Clients; creds: Creds }> {
  const acct = await createAccount(server.app.store, server.app.box, accountId ? { accountId } : {});
  const creds = { accessKeyId: acct.AccessKeyId, secretAccessKey: acct.SecretAccessKey };
  return { accountId: acct.AccountId, root: clientsFor(server, creds), creds };
}

export const outbox = (server: TestServer, accountId: string): Promise<OutboxSummary[]> =>
  listOutbox(server.app.store, accountId, { limit: 1000 });

/** Every identity-policy row of the store (for "nothing changed" comparisons). */
export async function identityPolicyRows(server: TestServer): Promise<unknown[]> {
  return server.app.store.db
    .selectFrom('ses_identity_policies' as never)
    .selectAll()
    .execute();
}

/** A minimal MIME message; `headers` come first, in order. */
export function mime(headers: Record<string, string>, body = 'hello'): Uint8Array {
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  return Buffer.from(
    [...lines, 'Subject: test', 'MIME-Version: 1.0', 'Content-Type: text/plain', '', body, ''].join('\r\n'),
  );
}

export const simpleMessage = { Subject: { Data: 'hi' }, Body: { Text: { Data: 'hello' } } };
export const v2Simple = { Simple: { Subject: { Data: 'hi' }, Body: { Text: { Data: 'hello' } } } };

/** `arn:aws:ses:us-east-1:ACCOUNT:identity/NAME` */
export const identityArn = (account: string, name: string, region = 'us-east-1'): string =>
  `arn:aws:ses:${region}:${account}:identity/${name}`;

/** Family (A) send-path denial (docs/spec/ses.md §3.7). */
export const sendDenied = (principal: string, action: string, resource: string): string =>
  `User \`${principal}' is not authorized to perform \`${action}' on resource \`${resource}'`;

export interface SendSpec {
  from: string;
  to?: string[];
  cc?: string[];
  bcc?: string[];
  /** v1 ReturnPath / v2 FeedbackForwardingEmailAddress */
  feedback?: string;
  /** v1 SourceArn / v2 FromEmailAddressIdentityArn */
  fromArn?: string;
}

/** v1 SendEmail with a simple message. */
export function v1SendInput(s: SendSpec) {
  return {
    Source: s.from,
    Destination: { ToAddresses: s.to ?? ['to@example.com'], CcAddresses: s.cc, BccAddresses: s.bcc },
    Message: simpleMessage,
    ...(s.feedback !== undefined ? { ReturnPath: s.feedback } : {}),
    ...(s.fromArn !== undefined ? { SourceArn: s.fromArn } : {}),
  };
}

/** v2 SendEmail with Simple content. */
export function v2SendInput(s: SendSpec) {
  return {
    FromEmailAddress: s.from,
    Destination: { ToAddresses: s.to ?? ['to@example.com'], CcAddresses: s.cc, BccAddresses: s.bcc },
    Content: v2Simple,
    ...(s.feedback !== undefined ? { FeedbackForwardingEmailAddress: s.feedback } : {}),
    ...(s.fromArn !== undefined ? { FromEmailAddressIdentityArn: s.fromArn } : {}),
  };
}

/**
 * One production-access Sesame for the policy-example files: example.com, other.org and
 * sender@example.com verified in the default account; users made from policy statements; send
 * helpers that assert the outbox row or the exact family (A) denial.
 */
export function policyHarness() {
  let server: TestServer | undefined;
  let root: Clients | undefined;
  const need = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('policyHarness: setup() has not run');
    return v;
  };
  const account = '111122223333';
  const domainArn = identityArn(account, 'example.com');
  return {
    account,
    domainArn,
    otherArn: identityArn(account, 'other.org'),
    async setup(start: (env: Record<string, string>) => Promise<TestServer>): Promise<void> {
      server = await start({ SESAME_PRODUCTION_MAX_SEND_RATE: '1000' });
      root = clientsFor(server, server.credentials);
      await verify(root.v1, 'example.com', 'other.org', 'sender@example.com');
      await grantProduction(server, account);
    },
    teardown: async (): Promise<void> => server?.stop(),
    /** A fresh user holding only `statements`, with its clients. */
    async userWith(...statements: object[]): Promise<{ arn: string; c: Clients }> {
      const u = await userWithPolicy(need(root), policyDoc(...statements));
      return { arn: u.arn, c: clientsFor(need(server), u.creds) };
    },
    send1: (c: Clients, s: SendSpec) => c.v1.send(new SendEmailCommand(v1SendInput(s))),
    send2: (c: Clients, s: SendSpec) => c.v2.send(new V2SendEmailCommand(v2SendInput(s))),
    /** The call succeeds with an SES-shaped MessageId whose row is in the outbox. */
    async expectSent(p: Promise<{ MessageId?: string }>): Promise<void> {
      const r = await p;
      expect(r.MessageId).toMatch(/^[0-9a-f]{16}-[0-9a-f-]{36}-\d{6}$/);
      const rows = await outbox(need(server), account);
      expect(rows.some((m) => m.messageId === r.MessageId)).toBe(true);
    },
    /** The call fails with the family (A) AccessDenied of that API. */
    async expectSendDenied(
      api: 1 | 2,
      p: Promise<unknown>,
      principal: string,
      action: string,
      resource = domainArn,
    ) {
      expect(await errorOf(p)).toEqual({
        name: api === 1 ? 'AccessDenied' : 'AccessDeniedException',
        status: 403,
        message: sendDenied(principal, action, resource),
      });
    },
  };
}

/** Family (B): the generic IAM sentence for a non-send action on `*` that no policy allows. */
export const genericDenied = (principal: string, action: string): string =>
  `User: ${principal} is not authorized to perform: ${action} on resource: * because no identity-based policy allows the ${action} action`;
