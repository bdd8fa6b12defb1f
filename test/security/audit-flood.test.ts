// Issue 14, finding 5: every unauthenticated failure wrote a whole audit record (a 7 KB User-Agent
// kept entire): 46 MB in 3.5 s. Now fields are bounded, unauthenticated failures beyond a
// per-source allowance are counted into one summary record per minute, and old records are pruned
// after SESAME_AUDIT_RETENTION_DAYS.
import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListIdentitiesCommand } from '@aws-sdk/client-ses';
import { flushAuditSummaries, insertAuditEvent, pruneAuditEvents } from '../../src/audit/audit-log.js';
import { loadConfig } from '../../src/config/config.js';
import { testDialects } from '../../src/store/database.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { clientsFor, errorOf, userWithPolicy } from '../support/ses-fixtures.js';

const DAY = 24 * 60 * 60_000;

describe.each(testDialects())('the audit log is bounded (%s)', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({}, dialect);
  });
  afterAll(async () => server?.stop());

  const rows = () => server.app.store.db.selectFrom('audit_events').selectAll().orderBy('seq').execute();

  it('2,000 unauthenticated requests with a 7 KB User-Agent: 20 records of bounded size, then one summary', async () => {
    const before = (await rows()).length;
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const ua = `flood/${'x'.repeat(7 * 1024)}`;
    const { request } = await import('node:http');
    const url = new URL(server.endpoint);
    const one = () =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            method: 'POST',
            path: '/',
            agent,
            headers: { 'user-agent': ua, 'content-type': 'application/x-www-form-urlencoded' },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end('Action=ListIdentities&Version=2010-12-01');
      });
    for (let i = 0; i < 2000; i += 50) {
      const statuses = await Promise.all(Array.from({ length: 50 }, one));
      expect(new Set(statuses)).toEqual(new Set([403]));
    }
    agent.destroy();
    const recorded = (await rows()).slice(before);
    // Old code: 2,000 records holding the User-Agent whole (14 MB).
    expect(recorded).toHaveLength(20);
    for (const r of recorded) {
      expect(r).toMatchObject({ decision: 'Unauthenticated', error_code: 'MissingAuthenticationToken' });
      expect(r.user_agent!.length).toBeLessThanOrEqual(1024);
      expect(r.user_agent!.endsWith('…')).toBe(true);
    }
    expect(await flushAuditSummaries(server.app.store, new Date(), true)).toBe(1);
    const summary = (await rows()).at(-1)!;
    expect(summary).toMatchObject({
      event_source: 'sesame',
      event_name: 'UnauthenticatedRequestsSuppressed',
      decision: 'Unauthenticated',
      error_code: 'Suppressed',
      source_ip: '127.0.0.1',
    });
    expect(summary.error_message).toMatch(
      /^1980 more unauthenticated requests from 127\.0\.0\.1 between .+ were counted, not recorded one by one \(SESAME_AUDIT_UNAUTHENTICATED_PER_MINUTE=20\)$/,
    );
  }, 120_000);

  it('authenticated failures are all recorded, one by one', async () => {
    const root = clientsFor(server, server.credentials);
    const user = await userWithPolicy(root, undefined);
    const v1 = clientsFor(server, user.creds).v1;
    const before = (await rows()).length;
    for (let i = 0; i < 30; i++)
      expect((await errorOf(v1.send(new ListIdentitiesCommand({})))).name).toBe('AccessDenied');
    const recorded = (await rows()).slice(before);
    expect(recorded.filter((r) => r.decision === 'ImplicitDeny')).toHaveLength(30);
  });

  it('retention deletes what is older than the cutoff, and nothing else', async () => {
    const store = server.app.store;
    const now = Date.now();
    const event = (time: number, requestId: string) => ({
      time: new Date(time),
      eventSource: 'ses.amazonaws.com',
      eventName: 'ListIdentities',
      actions: [],
      resources: [],
      decision: 'Allowed',
      requestId,
    });
    await insertAuditEvent(store, event(now - 100 * DAY, 'old-1'));
    await insertAuditEvent(store, event(now - 91 * DAY, 'old-2'));
    await insertAuditEvent(store, event(now - 89 * DAY, 'kept'));
    const count = (await rows()).length;
    expect(await pruneAuditEvents(store, now - 90 * DAY, 1)).toBe(2);
    const left = await rows();
    expect(left).toHaveLength(count - 2);
    expect(left.map((r) => r.request_id)).toContain('kept');
    expect(left.map((r) => r.request_id)).not.toContain('old-1');
  });
});

it('retention defaults to 90 days (CloudTrail event history), 0 keeps everything', () => {
  expect(loadConfig({}).auditRetentionDays).toBe(90);
  expect(loadConfig({ SESAME_AUDIT_RETENTION_DAYS: '0' }).auditRetentionDays).toBe(0);
  expect(loadConfig({}).auditUnauthenticatedPerMinute).toBe(20);
});
