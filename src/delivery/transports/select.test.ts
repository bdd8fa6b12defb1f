import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.js';
import { openTestStore, type Store } from '../../store/database.js';
import { startSmtpSink, type SmtpSink } from '../smtp-sink.js';
import { parseRelayUrl, transportFromConfig } from './select.js';

describe('parseRelayUrl', () => {
  it('smtp:// requires STARTTLS on 587 by default, with URL-decoded credentials', () => {
    expect(parseRelayUrl('smtp://us%40er:p%3Ass@mail.example.com')).toEqual({
      host: 'mail.example.com',
      port: 587,
      secure: false,
      requireTLS: true,
      auth: { user: 'us@er', pass: 'p:ss' },
    });
  });

  it('smtps:// is implicit TLS on 465; ?tls=off turns STARTTLS off; ?tls=noverify skips certificate checks', () => {
    expect(parseRelayUrl('smtps://mail.example.com')).toEqual({
      host: 'mail.example.com',
      port: 465,
      secure: true,
      requireTLS: false,
    });
    expect(parseRelayUrl('smtp://127.0.0.1:2525?tls=off')).toEqual({
      host: '127.0.0.1',
      port: 2525,
      secure: false,
      requireTLS: false,
      ignoreTLS: true,
    });
    expect(parseRelayUrl('smtp://h:25?tls=noverify')).toMatchObject({
      requireTLS: true,
      tls: { rejectUnauthorized: false },
    });
    expect(() => parseRelayUrl('http://h')).toThrow('relay URL must be smtp:// or smtps://, got "http://h"');
  });
});

describe('transportFromConfig', () => {
  let store: Store;
  let sink: SmtpSink;
  beforeAll(async () => {
    store = await openTestStore('sqlite');
    sink = await startSmtpSink({ auth: { user: 'relay-user', pass: 's3cret' } });
  });
  afterAll(async () => {
    await sink.close();
    await store.close();
  });

  it('picks capture by default, mx and relay when configured', async () => {
    expect(transportFromConfig(loadConfig({}), store).name).toBe('capture');
    const real = { SESAME_VERIFICATION: 'email' }; // auto verification with real delivery is refused
    expect(transportFromConfig(loadConfig({ ...real, SESAME_DELIVERY_TRANSPORT: 'mx' }), store).name).toBe(
      'mx',
    );
    const relay = transportFromConfig(
      loadConfig({
        ...real,
        SESAME_DELIVERY_TRANSPORT: 'relay',
        SESAME_RELAY_URL: `smtp://relay-user:s3cret@127.0.0.1:${sink.port}?tls=noverify`,
      }),
      store,
    );
    expect(relay.name).toBe('relay');
    try {
      const out = await relay.deliver({
        messageId: 'm1',
        accountId: '111111111111',
        region: 'us-east-1',
        principalArn: 'arn:aws:iam::111111111111:root',
        mailFrom: 'bounce@example.com',
        recipients: ['rcpt@example.net'],
        raw: Buffer.from('Subject: hi\r\n\r\nbody\r\n'),
        createdAt: new Date(),
      });
      expect(out.map((o) => o.kind)).toEqual(['delivered']);
      expect(sink.messages.at(-1)).toMatchObject({
        secure: true,
        user: 'relay-user',
        rcptTo: ['rcpt@example.net'],
      });
    } finally {
      await relay.close?.();
    }
  });
});
