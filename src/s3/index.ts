// S3-compatible object storage (SESAME_S3_ENDPOINT).
export {
  createS3Access,
  s3AccessFor,
  closeS3Access,
  S3Failure,
  type S3Access,
  type PutObjectRequest,
  type S3Options,
} from './client.js';
export { presignGetUrl, type PresignGet } from './presign.js';
