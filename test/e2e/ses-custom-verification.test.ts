// Custom verification email templates and SendCustomVerificationEmail end to end, v1 and v2 through
// the real SDKs, with SESAME_VERIFICATION=email and the relay transport: the message reaches an
// SMTP server from the template's sender, and its link (opened with a real HTTP client) verifies
// the address and redirects to the template's success URL, or to its failure URL when it is used,
// expired or wrong. AWS's errors, the sandbox, quotas and IAM are checked on the way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateCustomVerificationEmailTemplateCommand as V1Create,
  DeleteCustomVerificationEmailTemplateCommand as V1Delete,
  GetCustomVerificationEmailTemplateCommand as V1Get,
  GetIdentityVerificationAttributesCommand,
  ListCustomVerificationEmailTemplatesCommand as V1List,
  SendCustomVerificationEmailCommand as V1Send,
  UpdateCustomVerificationEmailTemplateCommand as V1Update,
} from '@aws-sdk/client-ses';
import {
  CreateCustomVerificationEmailTemplateCommand,
  DeleteCustomVerificationEmailTemplateCommand,
  GetCustomVerificationEmailTemplateCommand,
  ListCustomVerificationEmailTemplatesCommand,
  SendCustomVerificationEmailCommand,
  UpdateCustomVerificationEmailTemplateCommand,
} from '@aws-sdk/client-sesv2';
import { simpleParser } from 'mailparser';
import { startSmtpSink, type SmtpSink } from '../../src/delivery/smtp-sink.js';
import { setAccountQuota } from '../../src/ses/state/index.js';
import { testDialects } from '../../src/store/database.js';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import {
  clientsFor,
  errorOf,
  grantProduction,
  policyDoc,
  queryErrorOf,
  userWithPolicy,
  verify,
  type Clients,
} from '../support/ses-fixtures.js';
import { selectOutboxRows } from '../../src/ses/send/outbox.js';

const template = (name: string, extra = {}) => ({
  TemplateName: name,
  FromEmailAddress: 'welcome@example.com',
  TemplateSubject: 'Please confirm',
  TemplateContent: '<h1>Welcome to Example</h1><p>One click left.</p>',
  SuccessRedirectionURL: 'https://example.com/ok',
  FailureRedirectionURL: 'https://example.com/failed',
  ...extra,
});

