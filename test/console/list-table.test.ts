// The list pages' shared table (list-table.tsx) in the browser, on lists long enough to need it: the
// find box and its count, sorting on a header (names as a reader sorts them, numbers as numbers,
// both ways, announced with aria-sort), "Show more" past a hundred rows, the open row marked, and a
// row's Delete acting on that row whatever the order. The SDK confirms what the console did.
// Screenshot: test-output/console/list-users-sorted.png
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CreateRoleCommand, CreateUserCommand, GetUserCommand } from '@aws-sdk/client-iam';
import { startTestServer, ACCOUNT, type TestServer } from '../support/server.js';
import { clientsFor, errorOf, type Clients } from '../support/ses-fixtures.js';
import {
  ensureConsoleBuilt,
  hasChromium,
  launchBrowser,
  signIn,
  watchCspViolations,
  type Browser,
} from '../support/console.js';

let server: TestServer;
let browser: Browser;
let page: Page;
let root: Clients;
let csp: string[];

const NUMBERED = Array.from({ length: 103 }, (_, i) => `u-${i + 1}`);
const USERS = ['alpha-ops', 'zeta-admin', ...NUMBERED];
/** The names in the users table, top to bottom. */
const shownUsers = () => page.getByTestId('users-list').locator('tbody tr td:first-child').allTextContents();
const sortOf = (header: string) => page.getByRole('columnheader', { name: header }).getAttribute('aria-sort');

describe.skipIf(!hasChromium)('console: the shared list table', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    ensureConsoleBuilt();
    server = await startTestServer();
    root = clientsFor(server, server.credentials);
    // Created out of order: the server lists them by name, the table must not rely on it.
    for (const name of [...USERS].reverse()) await root.iam.send(new CreateUserCommand({ UserName: name }));
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' },
      ],
    });
    for (const [name, seconds] of [
      ['short', 3600],
      ['long', 43200],
      ['middle', 7200],
    ] as const)
      await root.iam.send(
        new CreateRoleCommand({
          RoleName: name,
          AssumeRolePolicyDocument: trust,
          MaxSessionDuration: seconds,
        }),
      );
    browser = await launchBrowser();
    page = browser.page;
    csp = await watchCspViolations(browser);
    page.on('dialog', (d) => void d.accept()); // the delete confirmation
    await signIn(page, server.endpoint, server.credentials, `arn:aws:iam::${ACCOUNT}:root`);
  }, 150_000);

  afterAll(async () => {
    expect(csp).toEqual([]);
    await browser?.close();
    server?.http.server.closeAllConnections();
    await server?.stop();
  });

  it('finds, sorts, shows more and deletes the right row of a long list', async () => {
    await page.getByRole('link', { name: 'IAM users', exact: true }).click();
    await page.getByRole('link', { name: 'alpha-ops', exact: true }).waitFor();

    // A hundred rows, then the rest one click away.
    expect((await shownUsers()).length).toBe(100);
    expect(await page.locator('.list-more').textContent()).toBe('Showing 100 of 105. Show 5 more');
    await page.getByRole('button', { name: 'Show 5 more' }).click();
    expect((await shownUsers()).length).toBe(105);
    expect(await page.locator('.list-more').count()).toBe(0);

    // Sorting on the name: u-2 before u-10 (numbers in names read as numbers), then reversed.
    expect(await sortOf('User')).toBe('none');
    expect(await sortOf('ARN')).toBe('none');
    await page.getByRole('button', { name: 'User', exact: true }).click();
    expect(await sortOf('User')).toBe('ascending');
    expect(await shownUsers()).toEqual(['alpha-ops', ...NUMBERED, 'zeta-admin']);
    await page.getByRole('button', { name: 'User', exact: true }).click();
    expect(await sortOf('User')).toBe('descending');
    expect(await sortOf('ARN')).toBe('none');
    expect(await shownUsers()).toEqual(['zeta-admin', ...[...NUMBERED].reverse(), 'alpha-ops']);
    await browser.shot('list-users-sorted');

    // The find box: any case, anywhere in the name, with its count; a miss says so.
    const find = page.getByLabel('Find users');
    await find.fill('ADMIN');
    expect(await shownUsers()).toEqual(['zeta-admin']);
    expect(await page.getByTestId('list-found').textContent()).toBe('1 of 105');
    await find.fill('u-10');
    expect(await shownUsers()).toEqual(['u-103', 'u-102', 'u-101', 'u-100', 'u-10']);
    await find.fill('nobody');
    expect(await shownUsers()).toEqual([]);
    await page.getByText('No users match “nobody”.').waitFor();
    await find.fill('');
    expect((await shownUsers()).length).toBe(100);

    // Opening a user marks its row and puts it in the address.
    await page.getByRole('link', { name: 'u-7', exact: true }).click();
    await page.getByRole('heading', { name: 'User u-7' }).waitFor();
    expect(new URL(page.url()).hash).toBe('#/users/u-7');
    expect(await page.locator('tbody tr[aria-current="true"] td:first-child').allTextContents()).toEqual([
      'u-7',
    ]);

    // Delete on the first row of the reversed list deletes that user, and only that one.
    await page.getByRole('button', { name: 'Delete user zeta-admin' }).click();
    await expect.poll(async () => (await shownUsers())[0]).toBe('u-103');
    expect(await sortOf('User')).toBe('descending');
    expect((await errorOf(root.iam.send(new GetUserCommand({ UserName: 'zeta-admin' })))).name).toBe(
      'NoSuchEntityException',
    );
    expect((await root.iam.send(new GetUserCommand({ UserName: 'alpha-ops' }))).User?.UserName).toBe(
      'alpha-ops',
    );
    expect((await root.iam.send(new GetUserCommand({ UserName: 'u-103' }))).User?.UserName).toBe('u-103');
  });

  it('sorts numbers as numbers', async () => {
    await page.getByRole('link', { name: 'IAM roles', exact: true }).click();
    await page.getByRole('link', { name: 'middle', exact: true }).waitFor();
    const sessions = () =>
      page.getByTestId('roles-list').locator('tbody tr td:nth-child(3)').allTextContents();
    await page.getByRole('button', { name: 'Max session', exact: true }).click();
    expect(await sessions()).toEqual(['3600 s', '7200 s', '43200 s']);
    await page.getByRole('button', { name: 'Max session', exact: true }).click();
    expect(await sessions()).toEqual(['43200 s', '7200 s', '3600 s']);
    expect(await sortOf('Max session')).toBe('descending');
  });
});
