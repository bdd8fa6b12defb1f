// Event publishing through a running server: SESAME_SNS_SUBSCRIPTIONS maps a topic to a loopback
// subscriber; an SES v2 send with a configuration set whose SNS destination is that topic reaches it,
// signed with the data folder's event-signing key.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateConfigurationSetCommand,
  CreateConfigurationSetEventDestinationCommand,
  SendEmailCommand,
} from '@aws-sdk/client-sesv2';
import { ACCOUNT, startTestServer, type TestServer } from '../../../test/support/server.js';
import { clientsFor, grantProduction, verify } from '../../../test/support/ses-fixtures.js';
import { SIGNATURE_HEADER, verifyBody } from './envelope.js';
import { loadOrCreateSigningKey } from './signing-key.js';

const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:ses-events`;

describe('event publishing from a running server', () => {
  const hits: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
  const sub = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.end();
    });
  });
  let server: TestServer;
  beforeAll(async () => {
    await new Promise<void>((r) => sub.listen(0, '127.0.0.1', r));
    const port = (sub.address() as AddressInfo).port;
    server = await startTestServer({ SESAME_SNS_SUBSCRIPTIONS: `${TOPIC}=http://127.0.0.1:${port}/sns` });
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
    await new Promise<void>((r) => sub.close(() => r()));
  });

  it('POSTs Send and Delivery notifications for the configuration set’s SNS destination', async () => {
    const root = clientsFor(server, server.credentials);
    await grantProduction(server, ACCOUNT);
    await verify(root.v1, 'sender@example.com');
    await root.v2.send(new CreateConfigurationSetCommand({ ConfigurationSetName: 'tracked' }));
    await root.v2.send(
      new CreateConfigurationSetEventDestinationCommand({
        ConfigurationSetName: 'tracked',
        EventDestinationName: 'sns',
        EventDestination: {
          Enabled: true,
          MatchingEventTypes: ['SEND', 'DELIVERY'],
          SnsDestination: { TopicArn: TOPIC },
        },
      }),
    );
    const { MessageId } = await root.v2.send(
      new SendEmailCommand({
        FromEmailAddress: 'sender@example.com',
        Destination: { ToAddresses: ['reader@example.net'] },
        ConfigurationSetName: 'tracked',
        Content: { Simple: { Subject: { Data: 'hi' }, Body: { Text: { Data: 'hello' } } } },
      }),
    );
    // Untracked mail publishes nothing.
    await root.v2.send(
      new SendEmailCommand({
        FromEmailAddress: 'sender@example.com',
        Destination: { ToAddresses: ['reader@example.net'] },
        Content: { Simple: { Subject: { Data: 'quiet' }, Body: { Text: { Data: 'hello' } } } },
      }),
    );
    const end = Date.now() + 10_000;
    while (hits.length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    expect(hits).toHaveLength(2);
    const key = loadOrCreateSigningKey(server.config.dataDir);
    const messages = hits.map((h) => {
      expect(verifyBody(key, h.body, h.headers[SIGNATURE_HEADER] as string)).toBe(true);
      const env = JSON.parse(h.body) as { TopicArn: string; Message: string };
      expect(env.TopicArn).toBe(TOPIC);
      return JSON.parse(env.Message) as {
        eventType: string;
        mail: { messageId: string; tags: Record<string, string[]> };
      };
    });
    expect(messages.map((m) => m.eventType).sort()).toEqual(['Delivery', 'Send']);
    for (const m of messages) {
      expect(m.mail.messageId).toBe(MessageId);
      expect(m.mail.tags['ses:configuration-set']).toEqual(['tracked']);
    }
  });
});
