import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      httpHost: '127.0.0.1',
      httpPort: 8787,
      smtpPort: 2587,
      smtpsPort: 2465,
      dataDir: './.sesame',
      accountId: '000000000000',
      verification: 'auto',
      profile: 'aws',
      region: 'us-east-1',
      productionMaxSendRate: 14,
      productionMax24HourSend: 50000,
      autoApproveProduction: false,
    });
    expect(c.databaseUrl).toBeUndefined();
  });

  it('refuses malformed values with the variable named', () => {
    expect(() => loadConfig({ SESAME_HTTP_PORT: 'eighty' })).toThrow(
      new ConfigError('SESAME_HTTP_PORT must be a whole number, got "eighty"'),
    );
    expect(() => loadConfig({ SESAME_ACCOUNT_ID: '123' })).toThrow(/SESAME_ACCOUNT_ID must be 12 digits/);
    expect(() => loadConfig({ SESAME_PROFILE: 'gcp' })).toThrow(/must be one of aws, emulator/);
    expect(() => loadConfig({ SESAME_ROOT_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE12' })).toThrow(
      /must be set together/,
    );
  });

  it('reads booleans and overrides', () => {
    const c = loadConfig({
      SESAME_AUTO_APPROVE_PRODUCTION: '1',
      SESAME_HTTP_PORT: '9000',
      SESAME_PROFILE: 'emulator',
    });
    expect(c.autoApproveProduction).toBe(true);
    expect(c.httpPort).toBe(9000);
    expect(c.profile).toBe('emulator');
  });
});

describe('loadConfig: delivery and event publishing', () => {
  it('defaults to the capture transport with no subscriptions', () => {
    const c = loadConfig({});
    expect(c.deliveryTransport).toBe('capture');
    expect(c.relayUrl).toBeUndefined();
    expect(c.snsSubscriptions).toEqual([]);
    expect(c.eventBridgeWebhook).toBeUndefined();
  });

  it('requires a relay URL for the relay transport and checks its scheme', () => {
    expect(() => loadConfig({ SESAME_DELIVERY_TRANSPORT: 'relay' })).toThrow(
      new ConfigError('SESAME_RELAY_URL is required when SESAME_DELIVERY_TRANSPORT is relay'),
    );
    expect(() => loadConfig({ SESAME_DELIVERY_TRANSPORT: 'pigeon' })).toThrow(
      /SESAME_DELIVERY_TRANSPORT must be one of capture, relay, mx, got "pigeon"/,
    );
    expect(() =>
      loadConfig({ SESAME_DELIVERY_TRANSPORT: 'relay', SESAME_RELAY_URL: 'http://mail.example.com' }),
    ).toThrow(/SESAME_RELAY_URL must be smtp:\/\//);
    const c = loadConfig({
      SESAME_DELIVERY_TRANSPORT: 'relay',
      SESAME_RELAY_URL: 'smtp://u:p@mail.example.com:587',
      SESAME_VERIFICATION: 'email',
    });
    expect(c.deliveryTransport).toBe('relay');
    expect(c.relayUrl).toBe('smtp://u:p@mail.example.com:587');
  });

  it('parses SNS subscriptions (a topic may have several) and the EventBridge webhook', () => {
    const c = loadConfig({
      SESAME_SNS_SUBSCRIPTIONS:
        'arn:aws:sns:us-east-1:111122223333:bounces=http://127.0.0.1:9000/hook, arn:aws:sns:us-east-1:111122223333:bounces=https://h.example/x?a=b',
      SESAME_EVENTBRIDGE_WEBHOOK: 'http://127.0.0.1:9001/events',
    });
    expect(c.snsSubscriptions).toEqual([
      { topicArn: 'arn:aws:sns:us-east-1:111122223333:bounces', url: 'http://127.0.0.1:9000/hook' },
      { topicArn: 'arn:aws:sns:us-east-1:111122223333:bounces', url: 'https://h.example/x?a=b' },
    ]);
    expect(c.eventBridgeWebhook).toBe('http://127.0.0.1:9001/events');
    expect(() =>
      loadConfig({ SESAME_SNS_SUBSCRIPTIONS: 'arn:aws:sqs:us-east-1:111122223333:q=http://x' }),
    ).toThrow(/SESAME_SNS_SUBSCRIPTIONS: expected TOPIC_ARN=URL/);
    expect(() =>
      loadConfig({ SESAME_SNS_SUBSCRIPTIONS: 'arn:aws:sns:us-east-1:111122223333:t=ftp://x/y' }),
    ).toThrow(/must be an http:\/\/ or https:\/\/ URL/);
    expect(() => loadConfig({ SESAME_EVENTBRIDGE_WEBHOOK: 'nope' })).toThrow(
      new ConfigError('SESAME_EVENTBRIDGE_WEBHOOK: "nope" is not a URL'),
    );
  });
});

describe('loadConfig: hardening limits (issue 14)', () => {
  it('has safe defaults', () => {
    expect(loadConfig({})).toMatchObject({
      httpHeadersTimeoutMs: 10_000,
      httpRequestTimeoutMs: 300_000,
      httpIdleTimeoutMs: 20_000,
      httpMaxConnections: 1024,
      httpMaxConnectionsPerIp: 64,
      httpUnauthenticatedBodyBytes: 128 * 1024 * 1024,
      smtpMaxConnections: 256,
      smtpMaxConnectionsPerIp: 16,
      smtpAuthTimeoutMs: 30_000,
      smtpIdleTimeoutMs: 60_000,
      renderWorkers: 2,
      renderTimeoutMs: 2000,
      renderMaxOutputBytes: 10 * 1024 * 1024,
      maxIdentitiesPerRegion: 10_000,
      auditRetentionDays: 90,
      auditUnauthenticatedPerMinute: 20,
      operatorSignInFailuresPerMinute: 10,
      deliveryLeaseMs: 30_000,
      allowAutoVerificationWithRealDelivery: false,
    });
  });

  it('refuses a bad value naming the variable, the value and what is allowed', () => {
    expect(() => loadConfig({ SESAME_HTTP_MAX_CONNECTIONS_PER_IP: '0' })).toThrow(
      new ConfigError('SESAME_HTTP_MAX_CONNECTIONS_PER_IP must be between 1 and 1000000, got 0'),
    );
    expect(() => loadConfig({ SESAME_RENDER_TIMEOUT_MS: 'soon' })).toThrow(
      new ConfigError('SESAME_RENDER_TIMEOUT_MS must be a whole number, got "soon"'),
    );
    expect(() =>
      loadConfig({ SESAME_HTTP_HEADERS_TIMEOUT_MS: '20000', SESAME_HTTP_REQUEST_TIMEOUT_MS: '10000' }),
    ).toThrow(
      new ConfigError(
        'SESAME_HTTP_REQUEST_TIMEOUT_MS (10000) must be at least SESAME_HTTP_HEADERS_TIMEOUT_MS (20000)',
      ),
    );
    expect(() => loadConfig({ SESAME_DELIVERY_LEASE_SECONDS: '0' })).toThrow(
      new ConfigError('SESAME_DELIVERY_LEASE_SECONDS must be between 1 and 86400, got 0'),
    );
  });
});
