// Issue 14, finding 2 (policies), end to end: 20 sending-authorization policies of 3.9 KB with
// ForAnyValue:StringLike patterns such as `*(a{63}?){3}zz…*` on ses:Recipients, and sends with 50
// long recipients, cost 2.3 s of CPU each and stalled /health. The decision is now bounded: the
// sends are denied (deny on doubt) within milliseconds and the event loop stays responsive.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutIdentityPolicyCommand } from '@aws-sdk/client-ses';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import {
  clientsFor,
  errorOf,
  grantProduction,
  identityArn,
  outbox,
  policyDoc,
  sendDenied,
  verify,
  type Clients,
} from '../support/ses-fixtures.js';

let server: TestServer;
let root: Clients;
const ARN = identityArn(ACCOUNT, 'example.com');
const hostile = `*${`${'a'.repeat(63)}?`.repeat(3)}${'z'.repeat(20)}*`;

beforeAll(async () => {
  server = await startTestServer({ SESAME_PRODUCTION_MAX_SEND_RATE: '1000' });
  root = clientsFor(server, server.credentials);
  await verify(root.v1, 'example.com');
  await grantProduction(server, ACCOUNT);
  const doc = policyDoc({
    Effect: 'Allow',
    Principal: { AWS: ACCOUNT },
    Action: 'ses:SendEmail',
    Resource: ARN,
    Condition: { 'ForAnyValue:StringLike': { 'ses:Recipients': Array.from({ length: 17 }, () => hostile) } },
  });
  expect(doc.length).toBeGreaterThan(3700);
  for (let i = 0; i < 20; i++)
    await root.v1.send(
      new PutIdentityPolicyCommand({ Identity: 'example.com', PolicyName: `p${i}`, Policy: doc }),
    );
});
afterAll(async () => server?.stop());

const send = () =>
  root.v2.send(
    new SendEmailCommand({
      FromEmailAddress: 'a@example.com',
      Destination: {
        ToAddresses: Array.from({ length: 50 }, (_, i) => `${'a'.repeat(300)}${i}@example.net`),
      },
      Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } } },
    }),
  );

describe('a decision over hostile wildcard policies is bounded', () => {
  it('10 concurrent sends are denied on doubt quickly and /health keeps answering', async () => {
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const t = performance.now();
    const health = (async () => {
      const worst: number[] = [];
      while (performance.now() - t < 1500) {
        const h = performance.now();
        expect((await fetch(`${server.endpoint}/health`)).status).toBe(200);
        worst.push(performance.now() - h);
        await new Promise((r) => setTimeout(r, 20));
      }
      return Math.max(...worst);
    })();
    const results = await Promise.all(Array.from({ length: 10 }, () => errorOf(send())));
    const sendsMs = performance.now() - t;
    const worstHealthMs = await health;
    loop.disable();
    for (const r of results)
      expect(r).toEqual({
        name: 'AccessDeniedException',
        status: 403,
        message: sendDenied(`arn:aws:iam::${ACCOUNT}:root`, 'ses:SendEmail', ARN),
      });
    // Old code: 2.3 s of CPU per send, /health stalled for 12 s.
    expect(sendsMs).toBeLessThan(5_000);
    expect(worstHealthMs).toBeLessThan(1_000);
    expect(loop.max / 1e6).toBeLessThan(1_000);
    expect(await outbox(server, ACCOUNT)).toEqual([]);
  }, 120_000);
});
