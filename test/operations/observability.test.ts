// What an operator's tools see: GET /health, /ready and /metrics (scraped and parsed), one access
// line per request, and what a browser finds at the server's root.
import { Writable } from 'node:stream';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import nodemailer from 'nodemailer';
import pino from 'pino';
import { Hash } from '@smithy/core/serde';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from '../../src/store/schema.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpPasswordV4 } from '../../src/auth/smtp-password.js';
import { setAccountQuota } from '../../src/ses/state/index.js';
import { testDialects } from '../../src/store/database.js';
import { ACCOUNT, clientConfig, startTestServer, type TestServer } from '../support/server.js';
import {
  clientsFor,
  errorOf,
  grantProduction,
  policyDoc,
  userWithPolicy,
  verify,
} from '../support/ses-fixtures.js';

/** The exposition text as `name{labels}` -> value. */
async function scrape(server: TestServer): Promise<Map<string, number>> {
  const r = await fetch(`${server.endpoint}/metrics`);
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  const out = new Map<string, number>();
  for (const line of (await r.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

const send = (server: TestServer, creds = server.credentials, to = 'rcpt@example.com') =>
  new SESv2Client(clientConfig(server, creds)).send(
    new SendEmailCommand({
      FromEmailAddress: 'sender@example.com',
      Destination: { ToAddresses: [to] },
      Content: { Simple: { Subject: { Data: 'm' }, Body: { Text: { Data: 'hello' } } } },
    }),
  );

describe.each(testDialects())('health, readiness and metrics (%s)', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ SESAME_DELIVERY_CONCURRENCY: '0' }, dialect);
    const root = clientsFor(server, server.credentials);
    await grantProduction(server, ACCOUNT);
    await verify(root.v1, 'example.com');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('GET /health is liveness; GET /ready a store round trip', async () => {
    const health = await fetch(`${server.endpoint}/health`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    const ready = await fetch(`${server.endpoint}/ready`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready', store: dialect }]);
  });

  it('counts requests, decisions and sends by outcome, and shows the outbox depth and age', async () => {
    const before = await scrape(server);
    const at = (m: Map<string, number>, key: string) => m.get(key) ?? 0;
    const root = clientsFor(server, server.credentials);
    await send(server);
    await send(server);
    const nobody = await userWithPolicy(
      root,
      policyDoc({ Effect: 'Allow', Action: 'ses:GetAccount', Resource: '*' }),
    );
    expect((await errorOf(send(server, nobody.creds))).name).toBe('AccessDeniedException');
    await setAccountQuota(server.app.store, ACCOUNT, 'us-east-1', { maxSendRate: 100, max24HourSend: 2 });
    expect((await errorOf(send(server))).message).toBe('Daily message quota exceeded.');
    await new Promise((r) => setTimeout(r, 20));
    const after = await scrape(server);
    const delta = (key: string) => at(after, key) - at(before, key);

    expect(delta('sesame_api_requests_total{service="ses",operation="SendEmail",status="200"}')).toBe(2);
    expect(delta('sesame_api_requests_total{service="ses",operation="SendEmail",status="403"}')).toBe(1);
    expect(delta('sesame_api_requests_total{service="ses",operation="SendEmail",status="429"}')).toBe(1);
    expect(delta('sesame_api_requests_total{service="iam",operation="CreateUser",status="200"}')).toBe(1);
    expect(delta('sesame_sends_total{outcome="accepted",reason=""}')).toBe(2);
    expect(delta('sesame_sends_total{outcome="refused",reason="AccessDenied"}')).toBe(1);
    expect(delta('sesame_sends_total{outcome="refused",reason="DailyQuotaExceeded"}')).toBe(1);
    expect(delta('sesame_authorization_decisions_total{outcome="ImplicitDeny"}')).toBe(1);
    expect(delta('sesame_authorization_decisions_total{outcome="Allowed"}')).toBeGreaterThanOrEqual(3);
    expect(delta('sesame_api_request_duration_seconds_count{service="ses"}')).toBe(4);
    // Accept-only: the two messages wait in the outbox.
    expect(after.get('sesame_outbox_messages{status="queued"}')).toBe(2);
    expect(after.get('sesame_outbox_messages{status="sending"}')).toBe(0);
    expect(after.get('sesame_outbox_oldest_age_seconds')).toBeGreaterThan(0);
    expect(after.get('sesame_event_publications_pending')).toBe(0);
    expect(after.get('sesame_event_dead_letters')).toBe(0);
    expect(after.get('sesame_store_up')).toBe(1);
    expect(after.has('nodejs_eventloop_lag_seconds')).toBe(true);
    expect(after.has('process_resident_memory_bytes')).toBe(true);
    if (dialect === 'postgres') {
      expect(after.get('sesame_store_pool_connections{state="open"}')).toBeGreaterThanOrEqual(1);
      expect(after.has('sesame_store_pool_connections{state="waiting"}')).toBe(true);
    }
  });

  it('keeps the request metrics to known services and operations: clients cannot add series', async () => {
    const before = await scrape(server);
    const names = ['zz-not-a-service-1', 'zz-not-a-service-2'];
    for (const service of names) {
      // Unauthenticated: only the Credential's claimed service, which the client chooses freely.
      const r = await fetch(`${server.endpoint}/`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-amz-date': '20260101T000000Z',
          authorization: `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`,
        },
        body: 'Action=GetCallerIdentity&Version=2011-06-15',
      });
      expect(r.status).toBeGreaterThanOrEqual(400);
    }
    // Authenticated, with an action of the client's own making: refused before it is named.
    const url = new URL(server.endpoint);
    const body = 'Action=ZzNotAnAction1&Version=2010-12-01';
    const signed = await new SignatureV4({
      credentials: server.credentials,
      region: 'us-east-1',
      service: 'ses',
      sha256: Hash.bind(null, 'sha256'),
    }).sign(
      new HttpRequest({
        method: 'POST',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: '/',
        headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded' },
        body,
      }),
    );
    const unknownAction = await fetch(`${server.endpoint}/`, {
      method: 'POST',
      headers: signed.headers,
      body,
    });
    expect(unknownAction.status).toBe(400);
    const after = await scrape(server);
    const added = [...after.keys()].filter((k) => !before.has(k) && k.startsWith('sesame_api_'));
    for (const k of added) for (const n of [...names, 'ZzNotAnAction1']) expect(k).not.toContain(n);
    expect(
      (after.get('sesame_api_request_duration_seconds_count{service="unknown"}') ?? 0) -
        (before.get('sesame_api_request_duration_seconds_count{service="unknown"}') ?? 0),
    ).toBe(2);
  });
});

