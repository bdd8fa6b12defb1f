// SESAME_VERIFICATION=email end to end: the verification message lands in the outbox with a link,
// the link verifies the identity once, and a forged token changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GetIdentityVerificationAttributesCommand,
  SESClient,
  VerifyEmailIdentityCommand,
} from '@aws-sdk/client-ses';
import { clientConfig, startTestServer, type TestServer } from '../support/server.js';
import { selectOutboxRows } from '../../src/ses/send/outbox.js';

let server: TestServer;
let ses: SESClient;

beforeAll(async () => {
  server = await startTestServer({ SESAME_VERIFICATION: 'email' });
  ses = new SESClient(clientConfig(server, server.credentials));
});
afterAll(async () => server?.stop());

const status = async (identity: string) =>
  (await ses.send(new GetIdentityVerificationAttributesCommand({ Identities: [identity] })))
    .VerificationAttributes?.[identity]?.VerificationStatus;

describe('email verification mode', () => {
  it('sends a verification message whose link verifies the address once', async () => {
    await ses.send(new VerifyEmailIdentityCommand({ EmailAddress: 'owner@example.com' }));
    expect(await status('owner@example.com')).toBe('Pending');

    const row = await selectOutboxRows(server.app.store.db)
      .where('source', '=', 'no-reply-aws@amazon.com')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(row.recipients)).toEqual(['owner@example.com']);
    const raw = row.raw
      .toString('utf8')
      .replace(/=\r?\n/g, '')
      .replace(/=3D/g, '=');
    const link = /https?:\/\/[^\s"<>]+\/verify-email\?token=[A-Za-z0-9_-]+/.exec(raw)?.[0];
    expect(link).toBeDefined();
    const url = new URL(link as string);
    const local = `${server.endpoint}${url.pathname}${url.search}`;

    const forged = await fetch(`${server.endpoint}/verify-email?token=${'A'.repeat(43)}`);
    expect(forged.status).toBe(400);
    expect(await status('owner@example.com')).toBe('Pending');

    const ok = await fetch(local);
    expect(ok.status).toBe(200);
    expect(await status('owner@example.com')).toBe('Success');
    expect((await fetch(local)).status).toBe(400); // used once
  });
});
