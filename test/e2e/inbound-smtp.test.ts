// The MX-facing receiver as real SMTP clients see it (smtplib, swaks, nodemailer): which recipients
// it takes (verified identities, active rule set, enabled rules, recipient patterns), IP filters,
// the TLS policy, verdicts (DMARC failure, spam and virus scanners speaking spamd's and clamd's
// protocols), the capture loop and the mailbox API's view — on SQLite and PostgreSQL.
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateReceiptFilterCommand,
  CreateReceiptRuleCommand,
  CreateReceiptRuleSetCommand,
  DeleteReceiptFilterCommand,
  SetActiveReceiptRuleSetCommand,
  UpdateReceiptRuleCommand,
  VerifyDomainDkimCommand,
  type ReceiptRule,
} from '@aws-sdk/client-ses';
import { PutEmailIdentityMailFromAttributesCommand, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { getMessage, listMessages } from '../../src/delivery/mailbox.js';
import { inboundTimeline } from '../../src/inbound/index.js';
import { testDialects } from '../../src/store/database.js';
import { ACCOUNT } from '../support/server.js';
import { clientsFor, verify, type Clients } from '../support/ses-fixtures.js';
import {
  eventually,
  mailboxCall,
  nodemailerSend,
  plainMessage,
  RECEIVING_DOMAIN,
  SENDER_DOMAIN,
  smtplibSend,
  startReceiving,
  swaksSend,
  type Receiving,
} from '../support/inbound.js';

const SET = 'mx';
const sender = `alice@${SENDER_DOMAIN}`;
const at = (local: string, domain = RECEIVING_DOMAIN) => `${local}@${domain}`;
const UNKNOWN = [550, '5.1.1 Requested action not taken: mailbox unavailable'];

/** A scanner that answers every request with `reply(request)` and closes. */
async function scanner(reply: (request: string) => string): Promise<{ address: string; server: TcpServer }> {
  const server = createTcpServer((socket) => {
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => socket.end(reply(Buffer.concat(chunks).toString('latin1'))));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { address: `127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe.each(testDialects())('inbound SMTP (%s)', (dialect) => {
  let r: Receiving;
  let root: Clients;
  let spamd: Awaited<ReturnType<typeof scanner>>;
  let clamd: Awaited<ReturnType<typeof scanner>>;

  beforeAll(async () => {
    spamd = await scanner((req) =>
      req.startsWith('CHECK SPAMC/1.5') && req.includes('BUY NOW')
        ? 'SPAMD/1.1 0 EX_OK\r\nSpam: True ; 15.2 / 5.0\r\n\r\n'
        : 'SPAMD/1.1 0 EX_OK\r\nSpam: False ; 0.4 / 5.0\r\n\r\n',
    );
    clamd = await scanner((req) =>
      req.startsWith('zINSTREAM\0') && req.includes('EICAR')
        ? 'stream: Eicar-Test-Signature FOUND\0'
        : 'stream: OK\0',
    );
    // No S3 endpoint here: S3 actions fail as SES reports an action it cannot run.
    r = await startReceiving(dialect, undefined, {
      SESAME_SPAMD_ADDRESS: spamd.address,
      SESAME_CLAMD_ADDRESS: clamd.address,
    });
    root = clientsFor(r.server, r.server.credentials);
    await verify(root.v1, RECEIVING_DOMAIN, 'other.example', 'solo@lone.example');
    // other.example signs with Easy DKIM (the capture loop checks the signature).
    await root.v1.send(new VerifyDomainDkimCommand({ Domain: 'other.example' }));
    await root.v1.send(new CreateReceiptRuleSetCommand({ RuleSetName: SET }));
    const rules: ReceiptRule[] = [
      {
        Name: 'addresses',
        Enabled: true,
        Recipients: [at('support'), 'solo@lone.example'],
        Actions: [{ AddHeaderAction: { HeaderName: 'X-Rule', HeaderValue: 'addresses' } }],
      },
      { Name: 'subdomains', Enabled: true, Recipients: [`.${RECEIVING_DOMAIN}`], Actions: [] },
      { Name: 'secure', Enabled: true, TlsPolicy: 'Require', Recipients: [at('secure')], Actions: [] },
      { Name: 'off', Enabled: false, Recipients: [at('dormant')], Actions: [] },
      { Name: 'scanned', Enabled: true, ScanEnabled: true, Recipients: [at('scanned')], Actions: [] },
      {
        Name: 'archive',
        Enabled: true,
        Recipients: [at('archive')],
        Actions: [{ S3Action: { BucketName: 'nowhere' } }],
      },
      { Name: 'other-domain', Enabled: true, Recipients: ['other.example'], Actions: [] },
    ];
    for (const rule of [...rules].reverse())
      await root.v1.send(new CreateReceiptRuleCommand({ RuleSetName: SET, Rule: rule }));
  });
  afterAll(async () => {
    await r?.stop();
    spamd?.server.close();
    clamd?.server.close();
  });

  const send = (to: string[], o: { tls?: boolean; raw?: Buffer; from?: string } = {}) =>
    smtplibSend(r.port, {
      from: o.from ?? sender,
      to,
      raw: o.raw ?? plainMessage({ from: sender, to: to.join(', '), subject: 'hello' }),
      ...(o.tls ? { tls: true } : {}),
    });
  const idOf = (text: string | undefined) => /^OK ([0-9a-v]{40})$/.exec(text ?? '')?.[1];

  it('refuses every recipient while no rule set is active', async () => {
    expect(await send([at('support')])).toEqual({ ok: false, refused: { [at('support')]: UNKNOWN } });
    await root.v1.send(new SetActiveReceiptRuleSetCommand({ RuleSetName: SET }));
  });

  it('takes only recipients an enabled rule applies to, on identities the account verified', async () => {
    const out = await send([
      at('support'), // address rule
      'solo@lone.example', // a verified address (its domain is not verified)
      at('x', `deep.sub.${RECEIVING_DOMAIN}`), // `.inbound.example`: any subdomain
      at('anyone', 'other.example'), // domain rule
      at('nobody'), // no rule for the bare domain's other addresses
      at('dormant'), // only a disabled rule
      'other@lone.example', // not a verified identity
      at('x', 'unverified.example'),
    ]);
    expect(out.ok).toBe(true);
    expect(out.refused).toEqual({
      [at('nobody')]: UNKNOWN,
      [at('dormant')]: UNKNOWN,
      'other@lone.example': UNKNOWN,
      [at('x', 'unverified.example')]: UNKNOWN,
    });
    const id = idOf(out.text)!;
    const stored = await getMessage(r.server.app.store, ACCOUNT, id);
    expect(stored?.recipients).toEqual([
      at('support'),
      'solo@lone.example',
      at('x', `deep.sub.${RECEIVING_DOMAIN}`),
      at('anyone', 'other.example'),
    ]);
    const t = await eventually(
      () => inboundTimeline(r.server.app.store, ACCOUNT, id),
      (x) => x?.status === 'done',
    );
    expect(t!.trace[0]).toMatchObject({
      event: 'Received',
      ruleSet: SET,
      rules: ['addresses', 'subdomains', 'other-domain'],
    });

    await root.v1.send(
      new UpdateReceiptRuleCommand({
        RuleSetName: SET,
        Rule: { Name: 'off', Enabled: true, Recipients: [at('dormant')] },
      }),
    );
    expect(await send([at('dormant')])).toMatchObject({ ok: true, code: 250 });
  });

  it("refuses a Require rule's recipients without TLS and takes them after STARTTLS", async () => {
    expect(await send([at('secure')])).toEqual({
      ok: false,
      refused: { [at('secure')]: [530, '5.7.0 Must issue a STARTTLS command first'] },
    });
    const out = await send([at('secure')], { tls: true });
    expect(out).toMatchObject({ ok: true, code: 250 });
    const t = await inboundTimeline(r.server.app.store, ACCOUNT, idOf(out.text)!);
    expect(t?.tls).toBe(true);
  });

  it('applies IP filters before the rules: a Block filter wins over an Allow filter', async () => {
    const block = { Name: 'loopback', IpFilter: { Policy: 'Block' as const, Cidr: '127.0.0.0/8' } };
    await root.v1.send(new CreateReceiptFilterCommand({ Filter: block }));
    await root.v1.send(
      new CreateReceiptFilterCommand({
        Filter: { Name: 'me', IpFilter: { Policy: 'Allow', Cidr: '127.0.0.1' } },
      }),
    );
    expect(await send([at('support')])).toEqual({
      ok: false,
      refused: {
        [at('support')]: [554, '5.7.1 Access denied: the sending IP address is blocked by a receipt filter'],
      },
    });
    await root.v1.send(new DeleteReceiptFilterCommand({ FilterName: 'loopback' }));
    expect(await send([at('support')])).toMatchObject({ ok: true, code: 250 });
    await root.v1.send(new DeleteReceiptFilterCommand({ FilterName: 'me' }));
  });

  it('takes mail from swaks (STARTTLS) and nodemailer', async () => {
    const s = await swaksSend(r.port, {
      from: sender,
      to: at('support'),
      header: ['Subject: from swaks'],
      tls: true,
    });
    expect(s.code, s.output).toBe(0);
    expect(s.output).toMatch(/<~ +250 OK [0-9a-v]{40}/);
    const n = await nodemailerSend(r.port, {
      from: sender,
      to: [at('support'), at('nobody')],
      subject: 'from nodemailer',
      text: 'hi',
    });
    expect(n.rejected).toEqual([at('nobody')]);
    const id = /^250 OK ([0-9a-v]{40})$/.exec(n.response)?.[1];
    expect(id, n.response).toBeDefined();
    const list = await listMessages(r.server.app.store, { accountId: ACCOUNT, query: 'from ' });
    expect(
      list
        .filter((m) => m.kind === 'inbound')
        .map((m) => m.subject)
        .sort(),
    ).toEqual(['from nodemailer', 'from swaks']);
    const t = await inboundTimeline(r.server.app.store, ACCOUNT, id!);
    expect(t).toMatchObject({
      helo: 'nodemailer.sender.example',
      remoteIp: '127.0.0.1',
      tls: true,
      mailFrom: sender,
    });
  });

  it("reports a DMARC failure with the sending domain's policy", async () => {
    // Neither SPF nor DKIM aligns with the From domain, whose policy is p=reject.
    const out = await send([at('support')], { from: 'bounces@unrelated.example' });
    const t = await inboundTimeline(r.server.app.store, ACCOUNT, idOf(out.text)!);
    expect(t?.verdicts).toEqual({ spf: 'GRAY', dkim: 'GRAY', dmarc: 'FAIL', dmarcPolicy: 'reject' });
  });

  it('scans when a matching rule asks for it: spamd and clamd verdicts in the record and the headers', async () => {
    const clean = await send([at('scanned')]);
    const spam = await send([at('scanned')], {
      raw: plainMessage({ from: sender, to: at('scanned'), subject: 'offer', body: 'BUY NOW' }),
    });
    const virus = await send([at('scanned')], {
      raw: plainMessage({ from: sender, to: at('scanned'), subject: 'file', body: 'EICAR' }),
    });
    const unscanned = await send([at('support')]);
    const verdicts = async (text: string | undefined) =>
      (await inboundTimeline(r.server.app.store, ACCOUNT, idOf(text)!))!.verdicts;
    expect(await verdicts(clean.text)).toMatchObject({ spam: 'PASS', virus: 'PASS' });
    expect(await verdicts(spam.text)).toMatchObject({ spam: 'FAIL', virus: 'PASS' });
    expect(await verdicts(virus.text)).toMatchObject({ spam: 'PASS', virus: 'FAIL' });
    expect(await verdicts(unscanned.text)).not.toHaveProperty('spam');
    const raw = (await getMessage(r.server.app.store, ACCOUNT, idOf(spam.text)!))!.raw.toString('utf8');
    expect(raw).toMatch(/^X-SES-Spam-Verdict: FAIL\r\nX-SES-Virus-Verdict: PASS\r\n/m);
  });

  it('an S3 action without SESAME_S3_ENDPOINT fails as PublishFailure; the message stays in the mailbox', async () => {
    const out = await send([at('archive')]);
    const id = idOf(out.text)!;
    const t = await eventually(
      () => inboundTimeline(r.server.app.store, ACCOUNT, id),
      (x) => x?.status === 'done',
    );
    expect(t!.trace.filter((e) => e.event === 'Action')).toEqual([
      expect.objectContaining({
        rule: 'archive',
        action: 'S3Action',
        outcome: 'PublishFailure',
        detail: expect.stringContaining('SESAME_S3_ENDPOINT'),
      }),
    ]);
    expect((await getMessage(r.server.app.store, ACCOUNT, id))?.kind).toBe('inbound');
  });

  it('receives what Sesame itself sends to a receiving domain (capture loop), verdicts included', async () => {
    const sent = await root.v2.send(
      new SendEmailCommand({
        FromEmailAddress: at('noreply', 'other.example'),
        Destination: { ToAddresses: [at('support')] },
        Content: { Simple: { Subject: { Data: 'looped' }, Body: { Text: { Data: 'round trip' } } } },
      }),
    );
    const inbound = await eventually(
      async () =>
        (await listMessages(r.server.app.store, { accountId: ACCOUNT, query: 'looped' })).filter(
          (m) => m.kind === 'inbound',
        ),
      (m) => m.length === 1,
    );
    const t = await eventually(
      () => inboundTimeline(r.server.app.store, ACCOUNT, inbound[0]!.messageId),
      (x) => x?.status === 'done',
    );
    expect(t).toMatchObject({
      mailFrom: `${sent.MessageId}@amazonses.com`,
      remoteIp: '127.0.0.1',
      recipients: [at('support')],
    });
    // Sesame answers for its own DKIM key and its bounce domain's SPF; other.example has no DMARC record.
    expect(t!.verdicts).toEqual({ spf: 'PASS', dkim: 'PASS', dmarc: 'GRAY' });
    expect(t!.trace.filter((e) => e.event === 'Action').map((e) => e.action)).toEqual(['AddHeaderAction']);
  });

  it('answers the loop’s SPF for a verified custom MAIL FROM domain too', async () => {
    await root.v2.send(
      new PutEmailIdentityMailFromAttributesCommand({
        EmailIdentity: 'other.example',
        MailFromDomain: 'bounce.other.example',
      }),
    );
    try {
      const send = () =>
        root.v2.send(
          new SendEmailCommand({
            FromEmailAddress: at('noreply', 'other.example'),
            Destination: { ToAddresses: [at('support')] },
            Content: { Simple: { Subject: { Data: 'looped-mail-from' }, Body: { Text: { Data: 'x' } } } },
          }),
        );
      // The sandbox's rate (one a second) may still be spent by the tests before.
      const sent = await send().catch(async (e: { name?: string }) => {
        if (e.name !== 'TooManyRequestsException') throw e;
        await new Promise((r) => setTimeout(r, 1100));
        return send();
      });
      const inbound = await eventually(
        async () =>
          (await listMessages(r.server.app.store, { accountId: ACCOUNT, query: 'looped-mail-from' })).filter(
            (m) => m.kind === 'inbound',
          ),
        (m) => m.length === 1,
      );
      const t = await eventually(
        () => inboundTimeline(r.server.app.store, ACCOUNT, inbound[0]!.messageId),
        (x) => x?.status === 'done',
      );
      expect(t?.mailFrom).toBe(`${sent.MessageId}@bounce.other.example`);
      expect(t!.verdicts).toEqual({ spf: 'PASS', dkim: 'PASS', dmarc: 'GRAY' });
    } finally {
      await root.v2.send(new PutEmailIdentityMailFromAttributesCommand({ EmailIdentity: 'other.example' }));
    }
  });

  it('shows received mail through the mailbox API: kind, verdicts and the rule and action trace', async () => {
    const out = await send([at('support')]);
    const id = idOf(out.text)!;
    await eventually(
      () => inboundTimeline(r.server.app.store, ACCOUNT, id),
      (x) => x?.status === 'done',
    );
    const list = await mailboxCall(r.server, r.server.credentials, '/sesame/mailbox/messages', {
      q: 'hello',
      kind: 'inbound',
      limit: '1',
    });
    expect(list.status).toBe(200);
    expect((list.json.Messages as { Id: string; Kind: string }[])[0]).toMatchObject({
      Id: id,
      Kind: 'inbound',
    });
    const timeline = await mailboxCall(
      r.server,
      r.server.credentials,
      `/sesame/mailbox/messages/${id}/timeline`,
    );
    expect(timeline.status).toBe(200);
    expect(timeline.json).toMatchObject({
      MessageId: id,
      Kind: 'inbound',
      Received: {
        MailFrom: sender,
        Recipients: [at('support')],
        RemoteIp: '127.0.0.1',
        Helo: 'mx-client.sender.example',
        Tls: false,
        RuleSet: SET,
      },
      Verdicts: { Spf: 'PASS', Dkim: 'GRAY', Dmarc: 'PASS' },
      Status: 'done',
      Trace: [
        { Event: 'Received', RuleSet: SET, Rules: ['addresses'] },
        {
          Event: 'Action',
          Rule: 'addresses',
          Action: 'AddHeaderAction',
          Position: 1,
          Outcome: 'PublishSuccess',
          Detail: 'X-Rule: addresses',
        },
        { Event: 'Completed' },
      ],
      Captured: [{ Id: id, Kind: 'inbound' }],
    });
  });
});
