// Query-string values of Sesame's own REST API (mailbox, audit), parsed with the SES v2-style errors.
import { AwsError } from '../errors/aws-error.js';

export const badRequest = (message: string): AwsError => new AwsError('BadRequestException', message, 400);

/** An ISO 8601 date or epoch seconds; undefined when absent or empty. */
export function dateParam(name: string, v: string | undefined): Date | undefined {
  if (v === undefined || v === '') return undefined;
  const t = /^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(v);
  if (!Number.isFinite(t)) throw badRequest(`${name} must be an ISO 8601 date or epoch seconds.`);
  return new Date(t);
}
