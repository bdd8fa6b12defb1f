// Issue 19: an audit record keeps the request context its call was decided with — the global and
// principal keys, and every check with its own keys — so "Why?" and `policy what-if` can decide the
// call again. Secrets (sts:ExternalId) keep only their name; bodies and subjects are never there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import {
  clientsFor,
  errorOf,
  grantProduction,
  policyDoc,
  userWithPolicy,
  verify,
  type Clients,
} from '../support/ses-fixtures.js';
import { queryAuditEvents, type AuditRecord } from '../../src/audit/audit-query.js';
import { testDialects } from '../../src/store/database.js';

const ID_ARN = `arn:aws:ses:us-east-1:${ACCOUNT}:identity/example.com`;

describe.each(testDialects())('audit request context (%s)', (dialect) => {
  let server: TestServer;
  let root: Clients;
  let sender: Awaited<ReturnType<typeof userWithPolicy>>;

  async function lastRecordOf(principalArn: string, eventName: string): Promise<AuditRecord> {
    const [r] = await queryAuditEvents(server.app.store, { principalArn, eventName, limit: 1 });
    if (!r) throw new Error(`no ${eventName} record`);
    return r;
  }

  beforeAll(async () => {
    server = await startTestServer({}, dialect);
    root = clientsFor(server, server.credentials);
    await grantProduction(server, ACCOUNT);
    await verify(root.v1, 'example.com');
    sender = await userWithPolicy(
      root,
      policyDoc({
        Sid: 'OnlyNoreply',
        Effect: 'Allow',
        Action: 'ses:SendEmail',
        Resource: '*',
        Condition: { StringEquals: { 'ses:FromAddress': 'noreply@example.com' } },
      }),
      'ctx-sender',
    );
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('a denied send keeps its global keys and its check with the SES keys, never the message', async () => {
    const c = clientsFor(server, sender.creds);
    const err = await errorOf(
      c.v2.send(
        new SendEmailCommand({
          FromEmailAddress: 'Mkt Team <mkt@example.com>',
          Destination: { ToAddresses: ['a@example.net'], CcAddresses: ['b@example.net'] },
          Content: {
            Simple: { Subject: { Data: 'Quarterly secret' }, Body: { Text: { Data: 'body text 123' } } },
          },
        }),
      ),
    );
    expect(err.name).toBe('AccessDeniedException');
    const r = await lastRecordOf(sender.arn, 'SendEmail');
    expect(r.decision).toBe('ImplicitDeny');
    const ctx = r.requestContext!;
    expect(ctx.keys).toMatchObject({
      'aws:SourceIp': '127.0.0.1',
      'aws:SecureTransport': 'false',
      'aws:RequestedRegion': 'us-east-1',
      'aws:PrincipalArn': sender.arn,
      'aws:PrincipalAccount': ACCOUNT,
      'aws:PrincipalType': 'User',
      'aws:username': 'ctx-sender',
      'ses:ApiVersion': '2',
    });
    expect(ctx.keys['aws:CurrentTime']).toBe(r.eventTime.replace(/\.\d{3}Z$/, 'Z'));
    expect(ctx.keys['aws:EpochTime']).toBe(String(Math.floor(Date.parse(r.eventTime) / 1000)));
    expect(ctx.keys['aws:UserAgent']).toMatch(/aws-sdk-js/);
    expect(ctx.checks).toEqual([
      {
        action: 'ses:SendEmail',
        resource: ID_ARN,
        resourceAccount: ACCOUNT,
        keys: {
          'ses:FromAddress': 'mkt@example.com',
          'ses:FromDisplayName': 'Mkt Team',
          'ses:Recipients': ['a@example.net', 'b@example.net'],
          'ses:FeedbackAddress': 'mkt@example.com',
        },
      },
    ]);
    expect(ctx.redacted).toBeUndefined();
    expect(ctx.truncated).toBeUndefined();
    const stored = JSON.stringify(ctx);
    expect(stored).not.toContain('Quarterly secret');
    expect(stored).not.toContain('body text 123');
  });

  it('an allowed call keeps its context too', async () => {
    const c = clientsFor(server, sender.creds);
    await c.v2.send(
      new SendEmailCommand({
        FromEmailAddress: 'noreply@example.com',
        Destination: { ToAddresses: ['a@example.net'] },
        Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } } },
      }),
    );
    const r = await lastRecordOf(sender.arn, 'SendEmail');
    expect(r.decision).toBe('Allowed');
    expect(r.requestContext!.checks.map((k) => [k.action, k.resource, k.keys?.['ses:FromAddress']])).toEqual([
      ['ses:SendEmail', ID_ARN, 'noreply@example.com'],
    ]);
  });

  it('AssumeRole keeps the name of sts:ExternalId, never its value, and marks the trust policy', async () => {
    await root.iam.send(
      new CreateRoleCommand({
        RoleName: 'partner',
        AssumeRolePolicyDocument: policyDoc({
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': 'correct-horse-battery' } },
        }),
      }),
    );
    const c = clientsFor(server, sender.creds);
    await errorOf(
      c.sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${ACCOUNT}:role/partner`,
          RoleSessionName: 'probe',
          ExternalId: 'passphrase-never-stored',
        }),
      ),
    );
    const r = await lastRecordOf(sender.arn, 'AssumeRole');
    expect(r.requestContext).toMatchObject({
      checks: [
        {
          action: 'sts:AssumeRole',
          resource: `arn:aws:iam::${ACCOUNT}:role/partner`,
          keys: { 'sts:RoleSessionName': 'probe' },
          policies: 'trust',
        },
      ],
      redacted: ['sts:ExternalId'],
    });
    const row = await server.app.store.db
      .selectFrom('audit_events')
      .select('request_context')
      .where('request_id', '=', r.requestId)
      .executeTakeFirstOrThrow();
    expect(row.request_context).not.toContain('passphrase-never-stored');
  });

  it('a call without checks (unauthenticated) has no context', async () => {
    const stranger = clientsFor(server, {
      accessKeyId: 'AKIAUNKNOWNKEY000009',
      secretAccessKey: 'x'.repeat(40),
    });
    await errorOf(stranger.v2.send(new SendEmailCommand({ FromEmailAddress: 'a@example.com' } as never)));
    const [r] = await queryAuditEvents(server.app.store, { decision: 'Unauthenticated', limit: 1 });
    expect(r!.requestContext).toBeNull();
  });
});
