// Parts of a captured message served as they are: an attachment's bytes (as a download) and the
// HTML part as a document of its own, under a Content-Security-Policy that allows no script and no
// remote content unless `images=remote` asks for remote images of this one message. Both read the
// message, so both are authorized as `sesame:GetMessage` on it.
import { simpleParser } from 'mailparser';
import type { Operation, OperationTable } from '../api/operation.js';
import { badRequest } from '../api/query-params.js';
import { getMessage } from '../delivery/mailbox.js';
import { AwsError } from '../errors/aws-error.js';
import { messageArn, RAW_OUTPUT, UNTRUSTED_BYTES, type RawOutput } from './operations.js';

const notFound = (message: string) => new AwsError('NotFoundException', message, 404);

/** A media type as mail carries it, or a neutral one for anything odd. */
const mediaType = (t: string) => (/^[\w.+-]+\/[\w.+-]+$/.test(t) ? t : 'application/octet-stream');

/** RFC 6266: an ASCII fallback and the UTF-8 name (RFC 5987). */
function disposition(filename: string | undefined): string {
  if (!filename) return 'attachment';
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const utf8 = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}

async function readMessage(ctx: Parameters<Operation['handle']>[0], id: string) {
  const m = await getMessage(ctx.store, ctx.caller.accountId, id);
  if (!m) throw notFound(`Message ${id} does not exist.`);
  return m;
}

const GetMessageAttachment: Operation<{ Id: string; Index: string }> = {
  authorize: (ctx, input) => [{ action: 'sesame:GetMessage', resource: messageArn(ctx, input.Id) }],
  async handle(ctx, input): Promise<RawOutput> {
    const m = await readMessage(ctx, input.Id);
    const parsed = await simpleParser(m.raw, {
      skipImageLinks: true,
      skipTextToHtml: true,
      skipHtmlToText: true,
    });
    const i = /^\d+$/.test(input.Index) ? Number(input.Index) : -1;
    const a = parsed.attachments[i];
    if (!a) throw notFound(`Message ${input.Id} has no attachment ${input.Index}.`);
    return {
      [RAW_OUTPUT]: {
        body: a.content,
        headers: {
          'content-type': mediaType(a.contentType),
          'content-disposition': disposition(a.filename),
          ...UNTRUSTED_BYTES,
        },
      },
    };
  },
};

/** The preview's own policy: inline styles, images inline (data:) and, when asked, remote ones. */
export function previewPolicy(remoteImages: boolean): string {
  return [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    `img-src data:${remoteImages ? ' http: https:' : ''}`,
    'font-src data:',
    "form-action 'none'",
    "base-uri 'none'",
    "frame-ancestors 'self'",
    'sandbox',
  ].join('; ');
}

const GetMessageHtml: Operation<{ Id: string; images?: string }> = {
  authorize: (ctx, input) => [{ action: 'sesame:GetMessage', resource: messageArn(ctx, input.Id) }],
  async handle(ctx, input): Promise<RawOutput> {
    if (input.images !== undefined && input.images !== 'remote' && input.images !== 'blocked')
      throw badRequest('images must be remote or blocked.');
    const m = await readMessage(ctx, input.Id);
    // Inline images (cid:) become data: URIs, so they show without any remote load.
    const parsed = await simpleParser(m.raw, { skipTextToHtml: true, skipHtmlToText: true });
    if (typeof parsed.html !== 'string') throw notFound(`Message ${input.Id} has no HTML part.`);
    return {
      [RAW_OUTPUT]: {
        body: Buffer.from(parsed.html, 'utf8'),
        headers: {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': previewPolicy(input.images === 'remote'),
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer',
          'cache-control': 'no-store',
        },
      },
    };
  },
};

export const messagePartOperations: OperationTable = { GetMessageAttachment, GetMessageHtml };
