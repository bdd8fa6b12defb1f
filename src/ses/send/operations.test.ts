// The v1/v2 send operations end to end over the pipeline (SQLite; the pipeline tests cover both engines).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, type Store } from '../../store/database.js';
import { MESSAGE_ID_PATTERN } from './message-id.js';
import { createV1SendOperations, createV2SendOperations } from './operations.js';
import { getOutboxMessage } from './outbox.js';
import { eventsOfMessage } from '../../delivery/events.js';
import {
  ctxFor,
  nextAccount,
  production,
  quota,
  rejection,
  template,
  testDeps,
  verifiedIdentity,
} from './test-support.js';

let store: Store;
beforeAll(async () => {
  store = await openTestStore('sqlite');
});
afterAll(async () => {
  await store.close();
});

async function account() {
  const acct = nextAccount();
  await production(store, acct);
  await verifiedIdentity(store, acct, 'example.com');
  await template(store, acct, 'welcome', {
    subject: 'Hi {{name}}',
    text: 'Hello {{name}}',
    html: '<p>{{name}}</p>',
  });
  return acct;
}

describe('v1', () => {
  it('SendTemplatedEmail renders the template into the stored message', async () => {
    const acct = await account();
    const ops = createV1SendOperations(testDeps());
    const out = await ops.SendTemplatedEmail!.handle(ctxFor(store, acct), {
      Source: 'a@example.com',
      Destination: { ToAddresses: ['b@x.org'] },
      Template: 'welcome',
      TemplateData: '{"name":"Ann"}',
    });
    expect(out.MessageId).toMatch(MESSAGE_ID_PATTERN);
    const raw = (await getOutboxMessage(store, out.MessageId))!.raw.toString();
    expect(raw).toContain('Subject: Hi Ann');
    expect(raw).toContain('Hello Ann');
  });

  it('SendTemplatedEmail with a missing template is TemplateDoesNotExist', async () => {
    const acct = await account();
    const ops = createV1SendOperations(testDeps());
    const input = {
      Source: 'a@example.com',
      Destination: { ToAddresses: ['b@x.org'] },
      Template: 'nope',
      TemplateData: '{}',
    };
    expect(await rejection(ops.SendTemplatedEmail!.handle(ctxFor(store, acct), input))).toEqual({
      code: 'TemplateDoesNotExist',
      status: 400,
      message: 'Template nope does not exist.',
    });
  });

  it('SendBulkTemplatedEmail answers one Status per destination, in order', async () => {
    const acct = await account();
    await quota(store, acct, 100, 3);
    const ops = createV1SendOperations(testDeps());
    const out = await ops.SendBulkTemplatedEmail!.handle(ctxFor(store, acct), {
      Source: 'a@example.com',
      Template: 'welcome',
      DefaultTemplateData: '{"name":"default"}',
      Destinations: [
        { Destination: { ToAddresses: ['1@x.org'] } },
        { Destination: { ToAddresses: ['2@x.org'] }, ReplacementTemplateData: '{}' },
        { Destination: { ToAddresses: ['3@x.org', '4@x.org'] } },
        { Destination: { ToAddresses: ['5@x.org'] } },
      ],
    });
    // A destination whose data lacks an attribute is accepted (and counted), as SES does: its
    // rendering fails afterwards, with a Rendering Failure event instead of a delivery.
    expect(out.Status.map((s: { Status: string }) => s.Status)).toEqual([
      'Success',
      'Success',
      'AccountDailyQuotaExceeded',
      'Success',
    ]);
    expect(out.Status[0].MessageId).toMatch(MESSAGE_ID_PATTERN);
    const failed = await getOutboxMessage(store, out.Status[1].MessageId);
    expect(failed).toMatchObject({ status: 'failed' });
    const events = await eventsOfMessage(store, out.Status[1].MessageId);
    expect(events.map((e) => [e.type, (e.payload.failure as { errorMessage: string }).errorMessage])).toEqual(
      [['RenderingFailure', "Attribute 'name' is not present in the rendering data."]],
    );
  });

  it('SendBounce needs a verified BounceSender and returns a MessageId', async () => {
    const acct = await account();
    const ops = createV1SendOperations(testDeps());
    const input = (sender: string) => ({
      OriginalMessageId: 'orig-1',
      BounceSender: sender,
      BouncedRecipientInfoList: [{ Recipient: 'gone@example.com', BounceType: 'DoesNotExist' }],
    });
    const out = await ops.SendBounce!.handle(ctxFor(store, acct), input('mailer-daemon@example.com'));
    expect(out.MessageId).toMatch(MESSAGE_ID_PATTERN);
    expect(
      (await rejection(ops.SendBounce!.handle(ctxFor(store, acct), input('x@unverified.org')))).code,
    ).toBe('MessageRejected');
  });
});

