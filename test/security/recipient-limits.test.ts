// Issue 14, finding 2 (recipients): a user without any permission sent v1 SendEmail with 200,000
// ToAddresses and blocked the event loop for 23 s, because every recipient was looked up (with an
// O(n²) de-duplication) before the 50-recipient limit and before authorization. Cheap limits now
// come first: the request is refused at once and the event loop stays responsive.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { SendBulkEmailCommand, SendEmailCommand as V2SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import {
  clientsFor,
  errorOf,
  outbox,
  userWithPolicy,
  type Clients,
  type Creds,
} from '../support/ses-fixtures.js';
import { queryErrorFields, signedFetch } from '../support/signed-fetch.js';

let server: TestServer;
let nobody: Clients;
let nobodyCreds: Creds;

beforeAll(async () => {
  server = await startTestServer();
  const root = clientsFor(server, server.credentials);
  nobodyCreds = (await userWithPolicy(root, undefined)).creds;
  nobody = clientsFor(server, nobodyCreds);
});
afterAll(async () => server?.stop());

const addresses = (n: number) => Array.from({ length: n }, (_, i) => `r${i}@example.net`);

/** Runs `work` while sampling the (shared, in-process) event loop's delay; returns the worst, in ms. */
async function worstLoopDelay<T>(work: () => Promise<T>): Promise<{ result: T; maxMs: number; ms: number }> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const t = performance.now();
  const result = await work();
  const ms = performance.now() - t;
  h.disable();
  return { result, maxMs: h.max / 1e6, ms };
}

describe('the recipient limit comes before the per-recipient work', () => {
  /** A v1 SendEmail form body with `n` ToAddresses, signed by the permissionless user. */
  const v1Body = (n: number) => {
    const p = new URLSearchParams({
      Action: 'SendEmail',
      Version: '2010-12-01',
      Source: 'a@example.com',
      'Message.Subject.Data': 's',
      'Message.Body.Text.Data': 'b',
    });
    addresses(n).forEach((a, i) => p.append(`Destination.ToAddresses.member.${i + 1}`, a));
    return p.toString();
  };

  // Old code: 23 s of one blocked loop for 200,000 (minutes on a loaded 2-core machine).
  it.each([
    [200_000, 'ValidationError', 'The request has 200005 parameters; at most 20000 are accepted.'],
    [10_000, 'InvalidParameterValue', 'Recipient count exceeds 50.'],
  ])(
    'v1 SendEmail with %i recipients, no permissions: %s at once',
    async (n, code, message) => {
      const body = v1Body(n);
      const { result, maxMs, ms } = await worstLoopDelay(() =>
        signedFetch(server.endpoint, { body, creds: nobodyCreds }),
      );
      expect(result.status).toBe(400);
      expect(queryErrorFields(result.text)).toEqual({ code, message });
      expect(ms).toBeLessThan(5_000);
      expect(maxMs).toBeLessThan(1_500);
      expect(await outbox(server, ACCOUNT)).toEqual([]);
    },
    60_000,
  );

  it('v2 SendEmail: the same limit, BadRequestException', async () => {
    const err = await errorOf(
      nobody.v2.send(
        new V2SendEmailCommand({
          FromEmailAddress: 'a@example.com',
          Destination: { ToAddresses: addresses(51) },
          Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } } },
        }),
      ),
    );
    expect(err).toEqual({ name: 'BadRequestException', status: 400, message: 'Recipient count exceeds 50.' });
  });

  it('50 recipients are within the limit: the user is refused for lack of permission instead', async () => {
    const err = await errorOf(
      nobody.v1.send(
        new SendEmailCommand({
          Source: 'a@example.com',
          Destination: { ToAddresses: addresses(50) },
          Message: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } },
        }),
      ),
    );
    // Sandbox: the recipients are not verified (every one listed once).
    expect(err.name).toBe('MessageRejected');
    expect(err.message.split(', ')).toHaveLength(51);
  });

  it('v2 SendBulkEmail: an entry of 200,000 recipients takes no part in the per-recipient work', async () => {
    const { result, ms } = await worstLoopDelay(() =>
      errorOf(
        nobody.v2.send(
          new SendBulkEmailCommand({
            FromEmailAddress: 'a@example.com',
            DefaultContent: { Template: { TemplateName: 't', TemplateData: '{}' } },
            BulkEmailEntries: [
              { Destination: { ToAddresses: addresses(2) } },
              { Destination: { ToAddresses: addresses(200_000) } },
            ],
          }),
        ),
      ),
    );
    // Only the sender and the small entry's recipients were looked up (sandbox: none verified).
    expect(result).toEqual({
      name: 'MessageRejected',
      status: 400,
      message:
        'Email address is not verified. The following identities failed the check in region US-EAST-1: a@example.com, r0@example.net, r1@example.net',
    });
    expect(ms).toBeLessThan(8_000);
  }, 60_000);

  it('more than 50 bulk destinations: refused up front', async () => {
    const err = await errorOf(
      nobody.v2.send(
        new SendBulkEmailCommand({
          FromEmailAddress: 'a@example.com',
          DefaultContent: { Template: { TemplateName: 't', TemplateData: '{}' } },
          BulkEmailEntries: Array.from({ length: 51 }, (_, i) => ({
            Destination: { ToAddresses: [`r${i}@example.net`] },
          })),
        }),
      ),
    );
    expect(err).toEqual({
      name: 'BadRequestException',
      status: 400,
      message: 'Destination count exceeds 50.',
    });
  });
});
