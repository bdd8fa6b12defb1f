// The console's mailbox on a full mailbox: ~2,000 captured messages, sent for real through SES v2
// SendBulkEmail (40 calls of 50) and captured by the delivery workers. The list pages from the
// server, keeps only the visible rows in the DOM, searches, filters and is driven by the keyboard.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SendBulkEmailCommand, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import {
  clientsFor,
  grantProduction,
  userWithPolicy,
  verify,
  type Clients,
} from '../support/ses-fixtures.js';
import { hasChromium, launchBrowser, signIn, type Browser } from '../support/console.js';

const BULK_CALLS = 40;
const PER_CALL = 50;
const TOTAL = BULK_CALLS * PER_CALL + 2; // + the oldest and the newest message

let server: TestServer;
let root: Clients;
let browser: Browser;
let page: Page;
const requests: string[] = [];

const options = () => page.getByRole('option');
const status = () => page.getByTestId('mailbox-status');
const scroller = () => page.getByRole('listbox', { name: 'Messages' });
/** An attribute of the focused element (the test's tsconfig has no DOM types: a string runs in the page). */
const focused = (attr: string) =>
  page.evaluate(`document.activeElement?.getAttribute(${JSON.stringify(attr)}) ?? null`) as Promise<
    string | null
  >;

async function capturedCount(): Promise<number> {
  const r = await server.app.store.db
    .selectFrom('captured_messages')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function waitCaptured(n: number): Promise<void> {
  for (const end = Date.now() + 60_000; (await capturedCount()) < n;) {
    if (Date.now() > end) throw new Error(`only ${await capturedCount()} of ${n} messages captured`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function fillMailbox(): Promise<void> {
  await verify(root.v1, 'example.com');
  await root.v2.send(
    new SendEmailCommand({
      FromEmailAddress: 'first@example.com',
      Destination: { ToAddresses: ['oldest@example.net'] },
      Content: { Simple: { Subject: { Data: 'The very first message' }, Body: { Text: { Data: 'first' } } } },
    }),
  );
  await waitCaptured(1); // delivered before the others: the last row of the list
  await Promise.all(
    Array.from({ length: BULK_CALLS }, async (_, b) => {
      const out = await root.v2.send(
        new SendBulkEmailCommand({
          FromEmailAddress: 'bulk@example.com',
          DefaultContent: {
            Template: {
              TemplateContent: {
                Subject: 'Bulk {{n}}',
                Text: 'Body {{n}}',
                Html: '<p>Bulk <b>{{n}}</b></p>',
              },
              TemplateData: '{"n":"0"}',
            },
          },
          BulkEmailEntries: Array.from({ length: PER_CALL }, (_, i) => {
            const n = String(b * PER_CALL + i).padStart(4, '0');
            return {
              Destination: { ToAddresses: [`r${n}@example.net`] },
              ReplacementEmailContent: {
                ReplacementTemplate: { ReplacementTemplateData: JSON.stringify({ n }) },
              },
            };
          }),
        }),
      );
      expect(out.BulkEmailEntryResults?.filter((e) => e.Status !== 'SUCCESS')).toEqual([]);
    }),
  );
  await waitCaptured(TOTAL - 1);
  await root.v2.send(
    new SendEmailCommand({
      FromEmailAddress: 'needle@example.com',
      Destination: { ToAddresses: ['finder@example.net'] },
      Content: {
        Simple: {
          Subject: { Data: 'Needle zq7 in the haystack' },
          Body: {
            Text: { Data: 'found me' },
            Html: { Data: '<h1>Found</h1><script>parent.pwned = 1</script>' },
          },
        },
      },
    }),
  );
  await waitCaptured(TOTAL);
}

describe.skipIf(!hasChromium)('console mailbox with thousands of messages', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    server = await startTestServer({
      // Quota high enough to accept 2,000 messages at once.
      SESAME_PRODUCTION_MAX_SEND_RATE: '100000',
      SESAME_PRODUCTION_MAX_24_HOUR_SEND: '1000000',
    });
    root = clientsFor(server, server.credentials);
    await grantProduction(server, ACCOUNT);
    await fillMailbox();
    browser = await launchBrowser();
    page = browser.page;
    await page.setViewportSize({ width: 1280, height: 900 });
    page.on('request', (r) => {
      if (r.url().includes('/sesame/mailbox/messages?')) requests.push(r.url());
    });
    await signIn(page, server.endpoint, server.credentials, `arn:aws:iam::${ACCOUNT}:root`);
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    server?.http.server.closeAllConnections();
    await server?.stop();
  });

  it('shows the first page, windowed: far fewer row elements than messages', async () => {
    await page.getByRole('link', { name: 'Mailbox' }).click();
    await expect.poll(() => status().textContent()).toBe('100+ messages');
    expect(await options().first().textContent()).toContain('Needle zq7 in the haystack');
    expect(await options().nth(1).textContent()).toMatch(/Bulk \d{4}/);
    expect(await options().count()).toBeLessThan(80);
    expect(await options().count()).toBeGreaterThan(5);
    // One first page (two under StrictMode's development double mount, the first answer dropped).
    expect(requests.length === 1 || requests.length === 2).toBe(true);
    for (const u of requests) expect(Object.fromEntries(new URL(u).searchParams)).toEqual({ limit: '100' });
    await browser.shot('mailbox-list-2000');
  });

  it('scrolling near the end loads the next page with `after` and keeps the scroll position', async () => {
    // Near the end of the first page, not at it: the next page arrives and nothing moves.
    const at = 90 * 60 - 300;
    await scroller().evaluate((el, y) => (el.scrollTop = y), at);
    await expect.poll(() => status().textContent()).toBe('200+ messages');
    expect(await scroller().evaluate((el) => el.scrollTop)).toBe(at);
    const after = requests.filter((u) => new URL(u).searchParams.has('after'));
    expect(after).toHaveLength(1);
    expect(new URL(after[0]!).searchParams.get('limit')).toBe('100');
  });

  it('scrolling to the end reaches the last (oldest) message, every message once', async () => {
    for (const end = Date.now() + 60_000; ;) {
      await scroller().evaluate((el) => (el.scrollTop = el.scrollHeight));
      if ((await status().textContent()) === `${TOTAL} messages`) break;
      if (Date.now() > end) throw new Error(`stuck at ${await status().textContent()}`);
      await page.waitForTimeout(50);
    }
    await scroller().evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect.poll(() => options().last().textContent()).toContain('The very first message');
    expect(await options().count()).toBeLessThan(80);
    // 21 pages of 100; the last one is short, so no NextToken and no further request.
    expect(requests.filter((u) => new URL(u).searchParams.has('after'))).toHaveLength(20);
    expect(await page.locator('.vlist-placeholder').count()).toBe(0);
  });

  it('search (debounced, no button) finds exactly the one message with a unique subject', async () => {
    const before = requests.length;
    await page.getByLabel('Search subject, sender, recipients').fill('needle ZQ7');
    await expect.poll(() => status().textContent()).toBe('1 message');
    expect(await options().count()).toBe(1);
    expect(await options().first().textContent()).toContain('Needle zq7 in the haystack');
    const asked = requests.slice(before).map((u) => new URL(u).searchParams);
    expect(asked.at(-1)?.get('q')).toBe('needle ZQ7');
    expect(asked.at(-1)?.has('after')).toBe(false);
    // Typing is debounced: one request for the whole word, not one per key.
    expect(asked.filter((p) => p.get('q') === 'needle ZQ7')).toHaveLength(1);
  });

  it('search covers senders and recipients; a recipient filter starts the paging over', async () => {
    const answered = page.waitForResponse(
      (r) => new URL(r.url()).searchParams.get('q') === 'finder@example' && r.status() === 200,
    );
    await page.getByLabel('Search subject, sender, recipients').fill('finder@example');
    await answered;
    await expect.poll(() => status().textContent()).toBe('1 message');
    expect(await options().first().textContent()).toContain('to finder@example.net');
    await page.getByLabel('Search subject, sender, recipients').fill('');
    await page.getByLabel('Recipient', { exact: true }).fill('r1234@example.net');
    await expect.poll(() => options().first().textContent()).toContain('Bulk 1234');
    expect(await status().textContent()).toBe('1 message');
    await page.getByLabel('Recipient', { exact: true }).fill('nobody@example.net');
    await page.getByText('No message matches these filters.').waitFor();
    await page.getByLabel('Recipient', { exact: true }).fill('');
    // The local date-time goes out as an ISO instant.
    const since = page.waitForResponse((r) =>
      /^2099-01-0[12]T/.test(new URL(r.url()).searchParams.get('since') ?? ''),
    );
    await page.getByLabel('Since').fill('2099-01-01T00:00');
    expect((await since).status()).toBe(200);
    await page.getByText('No message matches these filters.').waitFor();
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => status().textContent()).toBe('100+ messages');
    expect(await scroller().evaluate((el) => el.scrollTop)).toBe(0);
  });

  it('keyboard: ArrowDown + Enter opens a message, Escape returns focus to its row', async () => {
    await options().first().focus();
    await page.keyboard.press('ArrowDown');
    const second = options().nth(1);
    const id = await second.getAttribute('id');
    expect(await focused('id')).toBe(id);
    const subject = /Bulk \d{4}/.exec((await second.textContent()) ?? '')![0];
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: subject }).waitFor();
    expect(await focused('class')).toBe('mailbox-message');
    // The HTML tab is first: a sandboxed iframe allowing nothing at all.
    const frame = page.locator('iframe');
    expect(await frame.getAttribute('sandbox')).toBe('');
    expect(await page.getByRole('tab', { name: 'HTML' }).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Escape');
    expect(await focused('id')).toBe(id);
    expect(await page.locator(`[id="${id}"]`).getAttribute('aria-selected')).toBe('true');
    // End and Home jump through what is loaded; the focus follows.
    await page.keyboard.press('End');
    expect(await focused('aria-posinset')).toBe('100');
    await page.keyboard.press('Home');
    expect(await focused('aria-posinset')).toBe('1');
    await page.keyboard.press('PageDown');
    expect(Number(await focused('aria-posinset'))).toBeGreaterThan(5);
  });

  it('the message tabs: HTML sandboxed (scripts never run), text, headers, raw, timeline', async () => {
    await page.getByLabel('Search subject, sender, recipients').fill('needle zq7');
    await expect.poll(() => status().textContent()).toBe('1 message');
    await options().first().click();
    await page.getByRole('heading', { name: 'Needle zq7 in the haystack' }).waitFor();
    const frame = page.locator('iframe');
    expect(await frame.getAttribute('sandbox')).toBe('');
    expect(await page.frameLocator('iframe[sandbox=""]').locator('h1').textContent()).toBe('Found');
    expect(await page.evaluate('window.pwned')).toBeUndefined();
    await browser.shot('mailbox-message');
    await page.getByRole('tab', { name: 'Text' }).click();
    expect((await page.getByTestId('message-text').textContent())?.trim()).toBe('found me');
    await page.getByRole('tab', { name: /^Headers/ }).click();
    await page.getByRole('rowheader', { name: 'Subject' }).waitFor();
    await page.getByRole('tab', { name: 'Raw' }).click();
    await expect
      .poll(() => page.getByTestId('message-raw').textContent())
      .toContain('Subject: Needle zq7 in the haystack');
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await expect.poll(() => page.getByTestId('timeline').textContent()).toContain('accepted (SendEmail');
    expect(await page.getByTestId('timeline').textContent()).toContain(
      'authorization: Allowed for ses:SendEmail',
    );
    // Arrow keys move between tabs.
    await page.getByRole('tab', { name: 'Timeline' }).focus();
    await page.keyboard.press('ArrowLeft');
    expect(await page.getByRole('tab', { name: /^Attachments/ }).getAttribute('aria-selected')).toBe('true');
    await page.getByText('No attachments.').waitFor();
  });

  it('on a narrow screen (400 px) the list and the message are stacked', async () => {
    await page.setViewportSize({ width: 400, height: 800 });
    await page.getByRole('tab', { name: 'HTML' }).click();
    const list = await page.locator('.mailbox-listpane').boundingBox();
    const message = await page.locator('.mailbox-message').boundingBox();
    expect(list && message).toBeTruthy();
    expect(message!.y).toBeGreaterThanOrEqual(list!.y + list!.height);
    expect(list!.width).toBeLessThanOrEqual(400);
    // Nothing of the mailbox reaches past the viewport (no sideways scrolling).
    const wide = await page.evaluate(
      `[...document.querySelectorAll('.mailbox *')].filter((e) => e.getBoundingClientRect().right > 400.5).length`,
    );
    expect(wide).toBe(0);
    await page.getByRole('button', { name: '← Back to list' }).click();
    expect(await focused('role')).toBe('option');
    await browser.shot('mailbox-narrow');
  });

  it('a principal without sesame:ListMessages sees the AccessDeniedException and can try again', async () => {
    const user = await userWithPolicy(root, undefined, 'no-mailbox');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, server.endpoint, user.creds, user.arn);
    await page.getByRole('link', { name: 'Mailbox' }).click();
    const alert = page.getByRole('alert');
    await expect
      .poll(() => alert.textContent())
      .toBe(
        `AccessDeniedException: User: ${user.arn} is not authorized to perform: sesame:ListMessages on resource: * because no identity-based policy allows the sesame:ListMessages action`,
      );
    expect(await options().count()).toBe(0);
    expect(await page.getByText('No captured messages yet.', { exact: false }).count()).toBe(0);
    const asked = requests.length;
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => requests.length).toBe(asked + 1);
    await alert.waitFor();
  });
});
