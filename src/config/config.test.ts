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

  it('reads the VPC endpoint listeners: off by default, both ids required and well formed', () => {
    expect(loadConfig({})).toMatchObject({
      vpcHttpPort: 0,
      vpcSmtpPort: 0,
      vpcEndpointId: undefined,
      vpcId: undefined,
    });
    const ids = { SESAME_VPC_ENDPOINT_ID: 'vpce-0a1b2c3d4e5f60718', SESAME_VPC_ID: 'vpc-1a2b3c4d' };
    expect(loadConfig({ ...ids, SESAME_VPC_HTTP_PORT: '8788', SESAME_VPC_SMTP_PORT: '2588' })).toMatchObject({
      vpcHttpPort: 8788,
      vpcSmtpPort: 2588,
      vpcEndpointId: 'vpce-0a1b2c3d4e5f60718',
      vpcId: 'vpc-1a2b3c4d',
    });
    expect(() => loadConfig({ SESAME_VPC_HTTP_PORT: '8788' })).toThrow(
      new ConfigError(
        'SESAME_VPC_HTTP_PORT and SESAME_VPC_SMTP_PORT need SESAME_VPC_ENDPOINT_ID and SESAME_VPC_ID',
      ),
    );
    expect(() => loadConfig({ ...ids, SESAME_VPC_ENDPOINT_ID: 'vpc-0a1b2c3d' })).toThrow(
      new ConfigError('SESAME_VPC_ENDPOINT_ID must look like vpce-0123456789abcdef0, got "vpc-0a1b2c3d"'),
    );
    expect(() => loadConfig({ ...ids, SESAME_VPC_ID: 'vpc-XYZ' })).toThrow(
      new ConfigError('SESAME_VPC_ID must look like vpc-0123456789abcdef0, got "vpc-XYZ"'),
    );
    expect(() => loadConfig({ ...ids, SESAME_VPC_HTTP_PORT: '8787' })).toThrow(
      new ConfigError('SESAME_VPC_HTTP_PORT must differ from SESAME_HTTP_PORT (8787)'),
    );
    expect(() => loadConfig({ ...ids, SESAME_VPC_SMTP_PORT: '2465' })).toThrow(
      /SESAME_VPC_SMTP_PORT must differ from SESAME_SMTP_PORT and SESAME_SMTPS_PORT/,
    );
    expect(() => loadConfig({ ...ids, SESAME_VPC_SMTP_PORT: 'x' })).toThrow(
      new ConfigError('SESAME_VPC_SMTP_PORT must be a whole number, got "x"'),
    );
  });
});

