// Sesame's own API's wire (the mailbox under /sesame/mailbox, the audit log under /sesame/audit, the
// policy what-if under /sesame/policy): REST-JSON, errors as the SES v2 surface writes them
// (x-amzn-ErrorType + {"__type","message"}). Picked by dispatch when the SigV4 service is `sesame`.
import type { OperationTable } from '../api/operation.js';
import { AwsError } from '../errors/aws-error.js';
import { restJsonErrorFor, type ApiSurface, type WireResponse } from '../http/protocol-surface.js';
import { RAW_OUTPUT, type RawOutput } from './operations.js';
import { routeArchive } from '../archive/operations.js';

const PREFIX = '/sesame/mailbox/messages';

function decodeId(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new AwsError('BadRequestException', 'The message id is not valid URL encoding.', 400);
  }
}

/** A JSON object body (SimulatePolicyChange); SES v2's error for anything else. */
function jsonBody(body: Buffer | undefined): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse((body ?? Buffer.alloc(0)).toString('utf8') || '{}');
  } catch {
    throw new AwsError('BadRequestException', 'Could not parse request body into json.', 400);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new AwsError('BadRequestException', 'The request body must be a JSON object.', 400);
  return v as Record<string, unknown>;
}

/** Method + path -> operation and input (query members pass through as strings). */
export function routeMailbox(
  method: string,
  rawPath: string,
  rawQuery: string,
  body?: Buffer,
): { operation: string; input: Record<string, unknown> } {
  const query = Object.fromEntries(new URLSearchParams(rawQuery));
  const path = rawPath.replace(/\/+$/, '');
  if (path === '/sesame/audit/events' && method === 'GET') return { operation: 'LookupEvents', input: query };
  if (path === '/sesame/policy/what-if' && method === 'POST')
    return { operation: 'SimulatePolicyChange', input: jsonBody(body) };
  if (path === '/sesame/account/production-access' && method === 'POST')
    return { operation: 'DecideProductionAccess', input: jsonBody(body) };
  if (path === PREFIX && method === 'GET') return { operation: 'ListMessages', input: query };
  const archive = routeArchive(method, path, query);
  if (archive) return archive;
  if (path === PREFIX && method === 'DELETE') return { operation: 'DeleteMessages', input: query };
  const part = /^\/sesame\/mailbox\/messages\/([^/]+)\/(?:attachments\/([^/]+)|(html))$/.exec(path);
  if (part && method === 'GET') {
    const Id = decodeId(part[1]!);
    if (part[3])
      return {
        operation: 'GetMessageHtml',
        input: { Id, ...(query.images !== undefined ? { images: query.images } : {}) },
      };
    return { operation: 'GetMessageAttachment', input: { Id, Index: decodeId(part[2]!) } };
  }
  const m = /^\/sesame\/mailbox\/messages\/([^/]+)(\/timeline)?$/.exec(path);
  if (m) {
    const Id = decodeId(m[1]!);
    if (m[2] && method === 'GET') return { operation: 'GetMessageTimeline', input: { Id } };
    if (!m[2] && method === 'GET')
      return {
        operation: 'GetMessage',
        input: { Id, ...(query.format !== undefined ? { format: query.format } : {}) },
      };
    if (!m[2] && method === 'DELETE') return { operation: 'DeleteMessage', input: { Id } };
  }
  throw new AwsError('UnknownOperationException', 'Unknown operation', 404);
}

export function mailboxSurface(operations: OperationTable): ApiSurface {
  return {
    service: 'sesame',
    protocol: 'rest-json',
    known: true,
    operations,
    parse: (method, rawPath, rawQuery, _headers, body) => routeMailbox(method, rawPath, rawQuery, body),
    serialize(_operation, output, requestId): WireResponse {
      const raw = (output as Partial<RawOutput>)[RAW_OUTPUT];
      if (raw)
        return {
          status: 200,
          headers: { ...raw.headers, 'x-amzn-requestid': requestId },
          // The bytes go out untouched (8-bit parts included); Fastify sends a Buffer as is.
          body: raw.body,
        };
      return {
        status: 200,
        headers: { 'content-type': 'application/json; charset=utf-8', 'x-amzn-requestid': requestId },
        body: JSON.stringify(output),
      };
    },
    serializeError: restJsonErrorFor,
    notImplemented: (operation) =>
      new AwsError(
        'UnknownOperationException',
        `The operation ${operation} is not implemented by Sesame yet.`,
        404,
      ),
  };
}
