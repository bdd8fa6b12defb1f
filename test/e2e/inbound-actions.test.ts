// Receipt actions observed at their targets: objects in a real S3-compatible server (moto), SNS
// notifications and Lambda invocations POSTed to local endpoints, DSNs in the mailbox, the rule
// and action trace in the message's timeline — on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateReceiptRuleCommand,
  CreateReceiptRuleSetCommand,
  DeleteReceiptRuleCommand,
  SetActiveReceiptRuleSetCommand,
  type ReceiptRule,
} from '@aws-sdk/client-ses';
import { getMessage, listMessages } from '../../src/delivery/mailbox.js';
import { verifyBody } from '../../src/delivery/publishing/index.js';
import { loadOrCreateSigningKey } from '../../src/delivery/publishing/signing-key.js';
import { inboundTimeline } from '../../src/inbound/index.js';
import { testDialects } from '../../src/store/database.js';
import { ACCOUNT } from '../support/server.js';
import { clientsFor, verify, type Clients } from '../support/ses-fixtures.js';
import {
  eventually,
  FN_EVENT,
  FN_SYNC,
  RECEIVING_DOMAIN,
  SENDER_DOMAIN,
  smtplibSend,
  startMotoS3,
  startReceiving,
  TOPIC,
  type MotoS3,
  type Receiving,
} from '../support/inbound.js';

let moto: MotoS3;
beforeAll(async () => {
  moto = await startMotoS3();
}, 60_000);
afterAll(async () => moto?.stop());

const SET = 'inbound';
const sender = `alice@${SENDER_DOMAIN}`;
const at = (local: string) => `${local}@${RECEIVING_DOMAIN}`;

