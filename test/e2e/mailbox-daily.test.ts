// Issue 19, "a mailbox for daily use", through the API: the quick start's send to the mailbox
// simulator is in the mailbox at once; subjects and names are decoded (and found by what a person
// types); attachments download; the HTML part is served with its own policy (remote images on
// request only); delete by filter; and `wait` answers as soon as a matching message arrives.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendEmailCommand, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import {
  clientsFor,
  grantProduction,
  policyDoc,
  secondAccount,
  userWithPolicy,
  verify,
  type Clients,
} from '../support/ses-fixtures.js';
import { sesameCall } from '../support/sesame-api.js';
import { testDialects } from '../../src/store/database.js';

const LIST = '/sesame/mailbox/messages';
const PDF = Buffer.from('%PDF-1.4\n% not really a pdf \u00ff\u0000\u0001\n', 'latin1');
const PIXEL = Buffer.from('R0lGODlhAQABAAAAACwAAAAAAQABAAAC', 'base64');

function rawMail(remoteUrl: string): Buffer {
  const b = 'b0undary';
  const r = 'rel4ted';
  return Buffer.from(
    [
      'From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <jurgen@example.com>',
      'To: reader@example.net',
      'Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= aus Bern',
      'MIME-Version: 1.0',
      `Content-Type: multipart/mixed; boundary="${b}"`,
      '',
      `--${b}`,
      `Content-Type: multipart/related; boundary="${r}"`,
      '',
      `--${r}`,
      'Content-Type: text/html; charset=utf-8',
      '',
      `<p>Hallo</p><img src="${remoteUrl}" alt="tracker"><img src="cid:logo@x" alt="logo">`,
      `--${r}`,
      'Content-Type: image/gif',
      'Content-Transfer-Encoding: base64',
      'Content-ID: <logo@x>',
      'Content-Disposition: inline',
      '',
      PIXEL.toString('base64'),
      `--${r}--`,
      `--${b}`,
      'Content-Type: application/pdf',
      'Content-Transfer-Encoding: base64',
      `Content-Disposition: attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`,
      '',
      PDF.toString('base64'),
      `--${b}--`,
      '',
    ].join('\r\n'),
  );
}

