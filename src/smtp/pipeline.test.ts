// SMTP through the real send pipeline (identities, IAM policies via authz/, outbox) on SQLite:
// only the key lookup is a table here; the lead's end-to-end tests add the real IAM resolver.
import nodemailer, { type SendMailOptions } from 'nodemailer';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../api/operation.js';
import { smtpPasswordV4 } from '../auth/smtp-password.js';
import { MESSAGE_ID_PATTERN } from '../ses/send/message-id.js';
import { getOutboxMessage, listOutbox } from '../ses/send/outbox.js';
import { allow, nextAccount, policyOf, production, verifiedIdentity } from '../ses/send/test-support.js';
import { openTestStore, type Store } from '../store/database.js';
import type { ResolvedKey } from './authenticate.js';
import { startSmtpListeners, type SmtpListeners } from './listener.js';
import { REGION, testCertificate, testConfig } from './test-support.js';

let store: Store;
let smtp: SmtpListeners;
let acct: string;
const keys = new Map<string, ResolvedKey>();

/** Registers an IAM user with these identity policies and returns its SMTP credentials. */
function smtpUser(name: string, policies: unknown[]): { user: string; pass: string } {
  const accessKeyId = `AKIA${name.toUpperCase().padEnd(16, '0')}`;
  const secretAccessKey = `${name}-secret-${'x'.repeat(30)}`;
  const caller: Caller = {
    accessKeyId,
    accountId: acct,
    principal: { kind: 'User', arn: `arn:aws:iam::${acct}:user/${name}`, accountId: acct },
    identityPolicies: policies.map((p, i) => policyOf(`${name}-${i}`, p)),
    principalTags: {},
    userName: name,
    userId: `AIDA${name.toUpperCase()}`,
    temporary: false,
  };
  keys.set(accessKeyId, { key: { secretAccessKey, status: 'Active' }, caller });
  return { user: accessKeyId, pass: smtpPasswordV4(secretAccessKey, REGION) };
}

beforeAll(async () => {
  store = await openTestStore('sqlite');
  acct = nextAccount();
  await production(store, acct);
  await verifiedIdentity(store, acct, 'example.com');
  smtp = await startSmtpListeners({
    config: testConfig(),
    store,
    resolveKey: async (id) => keys.get(id),
    log: pino({ level: 'silent' }),
    tls: await testCertificate(),
    closeGraceMs: 200,
  });
});
afterAll(async () => {
  await smtp.stop();
  await store.close();
});

const send = (auth: { user: string; pass: string }, mail: SendMailOptions) =>
  nodemailer
    .createTransport({
      host: '127.0.0.1',
      port: smtp.ports.starttls,
      requireTLS: true,
      auth,
      tls: { rejectUnauthorized: false },
    })
    .sendMail(mail);

async function refusal(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return (e as { response?: string }).response;
  }
  throw new Error('expected a refusal');
}

const identityArn = () => `arn:aws:ses:${REGION}:${acct}:identity/example.com`;

describe('SMTP through the send pipeline', () => {
  it('a user allowed ses:SendRawEmail under ses:ApiVersion "2" and aws:SecureTransport gets a committed MessageId', async () => {
    const auth = smtpUser('sender', [
      allow('ses:SendRawEmail', '*', {
        StringEquals: { 'ses:ApiVersion': '2' },
        Bool: { 'aws:SecureTransport': 'true' },
      }),
    ]);
    const info = await send(auth, {
      envelope: { from: 'bounce@example.com', to: ['to@elsewhere.org'] },
      from: 'Ann <ann@example.com>',
      to: 'to@elsewhere.org',
      subject: 'via smtp',
      text: 'hello',
      headers: { 'X-SES-MESSAGE-TAGS': 'k=v' },
    });
    const id = /^250 Ok (\S+)$/.exec(info.response)?.[1];
    expect(id).toMatch(MESSAGE_ID_PATTERN);
    const row = await getOutboxMessage(store, id!);
    expect(row).toMatchObject({
      messageId: id,
      accountId: acct,
      region: REGION,
      principalArn: `arn:aws:iam::${acct}:user/sender`,
      recipients: ['to@elsewhere.org'],
      apiVersion: '2',
      operation: 'SMTP',
      tags: [{ Name: 'k', Value: 'v' }],
    });
    expect(row!.raw.toString()).not.toContain('X-SES');
  });

  it('a policy that allows only ses:ApiVersion "1" is refused with 554 Access denied and stores nothing', async () => {
    const auth = smtpUser('v1only', [
      allow('ses:SendRawEmail', '*', { StringEquals: { 'ses:ApiVersion': '1' } }),
    ]);
    const before = (await listOutbox(store, acct, { limit: 100 })).length;
    const reply = await refusal(send(auth, { from: 'ann@example.com', to: 'to@elsewhere.org', text: 'x' }));
    expect(reply).toBe(
      `554 Access denied: User \`arn:aws:iam::${acct}:user/v1only' is not authorized to perform \`ses:SendRawEmail' on resource \`${identityArn()}'`,
    );
    expect((await listOutbox(store, acct, { limit: 100 })).length).toBe(before);
  });

  it('an unverified From is refused with 554 Message rejected', async () => {
    const auth = smtpUser('unverified', [allow('ses:SendRawEmail', '*')]);
    const reply = await refusal(
      send(auth, {
        envelope: { from: 'ann@example.com', to: ['to@elsewhere.org'] },
        from: 'bob@unverified.net',
        to: 'to@elsewhere.org',
        text: 'x',
      }),
    );
    expect(reply).toBe(
      '554 Message rejected: Email address is not verified. The following identities failed the check in region US-EAST-1: bob@unverified.net',
    );
  });
});
