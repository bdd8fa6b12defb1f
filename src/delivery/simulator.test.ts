import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSuppressed } from '../ses/state/index.js';
import { testDialects, type Store } from '../store/database.js';
import { eventsOfMessage } from './events.js';
import { simulatorScenario } from './simulator.js';
import { startDelivery } from './worker.js';
import {
  ACCOUNT,
  REGION,
  config,
  enqueue,
  eventually,
  openDeliveryStore,
  scriptedTransport,
  silentLog,
} from './test-support.js';

const SIM = 'simulator.amazonses.com';

describe('simulatorScenario', () => {
  it('reads the local part before any +label, case-insensitively', () => {
    expect(simulatorScenario(`success@${SIM}`)).toBe('success');
    expect(simulatorScenario(`Bounce+label1@${SIM}`)).toBe('bounce');
    expect(simulatorScenario(`ooto+x+y@${SIM}`)).toBe('ooto');
    expect(simulatorScenario(`complaint@SIMULATOR.amazonses.com`)).toBe('complaint');
    expect(simulatorScenario(`suppressionlist@${SIM}`)).toBe('suppressionlist');
    expect(simulatorScenario(`nobody@${SIM}`)).toBe('bounce');
    expect(simulatorScenario('success@example.com')).toBeUndefined();
    expect(simulatorScenario(`success@x.${SIM}`)).toBeUndefined();
  });
});