describe.each(testDialects())('the mailbox for daily use (%s)', (dialect) => {
  let server: TestServer;
  let root: Clients;
  let tracker: Server;
  let trackerHits = 0;
  let trackerUrl = '';
  const call = (method: string, path: string, query?: Record<string, string>, creds = server.credentials) =>
    sesameCall(server.endpoint, creds, method, path, query ? { query } : {});

  beforeAll(async () => {
    mkdirSync('test-output', { recursive: true });
    tracker = createServer((_req, res) => {
      trackerHits++;
      res.writeHead(200, { 'content-type': 'image/gif' }).end(PIXEL);
    });
    await new Promise<void>((r) => tracker.listen(0, '127.0.0.1', r));
    trackerUrl = `http://127.0.0.1:${(tracker.address() as AddressInfo).port}/pixel.gif`;
    server = await startTestServer({}, dialect);
    root = clientsFor(server, server.credentials);
    await verify(root.v1, 'example.com', 'reader@example.net');
    // The sandbox's 1 message per second is no pace for these tests (the quick start's own test
    // uses a new account, in the sandbox as a first-time user's is).
    await grantProduction(server, ACCOUNT);
  });
  afterAll(async () => {
    await server?.stop();
    await new Promise((r) => tracker.close(r));
  });

  it('the quick start’s send to success@simulator.amazonses.com is in the mailbox, kind simulated', async () => {
    const newcomer = await secondAccount(server);
    await verify(newcomer.root.v1, 'example.com');
    const sent = await newcomer.root.v1.send(
      new SendEmailCommand({
        Source: 'a@example.com',
        Destination: { ToAddresses: ['success@simulator.amazonses.com'] },
        Message: { Subject: { Data: 'hi' }, Body: { Text: { Data: 'hello' } } },
      }),
    );
    const mine = (query: Record<string, string>) =>
      sesameCall(server.endpoint, newcomer.creds, 'GET', LIST, { query });
    const r = await mine({ wait: '10', recipient: 'success@simulator.amazonses.com' });
    expect(r.status).toBe(200);
    expect(r.json.Messages).toEqual([
      expect.objectContaining({
        Id: `${sent.MessageId}:simulated`,
        MessageId: sent.MessageId,
        Kind: 'simulated',
        From: 'a@example.com',
        Subject: 'hi',
        Recipients: ['success@simulator.amazonses.com'],
        SimulatorOutcomes: [{ Recipient: 'success@simulator.amazonses.com', Outcome: 'Delivery' }],
      }),
    ]);
    const only = await mine({ kind: 'simulated' });
    expect(only.json.Messages.map((m: { Kind: string }) => m.Kind)).toEqual(['simulated']);
    // Received mail (#15) is a kind of its own, listed like the others; this account has none.
    expect((await mine({ kind: 'inbound' })).json).toEqual({ Messages: [] });
    expect((await mine({ kind: 'received' })).json).toEqual({
      __type: 'BadRequestException',
      message: 'kind must be one of outbound, simulated, auto-reply, inbound.',
    });
  });

  it('decodes subjects and display names, and finds them by what a person types', async () => {
    const sent = await root.v1.send(new SendRawEmailCommand({ RawMessage: { Data: rawMail(trackerUrl) } }));
    const page = await call('GET', LIST, { wait: '10', q: 'Grüße' });
    expect(page.json.Messages).toHaveLength(1);
    expect(page.json.Messages[0]).toMatchObject({
      MessageId: sent.MessageId,
      Subject: 'Grüße aus Bern',
      From: 'jurgen@example.com',
      FromName: 'Jürgen Müller',
    });
    // Upper case the way JavaScript lowers it (SQLite's lower() would leave Ü and ẞ as they are).
    for (const q of ['grüße aus', 'GRÜẞE', 'jürgen müller', 'MÜLLER'])
      expect(
        (await call('GET', LIST, { q })).json.Messages.map((m: { Subject: string }) => m.Subject),
      ).toEqual(['Grüße aus Bern']);
    expect((await call('GET', LIST, { q: '=?UTF-8?Q?' })).json.Messages).toEqual([]);
    const full = await call('GET', `${LIST}/${sent.MessageId}`);
    expect(full.json).toMatchObject({
      Subject: 'Grüße aus Bern',
      FromName: 'Jürgen Müller',
      RemoteImages: 1,
    });
    const timeline = await call('GET', `${LIST}/${sent.MessageId}/timeline`);
    expect(timeline.json.Captured[0]).toMatchObject({ Subject: 'Grüße aus Bern', FromName: 'Jürgen Müller' });
  });

  it('serves attachments as downloads, byte for byte, never as a page of this origin', async () => {
    const [m] = (await call('GET', LIST, { q: 'grüße' })).json.Messages;
    const full = await call('GET', `${LIST}/${m.Id}`);
    expect(
      full.json.Attachments.map((a: { Filename: string; Inline: boolean }) => [a.Filename, a.Inline]),
    ).toEqual([
      [undefined, true],
      ['résumé.pdf', false],
    ]);
    const pdf = await call('GET', `${LIST}/${m.Id}/attachments/1`);
    expect(pdf.status).toBe(200);
    expect(pdf.bytes.equals(PDF)).toBe(true);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe(
      `attachment; filename="r_sum_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`,
    );
    expect(pdf.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(pdf.headers.get('x-content-type-options')).toBe('nosniff');
    const missing = await call('GET', `${LIST}/${m.Id}/attachments/2`);
    expect([missing.status, missing.json]).toEqual([
      404,
      { __type: 'NotFoundException', message: `Message ${m.Id} has no attachment 2.` },
    ]);
    const lister = await userWithPolicy(
      root,
      policyDoc({ Effect: 'Allow', Action: 'sesame:ListMessages', Resource: '*' }),
    );
    const denied = await call('GET', `${LIST}/${m.Id}/attachments/1`, undefined, lister.creds);
    expect(denied.status).toBe(403);
    expect(denied.json.message).toBe(
      `User: ${lister.arn} is not authorized to perform: sesame:GetMessage on resource: arn:aws:sesame:us-east-1:${ACCOUNT}:message/${m.Id} because no identity-based policy allows the sesame:GetMessage action`,
    );
  });

  it('serves the HTML part with its own policy: remote images blocked unless asked for', async () => {
    const [m] = (await call('GET', LIST, { q: 'grüße' })).json.Messages;
    const html = await call('GET', `${LIST}/${m.Id}/html`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const policy = html.headers.get('content-security-policy')!;
    expect(policy).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; form-action 'none'; base-uri 'none'; frame-ancestors 'self'; sandbox",
    );
    // The inline image is a data: URI, so it shows without any load; the tracker is left as written.
    expect(html.text).toContain(`src="data:image/gif;base64,${PIXEL.toString('base64')}"`);
    expect(html.text).toContain(`src="${trackerUrl}"`);
    const remote = await call('GET', `${LIST}/${m.Id}/html`, { images: 'remote' });
    expect(remote.headers.get('content-security-policy')).toContain('img-src data: http: https:;');
    expect((await call('GET', `${LIST}/${m.Id}/html`, { images: 'all' })).json).toEqual({
      __type: 'BadRequestException',
      message: 'images must be remote or blocked.',
    });
    // Nothing server-side ever fetched the remote image.
    expect(trackerHits).toBe(0);
  });

  it('wait answers as soon as a matching message arrives, and an empty page when none does', async () => {
    const started = Date.now();
    const waiting = call('GET', LIST, { wait: '15', recipient: 'late@simulator.amazonses.com' });
    await new Promise((r) => setTimeout(r, 700));
    await root.v1.send(
      new SendEmailCommand({
        Source: 'a@example.com',
        Destination: { ToAddresses: ['late@simulator.amazonses.com'] },
        Message: { Subject: { Data: 'late' }, Body: { Text: { Data: 'x' } } },
      }),
    );
    const r = await waiting;
    expect(r.json.Messages.map((m: { Subject: string }) => m.Subject)).toEqual(['late']);
    expect(Date.now() - started).toBeLessThan(10_000);
    const t0 = Date.now();
    const none = await call('GET', LIST, { wait: '1', recipient: 'nobody@example.net' });
    expect(none.json).toEqual({ Messages: [] });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    for (const wait of ['21', '-1', '1.5'])
      expect((await call('GET', LIST, { wait })).json).toEqual({
        __type: 'BadRequestException',
        message: 'wait must be a whole number from 0 to 20.',
      });
  });

  it('the curl --aws-sigv4 example of the README and docs/delivery.md waits and answers', async () => {
    // curl before 8 signs the query as written: the README keeps its parameters in sorted order.
    const url = `${server.endpoint}${LIST}?recipient=curl%40simulator.amazonses.com&wait=10`;
    const curl = new Promise<string>((resolve, reject) =>
      execFile(
        'curl',
        [
          '-s',
          '--aws-sigv4',
          'aws:amz:us-east-1:sesame',
          '--user',
          `${server.credentials.accessKeyId}:${server.credentials.secretAccessKey}`,
          url,
        ],
        { timeout: 20_000 },
        (err, stdout) => (err ? reject(err) : resolve(stdout)),
      ),
    );
    await new Promise((r) => setTimeout(r, 300));
    await root.v1.send(
      new SendEmailCommand({
        Source: 'a@example.com',
        Destination: { ToAddresses: ['curl@simulator.amazonses.com'] },
        Message: { Subject: { Data: 'from curl' }, Body: { Text: { Data: 'x' } } },
      }),
    );
    const out = JSON.parse(await curl) as { Messages: { Subject: string }[] };
    expect(out.Messages.map((m) => m.Subject)).toEqual(['from curl']);
  });

  it('the SDK example of docs/delivery.md (run as written, on this server) waits and answers', async () => {
    const readme = readFileSync('docs/delivery.md', 'utf8');
    const block = /\*\*Waiting for a message \(tests\)\.\*\*[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    // The example's file lives in the repository, so its imports resolve as in a project.
    const file = join(mkdtempSync(join('test-output', 'readme-')), 'wait.mjs');
    writeFileSync(
      file,
      block!
        .replace('http://127.0.0.1:8787', server.endpoint)
        .replace(/reader@example\.com/g, 'sdk@simulator.amazonses.com'),
    );
    const run = new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [file],
        {
          env: {
            ...process.env,
            AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
            AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
          },
          timeout: 30_000,
        },
        (err, stdout, stderr) => (err ? reject(new Error(stderr || String(err))) : resolve(stdout)),
      ),
    );
    await new Promise((r) => setTimeout(r, 1500));
    await root.v1.send(
      new SendEmailCommand({
        Source: 'a@example.com',
        Destination: { ToAddresses: ['sdk@simulator.amazonses.com'] },
        Message: { Subject: { Data: 'from the SDK example' }, Body: { Text: { Data: 'x' } } },
      }),
    );
    expect((await run).trim()).toBe("[ 'from the SDK example' ]");
  });

  it('deletes by filter, and everything, authorized as sesame:DeleteMessages', async () => {
    const before = (await call('GET', LIST)).json.Messages.length;
    expect(before).toBeGreaterThanOrEqual(4);
    const reader = await userWithPolicy(
      root,
      policyDoc({ Effect: 'Allow', Action: ['sesame:ListMessages', 'sesame:DeleteMessage'], Resource: '*' }),
    );
    const refused = await call('DELETE', LIST, undefined, reader.creds);
    expect(refused.status).toBe(403);
    expect(refused.json.message).toBe(
      `User: ${reader.arn} is not authorized to perform: sesame:DeleteMessages on resource: * because no identity-based policy allows the sesame:DeleteMessages action`,
    );
    expect((await call('GET', LIST)).json.Messages).toHaveLength(before);
    const some = await call('DELETE', LIST, { q: 'grüße' });
    expect(some.json).toEqual({ DeletedCount: 1 });
    expect((await call('GET', LIST, { q: 'grüße' })).json.Messages).toEqual([]);
    expect((await call('GET', LIST)).json.Messages).toHaveLength(before - 1);
    const all = await call('DELETE', LIST);
    expect(all.json).toEqual({ DeletedCount: before - 1 });
    expect((await call('GET', LIST)).json).toEqual({ Messages: [] });
  });

  it('a closing server answers a pending wait at once', async () => {
    const own = await startTestServer({}, dialect);
    const waiting = sesameCall(own.endpoint, own.credentials, 'GET', LIST, { query: { wait: '20' } });
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    await own.stop();
    expect((await waiting).json).toEqual({ Messages: [] });
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
});
