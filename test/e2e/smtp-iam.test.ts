// SMTP through a whole Sesame server: SES SMTP credentials derived from an IAM user's access key,
// each message authorized by the user's real IAM policies as ses:SendRawEmail with ApiVersion "2".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { smtpPasswordV4 } from '../../src/auth/smtp-password.js';
import { queryAuditEvents } from '../../src/audit/audit-query.js';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import {
  clientsFor,
  errorOf,
  grantProduction,
  policyDoc,
  userWithPolicy,
  verify,
  outbox,
  type Clients,
  type Creds,
} from '../support/ses-fixtures.js';

let server: TestServer;
let root: Clients;

beforeAll(async () => {
  server = await startTestServer({ SESAME_PRODUCTION_MAX_SEND_RATE: '1000' });
  root = clientsFor(server, server.credentials);
  await verify(root.v1, 'example.com');
  await grantProduction(server, ACCOUNT);
});
afterAll(async () => server?.stop());

function transport(creds: Creds, region = 'us-east-1') {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port: server.smtp.starttls as number,
    secure: false,
    requireTLS: true,
    tls: { rejectUnauthorized: false },
    auth: { user: creds.accessKeyId, pass: smtpPasswordV4(creds.secretAccessKey, region) },
  });
}

const mail = (from: string) => ({
  from,
  to: 'someone@example.net',
  subject: 'smtp',
  text: 'hello over SMTP',
});

// The AWS page's "API version 2 only" policy: SMTP passes, the v1 Query API does not.
const v2Only = policyDoc({
  Effect: 'Allow',
  Action: ['ses:SendEmail', 'ses:SendRawEmail'],
  Resource: '*',
  Condition: { StringEquals: { 'ses:ApiVersion': '2' } },
});

describe('SMTP with IAM credentials', () => {
  it('an ApiVersion "2"-only user sends over SMTP, is denied on the v1 API, and the message is committed', async () => {
    const user = await userWithPolicy(root, v2Only, 'smtp-v2-only');
    const info = await transport(user.creds).sendMail(mail('app@example.com'));
    const id = /^250 Ok (\S+)$/.exec(info.response)?.[1];
    expect(id).toMatch(/^[0-9a-f]{16}-[0-9a-f-]{36}-000000$/);
    const rows = await outbox(server, ACCOUNT);
    expect(rows.find((r) => r.messageId === id)).toMatchObject({
      operation: 'SMTP',
      apiVersion: '2',
      principalArn: user.arn,
    });

    const v1 = clientsFor(server, user.creds).v1;
    const denied = await errorOf(
      v1.send(
        new SendEmailCommand({
          Source: 'app@example.com',
          Destination: { ToAddresses: ['x@example.net'] },
          Message: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } },
        }),
      ),
    );
    expect(denied.status).toBe(403);
    expect(denied.message).toBe(
      `User \`${user.arn}' is not authorized to perform \`ses:SendEmail' on resource \`arn:aws:ses:us-east-1:${ACCOUNT}:identity/example.com'`,
    );
  });

  it('a FromAddress condition decides per message: 554 Access denied names ses:SendRawEmail', async () => {
    const user = await userWithPolicy(
      root,
      policyDoc({
        Effect: 'Allow',
        Action: 'ses:SendRawEmail',
        Resource: '*',
        Condition: { StringEquals: { 'ses:FromAddress': 'marketing@example.com' } },
      }),
      'smtp-from-only',
    );
    const t = transport(user.creds);
    expect((await t.sendMail(mail('marketing@example.com'))).response).toMatch(/^250 Ok /);
    const refused = await t
      .sendMail(mail('sales@example.com'))
      .catch((e: { response?: string; responseCode?: number }) => e);
    expect((refused as { responseCode?: number }).responseCode).toBe(554);
    expect((refused as { response?: string }).response).toBe(
      `554 Access denied: User \`${user.arn}' is not authorized to perform \`ses:SendRawEmail' on resource \`arn:aws:ses:us-east-1:${ACCOUNT}:identity/example.com'`,
    );
    // Each SMTP message leaves an audit record, like an API call.
    const records = await queryAuditEvents(server.app.store, { principalArn: user.arn, limit: 10 });
    expect(records.map((r) => [r.eventSource, r.eventName, r.decision, r.actions, r.errorCode])).toEqual([
      ['smtp', 'SendRawEmail', 'ImplicitDeny', ['ses:SendRawEmail'], 'AccessDenied'],
      ['smtp', 'SendRawEmail', 'Allowed', ['ses:SendRawEmail'], null],
    ]);
    expect(records[0]?.sourceIp).toBe('127.0.0.1');
  });

  it('refuses a password for another region and an inactive key with 535', async () => {
    const user = await userWithPolicy(root, v2Only, 'smtp-auth');
    const wrongRegion = await transport(user.creds, 'eu-west-1')
      .sendMail(mail('app@example.com'))
      .catch((e: { response?: string }) => e);
    expect((wrongRegion as { response?: string }).response).toBe('535 Authentication Credentials Invalid');
    await root.iam.send(
      new UpdateAccessKeyCommand({
        UserName: user.name,
        AccessKeyId: user.creds.accessKeyId,
        Status: 'Inactive',
      }),
    );
    const inactive = await transport(user.creds)
      .sendMail(mail('app@example.com'))
      .catch((e: { response?: string }) => e);
    expect((inactive as { response?: string }).response).toBe('535 Authentication Credentials Invalid');
    // Each refused sign-in is on the audit record, with the key id it claimed and where it came from.
    const refused = (await queryAuditEvents(server.app.store, { eventName: 'AUTH', limit: 10 })).filter(
      (r) => r.accessKeyId === user.creds.accessKeyId,
    );
    expect(
      refused.map((r) => [
        r.eventSource,
        r.decision,
        r.errorCode,
        r.errorMessage,
        r.sourceIp,
        r.principalArn,
      ]),
    ).toEqual([
      ['smtp', 'Unauthenticated', '535', 'Authentication Credentials Invalid', '127.0.0.1', null],
      ['smtp', 'Unauthenticated', '535', 'Authentication Credentials Invalid', '127.0.0.1', null],
    ]);
  });
});
