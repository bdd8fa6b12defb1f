// The archive's API (SigV4 service `sesame`, like the mailbox): search an archive, read one message,
// export a search as an mbox file. Authorized with Mail Manager's own actions on the archive's ARN,
// so policies written for SES's archives decide here too.
import type { CallContext, Operation, OperationTable } from '../api/operation.js';
import { badRequest, dateParam } from '../api/query-params.js';
import { AwsError } from '../errors/aws-error.js';
import { RAW_OUTPUT, UNTRUSTED_BYTES, type RawOutput } from '../mailbox-api/operations.js';
import { archivedRaw, searchArchive, type ArchivedMessage, type ArchiveSearch } from './store.js';

const MAX_LIMIT = 1000;
const EXPORT_LIMIT = 10_000;

export const archiveArn = (ctx: CallContext, archiveId: string): string =>
  `arn:aws:ses:${ctx.region}:${ctx.caller.accountId}:mailmanager-archive/${archiveId}`;

interface SearchInput {
  ArchiveId: string;
  from?: string;
  to?: string;
  subject?: string;
  since?: string;
  until?: string;
  limit?: string;
  after?: string;
}

const on = (action: string) => (ctx: CallContext, i: { ArchiveId: string }) => [
  { action, resource: archiveArn(ctx, i.ArchiveId) },
];

function search(ctx: CallContext, i: SearchInput, max: number): ArchiveSearch {
  let limit = Math.min(100, max);
  if (i.limit !== undefined) {
    if (!/^\d+$/.test(i.limit) || Number(i.limit) < 1 || Number(i.limit) > max)
      throw badRequest(`limit must be a whole number from 1 to ${max}.`);
    limit = Number(i.limit);
  }
  const q: ArchiveSearch = {
    accountId: ctx.caller.accountId,
    region: ctx.region,
    archiveId: i.ArchiveId,
    limit,
  };
  const since = dateParam('since', i.since);
  const until = dateParam('until', i.until);
  if (since) q.since = since;
  if (until) q.until = until;
  if (i.from) q.from = i.from;
  if (i.to) q.to = i.to;
  if (i.subject) q.subject = i.subject;
  if (i.after) {
    const m = /^(\d+):(.+)$/s.exec(Buffer.from(i.after, 'base64url').toString('utf8'));
    if (!m) throw badRequest('after is not a token this API returned.');
    q.before = { at: Number(m[1]), messageId: m[2]! };
  }
  return q;
}

const shape = (m: ArchivedMessage) => ({
  MessageId: m.messageId,
  ConfigurationSet: m.configurationSet,
  ...(m.from !== undefined ? { From: m.from } : {}),
  Recipients: m.recipients,
  ...(m.subject !== undefined ? { Subject: m.subject } : {}),
  Size: m.size,
  ArchivedAt: m.archivedAt.toISOString(),
});

const SearchArchive: Operation<SearchInput> = {
  authorize: on('ses:StartArchiveSearch'),
  async handle(ctx, i) {
    const q = search(ctx, i, MAX_LIMIT);
    const rows = await searchArchive(ctx.store, { ...q, limit: q.limit + 1 });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      Messages: page.map(shape),
      ...(rows.length > q.limit && last
        ? {
            NextToken: Buffer.from(`${last.archivedAt.getTime()}:${last.messageId}`).toString('base64url'),
          }
        : {}),
    };
  },
};

const GetArchivedMessage: Operation<{ ArchiveId: string; MessageId: string; format?: string }> = {
  authorize: (ctx, i) => [
    {
      action: i.format === 'raw' ? 'ses:GetArchiveMessageContent' : 'ses:GetArchiveMessage',
      resource: archiveArn(ctx, i.ArchiveId),
    },
  ],
  async handle(ctx, i) {
    if (i.format !== undefined && i.format !== 'raw') throw badRequest('format must be raw when given.');
    const m = await archivedRaw(ctx.store, ctx.caller.accountId, ctx.region, i.ArchiveId, i.MessageId);
    if (!m)
      throw new AwsError(
        'NotFoundException',
        `Message ${i.MessageId} is not in archive ${i.ArchiveId}.`,
        404,
      );
    if (i.format === 'raw')
      return {
        [RAW_OUTPUT]: { body: m.raw, headers: { 'content-type': 'message/rfc822', ...UNTRUSTED_BYTES } },
      } satisfies RawOutput;
    return shape(m);
  },
};

/** The `From ` line's date, as asctime writes it in UTC (RFC 4155): `Mon Dec  7 17:10:12 2026`. */
function asctime(d: Date): string {
  const [wd, , mon, , time] = d.toUTCString().split(' ');
  return `${wd!.slice(0, 3)} ${mon} ${String(d.getUTCDate()).padStart(2, ' ')} ${time} ${d.getUTCFullYear()}`;
}

/** mboxrd: `From ` lines start each message; body lines starting with (>*)From  get one more `>`. */
function mbox(messages: { from?: string; archivedAt: Date; raw: Buffer }[]): Buffer {
  const parts: Buffer[] = [];
  for (const m of messages) {
    const text = m.raw
      .toString('latin1')
      .replace(/\r\n/g, '\n')
      .replace(/^(>*From )/gm, '>$1');
    parts.push(Buffer.from(`From ${m.from ?? 'MAILER-DAEMON'} ${asctime(m.archivedAt)}\n`, 'latin1'));
    parts.push(Buffer.from(text.endsWith('\n') ? `${text}\n` : `${text}\n\n`, 'latin1'));
  }
  return Buffer.concat(parts);
}

const ExportArchive: Operation<SearchInput> = {
  authorize: on('ses:StartArchiveExport'),
  async handle(ctx, i) {
    const q = search(ctx, { ...i, limit: i.limit ?? String(EXPORT_LIMIT) }, EXPORT_LIMIT);
    const found = await searchArchive(ctx.store, q);
    const full = [];
    // Oldest first, as mail programs read an mbox.
    for (const m of found.reverse()) {
      const r = await archivedRaw(ctx.store, ctx.caller.accountId, ctx.region, i.ArchiveId, m.messageId);
      if (r) full.push(r);
    }
    return {
      [RAW_OUTPUT]: { body: mbox(full), headers: { 'content-type': 'application/mbox', ...UNTRUSTED_BYTES } },
    } satisfies RawOutput;
  },
};

export const archiveOperations: OperationTable = { SearchArchive, GetArchivedMessage, ExportArchive };

/** `/sesame/archives/{id}/messages[/{messageId}]`, `/sesame/archives/{id}/export`; undefined otherwise. */
export function routeArchive(
  method: string,
  path: string,
  query: Record<string, string>,
): { operation: string; input: Record<string, unknown> } | undefined {
  const m = /^\/sesame\/archives\/([^/]+)\/(messages|export)(?:\/([^/]+))?$/.exec(path);
  if (!m || method !== 'GET') return undefined;
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw badRequest('The path is not valid URL encoding.');
    }
  };
  const ArchiveId = decode(m[1]!);
  if (m[2] === 'export' && m[3] === undefined)
    return { operation: 'ExportArchive', input: { ...query, ArchiveId } };
  if (m[2] === 'messages' && m[3] === undefined)
    return { operation: 'SearchArchive', input: { ...query, ArchiveId } };
  if (m[2] === 'messages')
    return {
      operation: 'GetArchivedMessage',
      input: {
        ArchiveId,
        MessageId: decode(m[3]!),
        ...(query.format !== undefined ? { format: query.format } : {}),
      },
    };
  return undefined;
}
