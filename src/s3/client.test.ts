// Sesame's S3 access against a real S3-compatible server (moto_server): objects land as written,
// and failures are sorted into permanent (the bucket refuses) and temporary (nobody answers).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bench/support/processes.js';
import { startMotoS3, type MotoS3 } from '../../test/support/inbound.js';
import { createS3Access, S3Failure } from './client.js';

describe('S3 access', () => {
  let moto: MotoS3;
  beforeAll(async () => {
    moto = await startMotoS3();
    await moto.createBucket('inbox');
  }, 60_000);
  afterAll(async () => moto?.stop());

  it('writes an object with its bytes', async () => {
    const s3 = createS3Access(
      { endpoint: moto.endpoint, accessKeyId: 'k', secretAccessKey: 's' },
      { region: 'us-east-1' },
    );
    const body = Buffer.from('Subject: hi\r\n\r\nbody \u00e9\r\n', 'utf8');
    await s3.putObject({ bucket: 'inbox', key: 'in/abc', body });
    expect(await moto.get('inbox', 'in/abc')).toEqual(body);
    s3.close();
  });

  it('a missing bucket is permanent; an endpoint nobody listens on is temporary', async () => {
    const s3 = createS3Access(
      { endpoint: moto.endpoint, accessKeyId: 'k', secretAccessKey: 's' },
      { region: 'us-east-1' },
    );
    const missing = await s3
      .putObject({ bucket: 'no-such-bucket', key: 'k', body: Buffer.from('x') })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(S3Failure);
    expect(missing).toMatchObject({ permanent: true, code: 'NoSuchBucket' });
    s3.close();
    const down = createS3Access(
      { endpoint: `http://127.0.0.1:${await freePort()}`, accessKeyId: 'k', secretAccessKey: 's' },
      { region: 'us-east-1', requestTimeoutMs: 2000 },
    );
    const refused = await down
      .putObject({ bucket: 'inbox', key: 'k', body: Buffer.from('x') })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(S3Failure);
    expect(refused).toMatchObject({ permanent: false, code: 'ECONNREFUSED' });
    down.close();
  });
});
