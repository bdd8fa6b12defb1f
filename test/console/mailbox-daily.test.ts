// Issue 19's mailbox in the browser: the quick start's send to the simulator shows at once (live,
// no refresh) with its outcome; decoded subjects and names, found by what a person types; an
// attachment downloads byte for byte; the HTML part blocks remote images until asked, per message
// (a real local HTTP server counts the loads); delete by filter and delete all.
// Screenshots: test-output/console/{mailbox-simulated,mailbox-message-remote-images,mailbox-deleted}.png
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SendEmailCommand, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import { clientsFor, grantProduction, verify, type Clients } from '../support/ses-fixtures.js';
import {
  ensureConsoleBuilt,
  hasChromium,
  launchBrowser,
  signIn,
  watchCspViolations,
  type Browser,
} from '../support/console.js';

const PDF = Buffer.from('%PDF-1.4\n% bytes \u00ff\u0000\u0001\n', 'latin1');
const PIXEL = Buffer.from('R0lGODlhAQABAAAAACwAAAAAAQABAAAC', 'base64');

let server: TestServer;
let tracker: Server;
let trackerHits = 0;
let browser: Browser;
let page: Page;
let root: Clients;
let violations: string[] = [];
const options = () => page.getByRole('option');

function mail(trackerUrl: string): Buffer {
  return Buffer.from(
    [
      'From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <jurgen@example.com>',
      'To: reader@example.net',
      'Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= aus Bern',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/html; charset=utf-8',
      '',
      `<h1 style="color: rgb(0, 90, 0)">Hallo</h1><img src="${trackerUrl}" alt="tracker">`,
      '--b',
      'Content-Type: application/pdf',
      'Content-Transfer-Encoding: base64',
      `Content-Disposition: attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`,
      '',
      PDF.toString('base64'),
      '--b--',
      '',
    ].join('\r\n'),
  );
}

describe.skipIf(!hasChromium)('console: the mailbox for daily use', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    ensureConsoleBuilt();
    tracker = createServer((_req, res) => {
      trackerHits++;
      res.writeHead(200, { 'content-type': 'image/gif' }).end(PIXEL);
    });
    await new Promise<void>((r) => tracker.listen(0, '127.0.0.1', r));
    server = await startTestServer();
    root = clientsFor(server, server.credentials);
    await verify(root.v1, 'example.com');
    browser = await launchBrowser();
    page = browser.page;
    violations = await watchCspViolations(browser);
    await page.setViewportSize({ width: 1366, height: 900 });
    await signIn(page, server.endpoint, server.credentials, `arn:aws:iam::${ACCOUNT}:root`);
    await page.getByRole('link', { name: 'Mailbox' }).click();
    await page.getByText('No captured messages yet.', { exact: false }).waitFor();
  }, 150_000);
  afterEach(() => {
    // The only refusals allowed are the preview's own: the remote image it was told to block.
    expect(
      violations.filter((v) => !v.includes(`127.0.0.1:${(tracker.address() as AddressInfo).port}`)),
    ).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    server?.http.server.closeAllConnections();
    await server?.stop();
    await new Promise((r) => tracker.close(r));
  });

  it('the quick start’s send to the simulator appears by itself, marked simulated with its outcome', async () => {
    // Sent while the page is open, in the sandbox, exactly as the README's quick start does.
    await root.v1.send(
      new SendEmailCommand({
        Source: 'a@example.com',
        Destination: { ToAddresses: ['success@simulator.amazonses.com'] },
        Message: { Subject: { Data: 'hi' }, Body: { Text: { Data: 'hello' } } },
      }),
    );
    await expect.poll(() => options().count(), { timeout: 15_000 }).toBe(1);
    expect(await options().first().textContent()).toContain('Simulated: Delivery');
    await options().first().click();
    await expect
      .poll(() => page.getByTestId('simulator-outcomes').textContent())
      .toBe('success@simulator.amazonses.com: Delivery');
    await browser.shot('mailbox-simulated');
    await grantProduction(server, ACCOUNT); // the sandbox's 1 message per second is no pace for the rest
  });

  it('shows decoded subjects and names, finds them by what a person types, downloads an attachment', async () => {
    const url = `http://127.0.0.1:${(tracker.address() as AddressInfo).port}/pixel.gif`;
    await root.v1.send(new SendRawEmailCommand({ RawMessage: { Data: mail(url) } }));
    await expect.poll(() => options().count(), { timeout: 15_000 }).toBe(2);
    const row = options().first();
    expect(await row.textContent()).toContain('Jürgen Müller');
    expect(await row.textContent()).toContain('Grüße aus Bern');
    await page.getByLabel('Search subject, sender, recipients').fill('GRÜẞE');
    await expect.poll(() => options().count()).toBe(1);
    await page.getByLabel('Search subject, sender, recipients').fill('müller');
    await expect.poll(() => options().count()).toBe(1);
    await options().first().click();
    await page.getByRole('heading', { name: 'Grüße aus Bern' }).waitFor();
    expect(await page.getByTestId('message-from').textContent()).toBe('Jürgen Müller <jurgen@example.com>');
    await page.getByRole('tab', { name: 'Attachments (1)' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download résumé.pdf' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('résumé.pdf');
    expect(readFileSync((await download.path())!).equals(PDF)).toBe(true);
  });

  it('blocks remote images until “Load remote images”, for that message only', async () => {
    await page.getByRole('tab', { name: 'HTML' }).click();
    const frame = page.frameLocator('iframe[sandbox=""]');
    // Inline styles of the mail apply in its own document.
    type Styles = { getComputedStyle(e: unknown): { color: string } };
    await expect
      .poll(() =>
        frame.locator('h1').evaluate((h) => (globalThis as unknown as Styles).getComputedStyle(h).color),
      )
      .toBe('rgb(0, 90, 0)');
    await page.getByText('1 remote image is blocked.').waitFor();
    await new Promise((r) => setTimeout(r, 500));
    expect(trackerHits).toBe(0);
    await browser.shot('mailbox-message-remote-images');
    await page.getByRole('button', { name: 'Load remote images' }).click();
    await expect.poll(() => trackerHits).toBe(1);
    await page.getByText('Remote images of this message are shown (1).').waitFor();
  });

  it('deletes what the filters show, then everything', async () => {
    page.on('dialog', (d) => void d.accept());
    await page.getByLabel('Search subject, sender, recipients').fill('grüße');
    await expect.poll(() => options().count()).toBe(1);
    await page.getByRole('button', { name: 'Delete matching messages' }).click();
    await page.getByText('No message matches “grüße”.').waitFor();
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => options().count()).toBe(1);
    await page.getByRole('button', { name: 'Delete all messages' }).click();
    await page.getByText('No captured messages yet.', { exact: false }).waitFor();
    await browser.shot('mailbox-deleted');
    const left = await server.app.store.db.selectFrom('captured_messages').select('capture_id').execute();
    expect(left).toEqual([]);
  });
});
