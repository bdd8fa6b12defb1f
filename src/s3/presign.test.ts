// Pre-signed GET URLs, checked against botocore's own (boto3's generate_presigned_url signed at the
// same instant must carry the same signature) and fetched from a real S3-compatible server.
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedAwsEnv, pythonExecutable } from '../../test/support/aws-cli.js';
import { startMotoS3, type MotoS3 } from '../../test/support/inbound.js';
import { createS3Access } from './client.js';
import { presignGetUrl } from './presign.js';

const CREDS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

async function botocoreUrl(endpoint: string, bucket: string, key: string): Promise<string> {
  const script = `
import boto3, os
from botocore.config import Config
s3 = boto3.client('s3', endpoint_url=os.environ['EP'], config=Config(signature_version='s3v4', s3={'addressing_style': 'path'}))
print(s3.generate_presigned_url('get_object', Params={'Bucket': os.environ['B'], 'Key': os.environ['K']}, ExpiresIn=900))
`;
  const python = await pythonExecutable();
  return new Promise((resolve, reject) =>
    execFile(
      python,
      ['-c', script],
      { env: { ...isolatedAwsEnv(CREDS, 'eu-west-1'), EP: endpoint, B: bucket, K: key } },
      (err, stdout, stderr) => (err ? reject(new Error(stderr || err.message)) : resolve(stdout.trim())),
    ),
  );
}

/** `20260101T000000Z` → Date */
const amzDate = (s: string): Date =>
  new Date(
    `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`,
  );

describe('pre-signed GET URLs', () => {
  it.each([
    ['reports', 'failed-records/5f0c.csv'],
    ['my.bucket', 'in/a b+c@é(1)*.csv'],
  ])('sign as botocore signs (%s, %s)', async (bucket, key) => {
    const endpoint = 'http://127.0.0.1:9000';
    const theirs = new URL(await botocoreUrl(endpoint, bucket, key));
    const at = amzDate(theirs.searchParams.get('X-Amz-Date')!);
    const ours = new URL(
      await presignGetUrl({
        endpoint,
        region: 'eu-west-1',
        credentials: CREDS,
        bucket,
        key,
        expiresInSeconds: 900,
        signingDate: at,
      }),
    );
    expect(ours.pathname).toBe(theirs.pathname);
    expect(Object.fromEntries(ours.searchParams)).toEqual(Object.fromEntries(theirs.searchParams));
  });

  describe('against a real S3-compatible server', () => {
    let moto: MotoS3;
    beforeAll(async () => {
      moto = await startMotoS3();
      await moto.createBucket('exports');
    }, 60_000);
    afterAll(async () => moto?.stop());

    it('reads back what was written, through the URL and through getObject', async () => {
      const s3 = createS3Access(
        { endpoint: moto.endpoint, accessKeyId: 'k', secretAccessKey: 's' },
        { region: 'us-east-1' },
      );
      const body = Buffer.from('emailAddress,reason\na@example.com,BOUNCE\n');
      await s3.putObject({ bucket: 'exports', key: 'dir/file one.csv', body });
      const url = await s3.presignGet({ bucket: 'exports', key: 'dir/file one.csv', expiresInSeconds: 60 });
      expect(url).toMatch(
        /^http:\/\/127\.0\.0\.1:\d+\/exports\/dir\/file%20one\.csv\?X-Amz-Algorithm=AWS4-HMAC-SHA256&/,
      );
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer())).toEqual(body);
      const chunks: Buffer[] = [];
      for await (const c of await s3.getObject({ bucket: 'exports', key: 'dir/file one.csv' }))
        chunks.push(c as Buffer);
      expect(Buffer.concat(chunks)).toEqual(body);
      const missing = await s3.getObject({ bucket: 'exports', key: 'nope' }).catch((e: unknown) => e);
      expect(missing).toMatchObject({ permanent: true, code: 'NoSuchKey' });
      s3.close();
    });
  });
});
