// Sesame's access to an S3-compatible store (SESAME_S3_ENDPOINT: AWS, MinIO, a local emulator):
// the one place that speaks S3, for receipt S3 actions and import/export jobs. Path-style
// addressing (what local stores serve), one attempt per call (callers own their retry policy), and
// failures sorted into permanent (the bucket refuses: wrong name, no permission) or temporary.
import type { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { S3Settings } from '../config/receiving.js';
import { presignGetUrl } from './presign.js';

export interface PutObjectRequest {
  bucket: string;
  key: string;
  /** The bytes, or a stream of them of `contentLength` bytes (an object too big to hold at once). */
  body: Buffer | Readable;
  contentLength?: number;
  contentType?: string;
}

/** Why a call failed; `permanent` when retrying the same call cannot succeed. */
export class S3Failure extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'S3Failure';
  }
}

export interface S3Access {
  /** The endpoint, for messages (`http://127.0.0.1:9000`). */
  endpoint: string;
  putObject(req: PutObjectRequest): Promise<void>;
  /** The object's bytes as a stream (read it to the end or destroy it). */
  getObject(req: { bucket: string; key: string }): Promise<Readable>;
  /** A pre-signed GET URL of the object, valid `expiresInSeconds` from now. */
  presignGet(req: { bucket: string; key: string; expiresInSeconds: number }): Promise<string>;
  close(): void;
}

export interface S3Options {
  region: string;
  requestTimeoutMs?: number;
}

function classify(e: unknown): S3Failure {
  if (e instanceof S3ServiceException) {
    const status = e.$metadata.httpStatusCode ?? 0;
    const permanent = status >= 400 && status < 500 && status !== 408 && status !== 429;
    return new S3Failure(`${e.name}: ${e.message || `HTTP ${status}`}`, permanent, e.name);
  }
  const err = e as { name?: string; code?: string; message?: string };
  return new S3Failure(err.message ?? String(e), false, err.code ?? err.name);
}

export function createS3Access(settings: S3Settings, opts: S3Options): S3Access {
  const client = new S3Client({
    endpoint: settings.endpoint,
    region: opts.region,
    forcePathStyle: true,
    maxAttempts: 1,
    // CRC32 trailers only where S3 requires them: S3-compatible stores that predate AWS's 2025
    // default refuse them, and the checksum costs CPU on every object.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(settings.accessKeyId && settings.secretAccessKey
      ? { credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } }
      : {}),
    requestHandler: { requestTimeout: opts.requestTimeoutMs ?? 30_000 },
  });
  return {
    endpoint: settings.endpoint,
    async putObject(req) {
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: req.bucket,
            Key: req.key,
            Body: req.body,
            ContentLength: Buffer.isBuffer(req.body) ? req.body.length : req.contentLength,
            ...(req.contentType ? { ContentType: req.contentType } : {}),
          }),
        );
      } catch (e) {
        throw classify(e);
      }
    },
    async getObject(req) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: req.bucket, Key: req.key }));
        return out.Body as Readable;
      } catch (e) {
        throw classify(e);
      }
    },
    presignGet: (req) =>
      presignGetUrl({
        endpoint: settings.endpoint,
        region: opts.region,
        credentials: client.config.credentials,
        ...req,
      }),
    close: () => client.destroy(),
  };
}

const shared = new WeakMap<S3Settings, S3Access>();

/** One client per configured store, shared by the process's users of it. */
export function s3AccessFor(settings: S3Settings | undefined, region: string): S3Access | undefined {
  if (!settings) return undefined;
  let access = shared.get(settings);
  if (!access) shared.set(settings, (access = createS3Access(settings, { region })));
  return access;
}

/** Closes the shared client of `settings` (server shutdown). */
export function closeS3Access(settings: S3Settings | undefined): void {
  if (!settings) return;
  shared.get(settings)?.close();
  shared.delete(settings);
}