describe('v2', () => {
  it('SendEmail Simple, Raw and Template content', async () => {
    const acct = await account();
    const ops = createV2SendOperations(testDeps());
    const ctx = ctxFor(store, acct, { apiVersion: '2' });
    const base = { FromEmailAddress: 'a@example.com', Destination: { ToAddresses: ['b@x.org'] } };
    const simple = await ops.SendEmail!.handle(ctx, {
      ...base,
      Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } },
    });
    const raw = await ops.SendEmail!.handle(ctx, {
      Content: { Raw: { Data: Buffer.from('From: a@example.com\r\nTo: b@x.org\r\n\r\nx') } },
    });
    const tpl = await ops.SendEmail!.handle(ctx, {
      ...base,
      Content: { Template: { TemplateName: 'welcome', TemplateData: '{"name":"Bo"}' } },
    });
    for (const o of [simple, raw, tpl]) expect(o.MessageId).toMatch(MESSAGE_ID_PATTERN);
    expect((await getOutboxMessage(store, tpl.MessageId))!.raw.toString()).toContain('Subject: Hi Bo');
    expect((await getOutboxMessage(store, raw.MessageId))!.apiVersion).toBe('2');
  });

  it('answers in v2 error codes', async () => {
    const acct = await account();
    const ops = createV2SendOperations(testDeps());
    const ctx = ctxFor(store, acct, { apiVersion: '2' });
    const base = { FromEmailAddress: 'a@example.com', Destination: { ToAddresses: ['b@x.org'] } };
    expect(
      await rejection(
        ops.SendEmail!.handle(ctx, {
          ...base,
          Content: { Template: { TemplateName: 'nope', TemplateData: '{}' } },
        }),
      ),
    ).toEqual({
      code: 'NotFoundException',
      status: 404,
      message: 'Template nope does not exist.',
    });
    expect(await rejection(ops.SendEmail!.handle(ctx, { ...base, Content: {} }))).toEqual({
      code: 'BadRequestException',
      status: 400,
      message: 'Exactly one of Simple, Raw or Template content must be specified.',
    });
    expect(
      (
        await rejection(
          ops.SendEmail!.handle(ctx, {
            ...base,
            FromEmailAddress: 'a@nowhere.org',
            Content: { Raw: { Data: Buffer.from('To: b@x.org\r\n\r\nx') } },
          }),
        )
      ).code,
    ).toBe('MessageRejected');
  });

  it('SendBulkEmail answers BulkEmailEntryResults', async () => {
    const acct = await account();
    const ops = createV2SendOperations(testDeps());
    const out = await ops.SendBulkEmail!.handle(ctxFor(store, acct, { apiVersion: '2' }), {
      FromEmailAddress: 'a@example.com',
      DefaultContent: { Template: { TemplateName: 'welcome', TemplateData: '{"name":"d"}' } },
      BulkEmailEntries: [
        { Destination: { ToAddresses: ['1@x.org'] } },
        { Destination: { ToAddresses: ['bad address@x.org'] } },
      ],
    });
    expect(out.BulkEmailEntryResults.map((r: { Status: string }) => r.Status)).toEqual([
      'SUCCESS',
      'INVALID_PARAMETER',
    ]);
    expect(out.BulkEmailEntryResults[1].Error).toBe('Local address contains control or whitespace');
  });
});
