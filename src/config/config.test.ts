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
