// The web console end to end: a real server, headless Chromium (Debian's /usr/bin/chromium), the
// console signed in with the root key doing what a user would. Screenshots: test-output/console/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ListUsersCommand } from '@aws-sdk/client-iam';
import { startTestServer, ACCOUNT, type TestServer } from '../support/server.js';
import { clientsFor, errorOf, verify } from '../support/ses-fixtures.js';
import { smtpPasswordV4 } from '../../src/auth/smtp-password.js';
import { ensureConsoleBuilt, hasChromium, launchBrowser, type Browser } from '../support/console.js';

let server: TestServer;
let browser: Browser;
let page: Page;
const shot = (name: string) => browser.shot(name);

describe.skipIf(!hasChromium)('web console', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    ensureConsoleBuilt(); // normally done by the global setup already
    server = await startTestServer();
    browser = await launchBrowser();
    page = browser.page;
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    server?.http.server.closeAllConnections(); // keep-alive sockets of the browser and fetch()
    await server?.stop();
  });

  it('serves the built files under /console with their content types and index.html for client routes', async () => {
    const redirect = await fetch(`${server.endpoint}/console`, { redirect: 'manual' });
    expect([redirect.status, redirect.headers.get('location')]).toEqual([302, '/console/']);
    const index = await fetch(`${server.endpoint}/console/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await index.text();
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const js = await fetch(`${server.endpoint}${script}`);
    expect([js.status, js.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    const route = await fetch(`${server.endpoint}/console/mailbox/anything`);
    expect([route.status, await route.text()]).toEqual([200, html]);
    expect((await fetch(`${server.endpoint}/console/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${server.endpoint}/console/..%2f..%2fpackage.json`)).status).toBe(200); // index.html, not the file
    expect(await (await fetch(`${server.endpoint}/console/..%2f..%2fpackage.json`)).text()).toBe(html);
  });

  it('signs in, manages users, simulates, reads the mailbox and explains a denial from the audit log', async () => {
    const root = clientsFor(server, server.credentials);
    await verify(root.v1, 'example.com');

    // 1. Sign in with the root key: GetCallerIdentity shows who we are.
    await page.goto(`${server.endpoint}/console/`);
    await page.getByLabel('Access key ID').fill(server.credentials.accessKeyId);
    await page.getByLabel('Secret access key').fill('wrong-secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('SignatureDoesNotMatch');
    await shot('01-sign-in');
    await page.getByLabel('Secret access key').fill(server.credentials.secretAccessKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.getByTestId('caller-arn').textContent())
      .toBe(`arn:aws:iam::${ACCOUNT}:root`);
    expect(await page.getByTestId('caller-account').textContent()).toBe(ACCOUNT);
    expect(await page.evaluate('localStorage.length')).toBe(0);

    // 2. Identities: the verified domain, and the policy editor shows AWS's error for a bad document.
    await page.getByRole('link', { name: 'Identities' }).click();
    await page.getByRole('cell', { name: 'example.com', exact: true }).waitFor();
    expect(await page.locator('tbody tr').first().textContent()).toContain('SUCCESS');
    await page.getByRole('button', { name: 'Policies of example.com' }).click();
    await page.getByText('This identity has no policies.').waitFor();
    await page.getByLabel('Policy name').fill('broken');
    await page.getByLabel('Policy document (JSON)').fill('{"Version": "2012-10-17"');
    // The editor lints as you type and holds Save back while IAM would refuse the document...
    await expect
      .poll(() => page.getByTestId('lint-finding').allTextContents())
      .toEqual(["✖ 1:25 Syntax errors in policy. — Expected ',' or '}'"]);
    expect(await page.getByRole('button', { name: 'Save policy' }).isDisabled()).toBe(true);
    // ...but the server decides: a Resource other than this identity only SES can refuse.
    const foreign = `arn:aws:ses:us-east-1:${ACCOUNT}:identity/other.com`;
    await page.getByLabel('Policy document (JSON)').fill(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
            Action: 'ses:SendEmail',
            Resource: foreign,
          },
        ],
      }),
    );
    await page.getByRole('button', { name: 'Save policy' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe(
        `BadRequestException: Resource ${foreign} must be arn:aws:ses:us-east-1:${ACCOUNT}:identity/example.com, the resource the policy is attached to.`,
      );
    await page.getByLabel('Policy name').fill('allow-self');
    await page.getByLabel('Policy document (JSON)').fill(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
            Action: 'ses:SendEmail',
            Resource: `arn:aws:ses:us-east-1:${ACCOUNT}:identity/example.com`,
          },
        ],
      }),
    );
    await page.getByRole('button', { name: 'Save policy' }).click();
    await expect
      .poll(async () => (await page.locator('[role=status], [role=alert]').allTextContents()).join(' | '))
      .toBe('Saved policy allow-self.');
    await page.getByRole('button', { name: 'Edit allow-self' }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    await shot('02-identities');

    // 3. IAM users: create one and a key; the SMTP password matches the server's derivation.
    await page.getByRole('link', { name: 'IAM users' }).click();
    await page.getByLabel('User name').fill('console-alice');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('button', { name: 'Create access key for console-alice' }).click();
    const accessKeyId = (await page.getByTestId('new-access-key-id').textContent()) ?? '';
    const secretAccessKey = (await page.getByTestId('new-secret-access-key').textContent()) ?? '';
    expect(accessKeyId).toMatch(/^AKIA[A-Z0-9]{16}$/);
    await page.getByLabel('SMTP region').fill('eu-west-1');
    await page.getByRole('button', { name: 'Show SMTP password' }).click();
    expect(await page.getByTestId('smtp-password').textContent()).toBe(
      smtpPasswordV4(secretAccessKey, 'eu-west-1'),
    );
    await shot('03-users');

    // 4. Simulator: the sample policy allows From @example.com and nothing else.
    await page.getByRole('link', { name: 'Policy simulator' }).click();
    await page.getByLabel('From address (ses:FromAddress)').fill('news@example.com');
    await page.getByRole('button', { name: 'Simulate' }).click();
    await expect.poll(() => page.getByTestId('decision').textContent()).toBe('allowed');
    expect(await page.getByTestId('matched-line').count()).toBe(7); // the statement's lines 4-10
    await shot('04-simulator');
    await page.getByLabel('From address (ses:FromAddress)').fill('news@other.com');
    await page.getByRole('button', { name: 'Simulate' }).click();
    await expect.poll(() => page.getByTestId('decision').textContent()).toBe('implicitDeny');
    expect(await page.getByTestId('matched-line').count()).toBe(0);
    await page.getByLabel('From address (ses:FromAddress)').fill('');
    await page.getByRole('button', { name: 'Simulate' }).click();
    await expect.poll(() => page.getByTestId('missing-context').textContent()).toBe('ses:FromAddress');

    // 5. Mailbox: a message sent with the SDK is captured; search finds it and it opens.
    await root.v2.send(
      new SendEmailCommand({
        FromEmailAddress: 'sender@example.com',
        Destination: { ToAddresses: ['reader@example.com'] },
        Content: {
          Simple: {
            Subject: { Data: 'Console hello' },
            Body: { Text: { Data: 'plain body' }, Html: { Data: '<p>html <b>body</b></p>' } },
          },
        },
      }),
    );
    await page.getByRole('link', { name: 'Mailbox' }).click();
    await page.getByLabel('Search subject, sender, recipients').fill('Console hello');
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Search' }).click();
          return page.getByRole('option', { name: /Console hello/ }).count();
        },
        { timeout: 15_000 },
      )
      .toBe(1);
    expect(await page.getByRole('alert').count()).toBe(0); // the query's space is signed as %20
    await page.getByRole('option', { name: /Console hello/ }).click();
    await page.getByRole('heading', { name: 'Console hello' }).waitFor();
    expect((await page.getByTestId('message-text').textContent())?.trim()).toBe('plain body');
    // The HTML part is its own document (presigned URL, its own policy), in a sandboxed frame.
    expect(await page.locator('iframe[sandbox=""]').getAttribute('src')).toMatch(
      /\/sesame\/mailbox\/messages\/[^/]+\/html\?.*X-Amz-Signature=/,
    );
    expect(await page.frameLocator('iframe[sandbox=""]').locator('b').textContent()).toBe('body');
    await expect.poll(() => page.getByTestId('timeline').textContent()).toContain('accepted (SendEmail');
    await shot('05-mailbox');
    await page.getByLabel('Search subject, sender, recipients').fill('no such subject');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No message matches “no such subject”.').waitFor();

    // 6. Audit: the new user's denied ListUsers; "Why?" opens the simulator on it.
    const alice = clientsFor(server, { accessKeyId, secretAccessKey });
    expect((await errorOf(alice.iam.send(new ListUsersCommand({})))).status).toBe(403);
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByLabel('Decision').selectOption('ImplicitDeny');
    await page.getByRole('button', { name: 'Filter' }).click();
    const why = page.getByRole('button', { name: 'Why was ListUsers denied?' });
    await why.waitFor();
    // The unfiltered page shows that row too: wait for the filtered answer, not the first sight of it.
    await expect.poll(() => page.locator('tbody tr').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.locator('tbody tr').first().getAttribute('data-decision')).toBe('ImplicitDeny');
    await shot('06-audit');
    await why.click();
    expect(await page.getByLabel('Action').inputValue()).toBe('iam:ListUsers');
    expect(await page.getByLabel('Resource ARN').inputValue()).toBe(`arn:aws:iam::${ACCOUNT}:user/`);
    expect(await page.getByLabel('Principal ARN').inputValue()).toBe(
      `arn:aws:iam::${ACCOUNT}:user/console-alice`,
    );
    await page.getByRole('button', { name: 'Simulate' }).click();
    await expect.poll(() => page.getByTestId('decision').textContent()).toBe('implicitDeny');

    // 7. Account: a new account is in the sandbox.
    await page.getByRole('link', { name: 'Account' }).click();
    await expect.poll(() => page.getByTestId('sandbox').textContent()).toBe('Yes (sandbox)');
    await shot('07-account');

    // Sign out forgets the key.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
  });
});
