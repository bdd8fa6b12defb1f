// Issue 14, finding 2 (templates): four nested `{{#each @root.a}}` over 100 items blocked every
// request for 43 s in TestRenderTemplate and produced 100 MB. Rendering now runs in worker threads
// under a time and output budget: the event loop stays responsive, TestRenderTemplate answers SES's
// error, and a templated send is accepted and ends in a Rendering Failure event, as on SES.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateTemplateCommand,
  SendTemplatedEmailCommand,
  TestRenderTemplateCommand,
} from '@aws-sdk/client-ses';
import { SendBulkEmailCommand, TestRenderEmailTemplateCommand } from '@aws-sdk/client-sesv2';
import { eventsOfMessage } from '../../src/delivery/events.js';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import {
  clientsFor,
  errorOf,
  grantProduction,
  outbox,
  verify,
  type Clients,
} from '../support/ses-fixtures.js';

let server: TestServer;
let root: Clients;

const nested = (levels: number) =>
  '{{#each @root.a}}'.repeat(levels) + '{{this}}' + '{{/each}}'.repeat(levels);
const items = (n: number) => JSON.stringify({ a: Array.from({ length: n }, (_, i) => `item${i}`) });
const BUDGET = 'Template rendering exceeded its budget (1000 ms, 1048576 bytes of output).';

beforeAll(async () => {
  server = await startTestServer({
    SESAME_RENDER_TIMEOUT_MS: '1000',
    SESAME_RENDER_MAX_OUTPUT_BYTES: '1048576',
    SESAME_PRODUCTION_MAX_SEND_RATE: '1000',
  });
  root = clientsFor(server, server.credentials);
  await verify(root.v1, 'example.com');
  await grantProduction(server, ACCOUNT);
  await root.v1.send(
    new CreateTemplateCommand({
      Template: { TemplateName: 'bomb', SubjectPart: 'Hi', TextPart: nested(4) },
    }),
  );
  await root.v1.send(
    new CreateTemplateCommand({
      Template: { TemplateName: 'wide', SubjectPart: 'Hi', TextPart: '{{#each a}}{{@root.big}}{{/each}}' },
    }),
  );
  await root.v1.send(
    new CreateTemplateCommand({
      Template: { TemplateName: 'hello', SubjectPart: 'Hi {{name}}', TextPart: 'Hello {{name}}' },
    }),
  );
});
afterAll(async () => server?.stop());

/** The in-process server's event loop and /health, watched while `work` runs. */
async function watched<T>(work: Promise<T>): Promise<{ result: T; loopMaxMs: number; healthMaxMs: number }> {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let done = false;
  const health = (async () => {
    let worst = 0;
    while (!done) {
      const t = performance.now();
      await fetch(`${server.endpoint}/health`);
      worst = Math.max(worst, performance.now() - t);
      await new Promise((r) => setTimeout(r, 25));
    }
    return worst;
  })();
  const result = await work.finally(() => (done = true));
  const healthMaxMs = await health;
  loop.disable();
  return { result, loopMaxMs: loop.max / 1e6, healthMaxMs };
}

