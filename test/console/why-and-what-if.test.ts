// Issue 19 in the browser: "Why?" on a denied send opens the simulator on that exact request (every
// context key) and explains it (each failed condition with both sides); "Preview impact" replays an
// inline policy change over the recorded calls before saving; an operator session grants production
// access from the Account page; at 1366 px and below the header keeps one line and every section of
// the navigation and each of its pages is in view. Any CSP violation fails.
// Screenshots: test-output/console/{simulator-why,policy-preview-impact,account-operator,1366-*,800-policies}.png
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { GetUserPolicyCommand } from '@aws-sdk/client-iam';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import {
  clientsFor,
  errorOf,
  grantProduction,
  policyDoc,
  userWithPolicy,
  verify,
  type Clients,
} from '../support/ses-fixtures.js';
import {
  ensureConsoleBuilt,
  hasChromium,
  launchBrowser,
  signIn,
  watchCspViolations,
  type Browser,
} from '../support/console.js';

const TOKEN = 'console-operator-token-issue-19-0123';
const POLICY = policyDoc({
  Sid: 'NoreplyFromTheOffice',
  Effect: 'Allow',
  Action: 'ses:SendEmail',
  Resource: '*',
  Condition: {
    StringEquals: { 'ses:FromAddress': 'noreply@example.com' },
    IpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
  },
});

let server: TestServer;
let browser: Browser;
let page: Page;
let root: Clients;
let mkt: Awaited<ReturnType<typeof userWithPolicy>>;
let cspViolations: string[] = [];
const shot = (name: string) => browser.shot(name);
const go = (link: string) => page.getByRole('link', { name: link, exact: true }).click();