describe.each(testDialects())('receipt actions (%s)', (dialect) => {
  let r: Receiving;
  let root: Clients;
  let key: Buffer;

  beforeAll(async () => {
    r = await startReceiving(dialect, moto);
    root = clientsFor(r.server, r.server.credentials);
    key = loadOrCreateSigningKey(r.server.config.dataDir);
    await verify(root.v1, RECEIVING_DOMAIN);
    await root.v1.send(new CreateReceiptRuleSetCommand({ RuleSetName: SET }));
    await root.v1.send(new SetActiveReceiptRuleSetCommand({ RuleSetName: SET }));
  });
  afterAll(async () => r?.stop());

  /** Adds a rule at the end of the active set. */
  async function rule(rule: ReceiptRule, after?: string) {
    await root.v1.send(
      new CreateReceiptRuleCommand({
        RuleSetName: SET,
        Rule: { Enabled: true, ...rule },
        ...(after ? { After: after } : {}),
      }),
    );
  }

  /** Delivers with smtplib and waits until the message's actions have all run. */
  async function deliver(to: string, subject: string, raw?: Buffer) {
    const sent = await smtplibSend(r.port, {
      from: sender,
      to: [to],
      raw: raw ?? (await r.signed({ to, subject })),
    });
    expect(sent, JSON.stringify(sent)).toMatchObject({ ok: true, code: 250 });
    const id = /^OK ([0-9a-v]{40})$/.exec(sent.text ?? '')?.[1];
    expect(id, sent.text).toBeDefined();
    const timeline = await eventually(
      () => inboundTimeline(r.server.app.store, ACCOUNT, id!),
      (t) => t?.status === 'done',
    );
    return { id: id!, timeline: timeline! };
  }

  it('keeps the message in the mailbox with its verdicts, then runs AddHeader, S3, Lambda (Event) and SNS in order', async () => {
    await rule({
      Name: 'support',
      Recipients: [at('support')],
      Actions: [
        { AddHeaderAction: { HeaderName: 'X-Route', HeaderValue: 'support-desk' } },
        { S3Action: { BucketName: r.bucket, ObjectKeyPrefix: 'mail/', TopicArn: TOPIC } },
        { LambdaAction: { FunctionArn: FN_EVENT } },
        { SNSAction: { TopicArn: TOPIC, Encoding: 'Base64' } },
      ],
    });
    const { id, timeline } = await deliver(at('support'), 'Where is my order');

    // In the mailbox, as received: SES's headers on top of the sender's bytes.
    const stored = await getMessage(r.server.app.store, ACCOUNT, id);
    expect(stored).toMatchObject({
      kind: 'inbound',
      mailFrom: sender,
      recipients: [at('support')],
      subject: 'Where is my order',
    });
    const head = stored!.raw.toString('utf8').split('\r\n\r\n')[0]!;
    expect(head.split('\r\n')[0]).toBe(`Return-Path: <${sender}>`);
    expect(head).toMatch(
      new RegExp(
        `^Received: from mx-client\\.sender\\.example \\(mx-client\\.sender\\.example \\[127\\.0\\.0\\.1\\]\\) by inbound-smtp\\.us-east-1\\.amazonaws\\.com with SMTP id ${id} for ${at('support')};`,
        'm',
      ),
    );
    expect(head).toMatch(
      /^Received-SPF: pass \(spfCheck: domain of sender\.example designates 127\.0\.0\.1 as permitted sender\) client-ip=127\.0\.0\.1;/m,
    );
    expect(head).toMatch(
      /^Authentication-Results: amazonses\.com;\r\n spf=pass .*\r\n dkim=pass header\.i=@sender\.example/m,
    );
    expect(head).not.toMatch(/X-SES-Spam-Verdict/); // the rule does not scan
    expect(timeline.verdicts).toEqual({ spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' });
    expect(timeline.trace.map((e) => [e.event, e.action, e.outcome])).toEqual([
      ['Received', undefined, undefined],
      ['Action', 'AddHeaderAction', 'PublishSuccess'],
      ['Action', 'S3Action', 'PublishSuccess'],
      ['Action', 'LambdaAction', 'PublishSuccess'],
      ['Action', 'SNSAction', 'PublishSuccess'],
      ['Completed', undefined, undefined],
    ]);

    // S3: the message as the action saw it (the added header on top), under prefix + message id.
    expect(await moto.keys(r.bucket, 'mail/')).toEqual(
      ['mail/AMAZON_SES_SETUP_NOTIFICATION', `mail/${id}`].sort(),
    );
    const object = (await moto.get(r.bucket, `mail/${id}`)).toString('utf8');
    expect(object.startsWith('X-Route: support-desk\r\nReturn-Path: <alice@sender.example>\r\n')).toBe(true);
    expect(object.endsWith(stored!.raw.toString('utf8'))).toBe(true);

    // The S3 action's notification and the SNS action's, in order; the Lambda event.
    const sns = await r.hooks.wait('/sns', 2);
    for (const h of sns) {
      expect(verifyBody(key, h.body, h.headers['x-sesame-signature'] as string)).toBe(true);
      expect(h.headers['x-amz-sns-topic-arn']).toBe(TOPIC);
    }
    const notes = sns.map((h) => {
      const env = JSON.parse(h.body) as { Subject: string; Message: string; TopicArn: string; Type: string };
      expect(env).toMatchObject({
        Type: 'Notification',
        TopicArn: TOPIC,
        Subject: 'Amazon SES Email Receipt Notification',
      });
      return JSON.parse(env.Message) as {
        notificationType: string;
        mail: Record<string, unknown>;
        receipt: Record<string, unknown>;
        content?: string;
      };
    });
    const s3Note = notes.find((n) => (n.receipt.action as { type: string }).type === 'S3')!;
    const snsNote = notes.find((n) => (n.receipt.action as { type: string }).type === 'SNS')!;
    expect(s3Note.notificationType).toBe('Received');
    expect(s3Note.content).toBeUndefined();
    expect(s3Note.receipt).toMatchObject({
      recipients: [at('support')],
      spamVerdict: { status: 'DISABLED' },
      virusVerdict: { status: 'DISABLED' },
      spfVerdict: { status: 'PASS' },
      dkimVerdict: { status: 'PASS' },
      dmarcVerdict: { status: 'PASS' },
      action: {
        type: 'S3',
        topicArn: TOPIC,
        bucketName: r.bucket,
        objectKeyPrefix: 'mail/',
        objectKey: `mail/${id}`,
      },
    });
    expect(typeof s3Note.receipt.processingTimeMillis).toBe('number');
    expect(s3Note.receipt).not.toHaveProperty('dmarcPolicy');
    expect(s3Note.mail).toMatchObject({
      source: sender,
      messageId: id,
      destination: [at('support')],
      headersTruncated: false,
      commonHeaders: {
        returnPath: sender,
        from: [sender],
        to: [at('support')],
        messageId: `<Where-is-my-order@${SENDER_DOMAIN}>`,
        subject: 'Where is my order',
      },
    });
    expect((s3Note.mail.headers as { name: string }[]).slice(0, 3).map((h) => h.name)).toEqual([
      'X-Route',
      'Return-Path',
      'Received',
    ]);
    expect(snsNote.receipt.action).toEqual({ type: 'SNS', topicArn: TOPIC, encoding: 'BASE64' });
    expect(Buffer.from(snsNote.content!, 'base64').toString('utf8')).toBe(object);

    const [lambda] = await r.hooks.wait('/on-mail');
    expect(lambda!.headers['x-amz-invocation-type']).toBe('Event');
    expect(verifyBody(key, lambda!.body, lambda!.headers['x-sesame-signature'] as string)).toBe(true);
    const event = JSON.parse(lambda!.body) as {
      Records: {
        eventSource: string;
        eventVersion: string;
        ses: { mail: unknown; receipt: Record<string, unknown> };
      }[];
    };
    expect(event.Records).toHaveLength(1);
    expect(event.Records[0]).toMatchObject({ eventSource: 'aws:ses', eventVersion: '1.0' });
    expect(event.Records[0]!.ses.receipt.action).toEqual({
      type: 'Lambda',
      functionArn: FN_EVENT,
      invocationType: 'Event',
    });
    expect(event.Records[0]!.ses.mail).toMatchObject({ messageId: id, source: sender });
  });

  it('a RequestResponse Lambda decides: STOP_RULE ends its rule, STOP_RULE_SET everything, CONTINUE goes on', async () => {
    for (const local of ['decide-rule', 'decide-set', 'decide-go'])
      await rule({
        Name: `first-${local}`,
        Recipients: [at(local)],
        Actions: [
          { LambdaAction: { FunctionArn: FN_SYNC, InvocationType: 'RequestResponse' } },
          { S3Action: { BucketName: r.bucket, ObjectKeyPrefix: `${local}/first/` } },
        ],
      });
    for (const local of ['decide-rule', 'decide-set', 'decide-go'])
      await rule(
        {
          Name: `second-${local}`,
          Recipients: [at(local)],
          Actions: [{ S3Action: { BucketName: r.bucket, ObjectKeyPrefix: `${local}/second/` } }],
        },
        `first-${local}`,
      );
    r.hooks.answer('/decide', { status: 200, body: { disposition: 'STOP_RULE' } });
    const stopRule = await deliver(at('decide-rule'), 'stop the rule');
    r.hooks.answer('/decide', { status: 200, body: { disposition: 'STOP_RULE_SET' } });
    const stopSet = await deliver(at('decide-set'), 'stop the set');
    r.hooks.answer('/decide', { status: 200, body: { disposition: 'CONTINUE' } });
    const go = await deliver(at('decide-go'), 'continue');

    expect(await moto.keys(r.bucket, 'decide-rule/')).toEqual(
      [
        'decide-rule/first/AMAZON_SES_SETUP_NOTIFICATION',
        'decide-rule/second/AMAZON_SES_SETUP_NOTIFICATION',
        `decide-rule/second/${stopRule.id}`,
      ].sort(),
    );
    expect(await moto.keys(r.bucket, 'decide-set/')).toEqual([
      'decide-set/first/AMAZON_SES_SETUP_NOTIFICATION',
      'decide-set/second/AMAZON_SES_SETUP_NOTIFICATION',
    ]);
    expect(await moto.keys(r.bucket, 'decide-go/')).toEqual(
      [
        'decide-go/first/AMAZON_SES_SETUP_NOTIFICATION',
        `decide-go/first/${go.id}`,
        'decide-go/second/AMAZON_SES_SETUP_NOTIFICATION',
        `decide-go/second/${go.id}`,
      ].sort(),
    );
    expect(stopSet.timeline.trace.filter((e) => e.event === 'Action')).toEqual([
      expect.objectContaining({
        rule: 'first-decide-set',
        action: 'LambdaAction',
        outcome: 'PublishSuccess',
        stop: 'rule-set',
      }),
    ]);
    const calls = r.hooks.on('/decide');
    expect(calls.map((c) => c.headers['x-amz-invocation-type'])).toEqual([
      'RequestResponse',
      'RequestResponse',
      'RequestResponse',
    ]);
    const receipt = (JSON.parse(calls[0]!.body) as { Records: { ses: { receipt: { action: unknown } } }[] })
      .Records[0]!.ses.receipt;
    expect(receipt.action).toEqual({
      type: 'Lambda',
      functionArn: FN_SYNC,
      invocationType: 'RequestResponse',
    });
  });

  it('retries a failing RequestResponse Lambda, then reports PublishFailure for a refusing one and goes on', async () => {
    await rule({
      Name: 'flaky',
      Recipients: [at('flaky')],
      Actions: [
        { LambdaAction: { FunctionArn: FN_SYNC, InvocationType: 'RequestResponse' } },
        { S3Action: { BucketName: r.bucket, ObjectKeyPrefix: 'flaky/' } },
      ],
    });
    const before = r.hooks.on('/decide').length;
    r.hooks.answer('/decide', { status: 503 }, { status: 200, body: { disposition: 'CONTINUE' } });
    const flaky = await deliver(at('flaky'), 'flaky function');
    expect(r.hooks.on('/decide').length - before).toBe(2);
    expect(
      flaky.timeline.trace
        .filter((e) => e.event !== 'Received' && e.event !== 'Completed')
        .map((e) => [e.event, e.action, e.outcome ?? e.attempt]),
    ).toEqual([
      ['Retry', 'LambdaAction', 1],
      ['Action', 'LambdaAction', 'PublishSuccess'],
      ['Action', 'S3Action', 'PublishSuccess'],
    ]);
    r.hooks.answer('/decide', { status: 403 });
    const refused = await deliver(at('flaky'), 'refusing function');
    const actions = refused.timeline.trace.filter((e) => e.event === 'Action');
    expect(actions.map((e) => [e.action, e.outcome])).toEqual([
      ['LambdaAction', 'PublishFailure'],
      ['S3Action', 'PublishSuccess'],
    ]);
    expect(actions[0]!.detail).toMatch(/answered HTTP 403/);
    expect(await moto.keys(r.bucket, `flaky/${refused.id}`)).toEqual([`flaky/${refused.id}`]);
  });

  it('the Bounce action sends a DSN to the sender through the delivery pipeline; WorkMail fails as SES reports it', async () => {
    await rule({
      Name: 'gone',
      Recipients: [at('former-employee')],
      Actions: [
        { WorkmailAction: { OrganizationArn: `arn:aws:workmail:us-east-1:${ACCOUNT}:organization/m-123` } },
        {
          BounceAction: {
            SmtpReplyCode: '550',
            StatusCode: '5.1.1',
            Message: 'This person no longer works here.',
            Sender: `mailer-daemon@${RECEIVING_DOMAIN}`,
            TopicArn: TOPIC,
          },
        },
      ],
    });
    const { id, timeline } = await deliver(at('former-employee'), 'are you there');
    expect(timeline.trace.filter((e) => e.event === 'Action').map((e) => [e.action, e.outcome])).toEqual([
      ['WorkmailAction', 'PublishFailure'],
      ['BounceAction', 'PublishSuccess'],
    ]);
    const dsn = await eventually(
      () => listMessages(r.server.app.store, { accountId: ACCOUNT, recipient: sender }),
      (m) => m.some((x) => x.kind === 'outbound' && x.subject === 'Delivery Status Notification (Failure)'),
    );
    const raw = (await getMessage(
      r.server.app.store,
      ACCOUNT,
      dsn.find((x) => x.kind === 'outbound')!.captureId,
    ))!.raw.toString('utf8');
    expect(raw).toMatch(/^From: mailer-daemon@inbound\.example$/m);
    expect(raw).toMatch(/^To: alice@sender\.example$/m);
    expect(raw).toMatch(/Content-Type: multipart\/report; report-type=delivery-status;/);
    expect(raw).toMatch(/^Reporting-MTA: dns; inbound-smtp\.us-east-1\.amazonaws\.com$/m);
    expect(raw).toMatch(/^Final-Recipient: rfc822; former-employee@inbound\.example$/m);
    expect(raw).toMatch(/^Status: 5\.1\.1$/m);
    expect(raw).toMatch(/^Diagnostic-Code: smtp; 550 5\.1\.1 This person no longer works here\.$/m);
    expect(raw).toContain('This person no longer works here.');
    expect(raw).toContain(
      `Received: from mx-client.sender.example (mx-client.sender.example [127.0.0.1]) by inbound-smtp.us-east-1.amazonaws.com with SMTP id ${id}`,
    );
    const bounceNote = await eventually(
      async () =>
        r.hooks
          .on('/sns')
          .map(
            (h) =>
              JSON.parse((JSON.parse(h.body) as { Message: string }).Message) as {
                receipt: { action: { type: string } };
              },
          )
          .find((n) => n.receipt.action.type === 'Bounce'),
      (n) => n !== undefined,
    );
    const note = bounceNote;
    expect(note?.receipt.action).toEqual({
      type: 'Bounce',
      topicArn: TOPIC,
      smtpReplyCode: '550',
      statusCode: '5.1.1',
      message: 'This person no longer works here.',
      sender: `mailer-daemon@${RECEIVING_DOMAIN}`,
    });
  });

  it('an SNS action bounces a message over 150 KB and nothing further runs', async () => {
    await rule({
      Name: 'big',
      Recipients: [at('big')],
      Actions: [
        { SNSAction: { TopicArn: TOPIC } },
        { S3Action: { BucketName: r.bucket, ObjectKeyPrefix: 'big/' } },
      ],
    });
    const raw = await r.signed({ to: at('big'), subject: 'large', body: 'x'.repeat(160 * 1024) });
    const { id, timeline } = await deliver(at('big'), 'large', raw);
    expect(timeline.trace.filter((e) => e.event === 'Action')).toEqual([
      expect.objectContaining({
        action: 'SNSAction',
        outcome: 'PublishSuccess',
        stop: 'rule-set',
        detail: expect.stringMatching(/^bounced:/),
      }),
    ]);
    expect(await moto.keys(r.bucket, 'big/')).toEqual(['big/AMAZON_SES_SETUP_NOTIFICATION']);
    await eventually(
      () =>
        listMessages(r.server.app.store, { accountId: ACCOUNT, recipient: sender, query: 'Delivery Status' }),
      (m) => m.filter((x) => x.kind === 'outbound').length >= 2,
    );
    expect(id).toHaveLength(40);
  });

  it('a Stop action ends the rule set: later rules do not run', async () => {
    await rule({
      Name: 'stopper',
      Recipients: [at('stop')],
      Actions: [{ StopAction: { Scope: 'RuleSet', TopicArn: TOPIC } }],
    });
    await rule(
      {
        Name: 'after-stop',
        Recipients: [at('stop')],
        Actions: [{ S3Action: { BucketName: r.bucket, ObjectKeyPrefix: 'stop/' } }],
      },
      'stopper',
    );
    const { timeline } = await deliver(at('stop'), 'stop here');
    expect(timeline.trace.filter((e) => e.event === 'Action').map((e) => [e.rule, e.action, e.stop])).toEqual(
      [['stopper', 'StopAction', 'rule-set']],
    );
    expect(await moto.keys(r.bucket, 'stop/')).toEqual(['stop/AMAZON_SES_SETUP_NOTIFICATION']);
    await root.v1.send(new DeleteReceiptRuleCommand({ RuleSetName: SET, RuleName: 'stopper' }));
    const { id } = await deliver(at('stop'), 'stop no more');
    expect(await moto.keys(r.bucket, `stop/${id}`)).toEqual([`stop/${id}`]);
  });
});