describe('delivery and SMTP in the metrics, the access log', () => {
  let server: TestServer;
  const lines: Record<string, unknown>[] = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n'))
          if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    server = await startTestServer({}, 'sqlite', pino({ level: 'info' }, sink));
    await grantProduction(server, ACCOUNT);
    await verify(clientsFor(server, server.credentials).v1, 'example.com');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('counts delivery attempts and SMTP sessions and messages', async () => {
    const before = await scrape(server);
    const smtp = nodemailer.createTransport({
      host: '127.0.0.1',
      port: server.smtp.starttls,
      requireTLS: true,
      tls: { rejectUnauthorized: false },
      auth: {
        user: server.credentials.accessKeyId,
        pass: smtpPasswordV4(server.credentials.secretAccessKey, 'us-east-1'),
      },
    });
    await smtp.sendMail({ from: 'sender@example.com', to: 'rcpt@example.com', subject: 's', text: 't' });
    smtp.close();
    await send(server);
    let after = await scrape(server);
    for (
      let i = 0;
      i < 50 && (after.get('sesame_delivery_attempts_total{outcome="delivered"}') ?? 0) < 2;
      i++
    ) {
      await new Promise((r) => setTimeout(r, 100));
      after = await scrape(server);
    }
    const delta = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
    expect(delta('sesame_delivery_attempts_total{outcome="delivered"}')).toBe(2);
    expect(delta('sesame_smtp_sessions_total')).toBe(1);
    expect(delta('sesame_smtp_messages_total{code="250"}')).toBe(1);
    expect(after.get('sesame_outbox_messages{status="queued"}')).toBe(0);
    expect(after.get('sesame_outbox_oldest_age_seconds')).toBe(0);
  });

  it('writes one access line per request: method, path, operation, status, ms, principal, request id', async () => {
    lines.length = 0;
    const out = await send(server);
    const denied = await errorOf(
      send(server, { accessKeyId: 'AKIANOSUCHKEY0000000', secretAccessKey: 'x'.repeat(40) }),
    );
    expect(denied.status).toBe(403);
    await fetch(`${server.endpoint}/console/`);
    await fetch(`${server.endpoint}/ready`); // a probe: debug, not info
    const access = lines.filter((l) => 'status' in l && 'method' in l);
    expect(access).toHaveLength(3);
    expect(access[0]).toMatchObject({
      level: 30,
      method: 'POST',
      path: '/v2/email/outbound-emails',
      operation: 'SendEmail',
      status: 200,
      principal: `arn:aws:iam::${ACCOUNT}:root`,
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      msg: expect.stringMatching(/^POST \/v2\/email\/outbound-emails SendEmail 200 [\d.]+ ms$/),
    });
    expect(typeof access[0]!.ms).toBe('number');
    expect(out.MessageId).toBeDefined();
    expect(access[1]).toMatchObject({ status: 403, path: '/v2/email/outbound-emails' });
    expect(access[1]!.principal).toBeUndefined();
    expect(access[2]).toMatchObject({
      method: 'GET',
      path: '/console/',
      operation: '/console/',
      status: expect.any(Number),
    });
  });

  it('sends a browser at / to the console, serves a favicon, and leaves signed calls alone', async () => {
    const landing = await fetch(`${server.endpoint}/`, { redirect: 'manual' });
    expect([landing.status, landing.headers.get('location')]).toEqual([302, '/console/']);
    const icon = await fetch(`${server.endpoint}/favicon.ico`);
    expect([icon.status, icon.headers.get('content-type')]).toEqual([200, 'image/x-icon']);
    const bytes = Buffer.from(await icon.arrayBuffer());
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0])); // an ICO header
    // A signed request to / is an API call as before (the v1 Query protocol posts there).
    const signed = await fetch(`${server.endpoint}/`, {
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=x' },
    });
    expect(signed.status).toBe(400);
    expect(await signed.text()).toContain('<ErrorResponse');
  });

  it('GET /ready answers 503 with the reason when the store does not answer', async () => {
    // The store's connection swapped for one to a database that is not there.
    const store = server.app.store as { db: Kysely<Database> };
    const real = store.db;
    const pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none' });
    store.db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    try {
      const ready = await fetch(`${server.endpoint}/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({
        status: 'unavailable',
        reason: 'sqlite store: connect ECONNREFUSED 127.0.0.1:1',
      });
      expect((await scrape(server)).get('sesame_store_up')).toBe(0);
    } finally {
      await store.db.destroy();
      store.db = real;
    }
  });
});