describe.each(testDialects())('custom verification email (%s)', (dialect) => {
  let sink: SmtpSink;
  let server: TestServer;
  let root: Clients;
  beforeAll(async () => {
    sink = await startSmtpSink();
    server = await startTestServer(
      {
        SESAME_VERIFICATION: 'email',
        SESAME_DELIVERY_TRANSPORT: 'relay',
        SESAME_RELAY_URL: `smtp://127.0.0.1:${sink.port}?tls=off`,
      },
      dialect,
    );
    root = clientsFor(server, server.credentials);
    // The sender's domain must be verified: under `email` verification, straight in the store.
    await verify(root.v1, 'example.com');
    await server.app.store.db
      .updateTable('ses_identities')
      .set({ verification_status: 'Success' })
      .where('identity', '=', 'example.com')
      .execute();
  });
  afterAll(async () => {
    await server?.stop();
    await sink?.close();
  });

  const status = async (identity: string) =>
    (await root.v1.send(new GetIdentityVerificationAttributesCommand({ Identities: [identity] })))
      .VerificationAttributes?.[identity]?.VerificationStatus;

  it('keeps templates for v1 and v2 alike, with each API’s errors', async () => {
    const { v1, v2 } = root;
    expect(
      await errorOf(
        v2.send(
          new CreateCustomVerificationEmailTemplateCommand(
            template('t', { FromEmailAddress: 'x@other.org' }),
          ),
        ),
      ),
    ).toEqual({
      name: 'NotFoundException',
      status: 404,
      message: 'The from email address <x@other.org> is not verified',
    });
    await v2.send(
      new CreateCustomVerificationEmailTemplateCommand({
        ...template('welcome'),
        Tags: [{ Key: 'k', Value: 'v' }],
      }),
    );
    expect(
      await errorOf(v2.send(new CreateCustomVerificationEmailTemplateCommand(template('welcome')))),
    ).toEqual({
      name: 'AlreadyExistsException',
      status: 400,
      message: 'Custom verification email template <welcome> already exists',
    });
    expect(await queryErrorOf(v1.send(new V1Create(template('welcome'))))).toEqual({
      code: 'CustomVerificationEmailTemplateAlreadyExists',
      type: 'Sender',
      status: 400,
    });
    expect(
      await errorOf(
        v2.send(
          new CreateCustomVerificationEmailTemplateCommand(
            template('u', { SuccessRedirectionURL: 'not a url' }),
          ),
        ),
      ),
    ).toEqual({
      name: 'BadRequestException',
      status: 400,
      message: 'The success redirection URL is invalid',
    });
    expect(
      await v2.send(new GetCustomVerificationEmailTemplateCommand({ TemplateName: 'welcome' })),
    ).toMatchObject({
      ...template('welcome'),
      Tags: [{ Key: 'k', Value: 'v' }],
    });
    // v1 updates the fields it is given; v2 replaces them all.
    await v1.send(new V1Update({ TemplateName: 'welcome', TemplateSubject: 'Confirm, please' }));
    expect(await v1.send(new V1Get({ TemplateName: 'welcome' }))).toMatchObject({
      ...template('welcome'),
      TemplateSubject: 'Confirm, please',
    });
    await v2.send(new UpdateCustomVerificationEmailTemplateCommand(template('welcome')));
    expect((await v1.send(new V1List({}))).CustomVerificationEmailTemplates).toEqual([
      {
        TemplateName: 'welcome',
        FromEmailAddress: 'welcome@example.com',
        TemplateSubject: 'Please confirm',
        SuccessRedirectionURL: 'https://example.com/ok',
        FailureRedirectionURL: 'https://example.com/failed',
      },
    ]);
    expect(await queryErrorOf(v1.send(new V1Get({ TemplateName: 'nope' })))).toEqual({
      code: 'CustomVerificationEmailTemplateDoesNotExist',
      type: 'Sender',
      status: 400,
    });
    expect(
      await errorOf(v2.send(new DeleteCustomVerificationEmailTemplateCommand({ TemplateName: 'nope' }))),
    ).toEqual({
      name: 'NotFoundException',
      status: 404,
      message: 'Custom verification email template <nope> does not exist',
    });
    await v1.send(new V1Delete({ TemplateName: 'nope' })); // v1 knows no error for it
  });

  it('holds 50 templates per account and pages them', async () => {
    const west = clientsFor(server, server.credentials, 'us-west-2');
    await verify(west.v1, 'example.com');
    await server.app.store.db
      .updateTable('ses_identities')
      .set({ verification_status: 'Success' })
      .where('region', '=', 'us-west-2')
      .execute();
    for (let i = 0; i < 50; i++)
      await west.v2.send(
        new CreateCustomVerificationEmailTemplateCommand(template(`t${String(i).padStart(2, '0')}`)),
      );
    expect(
      (await errorOf(west.v2.send(new CreateCustomVerificationEmailTemplateCommand(template('t50'))))).name,
    ).toBe('LimitExceededException');
    const first = await west.v2.send(new ListCustomVerificationEmailTemplatesCommand({ PageSize: 20 }));
    expect(first.CustomVerificationEmailTemplates).toHaveLength(20);
    const rest = await west.v2.send(
      new ListCustomVerificationEmailTemplatesCommand({ PageSize: 50, NextToken: first.NextToken }),
    );
    expect(rest.CustomVerificationEmailTemplates?.[0]?.TemplateName).toBe('t20');
    expect(rest.CustomVerificationEmailTemplates).toHaveLength(30);
    expect(rest.NextToken).toBeUndefined();
  });

  it('refuses to send in the sandbox, then mails a link that verifies once and redirects', async () => {
    const { v1, v2 } = root;
    expect(
      await queryErrorOf(v1.send(new V1Send({ EmailAddress: 'new@customer.net', TemplateName: 'welcome' }))),
    ).toEqual({
      code: 'ProductionAccessNotGranted',
      type: 'Sender',
      status: 400,
    });
    expect(
      await errorOf(
        v2.send(
          new SendCustomVerificationEmailCommand({
            EmailAddress: 'new@customer.net',
            TemplateName: 'welcome',
          }),
        ),
      ),
    ).toEqual({
      name: 'BadRequestException',
      status: 400,
      message: 'Production access is not granted for this account.',
    });
    await grantProduction(server, ACCOUNT);
    expect(
      await errorOf(
        v2.send(new SendCustomVerificationEmailCommand({ EmailAddress: 'nope', TemplateName: 'welcome' })),
      ),
    ).toEqual({
      name: 'BadRequestException',
      status: 400,
      message: 'Invalid email address<nope>.',
    });
    expect(
      await queryErrorOf(v1.send(new V1Send({ EmailAddress: 'a@customer.net', TemplateName: 'gone' }))),
    ).toMatchObject({
      code: 'CustomVerificationEmailTemplateDoesNotExist',
    });

    const { MessageId } = await v2.send(
      new SendCustomVerificationEmailCommand({ EmailAddress: 'new@customer.net', TemplateName: 'welcome' }),
    );
    expect(MessageId).toMatch(/^[0-9a-f]{16}-[0-9a-f-]{36}-\d{6}$/);
    expect(await status('new@customer.net')).toBe('Pending');
    const end = Date.now() + 10_000;
    while (sink.messages.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    const delivered = sink.messages.at(-1)!;
    expect(delivered.rcptTo).toEqual(['new@customer.net']);
    const mail = await simpleParser(delivered.raw);
    expect(mail.from?.text).toBe('welcome@example.com');
    expect(mail.subject).toBe('Please confirm');
    expect(mail.html).toContain('<h1>Welcome to Example</h1>');
    expect(mail.html).toContain(
      'If you did not request to verify this email address, please disregard this message.',
    );
    const href = /href="([^"]*\/verify-email\?[^"]+)"/.exec(mail.html as string)![1]!.replace(/&amp;/g, '&');
    const link = `${server.endpoint}${new URL(href).pathname}${new URL(href).search}`;

    const wrong = await fetch(link.replace(/token=[^&]+/, 'token=forged'), { redirect: 'manual' });
    expect([wrong.status, wrong.headers.get('location')]).toEqual([302, 'https://example.com/failed']);
    expect(await status('new@customer.net')).toBe('Pending');
    const ok = await fetch(link, { redirect: 'manual' });
    expect([ok.status, ok.headers.get('location')]).toEqual([302, 'https://example.com/ok']);
    expect(await status('new@customer.net')).toBe('Success');
    const again = await fetch(link, { redirect: 'manual' });
    expect(again.headers.get('location')).toBe('https://example.com/failed');
  });

  it('sends an expired link to the failure URL', async () => {
    await root.v2.send(
      new SendCustomVerificationEmailCommand({ EmailAddress: 'late@customer.net', TemplateName: 'welcome' }),
    );
    const row = await server.app.store.db
      .selectFrom('ses_custom_verification_links')
      .selectAll()
      .where('identity', '=', 'late@customer.net')
      .executeTakeFirstOrThrow();
    const stored = (
      await server.app.store.db
        .selectFrom('ses_identities')
        .select('verification_token')
        .where('identity', '=', 'late@customer.net')
        .executeTakeFirstOrThrow()
    ).verification_token!;
    // A day later: the stored expiry is moved into the past.
    await server.app.store.db
      .updateTable('ses_identities')
      .set({ verification_token: stored.replace(/:\d+$/, ':1') })
      .where('identity', '=', 'late@customer.net')
      .execute();
    const raw = (
      await selectOutboxRows(server.app.store.db)
        .where('recipients', 'like', '%late@customer.net%')
        .executeTakeFirstOrThrow()
    ).raw;
    const token = /token=3D([A-Za-z0-9_-]+)|token=([A-Za-z0-9_-]+)/.exec(
      raw.toString().replace(/=\r\n/g, ''),
    )!;
    const res = await fetch(
      `${server.endpoint}/verify-email?token=${token[1] ?? token[2]}&link=${row.link_id}`,
      { redirect: 'manual' },
    );
    expect(res.headers.get('location')).toBe('https://example.com/failed');
    expect(await status('late@customer.net')).toBe('Pending');
  });

  it('authorizes on the identity and the template, and counts against the daily quota', async () => {
    const user = await userWithPolicy(
      root,
      policyDoc({
        Effect: 'Allow',
        Action: 'ses:SendCustomVerificationEmail',
        Resource: '*',
        Condition: { StringEquals: { 'ses:FromAddress': 'someone@else.com' } },
      }),
    );
    const u = clientsFor(server, user.creds);
    const denied = await errorOf(
      u.v2.send(
        new SendCustomVerificationEmailCommand({ EmailAddress: 'z@customer.net', TemplateName: 'welcome' }),
      ),
    );
    expect(denied).toEqual({
      name: 'AccessDeniedException',
      status: 403,
      message: `User: ${user.arn} is not authorized to perform: ses:SendCustomVerificationEmail on resource: arn:aws:ses:us-east-1:${ACCOUNT}:identity/z@customer.net because no identity-based policy allows the ses:SendCustomVerificationEmail action`,
    });
    await setAccountQuota(server.app.store, ACCOUNT, 'us-east-1', { max24HourSend: 0, maxSendRate: 10 });
    expect(
      await errorOf(
        root.v2.send(
          new SendCustomVerificationEmailCommand({ EmailAddress: 'q@customer.net', TemplateName: 'welcome' }),
        ),
      ),
    ).toEqual({
      name: 'TooManyRequestsException',
      status: 429,
      message: 'Daily message quota exceeded.',
    });
    expect(await status('q@customer.net')).toBeUndefined();
  });
});