describe('loadConfig: operations settings', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({})).toMatchObject({
      logFormat: 'json',
      logLevel: 'info',
      databasePoolSize: 10,
      databaseWaitMs: 30_000,
      databaseQueryTimeoutMs: 30_000,
      deliveryLeaseMs: 30_000,
    });
  });

  it('a refused setting is a ConfigError: `sesame` prints it in one line and exits with code 2', () => {
    let caught: unknown;
    try {
      loadConfig({ SESAME_DATABASE_WAIT: 'soon' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).exitCode).toBe(2);
    expect((caught as Error).message).toBe('SESAME_DATABASE_WAIT must be a whole number, got "soon"');
  });

  it('never echoes a URL password in a refusal (relay, webhook, database)', () => {
    const message = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (e) {
        return (e as Error).message;
      }
      return 'accepted';
    };
    expect(message({ SESAME_RELAY_URL: 'http://mailer:s3cret@mail.example.com' })).toBe(
      'SESAME_RELAY_URL must be smtp://[user:pass@]host[:port] or smtps://…, got "http://mailer:***@mail.example.com"',
    );
    expect(message({ SESAME_RELAY_URL: 'smtp://mailer:s3cret@[mail' })).toBe(
      'SESAME_RELAY_URL: "smtp://mailer:***@[mail" is not a URL',
    );
    expect(message({ SESAME_EVENTBRIDGE_WEBHOOK: 'ftp://hook:s3cret@hooks.example.com/x' })).toBe(
      'SESAME_EVENTBRIDGE_WEBHOOK: "ftp://hook:***@hooks.example.com/x" must be an http:// or https:// URL',
    );
    // A password holding an unencoded '@' is hidden whole, not up to its first '@'.
    expect(message({ SESAME_DATABASE_URL: 'mysql://u:p@ss@db/x' })).toBe(
      'SESAME_DATABASE_URL must be a postgres:// or postgresql:// URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE), got "mysql://u:***@db/x"',
    );
  });

  it('accepts PostgreSQL URLs only, and IPv6 hosts and CIDRs', () => {
    expect(loadConfig({ SESAME_DATABASE_URL: 'postgresql://u:p@db:5432/sesame' }).databaseUrl).toBe(
      'postgresql://u:p@db:5432/sesame',
    );
    expect(() => loadConfig({ SESAME_DATABASE_URL: 'sqlite:///x.db' })).toThrow(/must be a postgres:\/\//);
    expect(
      loadConfig({ SESAME_HTTP_HOST: '::', SESAME_TRUSTED_PROXIES: 'fd00::/8, 10.0.0.1' }),
    ).toMatchObject({
      httpHost: '::',
      trustedProxies: ['fd00::/8', '10.0.0.1'],
    });
    expect(() => loadConfig({ SESAME_TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(/got "10.0.0.0\/33"/);
  });
});

describe('dedicated IPs and DNSBL settings', () => {
  it('reads ADDRESS, ACCOUNT=ADDRESS and ACCOUNT/REGION=ADDRESS, IPv6 included', () => {
    const c = loadConfig({
      SESAME_ACCOUNT_ID: '111122223333',
      SESAME_DEDICATED_IPS: '127.0.0.2, 222233334444=127.0.0.3,222233334444/eu-west-1=::2',
      SESAME_DNSBL_ZONES: 'zen.spamhaus.org,bl.example.',
      SESAME_DNS_SERVERS: '127.0.0.1:5353,[::1]:53',
    });
    expect(c.dedicatedIps).toEqual([
      { ip: '127.0.0.2', accountId: '111122223333', region: 'us-east-1' },
      { ip: '127.0.0.3', accountId: '222233334444', region: 'us-east-1' },
      { ip: '::2', accountId: '222233334444', region: 'eu-west-1' },
    ]);
    expect(c.dnsblZones).toEqual(['zen.spamhaus.org', 'bl.example']);
    expect(c.dnsServers).toEqual(['127.0.0.1:5353', '[::1]:53']);
    expect(loadConfig({})).toMatchObject({ dedicatedIps: [], dnsblZones: [], dnsServers: [] });
  });

  it('names the variable, the value and what is allowed', () => {
    expect(() => loadConfig({ SESAME_DEDICATED_IPS: '127.0.0.256' })).toThrow(
      new ConfigError(
        'SESAME_DEDICATED_IPS: "127.0.0.256" is not ADDRESS, ACCOUNT=ADDRESS or ACCOUNT/REGION=ADDRESS with an IPv4 or IPv6 address',
      ),
    );
    expect(() => loadConfig({ SESAME_DEDICATED_IPS: '127.0.0.2,127.0.0.2' })).toThrow(
      new ConfigError('SESAME_DEDICATED_IPS: 127.0.0.2 is listed twice'),
    );
    expect(() => loadConfig({ SESAME_DNSBL_ZONES: 'not a zone' })).toThrow(
      new ConfigError('SESAME_DNSBL_ZONES: "not a zone" is not a DNS zone name (e.g. zen.spamhaus.org)'),
    );
    expect(() => loadConfig({ SESAME_DNS_SERVERS: 'dns.example:53' })).toThrow(
      new ConfigError(
        'SESAME_DNS_SERVERS: "dns.example:53" is not ADDRESS or ADDRESS:PORT (IPv6 in brackets)',
      ),
    );
  });
});

describe('links and DNS checks', () => {
  it('reads the public URL of links and the DNS servers of checks', () => {
    const c = loadConfig({
      SESAME_PUBLIC_URL: 'https://mail.example.org',
      SESAME_DNS_SERVERS: '10.0.0.2, 127.0.0.1:5353,::1',
    });
    expect(c.publicUrl).toBe('https://mail.example.org');
    expect(c.dnsServers).toEqual(['10.0.0.2', '127.0.0.1:5353', '::1']);
    expect(loadConfig({}).dnsServers).toEqual([]);
    expect(() => loadConfig({ SESAME_DNS_SERVERS: 'dns.example.org' })).toThrow(
      new ConfigError(
        'SESAME_DNS_SERVERS: "dns.example.org" is not ADDRESS or ADDRESS:PORT (IPv6 in brackets)',
      ),
    );
    expect(() => loadConfig({ SESAME_PUBLIC_URL: 'mail.example.org' })).toThrow(
      new ConfigError('SESAME_PUBLIC_URL: "mail.example.org" is not a URL'),
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
      httpMaxConnectionsPerIp: 256,
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
