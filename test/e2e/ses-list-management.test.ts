// Sends with ListManagementOptions end to end, on a real server with a real HTTP client (fetch) for
// the unsubscribe links: SES's List-Unsubscribe/-Post headers and the replaced placeholder (single
// recipient only), recipients added as contacts, RFC 8058 one-click and the preferences page
// updating the contact at once, the Subscription event published to an SNS subscriber, and the next
// message to an unsubscribed contact bounced instead of delivered.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateConfigurationSetCommand,
  CreateConfigurationSetEventDestinationCommand,
  CreateContactListCommand,
  CreateEmailTemplateCommand,
  GetContactCommand,
  SendEmailCommand,
} from '@aws-sdk/client-sesv2';
import { testDialects } from '../../src/store/database.js';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import { clientsFor, errorOf, grantProduction, verify, type Clients } from '../support/ses-fixtures.js';
import { selectOutboxRows } from '../../src/ses/send/outbox.js';

const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:list-events`;
const LIST = { ContactListName: 'news', TopicName: 'sports' };

async function until<T>(probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(testDialects())('sending with ListManagementOptions (%s)', (dialect) => {
  const published: { eventType: string; subscription?: Record<string, unknown> }[] = [];
  const sub = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      published.push(
        JSON.parse((JSON.parse(Buffer.concat(chunks).toString()) as { Message: string }).Message),
      );
      res.end();
    });
  });
  let server: TestServer;
  let root: Clients;
  beforeAll(async () => {
    await new Promise<void>((r) => sub.listen(0, '127.0.0.1', r));
    const port = (sub.address() as AddressInfo).port;
    server = await startTestServer(
      { SESAME_SNS_SUBSCRIPTIONS: `${TOPIC}=http://127.0.0.1:${port}/sns` },
      dialect,
    );
    root = clientsFor(server, server.credentials);
    await grantProduction(server, ACCOUNT);
    await verify(root.v1, 'example.com');
    await root.v2.send(new CreateConfigurationSetCommand({ ConfigurationSetName: 'lists' }));
    await root.v2.send(
      new CreateConfigurationSetEventDestinationCommand({
        ConfigurationSetName: 'lists',
        EventDestinationName: 'sns',
        EventDestination: {
          Enabled: true,
          MatchingEventTypes: ['SUBSCRIPTION', 'BOUNCE'],
          SnsDestination: { TopicArn: TOPIC },
        },
      }),
    );
    await root.v2.send(
      new CreateContactListCommand({
        ContactListName: 'news',
        Topics: [
          { TopicName: 'sports', DisplayName: 'Sports', DefaultSubscriptionStatus: 'OPT_IN' },
          { TopicName: 'deals', DisplayName: 'Deals', DefaultSubscriptionStatus: 'OPT_OUT' },
        ],
      }),
    );
  });
  afterAll(async () => {
    await server?.stop();
    await new Promise<void>((r) => sub.close(() => r()));
  });

  const raw = async (messageId: string) =>
    (
      await selectOutboxRows(server.app.store.db)
        .where('message_id', '=', messageId)
        .executeTakeFirstOrThrow()
    ).raw.toString('utf8');
  const events = (messageId: string) =>
    server.app.store.db
      .selectFrom('delivery_events')
      .selectAll()
      .where('message_id', '=', messageId)
      .execute();
  const send = (to: string[], text: string, extra = {}) =>
    root.v2.send(
      new SendEmailCommand({
        FromEmailAddress: 'news@example.com',
        Destination: { ToAddresses: to },
        ConfigurationSetName: 'lists',
        Content: {
          Simple: {
            Subject: { Data: 'news' },
            Body: { Text: { Data: text }, Html: { Data: `<p>${text}</p>` } },
          },
        },
        ListManagementOptions: LIST,
        ...extra,
      }),
    );
  /** The link of the message's List-Unsubscribe header, on this test server. */
  const linkOf = async (messageId: string) => {
    const header = /^List-Unsubscribe: <([^>]+)>$/m.exec(await raw(messageId))?.[1];
    expect(header).toMatch(/\/unsubscribe\/[A-Za-z0-9_-]{100,}$/);
    return `${server.endpoint}${new URL(header!).pathname}`;
  };

  it('adds the headers and the link for one recipient, and the recipient as a contact', async () => {
    const { MessageId } = await send(
      ['ann@example.net'],
      'Bye: {{amazonSESUnsubscribeUrl}} {{amazonSESUnsubscribeUrl}} {{amazonSESUnsubscribeUrl}}',
    );
    const text = await raw(MessageId!);
    expect(text).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    const link = /^List-Unsubscribe: <([^>]+)>$/m.exec(text)![1]!;
    const body = text.replace(/=\r\n/g, '');
    // The first two placeholders of each part become the link; a third stays.
    expect(body.split(link).length - 1).toBe(5);
    expect(body.match(/\{\{amazonSESUnsubscribeUrl\}\}/g)).toHaveLength(2);
    const contact = await root.v2.send(
      new GetContactCommand({ ContactListName: 'news', EmailAddress: 'ann@example.net' }),
    );
    expect(contact).toMatchObject({ TopicPreferences: [], UnsubscribeAll: false });
    // Two recipients: no link, no headers, both become contacts.
    const two = await send(['bo@example.net', 'cy@example.net'], 'x {{amazonSESUnsubscribeUrl}}');
    const many = await raw(two.MessageId!);
    expect(many).not.toMatch(/^List-Unsubscribe/m);
    expect(many).toContain('{{amazonSESUnsubscribeUrl}}');
    await root.v2.send(new GetContactCommand({ ContactListName: 'news', EmailAddress: 'cy@example.net' }));
  });

  it('unsubscribes at once with RFC 8058 one-click, publishes the event, bounces the next message', async () => {
    const first = await send(['dee@example.net'], 'hello');
    const link = await linkOf(first.MessageId!);
    const forged = await fetch(
      // A character inside the token (the last one's low bits may be padding the decoder drops).
      link.replace(/(.)(.{20})$/, (_, c: string, rest: string) => (c === 'A' ? 'B' : 'A') + rest),
      {
        method: 'POST',
        body: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
    );
    expect(forged.status).toBe(404);
    const res = await fetch(link, {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(200);
    const contact = await root.v2.send(
      new GetContactCommand({ ContactListName: 'news', EmailAddress: 'dee@example.net' }),
    );
    expect(contact.TopicPreferences).toEqual([{ TopicName: 'sports', SubscriptionStatus: 'OPT_OUT' }]);
    expect(contact.UnsubscribeAll).toBe(false);

    const sub = await until(async () => published.find((p) => p.eventType === 'Subscription'));
    expect(sub.subscription).toMatchObject({
      contactList: 'news',
      source: 'UnsubscribeHeader',
      oldTopicPreferences: {
        unsubscribeAll: false,
        topicSubscriptionStatus: [
          { topicName: 'sports', subscriptionStatus: 'OptIn' },
          { topicName: 'deals', subscriptionStatus: 'OptOut' },
        ],
      },
      newTopicPreferences: {
        unsubscribeAll: false,
        topicSubscriptionStatus: [
          { topicName: 'sports', subscriptionStatus: 'OptOut' },
          { topicName: 'deals', subscriptionStatus: 'OptOut' },
        ],
      },
    });

    const second = await send(['dee@example.net'], 'again');
    const bounce = await until(async () =>
      (await events(second.MessageId!)).find((e) => e.event_type === 'Bounce'),
    );
    expect(JSON.parse(bounce.payload).bounce).toMatchObject({
      bounceType: 'Permanent',
      bounceSubType: 'UnsubscribedRecipient',
      bouncedRecipients: [{ emailAddress: 'dee@example.net', action: 'failed', status: '5.7.1' }],
    });
    expect(
      await server.app.store.db
        .selectFrom('captured_messages')
        .select('message_id')
        .where('message_id', '=', second.MessageId!)
        .execute(),
    ).toEqual([]);
    // Not feedback: the account suppression list stays empty.
    expect(await server.app.store.db.selectFrom('ses_suppressed_destinations').selectAll().execute()).toEqual(
      [],
    );
    // Mail for another topic (default OPT_IN... here OPT_OUT) and without a topic follow the contact's own state.
    const deals = await send(['dee@example.net'], 'deal', {
      ListManagementOptions: { ContactListName: 'news', TopicName: 'deals' },
    });
    await until(async () => (await events(deals.MessageId!)).find((e) => e.event_type === 'Bounce'));
    const whole = await send(['dee@example.net'], 'list', {
      ListManagementOptions: { ContactListName: 'news' },
    });
    await until(async () => (await events(whole.MessageId!)).find((e) => e.event_type === 'Delivery'));
  });

  it('serves the preferences page, whose form updates every topic or unsubscribes from all', async () => {
    const { MessageId } = await send(['eve@example.net'], 'page: {{amazonSESUnsubscribeUrl}}');
    const link = await linkOf(MessageId!);
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('eve@example.net');
    expect(html).toMatch(/name="topic:sports" value="OPT_IN" checked/);
    expect(html).toMatch(/name="topic:deals" value="OPT_OUT" checked/);
    const post = (form: Record<string, string>) =>
      fetch(link, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });
    const saved = await post({ 'topic:sports': 'OPT_OUT', 'topic:deals': 'OPT_IN', action: 'save' });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain('Your preferences have been saved.');
    const key = { ContactListName: 'news', EmailAddress: 'eve@example.net' };
    expect((await root.v2.send(new GetContactCommand(key))).TopicPreferences).toEqual([
      { TopicName: 'sports', SubscriptionStatus: 'OPT_OUT' },
      { TopicName: 'deals', SubscriptionStatus: 'OPT_IN' },
    ]);
    await post({ action: 'unsubscribe-all' });
    expect((await root.v2.send(new GetContactCommand(key))).UnsubscribeAll).toBe(true);
    expect((await fetch(`${server.endpoint}/unsubscribe/not-a-token`)).status).toBe(404);
  });

  it('links templated content, and refuses unknown lists and topics', async () => {
    await root.v2.send(
      new CreateEmailTemplateCommand({
        TemplateName: 'digest',
        TemplateContent: {
          Subject: 'Digest for {{name}}',
          Text: 'Hi {{name}}, leave: {{amazonSESUnsubscribeUrl}}',
        },
      }),
    );
    // Raw content: the placeholder replaced where it stands, the headers added; a message its sender
    // already signed is left alone.
    const mime = (extra: string) =>
      Buffer.from(
        `${extra}From: news@example.com\r\nTo: raw@example.net\r\nSubject: raw\r\n\r\nLeave: {{amazonSESUnsubscribeUrl}}\r\n`,
      );
    const sendRaw = (data: Buffer) =>
      root.v2.send(new SendEmailCommand({ Content: { Raw: { Data: data } }, ListManagementOptions: LIST }));
    const plain = await raw((await sendRaw(mime(''))).MessageId!);
    const rawLink = /^List-Unsubscribe: <([^>]+)>$/m.exec(plain)![1]!;
    expect(plain).toContain(`Leave: ${rawLink}\r\n`);
    const signed = await raw(
      (await sendRaw(mime('DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=x; b=AAAA\r\n'))).MessageId!,
    );
    expect(signed).not.toMatch(/^List-Unsubscribe/m);
    expect(signed).toContain('Leave: {{amazonSESUnsubscribeUrl}}');

    const templated = await root.v2.send(
      new SendEmailCommand({
        FromEmailAddress: 'news@example.com',
        Destination: { ToAddresses: ['fay@example.net'] },
        Content: { Template: { TemplateName: 'digest', TemplateData: '{"name":"Fay"}' } },
        ListManagementOptions: LIST,
      }),
    );
    const text = await raw(templated.MessageId!);
    const link = /^List-Unsubscribe: <([^>]+)>$/m.exec(text)![1]!;
    expect(text.replace(/=\r\n/g, '')).toContain(`Hi Fay, leave: ${link}`);
    expect(
      await errorOf(send(['x@example.net'], 'x', { ListManagementOptions: { ContactListName: 'nope' } })),
    ).toEqual({
      name: 'NotFoundException',
      status: 404,
      message: "List with name: nope doesn't exist.",
    });
    expect(
      await errorOf(
        send(['x@example.net'], 'x', {
          ListManagementOptions: { ContactListName: 'news', TopicName: 'golf' },
        }),
      ),
    ).toEqual({
      name: 'BadRequestException',
      status: 400,
      message: "List: news doesn't contain Topic: golf",
    });
  });
});
