// List management in a real browser: the console's contact-list pages (create the list, add and
// remove topics, add contacts, filter them, edit a contact's preferences) checked against the API,
// and the public subscription-preferences page a recipient opens from an unsubscribe link.
// Screenshots: test-output/console/{contact-list,contact-preferences,unsubscribe-page}.png
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  CreateEmailIdentityCommand,
  GetContactCommand,
  GetContactListCommand,
  SendEmailCommand,
} from '@aws-sdk/client-sesv2';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import { clientsFor, grantProduction, type Clients } from '../support/ses-fixtures.js';
import { ensureConsoleBuilt, hasChromium, launchBrowser, signIn, type Browser } from '../support/console.js';
import { selectOutboxRows } from '../../src/ses/send/outbox.js';

let server: TestServer;
let browser: Browser;
let page: Page;
let root: Clients;
const cspViolations: string[] = [];

describe.skipIf(!hasChromium)(
  'console: contact lists, and the unsubscribe page',
  { timeout: 120_000 },
  () => {
    beforeAll(async () => {
      ensureConsoleBuilt();
      server = await startTestServer();
      root = clientsFor(server, server.credentials);
      browser = await launchBrowser();
      page = browser.page;
      page.on('console', (m) => {
        if (m.text().includes('Content Security Policy')) cspViolations.push(m.text());
      });
    }, 150_000);
    afterAll(async () => {
      await browser?.close();
      server?.http.server.closeAllConnections();
      await server?.stop();
    });

    it('creates the list, its topics and contacts, and edits a contact’s preferences', async () => {
      await signIn(page, server.endpoint, server.credentials, `arn:aws:iam::${ACCOUNT}:root`);
      await page.getByRole('link', { name: 'Contact lists', exact: true }).click();
      await page.getByText('This region has no contact list yet').waitFor();
      await page.getByLabel('List name').fill('news');
      await page.getByLabel('Description').fill('Our newsletter');
      await page.getByRole('button', { name: 'Create list' }).click();
      await page.getByRole('status').getByText('Created contact list news.').waitFor();

      for (const [name, display, status] of [
        ['sports', 'Sports', 'OPT_IN'],
        ['deals', 'Deals', 'OPT_OUT'],
        ['spare', 'Spare', 'OPT_IN'],
      ] as const) {
        await page.getByLabel('Topic name').fill(name);
        await page.getByLabel('Display name').fill(display);
        await page.getByLabel('Default status').selectOption(status);
        await page.getByRole('button', { name: 'Add topic' }).click();
        await page.getByRole('status').getByText(`Added topic ${name}.`).waitFor();
      }
      await page.getByRole('button', { name: 'Remove topic spare' }).click();
      await page.getByRole('status').getByText('Removed topic spare.').waitFor();
      const list = await root.v2.send(new GetContactListCommand({ ContactListName: 'news' }));
      expect(list.Description).toBe('Our newsletter');
      expect(list.Topics?.map((t) => [t.TopicName, t.DefaultSubscriptionStatus])).toEqual([
        ['sports', 'OPT_IN'],
        ['deals', 'OPT_OUT'],
      ]);

      for (const email of ['ann@example.com', 'bob@example.com']) {
        await page.getByLabel('Email address').fill(email);
        await page.getByRole('button', { name: 'Add contact' }).click();
        await page.getByRole('status').getByText(`Added ${email}.`).waitFor();
      }
      await page.getByRole('button', { name: 'Edit ann@example.com' }).click();
      const prefs = page.getByTestId('contact-preferences');
      await prefs.getByRole('group', { name: 'Deals' }).getByLabel('Subscribed', { exact: true }).check();
      await prefs.getByRole('group', { name: 'Sports' }).getByLabel('Unsubscribed').check();
      await browser.shot('contact-preferences');
      await prefs.getByRole('button', { name: 'Save preferences' }).click();
      await page.getByRole('status').getByText('Saved the preferences of ann@example.com.').waitFor();
      const ann = await root.v2.send(
        new GetContactCommand({ ContactListName: 'news', EmailAddress: 'ann@example.com' }),
      );
      expect(ann.TopicPreferences).toEqual([
        { TopicName: 'sports', SubscriptionStatus: 'OPT_OUT' },
        { TopicName: 'deals', SubscriptionStatus: 'OPT_IN' },
      ]);

      // Subscribed to Deals: only Ann (Bob has the topic's default, OPT_OUT).
      await page.getByLabel('Filter by topic').selectOption('deals');
      await page.getByLabel('Filter by status').selectOption('OPT_IN');
      await page.getByRole('cell', { name: 'bob@example.com', exact: true }).waitFor({ state: 'detached' });
      await page.getByRole('cell', { name: 'ann@example.com', exact: true }).waitFor();
      expect(await page.getByTestId('contacts').locator('tbody tr').count()).toBe(1);
      await browser.shot('contact-list');
      expect(cspViolations).toEqual([]);
    });

    it('serves the preferences page of an unsubscribe link, whose choices reach the contact', async () => {
      await grantProduction(server, ACCOUNT);
      await root.v2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'example.com' }));
      const { MessageId } = await root.v2.send(
        new SendEmailCommand({
          FromEmailAddress: 'news@example.com',
          Destination: { ToAddresses: ['bob@example.com'] },
          Content: {
            Simple: {
              Subject: { Data: 'news' },
              Body: { Html: { Data: '<a href="{{amazonSESUnsubscribeUrl}}">Unsubscribe</a>' } },
            },
          },
          ListManagementOptions: { ContactListName: 'news', TopicName: 'sports' },
        }),
      );
      const raw = (
        await selectOutboxRows(server.app.store.db)
          .where('message_id', '=', MessageId!)
          .executeTakeFirstOrThrow()
      ).raw.toString();
      const link = new URL(/^List-Unsubscribe: <([^>]+)>$/m.exec(raw)![1]!);
      await page.goto(`${server.endpoint}${link.pathname}`);
      await page.getByRole('heading', { name: 'Subscription preferences' }).waitFor();
      expect(
        await page
          .getByRole('group', { name: 'Sports' })
          .getByLabel('Subscribed', { exact: true })
          .isChecked(),
      ).toBe(true);
      expect(await page.getByRole('group', { name: 'Deals' }).getByLabel('Unsubscribed').isChecked()).toBe(
        true,
      );
      await page.getByRole('group', { name: 'Sports' }).getByLabel('Unsubscribed').check();
      await page.getByRole('group', { name: 'Deals' }).getByLabel('Subscribed', { exact: true }).check();
      await page.getByRole('button', { name: 'Save preferences' }).click();
      await page.getByRole('status').getByText('Your preferences have been saved.').waitFor();
      await browser.shot('unsubscribe-page');
      const bob = () =>
        root.v2.send(new GetContactCommand({ ContactListName: 'news', EmailAddress: 'bob@example.com' }));
      expect((await bob()).TopicPreferences).toEqual([
        { TopicName: 'sports', SubscriptionStatus: 'OPT_OUT' },
        { TopicName: 'deals', SubscriptionStatus: 'OPT_IN' },
      ]);
      await page.getByRole('button', { name: 'Unsubscribe from all' }).click();
      await page.getByRole('status').getByText('Your preferences have been saved.').waitFor();
      expect((await bob()).UnsubscribeAll).toBe(true);
      expect(await page.getByLabel('Unsubscribe from all topics of this list').isChecked()).toBe(true);
    });

    it('shows a BYODKIM domain’s TXT record instead of Easy DKIM’s CNAMEs', async () => {
      const key = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
        type: 'pkcs8',
        format: 'der',
      });
      await root.v2.send(
        new CreateEmailIdentityCommand({
          EmailIdentity: 'byo.example',
          DkimSigningAttributes: {
            DomainSigningSelector: 'mine',
            DomainSigningPrivateKey: key.toString('base64'),
          },
        }),
      );
      await page.goto(`${server.endpoint}/console/#/identities`);
      await page.getByRole('button', { name: 'DKIM of byo.example' }).click();
      await expect
        .poll(() => page.getByTestId('dkim-records').textContent())
        .toBe(
          'Bring your own DKIM: publish the public key of your key pair as the TXT record mine._domainkey.byo.example TXT "p=…".',
        );
      expect(cspViolations).toEqual([]);
    });
  },
);
