import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig: receiving and S3', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c.receiving).toEqual({
      inboundSmtpPort: 2525,
      inboundSmtpHost: '127.0.0.1',
      inboundMaxConnections: 256,
      inboundMaxConnectionsPerIp: 16,
      lambdaFunctions: [],
    });
    expect(c.s3).toBeUndefined();
    expect(loadConfig({ SESAME_SMTP_HOST: '0.0.0.0' }).receiving.inboundSmtpHost).toBe('0.0.0.0');
    expect(loadConfig({ SESAME_INBOUND_SMTP_PORT: '0' }).receiving.inboundSmtpPort).toBe(0);
  });

  it('reads every setting', () => {
    const c = loadConfig({
      SESAME_INBOUND_SMTP_PORT: '25',
      SESAME_INBOUND_SMTP_HOST: '0.0.0.0',
      SESAME_INBOUND_SMTP_MAX_CONNECTIONS: '1000',
      SESAME_INBOUND_SMTP_MAX_CONNECTIONS_PER_IP: '50',
      SESAME_S3_ENDPOINT: 'http://127.0.0.1:9000',
      SESAME_S3_ACCESS_KEY_ID: 'minio',
      SESAME_S3_SECRET_ACCESS_KEY: 'minio-secret',
      SESAME_LAMBDA_FUNCTIONS:
        'arn:aws:lambda:us-east-1:111122223333:function:on-mail=http://127.0.0.1:9001/invoke, arn:aws:lambda:us-east-1:111122223333:function:decide:live=https://fn.example/decide',
      SESAME_DNS_SERVERS: '127.0.0.1:5353, 10.0.0.2, ::1',
      SESAME_SPAMD_ADDRESS: '127.0.0.1:783',
      SESAME_CLAMD_ADDRESS: '[::1]:3310',
    });
    expect(c.s3).toEqual({
      endpoint: 'http://127.0.0.1:9000',
      accessKeyId: 'minio',
      secretAccessKey: 'minio-secret',
    });
    // One setting for every DNS check, receiving's verdicts included.
    expect(c.dnsServers).toEqual(['127.0.0.1:5353', '10.0.0.2', '::1']);
    expect(c.receiving).toEqual({
      inboundSmtpPort: 25,
      inboundSmtpHost: '0.0.0.0',
      inboundMaxConnections: 1000,
      inboundMaxConnectionsPerIp: 50,
      lambdaFunctions: [
        {
          functionArn: 'arn:aws:lambda:us-east-1:111122223333:function:on-mail',
          url: 'http://127.0.0.1:9001/invoke',
        },
        {
          functionArn: 'arn:aws:lambda:us-east-1:111122223333:function:decide:live',
          url: 'https://fn.example/decide',
        },
      ],
      spamd: { host: '127.0.0.1', port: 783 },
      clamd: { host: '::1', port: 3310 },
    });
  });

  it('refuses malformed values with the variable named', () => {
    const refused = (env: Record<string, string>, message: string | RegExp) =>
      expect(() => loadConfig(env)).toThrow(typeof message === 'string' ? new ConfigError(message) : message);
    refused(
      { SESAME_INBOUND_SMTP_PORT: '70000' },
      'SESAME_INBOUND_SMTP_PORT must be a port number (0-65535), got "70000"',
    );
    refused(
      { SESAME_INBOUND_SMTP_MAX_CONNECTIONS_PER_IP: '0' },
      'SESAME_INBOUND_SMTP_MAX_CONNECTIONS_PER_IP must be a whole number from 1 to 1000000, got "0"',
    );
    refused(
      { SESAME_S3_ENDPOINT: 'ftp://x' },
      'SESAME_S3_ENDPOINT: "ftp://x" must be an http:// or https:// URL',
    );
    refused(
      { SESAME_S3_ENDPOINT: 'http://x', SESAME_S3_ACCESS_KEY_ID: 'a' },
      'SESAME_S3_ACCESS_KEY_ID and SESAME_S3_SECRET_ACCESS_KEY must be set together',
    );
    refused(
      { SESAME_S3_ACCESS_KEY_ID: 'a', SESAME_S3_SECRET_ACCESS_KEY: 'b' },
      'SESAME_S3_ACCESS_KEY_ID is set but SESAME_S3_ENDPOINT is not',
    );
    refused(
      { SESAME_LAMBDA_FUNCTIONS: 'arn:aws:sns:us-east-1:111122223333:t=http://x' },
      'SESAME_LAMBDA_FUNCTIONS: expected FUNCTION_ARN=URL, got "arn:aws:sns:us-east-1:111122223333:t=http://x"',
    );
    refused(
      {
        SESAME_LAMBDA_FUNCTIONS:
          'arn:aws:lambda:us-east-1:111122223333:function:f=http://a,arn:aws:lambda:us-east-1:111122223333:function:f=http://b',
      },
      'SESAME_LAMBDA_FUNCTIONS: arn:aws:lambda:us-east-1:111122223333:function:f is mapped twice',
    );
    refused(
      { SESAME_DNS_SERVERS: 'dns.example' },
      'SESAME_DNS_SERVERS: "dns.example" is not ADDRESS or ADDRESS:PORT (IPv6 in brackets)',
    );
    refused({ SESAME_SPAMD_ADDRESS: '127.0.0.1' }, 'SESAME_SPAMD_ADDRESS must be HOST:PORT, got "127.0.0.1"');
    refused(
      { SESAME_S3_EXPORT_BUCKET: 'exports' },
      'SESAME_S3_EXPORT_BUCKET is set but SESAME_S3_ENDPOINT is not',
    );
    refused(
      { SESAME_S3_ENDPOINT: 'http://x', SESAME_S3_EXPORT_BUCKET: 'Exports_1/x' },
      'SESAME_S3_EXPORT_BUCKET must be BUCKET or BUCKET/PREFIX, got "Exports_1/x"',
    );
    refused(
      { SESAME_S3_BUCKET_ACCOUNTS: 'mail=111122223333' },
      'SESAME_S3_BUCKET_ACCOUNTS is set but SESAME_S3_ENDPOINT is not',
    );
    for (const v of ['mail', 'mail=1234', 'Mail_1=111122223333', 'mail=111122223333/x'])
      refused(
        { SESAME_S3_ENDPOINT: 'http://x', SESAME_S3_BUCKET_ACCOUNTS: v },
        `SESAME_S3_BUCKET_ACCOUNTS entries must be BUCKET=ACCOUNT_ID, got "${v}"`,
      );
  });

  it('grants each listed bucket to the accounts named for it', () => {
    const s3 = loadConfig({
      SESAME_S3_ENDPOINT: 'http://x',
      SESAME_S3_BUCKET_ACCOUNTS: 'mail-a=111122223333, shared=111122223333,shared=444455556666',
    }).s3;
    expect(s3?.bucketAccounts).toEqual([
      { bucket: 'mail-a', accounts: ['111122223333'] },
      { bucket: 'shared', accounts: ['111122223333', '444455556666'] },
    ]);
  });

  it('takes the default export location as a bucket, with or without a prefix', () => {
    const at = (v: string) =>
      loadConfig({ SESAME_S3_ENDPOINT: 'http://x', SESAME_S3_EXPORT_BUCKET: v }).s3?.exportLocation;
    expect(at('exports')).toEqual({ bucket: 'exports', prefix: '' });
    expect(at('exports/')).toEqual({ bucket: 'exports', prefix: '' });
    expect(at('exports/ses/vdm')).toEqual({ bucket: 'exports', prefix: 'ses/vdm/' });
    expect(at('exports/ses//')).toEqual({ bucket: 'exports', prefix: 'ses/' });
  });
});
