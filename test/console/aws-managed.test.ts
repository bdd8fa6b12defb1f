// The console and AWS managed policies: listed apart from the account's own, found by name, read,
// attached to a user from its page; and the simulator's VPC endpoint keys. Headless Chromium
// against a real server, any CSP violation failing the test.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CreateUserCommand, ListAttachedUserPoliciesCommand } from '@aws-sdk/client-iam';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import { clientsFor, type Clients } from '../support/ses-fixtures.js';
import {
  ensureConsoleBuilt,
  hasChromium,
  launchBrowser,
  signIn,
  watchCspViolations,
  type Browser,
} from '../support/console.js';

const READ_ONLY = 'arn:aws:iam::aws:policy/AmazonSESReadOnlyAccess';
let server: TestServer;
let root: Clients;
let browser: Browser;
let page: Page;
let cspViolations: string[] = [];

describe.skipIf(!hasChromium)('console: AWS managed policies and the VPC keys', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    ensureConsoleBuilt(); // normally done by the global setup already
    server = await startTestServer();
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

  it('lists AWS managed policies apart, shows one, and attaches it to a user from the user’s page', async () => {
    await root.iam.send(new CreateUserCommand({ UserName: 'mailer' }));
    await signIn(page, server.endpoint, server.credentials, `arn:aws:iam::${ACCOUNT}:root`);

    await page.getByRole('link', { name: 'IAM policies' }).click();
    await page.getByText('No customer managed policies yet.').waitFor();
    await page.getByLabel('AWS managed policies').check();
    await page.getByLabel('Filter by name').fill('AmazonSES');
    await expect.poll(() => page.getByTestId('aws-policy-count').textContent()).toBe('3 matching policies.');
    expect(await page.locator('tbody tr td:first-child').allTextContents()).toEqual([
      'AmazonSESFullAccess',
      'AmazonSESReadOnlyAccess',
      'AmazonSESServiceRolePolicy',
    ]);
    // A policy's name is a link: the address opens it (bookmarkable, Back works).
    await page.getByRole('link', { name: 'AmazonSESReadOnlyAccess', exact: true }).click();
    expect(page.url()).toContain(`#/policies/${encodeURIComponent(READ_ONLY)}`);
    await expect
      .poll(async () => JSON.parse((await page.getByTestId('aws-policy-document').textContent()) ?? '{}'))
      .toMatchObject({ Statement: [{ Action: ['ses:Get*', 'ses:List*', 'ses:BatchGetMetricData'] }] });
    await page.getByText('Not attached to any user, group or role.').waitFor();
    // Nothing on the page offers to change it.
    expect(await page.getByRole('button', { name: /Delete|Create version|Set .* as default/ }).count()).toBe(
      0,
    );
    await browser.shot('aws-managed');

    // Attach it from the user's page: the suggestions hold both kinds, the list marks it as AWS's.
    await page.getByRole('link', { name: 'IAM users' }).click();
    await page.getByRole('link', { name: 'mailer', exact: true }).click();
    const suggestions = page.locator('datalist option');
    await expect.poll(() => suggestions.count()).toBeGreaterThanOrEqual(1485);
    expect(await page.locator(`datalist option[value="${READ_ONLY}"]`).getAttribute('label')).toBe(
      'AWS managed',
    );
    await page.getByLabel('Managed policy ARN').fill(READ_ONLY);
    await page.getByRole('button', { name: 'Attach policy' }).click();
    await page.getByRole('button', { name: 'Detach AmazonSESReadOnlyAccess' }).waitFor();
    expect(await page.getByLabel('Managed policies of mailer').getByText('AWS managed').count()).toBe(1);
    expect(
      (await root.iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'mailer' }))).AttachedPolicies,
    ).toEqual([{ PolicyName: 'AmazonSESReadOnlyAccess', PolicyArn: READ_ONLY }]);
    // The attached ARN links to the policy: AWS's list opens on it, and Back returns to the user.
    await page.getByLabel('Managed policies of mailer').getByRole('link', { name: READ_ONLY }).click();
    await page.getByRole('heading', { name: 'Policy AmazonSESReadOnlyAccess AWS managed' }).waitFor();
    expect(await page.getByRole('radio', { name: 'AWS managed policies' }).isChecked()).toBe(true);
    await page.goBack();
    await page.getByRole('heading', { name: 'User mailer' }).waitFor();

    // Back on the policies page, "used in this account" finds it with its user.
    await page.getByRole('link', { name: 'IAM policies' }).click();
    await page.getByLabel('AWS managed policies').check();
    await page.getByLabel('Used in this account only').check();
    await expect.poll(() => page.getByTestId('aws-policy-count').textContent()).toBe('1 matching policy.');
    expect(await page.getByTestId('aws-attachment-count').textContent()).toBe('1');
    await page.getByRole('link', { name: 'AmazonSESReadOnlyAccess', exact: true }).click();
    await expect.poll(() => page.getByTestId('policy-entities').textContent()).toBe('User mailer');
    // The account's own policies are still one click away.
    await page.getByLabel('Customer managed policies').check();
    await page.getByText('No customer managed policies yet.').waitFor();
  });

  it('the simulator offers aws:SourceVpc, aws:SourceVpce and aws:VpcSourceIp', async () => {
    await page.getByRole('link', { name: 'Policy simulator' }).click();
    await page.getByLabel('Identity policy (JSON)').fill(
      JSON.stringify(
        {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'ses:SendEmail',
              Resource: '*',
              Condition: {
                StringEquals: {
                  'aws:SourceVpce': 'vpce-0a1b2c3d4e5f60718',
                  'aws:SourceVpc': 'vpc-0123456789abcdef0',
                },
                IpAddress: { 'aws:VpcSourceIp': '10.0.0.0/16' },
              },
            },
          ],
        },
        null,
        2,
      ),
    );
    await page.getByRole('button', { name: 'Simulate' }).click();
    await expect
      .poll(() => page.getByTestId('missing-context').locator('li').allTextContents())
      .toEqual(['aws:SourceVpc', 'aws:SourceVpce', 'aws:VpcSourceIp']);
    await page.getByLabel('VPC (aws:SourceVpc)').fill('vpc-0123456789abcdef0');
    await page.getByLabel('VPC endpoint (aws:SourceVpce)').fill('vpce-0a1b2c3d4e5f60718');
    await page.getByLabel('Source IP in the VPC (aws:VpcSourceIp)').fill('10.0.1.25');
    await page.getByRole('button', { name: 'Simulate' }).click();
    await expect.poll(() => page.getByTestId('decision').textContent()).toBe('allowed');
    await page.getByLabel('Source IP in the VPC (aws:VpcSourceIp)').fill('192.168.1.25');
    await page.getByRole('button', { name: 'Simulate' }).click();
    await expect.poll(() => page.getByTestId('decision').textContent()).toBe('implicitDeny');
  });
});
