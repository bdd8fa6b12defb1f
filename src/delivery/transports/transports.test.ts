import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../smtp-sink.js';
import { prepareMessage } from '../prepare.js';
import { mxTransport } from './mx.js';
import { relayTransport } from './relay.js';
import type { OutgoingMessage } from './types.js';
import { rawMessage } from '../test-support.js';

const MID = '0100019abc000000-11111111-2222-4333-8444-555555555555-000000';

async function outgoing(recipients: string[]): Promise<OutgoingMessage> {
  const p = await prepareMessage(
    { raw: rawMessage({ messageId: MID }), message_id: MID, region: 'eu-west-1' },
    { returnPath: false },
  );
  return {
    messageId: MID,
    accountId: '111111111111',
    region: 'eu-west-1',
    principalArn: 'arn:aws:iam::111111111111:user/alice',
    mailFrom: p.mailFrom,
    recipients,
    raw: p.raw,
    createdAt: new Date(),
  };
}

describe('relay transport (STARTTLS + AUTH to a loopback smtp-server)', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink({
      auth: { user: 'relay-user', pass: 's3cret' },
      rcptReply: (a) =>
        a.startsWith('nouser')
          ? '550 5.1.1 No such user here'
          : a.startsWith('later')
            ? '451 4.3.0 Greylisted'
            : undefined,
    });
  });
  afterAll(async () => sink.close());

  const relay = (pass = 's3cret') =>
    relayTransport({
      host: '127.0.0.1',
      port: sink.port,
      auth: { user: 'relay-user', pass },
      tls: { rejectUnauthorized: false },
      maxConnections: 1,
    });

  it('sends the prepared bytes unchanged under SES’s envelope, over TLS, authenticated', async () => {
    const t = relay();
    try {
      const m = await outgoing(['rcpt@example.net']);
      const before = sink.messages.length;
      const out = await t.deliver(m);
      expect(out).toHaveLength(1);
      expect(out[0]!.kind).toBe('delivered');
      expect(out[0]!.kind === 'delivered' && out[0]!.smtpResponse).toMatch(/^250 OK: queued as sink/);
      const got = sink.messages[before]!;
      expect(got.mailFrom).toBe(`${MID}@eu-west-1.amazonses.com`);
      expect(got.rcptTo).toEqual(['rcpt@example.net']);
      expect([got.secure, got.user]).toEqual([true, 'relay-user']);
      expect(got.raw.equals(m.raw)).toBe(true);
      const text = got.raw.toString();
      expect(text).toContain('\r\n\r\nBody line one.\r\n.leading dot\r\nlast line\r\n');
      expect(text).not.toMatch(/^Return-Path:/im);
      expect(text).not.toMatch(/^X-SES-/im);
    } finally {
      await t.close!();
    }
  });

  it('reports each recipient: 550 is permanent, 451 temporary, the rest delivered', async () => {
    const t = relay();
    try {
      const out = await t.deliver(
        await outgoing(['nouser@example.net', 'later@example.net', 'ok@example.net']),
      );
      expect(
        out.map((o) => [o.recipient, o.kind, o.kind === 'failed' ? [o.permanent, o.status] : null]),
      ).toEqual([
        ['nouser@example.net', 'failed', [true, '5.1.1']],
        ['later@example.net', 'failed', [false, '4.3.0']],
        ['ok@example.net', 'delivered', null],
      ]);
      expect(sink.messages.at(-1)!.rcptTo).toEqual(['ok@example.net']);
    } finally {
      await t.close!();
    }
  });

  it('a refused AUTH is a temporary failure (a local fault), never a bounce', async () => {
    const t = relay('wrong');
    try {
      const out = await t.deliver(await outgoing(['rcpt@example.net']));
      expect(out.map((o) => [o.kind, o.kind === 'failed' && o.permanent])).toEqual([['failed', false]]);
    } finally {
      await t.close!();
    }
  });

  it('all recipients refused: each gets its own reply', async () => {
    const t = relay();
    try {
      const out = await t.deliver(await outgoing(['nouser@example.net']));
      expect(
        out.map((o) => [o.kind, o.kind === 'failed' && o.permanent, o.kind === 'failed' && o.status]),
      ).toEqual([['failed', true, '5.1.1']]);
    } finally {
      await t.close!();
    }
  });
});

describe('mx transport (injected resolver, loopback MTA)', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(async () => sink.close());

  const resolver =
    (table: Record<string, { exchange: string; priority: number }[] | string>) => async (d: string) => {
      const v = table[d];
      if (typeof v === 'string') throw Object.assign(new Error(v), { code: v });
      if (!v) throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
      return v;
    };

  it('delivers per domain, trying MX hosts by preference', async () => {
    const t = mxTransport({
      port: sink.port,
      resolveMx: resolver({
        // 127.0.0.2 refuses (the sink listens on 127.0.0.1 only): the next MX takes it.
        'a.test': [
          { exchange: '127.0.0.1', priority: 20 },
          { exchange: '127.0.0.2', priority: 10 },
        ],
        'b.test': [{ exchange: '127.0.0.1', priority: 5 }],
      }),
    });
    const before = sink.messages.length;
    const out = await t.deliver(await outgoing(['x@a.test', 'y@b.test', 'z@a.test']));
    expect(out.map((o) => [o.recipient, o.kind]).sort()).toEqual([
      ['x@a.test', 'delivered'],
      ['y@b.test', 'delivered'],
      ['z@a.test', 'delivered'],
    ]);
    expect(
      sink.messages
        .slice(before)
        .map((m) => m.rcptTo.join(','))
        .sort(),
    ).toEqual(['x@a.test,z@a.test', 'y@b.test']);
  });

  it("binds the connection to the message's dedicated address (loopback 127.0.0.3)", async () => {
    const t = mxTransport({
      port: sink.port,
      resolveMx: resolver({ 'c.test': [{ exchange: '127.0.0.1', priority: 1 }] }),
    });
    const before = sink.messages.length;
    const bound = { ...(await outgoing(['w@c.test'])), localAddress: '127.0.0.3' };
    expect((await t.deliver(bound)).map((o) => o.kind)).toEqual(['delivered']);
    expect((await t.deliver(await outgoing(['v@c.test']))).map((o) => o.kind)).toEqual(['delivered']);
    expect(sink.messages.slice(before).map((m) => [m.rcptTo[0], m.remoteAddress])).toEqual([
      ['w@c.test', '127.0.0.3'],
      ['v@c.test', '127.0.0.1'],
    ]);
  });

  it('a null MX and a missing domain bounce; a DNS failure is temporary', async () => {
    const t = mxTransport({
      port: sink.port,
      resolveMx: resolver({ 'null.test': [{ exchange: '', priority: 0 }], 'broken.test': 'ESERVFAIL' }),
    });
    const out = await t.deliver(await outgoing(['a@null.test', 'b@missing.test', 'c@broken.test']));
    expect(
      out.map((o) => [o.recipient, o.kind === 'failed' && o.permanent, o.kind === 'failed' && o.status]),
    ).toEqual([
      ['a@null.test', true, '5.1.10'],
      ['b@missing.test', true, '5.1.2'],
      ['c@broken.test', false, '4.0.0'],
    ]);
  });
});
