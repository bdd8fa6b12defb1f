// ListMessages with `wait` kept waiting (and polling the store every half second) for the whole
// time asked after its client had gone: a client could open waits and drop them at will, each one
// costing the server up to 20 s of work. A wait now ends when its client disconnects.
import { Hash } from '@smithy/core/serde';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_KEY, startTestServer, type TestServer } from '../support/server.js';

const LIST = '/sesame/mailbox/messages';

/** Starts a signed ListMessages that waits, and aborts it after `abortAfterMs`. */
async function abandonedWait(endpoint: string, userAgent: string, abortAfterMs: number): Promise<void> {
  const url = new URL(endpoint);
  const query = { recipient: 'nobody@example.net', wait: '20' };
  const signed = await new SignatureV4({
    credentials: ROOT_KEY,
    region: 'us-east-1',
    service: 'sesame',
    sha256: Hash.bind(null, 'sha256'),
  }).sign(
    new HttpRequest({
      method: 'GET',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: LIST,
      query,
      headers: { host: url.host },
    }),
  );
  const abort = new AbortController();
  const sent = fetch(`${endpoint}${LIST}?${new URLSearchParams(query).toString()}`, {
    headers: { ...(signed.headers as Record<string, string>), 'user-agent': userAgent },
    signal: abort.signal,
  });
  await new Promise((r) => setTimeout(r, abortAfterMs));
  abort.abort();
  await sent.catch(() => undefined);
}

describe('ListMessages wait', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.stop());

  /** When the ListMessages call of this user agent finished (its audit record), if it has. */
  const finishedAt = async (userAgent: string): Promise<number | undefined> => {
    const row = await server.app.store.db
      .selectFrom('audit_events')
      .select('seq')
      .where('event_name', '=', 'ListMessages')
      .where('user_agent', '=', userAgent)
      .executeTakeFirst();
    return row ? Date.now() : undefined;
  };

  it('ends when its client goes away, not when the time asked for is up', async () => {
    const ua = `wait-test/${Math.random().toString(36).slice(2)}`;
    await abandonedWait(server.endpoint, ua, 500);
    const gone = Date.now();
    let done: number | undefined;
    while (done === undefined && Date.now() - gone < 5000) {
      await new Promise((r) => setTimeout(r, 100));
      done = await finishedAt(ua);
    }
    // Old code: the call ran on for the whole 20 s after its client had left.
    expect(done).toBeDefined();
    expect(done! - gone).toBeLessThan(3000);
  }, 30_000);
});