describe.skipIf(!hasChromium)('console: why, what if, operator, 1366 px', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    ensureConsoleBuilt();
    server = await startTestServer({ SESAME_OPERATOR_TOKEN: TOKEN });
    root = clientsFor(server, server.credentials);
    await grantProduction(server, ACCOUNT);
    await verify(root.v1, 'example.com');
    mkt = await userWithPolicy(root, POLICY, 'mkt');
    // A send the policy denies: wrong From, and not from the office network.
    const denied = await errorOf(
      clientsFor(server, mkt.creds).v2.send(
        new SendEmailCommand({
          FromEmailAddress: 'Mkt Team <mkt@example.com>',
          Destination: { ToAddresses: ['a@example.net', 'b@example.net'] },
          Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } } },
        }),
      ),
    );
    expect(denied.name).toBe('AccessDeniedException');
    browser = await launchBrowser();
    page = browser.page;
    cspViolations = await watchCspViolations(browser);
    await page.setViewportSize({ width: 1366, height: 800 });
    await signIn(page, server.endpoint, server.credentials, `arn:aws:iam::${ACCOUNT}:root`);
  }, 150_000);
  afterEach(() => {
    expect(cspViolations).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    server?.http.server.closeAllConnections();
    await server?.stop();
  });

  it('“Why?” opens the simulator on the recorded send with all its keys and explains each failed condition', async () => {
    await go('Audit');
    await page.getByLabel('Decision').selectOption('ImplicitDeny');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('button', { name: 'Why was SendEmail denied?' }).click();
    // The request as it was: the caller, its From, display name, recipients, source IP, and the rest.
    expect(await page.getByLabel('Principal ARN').inputValue()).toBe(mkt.arn);
    expect(await page.getByLabel('Action').inputValue()).toBe('ses:SendEmail');
    expect(await page.getByLabel('Resource ARN').inputValue()).toBe(
      `arn:aws:ses:us-east-1:${ACCOUNT}:identity/example.com`,
    );
    expect(await page.getByLabel('From address (ses:FromAddress)').inputValue()).toBe('mkt@example.com');
    expect(await page.getByLabel('From display name (ses:FromDisplayName)').inputValue()).toBe('Mkt Team');
    expect(await page.getByLabel('Recipients, comma separated (ses:Recipients)').inputValue()).toBe(
      'a@example.net, b@example.net',
    );
    expect(await page.getByLabel('Source IP (aws:SourceIp)').inputValue()).toBe('127.0.0.1');
    expect(await page.getByLabel('API version (ses:ApiVersion)').inputValue()).toBe('2');
    const others = await page
      .getByTestId('other-key')
      .locator('input')
      .evaluateAll(
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        (inputs: any[]) => inputs.map((i) => i.value as string),
      );
    expect(others).toEqual(
      expect.arrayContaining(['aws:UserAgent', 'aws:username', 'aws:PrincipalArn', 'aws:EpochTime']),
    );
    expect(await page.getByLabel('Feedback address (ses:FeedbackAddress)').inputValue()).toBe(
      'mkt@example.com',
    );
    // It ran at once: denied, and why.
    await expect.poll(() => page.getByTestId('decision').textContent()).toBe('implicitDeny');
    const rows = await page.getByTestId('failed-condition').allInnerTexts();
    expect(rows.map((r) => r.split('\t').map((c) => c.trim()))).toEqual([
      [
        `Allow “NoreplyFromTheOffice” (statement 0) of p`,
        'ses:FromAddress',
        'StringEquals',
        'noreply@example.com',
        'mkt@example.com',
      ],
      [
        `Allow “NoreplyFromTheOffice” (statement 0) of p`,
        'aws:SourceIp',
        'IpAddress',
        '10.0.0.0/8',
        '127.0.0.1',
      ],
    ]);
    expect(await page.getByTestId('denied-by').textContent()).toBe('No statement allows this request.');
    await shot('simulator-why');
    // What would have been allowed: the statement that allows it is named.
    await page.getByLabel('From address (ses:FromAddress)').fill('noreply@example.com');
    await page.getByLabel('Source IP (aws:SourceIp)').fill('10.1.2.3');
    await page.getByRole('button', { name: 'Simulate' }).click();
    await expect.poll(() => page.getByTestId('decision').textContent()).toBe('allowed');
    expect(await page.getByTestId('allowed-by').textContent()).toBe(
      'Allowed by the statement “NoreplyFromTheOffice” (statement 0) of p (identity policies).',
    );
    // A key removed from the request is reported missing.
    await page.getByLabel('Source IP (aws:SourceIp)').fill('');
    await page.getByRole('button', { name: 'Simulate' }).click();
    await expect.poll(() => page.getByTestId('failed-condition').allInnerTexts()).toHaveLength(1);
    expect(await page.getByTestId('failed-condition').locator('td').last().textContent()).toBe('missing');
  });

  it('“Preview impact” lists the recorded calls an inline policy change would flip, before saving', async () => {
    await go('IAM users');
    await page.getByRole('link', { name: 'mkt', exact: true }).click();
    expect(page.url()).toContain('#/users/mkt');
    await page.getByRole('button', { name: 'Edit inline policy p' }).click();
    const editor = page.getByLabel('Policy document (JSON)');
    await editor.fill(
      JSON.stringify(
        {
          Version: '2012-10-17',
          Statement: [{ Sid: 'AnyExampleSender', Effect: 'Allow', Action: 'ses:SendEmail', Resource: '*' }],
        },
        null,
        2,
      ),
    );
    await page
      .getByRole('region', { name: 'Inline policies of mkt' })
      .getByRole('button', { name: 'Preview impact' })
      .click();
    await expect
      .poll(() => page.getByTestId('what-if-summary').textContent())
      .toBe('0 allowed calls would be denied, 1 denied call allowed (1 replayed, last 7 days).');
    const flip = page.getByTestId('what-if-flip');
    expect(await flip.count()).toBe(1);
    expect([await flip.getAttribute('data-from'), await flip.getAttribute('data-to')]).toEqual([
      'ImplicitDeny',
      'Allowed',
    ]);
    expect(await flip.textContent()).toContain(
      'Allow “AnyExampleSender” (statement 0) of inline:user/mkt/p, in this change',
    );
    await shot('policy-preview-impact');
    // Previewing saved nothing.
    const stored = await root.iam.send(new GetUserPolicyCommand({ UserName: 'mkt', PolicyName: 'p' }));
    expect(decodeURIComponent(stored.PolicyDocument!)).toBe(POLICY);
  });

  it('reads well at 1366 px and below: one header line, every section and page in view, no sideways scroll', async () => {
    // The navigation as a screen reader has it: three sections, each a named list of its pages.
    const nav = page.getByRole('navigation', { name: 'Console pages' });
    const sections = async () =>
      Promise.all(
        ['SES', 'IAM', 'Monitoring'].map(async (name) => [
          name,
          await Promise.all(
            (await nav.getByRole('list', { name, exact: true }).getByRole('link').all()).map(
              async (a) => (await a.getAttribute('aria-label')) ?? (await a.textContent()),
            ),
          ),
        ]),
      );
    const everyPage: [string, string[]][] = [
      ['SES', ['Identities', 'Suppression list', 'Contact lists', 'Email receiving', 'Mailbox', 'Account']],
      ['IAM', ['IAM users', 'IAM groups', 'IAM roles', 'IAM policies', 'Policy simulator']],
      ['Monitoring', ['Audit']],
    ];
    // Every one of the twelve is in the window, none cut or scrolled away.
    const outOfView = () =>
      page.evaluate(`[...document.querySelectorAll('nav a')]
        .filter((a) => {
          const r = a.getBoundingClientRect();
          return !(r.width > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight);
        })
        .map((a) => a.textContent)`);
    // The header is one line: each of its items crosses its middle line.
    const headerOffLine = () =>
      page.evaluate(`(() => {
        const box = document.querySelector('header').getBoundingClientRect();
        const middle = box.top + box.height / 2;
        return [...document.querySelector('header').children]
          .filter((e) => e.getBoundingClientRect().top > middle || e.getBoundingClientRect().bottom < middle)
          .map((e) => e.textContent);
      })()`);
    const current = () => page.locator('nav a[aria-current="page"]').allTextContents();
    const widths = () => page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]');

    // Each link by its name, the address it opens and what it shows in the sidebar: all twelve at
    // 1366 px, then two at the widths where the sections move above the page.
    const links = [
      ['Identities', 'identities', 'Identities'],
      ['Suppression list', 'suppression', 'Suppression list'],
      ['Contact lists', 'lists', 'Contact lists'],
      ['Email receiving', 'receiving', 'Email receiving'],
      ['Mailbox', 'mailbox', 'Mailbox'],
      ['Account', 'account', 'Account'],
      ['IAM users', 'users', 'Users'],
      ['IAM groups', 'groups', 'Groups'],
      ['IAM roles', 'roles', 'Roles'],
      ['IAM policies', 'policies', 'Policies'],
      ['Policy simulator', 'simulator', 'Policy simulator'],
      ['Audit', 'audit', 'Audit'],
    ] as const;
    expect(links.map(([name]) => name)).toEqual(everyPage.flatMap(([, pages]) => pages));
    for (const [width, link, hash, label] of [
      ...links.map(([name, hash, label]) => [1366, name, hash, label] as const),
      [1024, 'Contact lists', 'lists', 'Contact lists'],
      [800, 'IAM policies', 'policies', 'Policies'],
    ] as const) {
      await page.setViewportSize({ width, height: 800 });
      // Another page first, so that every click really navigates.
      if (page.url().endsWith(`#/${hash}`)) await go(hash === 'audit' ? 'Identities' : 'Audit');
      await go(link);
      expect([link, new URL(page.url()).hash]).toEqual([link, `#/${hash}`]);
      await page.getByRole('heading', { level: 2 }).first().waitFor();
      expect([link, await headerOffLine()]).toEqual([link, []]);
      expect((await page.locator('header').boundingBox())!.height).toBeLessThan(60);
      expect([link, await sections()]).toEqual([link, everyPage]);
      expect([link, await outOfView()]).toEqual([link, []]);
      expect([link, await current()]).toEqual([link, [label]]);
      expect([link, await widths()]).toEqual([link, [width, width]]);
      if (width === 1366) {
        await shot(`1366-${link.split(' ').pop()!.toLowerCase()}`);
        // Scrolled to its end, the page keeps the sections in view.
        await page.evaluate('window.scrollTo(0, document.body.scrollHeight)');
        expect([link, await outOfView()]).toEqual([link, []]);
      }
    }
    await shot('800-policies');
    await page.setViewportSize({ width: 1366, height: 800 });

    // The keyboard reaches every page: after the header's last control come the sections' links.
    await page.getByRole('button', { name: 'Sign out' }).focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Identities');
    for (let i = 0; i < 7; i++) await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.getAttribute("aria-label")')).toBe('IAM groups');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'IAM groups', level: 2 }).waitFor();
    expect(await current()).toEqual(['Groups']);
  });

  it('ARNs break at their separators wherever they are shown', async () => {
    await go('Audit');
    await page.locator('tbody tr').first().waitFor();
    expect(await page.locator('td .arn wbr').count()).toBeGreaterThan(0);
    // The IAM lists' ARN column, and an entity's own ARN in its detail.
    await go('IAM users');
    await page.getByRole('link', { name: 'mkt', exact: true }).click();
    await page.getByRole('heading', { name: 'User mkt' }).waitFor();
    // The detail's ARN arrives with GetUser, after its heading.
    await expect
      .poll(() =>
        page
          .locator('.arn')
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          .evaluateAll((spans: any[]) => spans.map((s) => [s.textContent, s.querySelectorAll('wbr').length])),
      )
      .toEqual([
        [mkt.arn, 6],
        [mkt.arn, 6],
      ]);
    expect(await page.locator('main .mono').evaluateAll((e) => e.map((x) => x.textContent))).not.toContain(
      mkt.arn,
    );
  });

  it('an operator session grants production access from the Account page; a root key cannot', async () => {
    // The root key (not an operator) sees no decision to make.
    await go('Account');
    await page.getByTestId('sandbox').waitFor();
    expect(await page.getByRole('button', { name: 'Grant production access' }).count()).toBe(0);
    const other = await (await import('../support/ses-fixtures.js')).secondAccount(server, '222233334444');
    expect(other.accountId).toBe('222233334444');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('tab', { name: 'Operator token' }).click();
    await page.getByLabel('Operator token', { exact: true }).fill(TOKEN);
    await page.getByLabel('Account ID (optional: the default account)').fill('222233334444');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('caller-account').textContent()).toBe('222233334444');
    await go('Account');
    await expect.poll(() => page.getByTestId('sandbox').textContent()).toBe('Yes (sandbox)');
    await shot('account-operator');
    await page.getByRole('button', { name: 'Grant production access' }).click();
    // Granted: the account is out of the sandbox, so there is nothing left to decide.
    await expect.poll(() => page.getByTestId('sandbox').textContent()).toBe('No (production access)');
    expect(await page.getByTestId('max-send-rate').textContent()).toBe('14 per second');
    expect(await page.getByRole('button', { name: 'Grant production access' }).count()).toBe(0);
  });
});
