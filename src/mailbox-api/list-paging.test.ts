// ListMessages on many messages: `q` covers subject, From and recipients (LIKE wildcards are
// literal), filters combine, and NextToken paging returns every message exactly once, newest first,
// even when many share one delivery millisecond.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendBulkEmailCommand, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ACCOUNT, startTestServer, type TestServer } from '../../test/support/server.js';
import { clientsFor, grantProduction, verify } from '../../test/support/ses-fixtures.js';
import { listMessages } from '../delivery/mailbox.js';
import { mailboxOperations } from './operations.js';
import type { CallContext } from '../api/operation.js';
import { testDialects } from '../store/database.js';

const BULK = 250;
let server: TestServer;

interface Page {
  Messages: { Id: string; Subject?: string; From?: string; Recipients: string[]; DeliveredAt: string }[];
  NextToken?: string;
}

/** The operation itself with a root caller (authorization is covered by mailbox-api.test.ts). */
async function list(input: Record<string, string>): Promise<Page> {
  const ctx = {
    store: server.app.store,
    region: 'us-east-1',
    caller: { accountId: ACCOUNT },
  } as unknown as CallContext;
  return (await mailboxOperations.ListMessages!.handle(ctx, input)) as Page;
}

async function all(input: Record<string, string>): Promise<{ pages: number; messages: Page['Messages'] }> {
  const messages: Page['Messages'] = [];
  let after: string | undefined;
  let pages = 0;
  do {
    const p = await list({ ...input, ...(after ? { after } : {}) });
    pages++;
    messages.push(...p.Messages);
    after = p.NextToken;
  } while (after);
  return { pages, messages };
}

describe.each(testDialects())('ListMessages over many messages (%s)', (dialect) => {
  beforeAll(async () => {
    server = await startTestServer(
      { SESAME_PRODUCTION_MAX_SEND_RATE: '100000', SESAME_PRODUCTION_MAX_24_HOUR_SEND: '1000000' },
      dialect,
    );
    const root = clientsFor(server, server.credentials);
    await grantProduction(server, ACCOUNT);
    await verify(root.v1, 'example.com', 'other.org');
    await Promise.all(
      Array.from({ length: BULK / 50 }, (_, b) =>
        root.v2.send(
          new SendBulkEmailCommand({
            FromEmailAddress: 'bulk@example.com',
            DefaultContent: {
              Template: {
                TemplateContent: { Subject: 'Bulk {{n}}', Text: '{{n}}' },
                TemplateData: '{"n":"0"}',
              },
            },
            BulkEmailEntries: Array.from({ length: 50 }, (_, i) => {
              const n = String(b * 50 + i).padStart(3, '0');
              return {
                Destination: { ToAddresses: [`r${n}@example.net`] },
                ReplacementEmailContent: {
                  ReplacementTemplate: { ReplacementTemplateData: JSON.stringify({ n }) },
                },
              };
            }),
          }),
        ),
      ),
    );
    await root.v2.send(
      new SendEmailCommand({
        FromEmailAddress: 'Carol <carol@other.org>',
        Destination: { ToAddresses: ['dave@example.net'] },
        Content: { Simple: { Subject: { Data: '100% done_now' }, Body: { Text: { Data: 'x' } } } },
      }),
    );
    for (const end = Date.now() + 30_000; ;) {
      if ((await listMessages(server.app.store, { accountId: ACCOUNT, limit: 1000 })).length === BULK + 1)
        break;
      if (Date.now() > end) throw new Error('messages never captured');
      await new Promise((r) => setTimeout(r, 50));
    }
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('pages of 100 by NextToken give every message once, newest first', async () => {
    const { pages, messages } = await all({ limit: '100' });
    expect(pages).toBe(3);
    expect(messages).toHaveLength(BULK + 1);
    expect(new Set(messages.map((m) => m.Id)).size).toBe(BULK + 1);
    const order = messages.map((m) => [Date.parse(m.DeliveredAt), m.Id] as const);
    const sorted = [...order].sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0));
    expect(order).toEqual(sorted);
    // Many share a millisecond, so the capture id breaks the tie: small pages cross such groups.
    const small = await all({ limit: '7' });
    expect(small.messages.map((m) => m.Id)).toEqual(messages.map((m) => m.Id));
    expect(small.pages).toBe(Math.ceil((BULK + 1) / 7));
  });

  it('a full last page still has a NextToken, and the page after it is empty', async () => {
    const first = await list({ limit: String(BULK + 1) });
    expect(first.Messages).toHaveLength(BULK + 1);
    expect(typeof first.NextToken).toBe('string');
    expect(await list({ limit: '5', after: first.NextToken! })).toEqual({ Messages: [] });
  });

  it('q matches the subject, the From address and the recipients, case-insensitively', async () => {
    expect((await list({ q: 'BULK 123' })).Messages.map((m) => m.Subject)).toEqual(['Bulk 123']);
    expect((await list({ q: 'carol@OTHER' })).Messages.map((m) => m.Subject)).toEqual(['100% done_now']);
    expect((await list({ q: 'r042@example' })).Messages.map((m) => m.Recipients)).toEqual([
      ['r042@example.net'],
    ]);
    expect((await list({ q: 'no-such-text' })).Messages).toEqual([]);
  });

  it('LIKE wildcards in q are literal characters', async () => {
    expect((await list({ q: '100%' })).Messages.map((m) => m.Subject)).toEqual(['100% done_now']);
    expect((await list({ q: 'done_now' })).Messages.map((m) => m.Subject)).toEqual(['100% done_now']);
    expect((await list({ q: '%' })).Messages).toHaveLength(1);
    expect((await list({ q: 'bulk_1' })).Messages).toEqual([]); // '_' is no single-character wildcard
  });

  it('q pages like the full list and combines with recipient and identity', async () => {
    const q = await all({ q: 'bulk 1', limit: '40' }); // Bulk 100 .. Bulk 199
    expect(q.messages).toHaveLength(100);
    expect(q.messages.every((m) => m.Subject!.startsWith('Bulk 1'))).toBe(true);
    expect((await list({ q: 'bulk', recipient: 'r007@example.net' })).Messages.map((m) => m.Subject)).toEqual(
      ['Bulk 007'],
    );
    expect((await list({ q: 'bulk', identity: 'other.org' })).Messages).toEqual([]);
    expect((await list({ identity: 'other.org' })).Messages.map((m) => m.From)).toEqual(['carol@other.org']);
  });

  it('a token this API did not write is BadRequestException', async () => {
    await expect(list({ after: 'bm90LWEtdG9rZW4' })).rejects.toMatchObject({
      code: 'BadRequestException',
      message: 'after is not a token this API returned.',
    });
  });
});