describe.each(testDialects())('mailbox simulator (%s)', (dialect) => {
  let store: Store;
  const t = scriptedTransport(() => 'delivered');
  let stop: () => Promise<void>;
  beforeAll(async () => {
    store = await openDeliveryStore(dialect);
    stop = startDelivery({ store, config, log: silentLog, transport: t, tuning: { pollMs: 10 } }).stop;
  });
  afterAll(async () => {
    await stop();
    await store.close();
  });

  const settled = async (id: string) => {
    await eventually(async () => {
      const r = await store.db
        .selectFrom('outbox')
        .select('status')
        .where('message_id', '=', id)
        .executeTakeFirstOrThrow();
      return r.status !== 'queued' && r.status !== 'sending';
    });
    return eventsOfMessage(store, id);
  };
  const types = (evs: { type: string; recipients: string[] }[]) =>
    evs.map((e) => `${e.type}:${e.recipients.join(',')}`);

  it('never hands simulator recipients to the transport', async () => {
    const id = await enqueue(store, [`success@${SIM}`, `bounce@${SIM}`]);
    await settled(id);
    expect(t.sent.filter((m) => m.messageId === id)).toEqual([]);
  });

  it('success: a Delivery event', async () => {
    const id = await enqueue(store, [`success+a@${SIM}`]);
    expect(types(await settled(id))).toEqual(['Send:', `Delivery:success+a@${SIM}`]);
  });

  it('bounce: one hard bounce (550 5.1.1) for all simulated bounces, not suppressed', async () => {
    const id = await enqueue(store, [`bounce@${SIM}`, `bounce+two@${SIM}`]);
    const evs = await settled(id);
    expect(types(evs)).toEqual(['Send:', `Bounce:bounce@${SIM},bounce+two@${SIM}`]);
    const b = evs[1]!.payload.bounce as Record<string, unknown>;
    expect([b.bounceType, b.bounceSubType]).toEqual(['Permanent', 'General']);
    expect(b.bouncedRecipients).toEqual([
      {
        emailAddress: `bounce@${SIM}`,
        action: 'failed',
        status: '5.1.1',
        diagnosticCode: 'smtp; 550 5.1.1 user unknown',
      },
      {
        emailAddress: `bounce+two@${SIM}`,
        action: 'failed',
        status: '5.1.1',
        diagnosticCode: 'smtp; 550 5.1.1 user unknown',
      },
    ]);
    expect(await isSuppressed(store, ACCOUNT, REGION, `bounce@${SIM}`)).toBeUndefined();
    const row = await store.db
      .selectFrom('outbox')
      .select('status')
      .where('message_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('failed');
  });

  it('ooto: delivered, and an auto-reply goes to the sender', async () => {
    const id = await enqueue(store, [`ooto@${SIM}`]);
    expect(types(await settled(id))).toEqual(['Send:', `Delivery:ooto@${SIM}`]);
    const replies = await store.db
      .selectFrom('captured_messages')
      .selectAll()
      .where('message_id', '=', id)
      .where('kind', '=', 'auto-reply')
      .execute();
    expect(replies.map((r) => [r.kind, r.recipients, r.from_address, r.mail_from])).toEqual([
      ['auto-reply', '["sender@example.com"]', `ooto@${SIM}`, ''],
    ]);
    const raw = Buffer.from(replies[0]!.raw).toString();
    expect(raw).toContain('Auto-Submitted: auto-replied\r\n');
    expect(raw).toContain(`In-Reply-To: <${id}@us-east-1.amazonses.com>\r\n`);
  });

  it('keeps each message to the simulator in the mailbox (kind simulated) with every recipient’s outcome', async () => {
    const recipients = [
      `success@${SIM}`,
      `bounce+x@${SIM}`,
      `complaint@${SIM}`,
      `ooto@${SIM}`,
      `suppressionlist@${SIM}`,
      'real@example.net',
    ];
    const id = await enqueue(store, recipients);
    await settled(id);
    const rows = await store.db
      .selectFrom('captured_messages')
      .select(['capture_id', 'kind', 'recipients', 'outcomes', 'mail_from', 'raw'])
      .where('message_id', '=', id)
      .orderBy('capture_id')
      .execute();
    // The transport got the real recipient only; the simulator's stay here, with their outcomes.
    expect(t.sent.filter((m) => m.messageId === id).map((m) => m.recipients)).toEqual([['real@example.net']]);
    const simulated = rows.find((r) => r.kind === 'simulated')!;
    expect(simulated.capture_id).toBe(`${id}:simulated`);
    expect(JSON.parse(simulated.recipients)).toEqual(recipients.slice(0, 5));
    expect(JSON.parse(simulated.outcomes!)).toEqual({
      [`success@${SIM}`]: 'Delivery',
      [`bounce+x@${SIM}`]: 'Bounce',
      [`complaint@${SIM}`]: 'Complaint',
      [`ooto@${SIM}`]: 'AutoReply',
      [`suppressionlist@${SIM}`]: 'Suppressed',
    });
    // As it would leave: SES's bounce address as envelope sender, a Return-Path header.
    expect(simulated.mail_from).toBe(`${id}@amazonses.com`);
    expect(Buffer.from(simulated.raw).toString()).toMatch(/^Return-Path: </);
    expect(rows.map((r) => r.kind).sort()).toEqual(['auto-reply', 'simulated']);
  });

  it('complaint: delivered, then a complaint, not suppressed', async () => {
    const id = await enqueue(store, [`complaint@${SIM}`]);
    const evs = await settled(id);
    expect(types(evs)).toEqual(['Send:', `Delivery:complaint@${SIM}`, `Complaint:complaint@${SIM}`]);
    const c = evs.find((e) => e.type === 'Complaint')!.payload.complaint as Record<string, unknown>;
    expect(c.complainedRecipients).toEqual([{ emailAddress: `complaint@${SIM}` }]);
    expect([c.complaintFeedbackType, c.userAgent]).toEqual(['abuse', 'Amazon SES Mailbox Simulator']);
    expect(await isSuppressed(store, ACCOUNT, REGION, `complaint@${SIM}`)).toBeUndefined();
  });

  it('suppressionlist: a hard bounce as suppressed', async () => {
    const id = await enqueue(store, [`suppressionlist@${SIM}`]);
    const evs = await settled(id);
    const b = evs.find((e) => e.type === 'Bounce')!.payload.bounce as Record<string, unknown>;
    expect([b.bounceType, b.bounceSubType]).toEqual(['Permanent', 'Suppressed']);
    expect(await isSuppressed(store, ACCOUNT, REGION, `suppressionlist@${SIM}`)).toBeUndefined();
  });
});
