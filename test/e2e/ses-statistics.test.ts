// Sending statistics from recorded events: v1 GetSendStatistics (15-minute buckets) and v2
// BatchGetMetricData (daily VDM metrics), after real sends through the mailbox simulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetSendStatisticsCommand, SendEmailCommand } from '@aws-sdk/client-ses';
import { BatchGetMetricDataCommand } from '@aws-sdk/client-sesv2';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import {
  clientsFor,
  errorOf,
  grantProduction,
  userWithPolicy,
  verify,
  type Clients,
} from '../support/ses-fixtures.js';

let server: TestServer;
let root: Clients;

async function eventsRecorded(types: string[], count: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const rows = await server.app.store.db
      .selectFrom('delivery_events')
      .select('event_type')
      .where('event_type', 'in', types)
      .execute();
    if (rows.length >= count) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`events ${types.join(',')} not recorded in time`);
}

beforeAll(async () => {
  server = await startTestServer({ SESAME_PRODUCTION_MAX_SEND_RATE: '1000' });
  root = clientsFor(server, server.credentials);
  await verify(root.v1, 'example.com');
  await grantProduction(server, ACCOUNT);
  const send = (to: string[]) =>
    root.v1.send(
      new SendEmailCommand({
        Source: 'stats@example.com',
        Destination: { ToAddresses: to },
        Message: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } },
      }),
    );
  await send(['success@simulator.amazonses.com', 'success+two@simulator.amazonses.com']);
  await send(['bounce@simulator.amazonses.com']);
  await eventsRecorded(['Delivery', 'Bounce'], 3);
});
afterAll(async () => server?.stop());

describe('statistics', () => {
  it('GetSendStatistics counts recipients per 15-minute bucket', async () => {
    const points = (await root.v1.send(new GetSendStatisticsCommand({}))).SendDataPoints ?? [];
    const sum = (k: 'DeliveryAttempts' | 'Bounces' | 'Complaints' | 'Rejects') =>
      points.reduce((n, p) => n + (p[k] ?? 0), 0);
    expect([sum('DeliveryAttempts'), sum('Bounces'), sum('Complaints'), sum('Rejects')]).toEqual([
      3, 1, 0, 0,
    ]);
    for (const p of points) expect(p.Timestamp!.getTime() % (15 * 60_000)).toBe(0);
  });

  it('BatchGetMetricData answers daily VDM metrics, zeros for what is not tracked', async () => {
    const start = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000);
    const end = new Date(start.getTime() + 86_400_000);
    const q = (
      Id: string,
      Metric: 'SEND' | 'DELIVERY' | 'PERMANENT_BOUNCE' | 'TRANSIENT_BOUNCE' | 'OPEN',
    ) => ({
      Id,
      Namespace: 'VDM' as const,
      Metric,
      StartDate: start,
      EndDate: end,
    });
    const out = await root.v2.send(
      new BatchGetMetricDataCommand({
        Queries: [
          q('s', 'SEND'),
          q('d', 'DELIVERY'),
          q('pb', 'PERMANENT_BOUNCE'),
          q('tb', 'TRANSIENT_BOUNCE'),
          q('o', 'OPEN'),
        ],
      }),
    );
    expect(out.Errors).toEqual([]);
    expect(out.Results?.map((r) => [r.Id, r.Timestamps?.map((t) => t.getTime()), r.Values])).toEqual([
      ['s', [start.getTime()], [3]],
      ['d', [start.getTime()], [2]],
      ['pb', [start.getTime()], [1]],
      ['tb', [start.getTime()], [0]],
      ['o', [start.getTime()], [0]],
    ]);
  });

  it('refuses a BatchGetMetricData query over more than ten years of days, before computing any', async () => {
    // 1970 to 9999: 2.9 million days, a gigabyte of heap and seconds of CPU per query, ten per call.
    const query = (Id: string) => ({
      Id,
      Namespace: 'VDM' as const,
      Metric: 'SEND' as const,
      StartDate: new Date(0),
      EndDate: new Date('9999-12-31T00:00:00Z'),
    });
    const err = await errorOf(
      root.v2.send(new BatchGetMetricDataCommand({ Queries: [query('a'), query('b')] })),
    );
    expect([err.name, err.status, err.message]).toEqual([
      'BadRequestException',
      400,
      'Query a: StartDate to EndDate covers 2932896 days; a query can cover at most 3660.',
    ]);
    const tenYears = await root.v2.send(
      new BatchGetMetricDataCommand({
        Queries: [{ ...query('c'), StartDate: new Date(0), EndDate: new Date(3660 * 86_400_000) }],
      }),
    );
    expect(tenYears.Results?.[0]?.Values).toHaveLength(3660);
  });

  it('needs ses:BatchGetMetricData', async () => {
    const user = await userWithPolicy(root, undefined, 'no-metrics');
    const now = new Date();
    const err = await errorOf(
      clientsFor(server, user.creds).v2.send(
        new BatchGetMetricDataCommand({
          Queries: [
            {
              Id: 'x',
              Namespace: 'VDM',
              Metric: 'SEND',
              StartDate: new Date(now.getTime() - 86_400_000),
              EndDate: now,
            },
          ],
        }),
      ),
    );
    expect([err.name, err.status, err.message]).toEqual([
      'AccessDeniedException',
      403,
      `User: ${user.arn} is not authorized to perform: ses:BatchGetMetricData on resource: * because no identity-based policy allows the ses:BatchGetMetricData action`,
    ]);
  });
});
