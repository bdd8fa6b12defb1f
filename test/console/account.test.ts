// The console's account side end to end: operator-token sign-in, the production-access request,
// sending statistics as a chart, the suppression list, audit filters and the live tail — all under
// the console's Content-Security-Policy, with any CSP violation failing the test.
// Screenshots: test-output/console/{sign-in-operator,account,account-statistics,suppression,audit-filtered}.png
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  BatchGetMetricDataCommand,
  GetAccountCommand,
  GetSuppressedDestinationCommand,
  PutSuppressedDestinationCommand,
  SendEmailCommand,
} from '@aws-sdk/client-sesv2';
import { ListUsersCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import {
  clientsFor,
  errorOf,
  grantProduction,
  userWithPolicy,
  verify,
  type Clients,
} from '../support/ses-fixtures.js';
import {
  ensureConsoleBuilt,
  hasChromium,
  launchBrowser,
  watchCspViolations,
  type Browser,
} from '../support/console.js';
import { CONSOLE_CSP } from '../../src/console/serve.js';

const TOKEN = 'console-operator-token-0123456789';
const ROOT_ARN = `arn:aws:iam::${ACCOUNT}:root`;

let server: TestServer;
let browser: Browser;
let page: Page;
let root: Clients;
let cspViolations: string[] = [];
const shot = (name: string) => browser.shot(name);
const go = async (link: string) => page.getByRole('link', { name: link, exact: true }).click();
const rows = () => page.locator('tbody tr');

describe.skipIf(!hasChromium)(
  'console: account, suppression, audit, operator sign-in',
  { timeout: 120_000 },
  () => {
    beforeAll(async () => {
      ensureConsoleBuilt(); // normally done by the global setup already
      server = await startTestServer({ SESAME_OPERATOR_TOKEN: TOKEN });
      root = clientsFor(server, server.credentials);
      browser = await launchBrowser();
      page = browser.page;
      cspViolations = await watchCspViolations(browser);
    }, 150_000);

    afterEach(() => {
      expect(cspViolations).toEqual([]);
    });

    afterAll(async () => {
      await browser?.close();
      server?.http.server.closeAllConnections();
      await server?.stop();
    });

    it('signs in with the operator token: the exact error for a wrong one, the account root for the right one', async () => {
      const index = await fetch(`${server.endpoint}/console/`);
      expect(index.headers.get('content-security-policy')).toBe(CONSOLE_CSP);

      await page.goto(`${server.endpoint}/console/`);
      await page.getByRole('tab', { name: 'Operator token' }).click();
      expect(await page.getByRole('tab', { name: 'Operator token' }).getAttribute('aria-selected')).toBe(
        'true',
      );
      await page.getByLabel('Operator token', { exact: true }).fill('not-the-operator-token');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect
        .poll(() => page.getByRole('alert').textContent())
        .toBe('AccessDeniedException: The operator token is not valid.');
      await shot('sign-in-operator');
      await page.getByLabel('Operator token', { exact: true }).fill(TOKEN);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByTestId('caller-arn').textContent()).toBe(ROOT_ARN);
      expect(await page.getByTestId('caller-account').textContent()).toBe(ACCOUNT);
      // Only the temporary credentials are kept, in this tab.
      const stored = (await page.evaluate('JSON.stringify(sessionStorage)')) as string;
      const kept = JSON.parse(
        (await page.evaluate('sessionStorage.getItem("sesame.console.session")')) as string,
      );
      expect(kept.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
      expect(Date.parse(kept.expiration) - Date.now()).toBeGreaterThan(3500_000);
      expect(stored).not.toContain(TOKEN);
      expect(await page.evaluate('localStorage.length')).toBe(0);

      // The keyboard reaches both tabs (arrow keys), after signing out.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('tab', { name: 'Access key' }).focus();
      await page.keyboard.press('ArrowRight');
      expect(await page.getByRole('tab', { name: 'Operator token' }).getAttribute('aria-selected')).toBe(
        'true',
      );
      await page.getByLabel('Operator token', { exact: true }).fill(TOKEN);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByTestId('caller-arn').textContent()).toBe(ROOT_ARN);
    });

    it('requests production access with AWS’s validation errors, then shows the review status', async () => {
      await go('Account');
      await expect.poll(() => page.getByTestId('sandbox').textContent()).toBe('Yes (sandbox)');
      expect(await page.getByTestId('review-status').textContent()).toBe('not requested');
      expect(await page.getByTestId('max-24-hour-send').textContent()).toBe('200');
      expect(await page.getByTestId('max-send-rate').textContent()).toBe('1 per second');
      await page.getByText('No messages were sent in the last 24 hours.').waitFor();

      await page.getByRole('button', { name: 'Request production access' }).click();
      await expect
        .poll(() => page.getByRole('alert').textContent())
        .toBe(
          "BadRequestException: 2 validation errors detected: Value null at 'mailType' failed to satisfy constraint: " +
            "Member must not be null; Value null at 'websiteURL' failed to satisfy constraint: Member must not be null",
        );
      await page.getByLabel('Transactional').check();
      await page.getByLabel('Website URL').fill('https://example.com');
      await page.getByLabel('Use case description').fill('Receipts and password resets for our shop.');
      await page
        .getByLabel('Additional contact email addresses')
        .fill('a@example.com, b@example.com, c@example.com, d@example.com, e@example.com');
      await page.getByRole('button', { name: 'Request production access' }).click();
      await expect
        .poll(() => page.getByRole('alert').textContent())
        .toBe(
          "BadRequestException: 1 validation error detected: Value at 'additionalContactEmailAddresses' failed to " +
            'satisfy constraint: Member must have length less than or equal to 4',
        );
      await page.getByLabel('Additional contact email addresses').fill('ops@example.com, dev@example.com');
      await page.getByLabel('Contact language').selectOption('JA');
      await page.getByRole('button', { name: 'Request production access' }).click();
      await page.getByText('Your request for production access was submitted for review.').waitFor();
      await expect.poll(() => page.getByTestId('review-status').textContent()).toBe('PENDING');
      expect(await page.getByRole('alert').count()).toBe(0);
      await page.getByText('Your request is under review.', { exact: false }).waitFor();
      await shot('account');

      const acct = await root.v2.send(new GetAccountCommand({}));
      expect(acct.ProductionAccessEnabled).toBe(false);
      expect(acct.Details).toMatchObject({
        MailType: 'TRANSACTIONAL',
        WebsiteURL: 'https://example.com',
        UseCaseDescription: 'Receipts and password resets for our shop.',
        AdditionalContactEmailAddresses: ['ops@example.com', 'dev@example.com'],
        ContactLanguage: 'JA',
        ReviewDetails: { Status: 'PENDING' },
      });
    });

    it('charts the sending statistics of messages sent with the SDK, with the numbers in a table', async () => {
      await grantProduction(server, ACCOUNT); // the sandbox's one message a second would throttle the burst
      await verify(root.v1, 'example.com');
      const to = [
        'success@simulator.amazonses.com',
        'success+2@simulator.amazonses.com',
        'success+3@simulator.amazonses.com',
        'bounce@simulator.amazonses.com',
        'complaint@simulator.amazonses.com',
      ];
      for (const address of to)
        await root.v2.send(
          new SendEmailCommand({
            FromEmailAddress: 'stats@example.com',
            Destination: { ToAddresses: [address] },
            Content: { Simple: { Subject: { Data: 'stats' }, Body: { Text: { Data: 'hello' } } } },
          }),
        );
      // The delivery workers have run when every outcome is counted.
      const totals = async () => {
        const out = await root.v2.send(
          new BatchGetMetricDataCommand({
            Queries: (['SEND', 'DELIVERY', 'PERMANENT_BOUNCE', 'TRANSIENT_BOUNCE', 'COMPLAINT'] as const).map(
              (Metric) => ({
                Id: Metric.toLowerCase(),
                Namespace: 'VDM',
                Metric,
                StartDate: new Date(Date.now() - 86_400_000),
                EndDate: new Date(Date.now() + 60_000),
              }),
            ),
          }),
        );
        return out.Results?.map((r) => [r.Id, (r.Values ?? []).reduce((a, b) => a + b, 0)]);
      };
      const expected = [
        ['send', 5],
        ['delivery', 4],
        ['permanent_bounce', 1],
        ['transient_bounce', 0],
        ['complaint', 1],
      ];
      await expect.poll(totals, { timeout: 20_000 }).toEqual(expected);

      // Each BatchGetMetricData call the page makes: its queries' metrics and windows (ms).
      const metricCalls: { Metric: string; span: number }[][] = [];
      const onRequest = (r: { url(): string; postData(): string | null }) => {
        if (!r.url().endsWith('/v2/email/metrics/batch')) return;
        const body = JSON.parse(r.postData() ?? '{}') as {
          Queries: { Metric: string; StartDate: number | string; EndDate: number | string }[];
        };
        const ms = (d: number | string) => (typeof d === 'number' ? d * 1000 : Date.parse(d));
        metricCalls.push(
          body.Queries.map((q) => ({ Metric: q.Metric, span: ms(q.EndDate) - ms(q.StartDate) })),
        );
      };
      page.on('request', onRequest);
      await page.reload();
      await page.getByTestId('statistics-chart').waitFor();
      // VDM answers per UTC day, so an hour is a query per metric and hour: 120, ten to a call.
      expect(metricCalls.map((c) => c.length)).toEqual(Array(12).fill(10));
      expect(new Set(metricCalls.flat().map((q) => q.span))).toEqual(new Set([3_600_000]));
      metricCalls.length = 0;
      expect(await page.getByTestId('sandbox').textContent()).toBe('No (production access)');
      const cells = async () =>
        Promise.all(
          ['SEND', 'DELIVERY', 'PERMANENT_BOUNCE', 'TRANSIENT_BOUNCE', 'COMPLAINT'].map((m) =>
            page.getByTestId(`total-${m}`).textContent(),
          ),
        );
      expect(await cells()).toEqual(['5', '4', '1', '0', '1']);
      // 24 hourly rows, the sends in the current (last) hour.
      const table = page.getByRole('table', { name: 'Sending statistics, last 24 hours' });
      expect(await table.locator('tbody tr').count()).toBe(24);
      expect(await table.locator('tbody tr').last().locator('td').allTextContents()).toEqual([
        '5',
        '4',
        '1',
        '0',
        '1',
      ]);
      expect(await page.locator('[data-series=SEND] polyline').count()).toBe(1);
      expect(await page.getByRole('img', { name: 'Sending statistics, last 24 hours' }).count()).toBe(1);
      await page.getByRole('button', { name: 'Show the numbers' }).click();
      expect(await page.getByRole('button', { name: 'Hide the numbers' }).getAttribute('aria-expanded')).toBe(
        'true',
      );
      await shot('account-statistics');

      await page.getByRole('button', { name: 'Last 7 days' }).click();
      const week = page.getByRole('table', { name: 'Sending statistics, last 7 days' });
      await week.waitFor();
      // The caption follows the range at once; the rows when the week's numbers have arrived.
      await expect.poll(() => week.locator('tbody tr').count()).toBe(7);
      // The week: one call, one query per metric over the whole seven days.
      page.off('request', onRequest);
      expect(metricCalls).toEqual([
        ['SEND', 'DELIVERY', 'PERMANENT_BOUNCE', 'TRANSIENT_BOUNCE', 'COMPLAINT'].map((Metric) => ({
          Metric,
          span: 7 * 86_400_000,
        })),
      ]);
      expect(await week.locator('tbody tr').last().locator('td').allTextContents()).toEqual([
        '5',
        '4',
        '1',
        '0',
        '1',
      ]);
      expect(await cells()).toEqual(['5', '4', '1', '0', '1']);
    });

    it('adds, lists (paged, filtered), shows and removes suppressed addresses; edits the account’s reasons', async () => {
      await go('Suppression list');
      await page.getByText('The suppression list is empty.').waitFor();
      // The simulator's bounce and complaint did not add to the list: the account's reasons decide.
      await page.getByLabel('Email address').fill('gone@example.com');
      await page.getByLabel(/^Reason/).selectOption('COMPLAINT');
      await page.getByRole('button', { name: 'Add to suppression list' }).click();
      await page
        .getByRole('status')
        .getByText('Added gone@example.com to the suppression list (COMPLAINT).')
        .waitFor();
      await page.getByRole('cell', { name: 'gone@example.com', exact: true }).waitFor();
      const got = await root.v2.send(
        new GetSuppressedDestinationCommand({ EmailAddress: 'gone@example.com' }),
      );
      expect(got.SuppressedDestination?.Reason).toBe('COMPLAINT');

      await page.getByLabel('Email address').fill('not an address');
      await page.getByRole('button', { name: 'Add to suppression list' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/^BadRequestException: /);

      // 55 more with the SDK: two pages of 50.
      for (let i = 0; i < 55; i++)
        await root.v2.send(
          new PutSuppressedDestinationCommand({
            EmailAddress: `b${String(i).padStart(2, '0')}@example.com`,
            Reason: 'BOUNCE',
          }),
        );
      await page.getByLabel('Filter by reason').selectOption('BOUNCE');
      await expect.poll(() => rows().count()).toBe(50);
      expect(await page.getByRole('cell', { name: 'gone@example.com', exact: true }).count()).toBe(0);
      await page.getByRole('button', { name: 'Next page' }).click();
      await expect.poll(() => rows().count()).toBe(5);
      expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
      await page.getByRole('button', { name: 'Previous page' }).click();
      await expect.poll(() => rows().count()).toBe(50);
      await page.getByLabel('Filter by reason').selectOption('COMPLAINT');
      await expect
        .poll(() => rows().allTextContents())
        .toEqual([expect.stringContaining('gone@example.com')]);

      await page.getByRole('button', { name: 'Details of gone@example.com' }).click();
      await page.getByTestId('suppression-details').getByText('COMPLAINT', { exact: true }).waitFor();

      // Account-level reasons: shown as GetAccount has them, saved with PutAccountSuppressionAttributes.
      const before =
        (await root.v2.send(new GetAccountCommand({}))).SuppressionAttributes?.SuppressedReasons ?? [];
      const bounce = page.getByLabel('Hard bounces (BOUNCE)');
      const complaint = page.getByLabel('Complaints (COMPLAINT)');
      await expect.poll(() => bounce.isChecked()).toBe(before.includes('BOUNCE'));
      expect(await complaint.isChecked()).toBe(before.includes('COMPLAINT'));
      await bounce.setChecked(true);
      await complaint.setChecked(false);
      await page.getByRole('button', { name: 'Save reasons' }).click();
      await page.getByText('Addresses are now added automatically for: BOUNCE.').waitFor();
      expect(
        (await root.v2.send(new GetAccountCommand({}))).SuppressionAttributes?.SuppressedReasons,
      ).toEqual(['BOUNCE']);
      await shot('suppression');

      await page.getByRole('button', { name: 'Remove gone@example.com' }).click();
      await page.getByRole('button', { name: 'Confirm removal of gone@example.com' }).click();
      await page.getByText('Removed gone@example.com from the suppression list.').waitFor();
      await page.getByText('No address is suppressed for COMPLAINT.').waitFor();
      const err = await errorOf(
        root.v2.send(new GetSuppressedDestinationCommand({ EmailAddress: 'gone@example.com' })),
      );
      expect([err.name, err.status]).toEqual(['NotFoundException', 404]);
    });

    it('filters the audit log by action and decision, pages back, and tails new calls live', async () => {
      const auditee = await userWithPolicy(root, undefined, 'auditee');
      const theirs = clientsFor(server, auditee.creds);
      expect((await errorOf(theirs.iam.send(new ListUsersCommand({})))).status).toBe(403);

      await go('Audit');
      await rows().first().waitFor();
      await page.getByLabel('Action (event name)').fill('ListUsers');
      await page.getByLabel('Decision').selectOption('ImplicitDeny');
      await page.getByRole('button', { name: 'Filter', exact: true }).click();
      await expect.poll(() => rows().count()).toBe(1);
      expect(await rows().first().getAttribute('data-decision')).toBe('ImplicitDeny');
      expect(await rows().first().textContent()).toContain(auditee.arn);
      await page.getByRole('button', { name: 'Why was ListUsers denied?' }).waitFor();
      await shot('audit-filtered');

      await page.getByLabel('Action (event name)').fill('CreateOperatorSession');
      await page.getByLabel('Decision').selectOption('Allowed');
      await page.getByRole('button', { name: 'Filter', exact: true }).click();
      // The two operator sign-ins of the first test.
      await expect
        .poll(() => rows().allTextContents())
        .toEqual(Array(2).fill(expect.stringContaining(`sesame:CreateOperatorSession on ${ROOT_ARN}`)));
      await page.getByLabel('Action (event name)').fill('PutSuppressedDestination');
      await page.getByLabel('Decision').selectOption('');
      await page.getByRole('button', { name: 'Filter', exact: true }).click();
      // 56 allowed, 1 refused (bad address); pages of 100 hold them all.
      await expect.poll(() => rows().count()).toBe(57);
      expect(await page.getByRole('button', { name: 'Load older records' }).count()).toBe(0);

      // A time range that ends before anything happened.
      await page.getByLabel('Until').fill('2020-01-01T00:00:00');
      await page.getByRole('button', { name: 'Filter', exact: true }).click();
      await page.getByText('No audit records match.').waitFor();

      // No filter: pages of 100, older ones appended below, newest first throughout.
      await page.getByRole('button', { name: 'Reset' }).click();
      await expect.poll(() => rows().count()).toBe(100);
      await page.getByRole('button', { name: 'Load older records' }).click();
      await expect.poll(() => rows().count()).toBeGreaterThan(100);
      const seqs = (
        await rows().evaluateAll((trs) => trs.map((tr) => (tr as { dataset: { seq: string } }).dataset.seq))
      ).map(Number);
      expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
      expect(new Set(seqs).size).toBe(seqs.length);

      // Live tail: GetCallerIdentity by the auditee appears on top while tailing, not after it stops.
      await page.getByLabel('Action (event name)').fill('GetCallerIdentity');
      await page.getByRole('button', { name: 'Filter', exact: true }).click();
      // Until the filtered page has replaced the unfiltered one (every row a GetCallerIdentity).
      await expect
        .poll(async () => {
          const texts = await rows().allTextContents();
          return texts.length > 0 && texts.every((t) => t.includes('GetCallerIdentity'));
        })
        .toBe(true);
      const before = await rows().count();
      await page.getByRole('button', { name: 'Live tail' }).click();
      expect(await page.getByRole('button', { name: 'Live tail' }).getAttribute('aria-pressed')).toBe('true');
      await theirs.sts.send(new GetCallerIdentityCommand({}));
      await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(before + 1);
      expect(await rows().first().textContent()).toContain(auditee.arn);
      // The tail's own polling (LookupEvents) is not echoed, and only matching records arrive.
      await page.waitForTimeout(2500);
      expect(await rows().count()).toBe(before + 1);
      await page.getByRole('button', { name: 'Live tail' }).click();
      expect(await page.getByRole('button', { name: 'Live tail' }).getAttribute('aria-pressed')).toBe(
        'false',
      );
      await theirs.sts.send(new GetCallerIdentityCommand({}));
      await page.waitForTimeout(2500);
      expect(await rows().count()).toBe(before + 1);
    });

    it('every page renders under the CSP, and a mail preview (its own document, sandboxed) keeps its inline styles', async () => {
      for (const link of [
        'Identities',
        'IAM users',
        'IAM groups',
        'IAM roles',
        'IAM policies',
        'Policy simulator',
        'Mailbox',
        'Audit',
        'Account',
        'Suppression list',
      ]) {
        await go(link);
        await page.getByRole('heading', { level: 2 }).first().waitFor();
      }
      // Down to 400 px wide, the account pages never scroll sideways (wide tables scroll in their box).
      await page.setViewportSize({ width: 400, height: 800 });
      for (const link of ['Account', 'Suppression list', 'Audit']) {
        await go(link);
        await page.getByRole('heading', { level: 2 }).first().waitFor();
        // The whole page too: the header's navigation wraps instead of widening the page.
        const width = await page.evaluate(
          '[document.querySelector("main").scrollWidth, document.documentElement.scrollWidth, window.innerWidth]',
        );
        await shot(`narrow-${link.split(' ')[0]!.toLowerCase()}`);
        expect([link, width]).toEqual([link, [400, 400, 400]]);
      }
      await page.setViewportSize({ width: 1280, height: 720 });
      // The preview is its own document under its own policy: inline styles apply, while the console
      // itself allows no inline style at all.
      await verify(root.v1, 'styled.example');
      await root.v2.send(
        new SendEmailCommand({
          FromEmailAddress: 'a@styled.example',
          Destination: { ToAddresses: ['success@simulator.amazonses.com'] },
          Content: {
            Simple: {
              Subject: { Data: 'Styled preview' },
              Body: { Html: { Data: '<p style="color: rgb(255, 0, 0)">styled</p>' } },
            },
          },
        }),
      );
      await go('Mailbox');
      await page.getByRole('option', { name: /Styled preview/ }).click({ timeout: 15_000 });
      const styled = page.frameLocator('iframe[sandbox=""]').locator('p');
      type Styles = { getComputedStyle(e: unknown): { color: string } };
      const color = await styled.evaluate((p) => (globalThis as unknown as Styles).getComputedStyle(p).color);
      expect(color).toBe('rgb(255, 0, 0)');
    });
  },
);