describe('rendering has a budget and stays off the event loop', () => {
  it('TestRenderTemplate of four nested each over 70 items: InvalidRenderingParameter, loop responsive', async () => {
    const { result, loopMaxMs, healthMaxMs } = await watched(
      errorOf(root.v1.send(new TestRenderTemplateCommand({ TemplateName: 'bomb', TemplateData: items(70) }))),
    );
    expect(result).toEqual({ name: 'InvalidRenderingParameterException', status: 400, message: BUDGET });
    // Old code: the whole process blocked for the render (43 s at 100 items), then 100 MB.
    expect(loopMaxMs).toBeLessThan(500);
    expect(healthMaxMs).toBeLessThan(500);
  }, 120_000);

  it('v2 TestRenderEmailTemplate: BadRequestException with the same message', async () => {
    expect(
      await errorOf(
        root.v2.send(new TestRenderEmailTemplateCommand({ TemplateName: 'bomb', TemplateData: items(70) })),
      ),
    ).toEqual({ name: 'BadRequestException', status: 400, message: BUDGET });
  }, 60_000);

  it('output over the budget is refused, however fast it comes', async () => {
    const data = JSON.stringify({ a: Array.from({ length: 40 }, () => 1), big: 'x'.repeat(100_000) });
    expect(
      await errorOf(
        root.v1.send(new TestRenderTemplateCommand({ TemplateName: 'wide', TemplateData: data })),
      ),
    ).toEqual({ name: 'InvalidRenderingParameterException', status: 400, message: BUDGET });
    const small = JSON.stringify({ a: [1, 2], big: 'x'.repeat(100) });
    const ok = await root.v1.send(
      new TestRenderTemplateCommand({ TemplateName: 'wide', TemplateData: small }),
    );
    expect(ok.RenderedTemplate).toContain('x'.repeat(200));
  }, 60_000);

  it('an ordinary render still works, and the pool recovered from the cut-off threads', async () => {
    const r = await root.v1.send(
      new TestRenderTemplateCommand({ TemplateName: 'hello', TemplateData: '{"name":"Ann"}' }),
    );
    expect(r.RenderedTemplate).toContain('Subject: Hi Ann');
    expect(r.RenderedTemplate).toContain('Hello Ann');
  });
});

describe('templated sends: accepted, then a Rendering Failure event (as SES)', () => {
  it('SendTemplatedEmail over the budget returns a MessageId; the message is settled failed, never delivered', async () => {
    const { result } = await watched(
      root.v1.send(
        new SendTemplatedEmailCommand({
          Source: 'a@example.com',
          Destination: { ToAddresses: ['b@example.net'] },
          Template: 'bomb',
          TemplateData: items(70),
        }),
      ),
    );
    const id = result.MessageId!;
    expect(id).toMatch(/^[0-9a-f]{16}-/);
    expect((await outbox(server, ACCOUNT)).find((m) => m.messageId === id)).toMatchObject({
      status: 'failed',
    });
    const events = await eventsOfMessage(server.app.store, id);
    expect(events.map((e) => e.type)).toEqual(['RenderingFailure']);
    expect(events[0]!.payload).toMatchObject({
      eventType: 'Rendering Failure',
      mail: { messageId: id, source: 'a@example.com', destination: ['b@example.net'] },
      failure: { errorMessage: BUDGET, templateName: 'bomb' },
    });
    expect(events[0]!.payload.mail).not.toHaveProperty('headers');
  }, 120_000);

  it('a missing attribute is a Rendering Failure too (SES documents this event for it)', async () => {
    const sent = await root.v1.send(
      new SendTemplatedEmailCommand({
        Source: 'a@example.com',
        Destination: { ToAddresses: ['b@example.net'] },
        Template: 'hello',
        TemplateData: '{}',
      }),
    );
    const events = await eventsOfMessage(server.app.store, sent.MessageId!);
    expect(events[0]!.payload).toMatchObject({
      eventType: 'Rendering Failure',
      failure: {
        errorMessage: "Attribute 'name' is not present in the rendering data.",
        templateName: 'hello',
      },
    });
  });

  it('v2 SendBulkEmail: each entry accepted, each failing on its own; a good entry is delivered', async () => {
    const r = await root.v2.send(
      new SendBulkEmailCommand({
        FromEmailAddress: 'a@example.com',
        DefaultContent: { Template: { TemplateName: 'hello', TemplateData: '{"name":"x"}' } },
        BulkEmailEntries: [
          { Destination: { ToAddresses: ['c@example.net'] } },
          {
            Destination: { ToAddresses: ['d@example.net'] },
            ReplacementEmailContent: { ReplacementTemplate: { ReplacementTemplateData: '{}' } },
          },
        ],
      }),
    );
    expect(r.BulkEmailEntryResults!.map((e) => e.Status)).toEqual(['SUCCESS', 'SUCCESS']);
    const [good, bad] = r.BulkEmailEntryResults!.map((e) => e.MessageId!);
    const rows = await outbox(server, ACCOUNT);
    expect(rows.find((m) => m.messageId === bad)).toMatchObject({ status: 'failed' });
    expect(rows.find((m) => m.messageId === good)?.status).not.toBe('failed');
  });
});
