// Issue 14, finding 9: operator-token guesses were not throttled (~1,000 a second). Now failed
// sign-ins from one address are limited per minute; past the limit the token is not even compared.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

const TOKEN = 'operator-token-for-the-throttle-test';
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    SESAME_OPERATOR_TOKEN: TOKEN,
    SESAME_OPERATOR_SIGNIN_FAILURES_PER_MINUTE: '5',
  });
});
afterAll(async () => server?.stop());

const signIn = async (token: string) => {
  const r = await fetch(`${server.endpoint}/sesame/console/operator-session`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  });
  return { status: r.status, body: (await r.json()) as { __type?: string; message?: string } };
};

describe('operator sign-in', () => {
  it('the right token works; after 5 wrong ones in a minute every attempt from that address is refused', async () => {
    expect((await signIn(TOKEN)).status).toBe(200);
    const answers = [];
    for (let i = 0; i < 200; i++) answers.push(await signIn(`guess-${i}-xxxxxxxxxxxxxxxx`));
    expect(answers.slice(0, 5).every((a) => a.status === 403)).toBe(true);
    expect(answers[0]!.body).toEqual({
      __type: 'AccessDeniedException',
      message: 'The operator token is not valid.',
    });
    expect(answers.slice(5).every((a) => a.status === 429)).toBe(true);
    expect(answers[5]!.body).toEqual({
      __type: 'TooManyRequestsException',
      message: 'Too many failed operator sign-ins from your address: try again in a minute.',
    });
    // Within the minute even the right token waits: the guesser cannot tell a hit from a miss.
    expect((await signIn(TOKEN)).status).toBe(429);
  }, 60_000);
});
