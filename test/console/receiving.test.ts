// The console's receiving pages end to end in Chromium: receipt rule sets (create, activate,
// clone, delete), a set's rules (add, edit, reorder, disable, delete) with the API's own errors,
// IP filters, and a received message's timeline in the mailbox — under the console's CSP.
// Screenshots: test-output/console/{receiving,receiving-rules,mailbox-inbound-timeline}.png
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DescribeReceiptRuleSetCommand, ListReceiptFiltersCommand } from '@aws-sdk/client-ses';
import { startTestDnsServer, type TestDnsServer } from '../../src/ses/verification/test-dns-server.js';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import { clientsFor, verify, type Clients } from '../support/ses-fixtures.js';
import { ensureConsoleBuilt, hasChromium, launchBrowser, signIn, type Browser } from '../support/console.js';
import { plainMessage, smtplibSend } from '../support/inbound.js';

let server: TestServer;
let dns: TestDnsServer;
let browser: Browser;
let page: Page;
let root: Clients;
const cspViolations: string[] = [];
/** The panel (a labelled section) whose heading is `name`. */
const panel = (name: string) => page.getByRole('region', { name, exact: true });
const row = (table: string, name: string) =>
  page.getByTestId(table).getByRole('row').filter({ hasText: name });
const ruleNames = async () =>
  ((await root.v1.send(new DescribeReceiptRuleSetCommand({ RuleSetName: 'inbound' }))).Rules ?? []).map(
    (r) => r.Name,
  );

describe.skipIf(!hasChromium)('console: email receiving', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    ensureConsoleBuilt();
    dns = await startTestDnsServer();
    server = await startTestServer({ SESAME_DNS_SERVERS: dns.address });
    root = clientsFor(server, server.credentials);
    await verify(root.v1, 'inbound.example');
    browser = await launchBrowser();
    page = browser.page;
    await browser.context.addInitScript({
      content: `document.addEventListener('securitypolicyviolation', (e) =>
        console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI))`,
    });
    page.on('console', (m) => {
      if (m.text().includes('Content Security Policy')) cspViolations.push(m.text());
    });
    await signIn(page, server.endpoint, server.credentials, `arn:aws:iam::${ACCOUNT}:root`);
  }, 150_000);
  afterEach(() => {
    expect(cspViolations).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    server?.http.server.closeAllConnections();
    await server?.stop();
    await dns?.stop();
  });

  it('creates, activates, clones and deletes rule sets', async () => {
    await page.getByRole('link', { name: 'Email receiving', exact: true }).click();
    await page.getByText('No receipt rule set yet: mail is not received.').waitFor();
    await page.getByLabel('Rule set name').fill('inbound');
    await page.getByRole('button', { name: 'Create rule set' }).click();
    await expect.poll(() => row('rule-sets', 'inbound').textContent()).toContain('Inactive');
    await row('rule-sets', 'inbound').getByRole('button', { name: 'Activate inbound' }).click();
    await expect.poll(() => row('rule-sets', 'inbound').textContent()).toContain('Active');
    await row('rule-sets', 'inbound').getByRole('button', { name: 'Clone inbound' }).click();
    await expect.poll(() => row('rule-sets', 'inbound-copy').textContent()).toContain('Inactive');
    // SES refuses to delete the active set: its own words are shown.
    await row('rule-sets', 'inbound').getByRole('button', { name: 'Delete inbound' }).first().click();
    await expect
      .poll(() => panel('Receipt rule sets').getByRole('alert').textContent())
      .toBe('CannotDelete: Cannot delete active rule set: inbound');
    await row('rule-sets', 'inbound-copy').getByRole('button', { name: 'Delete inbound-copy' }).click();
    await expect.poll(() => page.getByTestId('rule-sets').getByRole('row').count()).toBe(2);
    await page.getByLabel('Rule set name').fill('bad name');
    await page.getByRole('button', { name: 'Create rule set' }).click();
    await expect
      .poll(() => panel('Receipt rule sets').getByRole('alert').textContent())
      .toContain("ValidationError: 1 validation error detected: Value at 'ruleSetName'");
    await browser.shot('receiving');
  });

  it("adds, reorders, disables and edits rules, showing SES's refusals", async () => {
    await row('rule-sets', 'inbound').getByRole('button', { name: 'Rules of inbound' }).click();
    await page.getByText('This rule set has no rules.').waitFor();
    const add = async (name: string, recipients: string, actions: string) => {
      await page.getByRole('button', { name: 'Add a rule' }).click();
      await page.getByLabel('Rule name').fill(name);
      await page.getByLabel(/^Recipients/).fill(recipients);
      await page.getByLabel(/^Actions/).fill(actions);
      await page.getByRole('button', { name: 'Create rule', exact: true }).click();
    };
    await add(
      'support',
      'support@inbound.example',
      '[{"AddHeaderAction": {"HeaderName": "X-Desk", "HeaderValue": "support"}}]',
    );
    await expect.poll(() => row('rules', 'support').textContent()).toContain('AddHeaderAction');
    await add('catch-all', '', '[{"StopAction": {"Scope": "RuleSet"}}]');
    await expect.poll(ruleNames).toEqual(['support', 'catch-all']);
    expect(await row('rules', 'catch-all').textContent()).toContain('all verified domains');

    await add('broken', 'not an address', '[]');
    await expect
      .poll(() => page.getByTestId('rules-panel').getByRole('alert').first().textContent())
      .toBe('InvalidParameterValue: Invalid recipient: not an address');
    await page.getByLabel(/^Recipients/).fill('ok@inbound.example');
    await page.getByLabel(/^Actions/).fill('[{"S3Action": ');
    await page.getByRole('button', { name: 'Create rule', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('rule-form').getByRole('alert').textContent())
      .toMatch(/^Actions are not JSON: /);
    await page.getByRole('button', { name: 'Cancel' }).click();

    await row('rules', 'catch-all').getByRole('button', { name: 'Move up catch-all' }).click();
    await expect.poll(ruleNames).toEqual(['catch-all', 'support']);
    await row('rules', 'catch-all').getByRole('button', { name: 'Disable catch-all' }).click();
    await expect.poll(() => row('rules', 'catch-all').textContent()).toContain('Disabled');
    await row('rules', 'support').getByRole('button', { name: 'Edit support' }).click();
    await page.getByLabel('TLS').selectOption('Require');
    await page.getByRole('button', { name: 'Save rule' }).click();
    await expect.poll(() => row('rules', 'support').textContent()).toContain('TLS required');
    await row('rules', 'support').getByRole('button', { name: 'Edit support' }).click();
    await page.getByLabel('TLS').selectOption('Optional');
    await page.getByRole('button', { name: 'Save rule' }).click();
    await expect.poll(() => row('rules', 'support').textContent()).toContain('TLS optional');
    await browser.shot('receiving-rules');
  });

  it('creates and deletes IP filters', async () => {
    await page.getByLabel('Filter name').fill('office');
    await page.getByLabel('IP address or CIDR range').fill('10.0.0.0/33');
    await page.getByRole('button', { name: 'Create filter' }).click();
    await expect
      .poll(() => panel('IP address filters').getByRole('alert').textContent())
      .toBe('InvalidParameterValue: Invalid CIDR block: 10.0.0.0/33');
    await page.getByLabel('IP address or CIDR range').fill('10.0.0.0/8');
    await page.getByRole('button', { name: 'Create filter' }).click();
    await expect.poll(() => row('filters', 'office').textContent()).toContain('Block10.0.0.0/8');
    expect((await root.v1.send(new ListReceiptFiltersCommand({}))).Filters).toEqual([
      { Name: 'office', IpFilter: { Policy: 'Block', Cidr: '10.0.0.0/8' } },
    ]);
    await row('filters', 'office').getByRole('button', { name: 'Delete filter office' }).click();
    await page.getByText('No IP filter.').waitFor();
  });

  it("shows a received message's verdicts and receipt actions in the mailbox timeline", async () => {
    const sent = await smtplibSend(server.inboundSmtp!, {
      from: 'alice@sender.example',
      to: ['support@inbound.example'],
      raw: plainMessage({
        from: 'alice@sender.example',
        to: 'support@inbound.example',
        subject: 'Help with my order',
      }),
    });
    expect(sent).toMatchObject({ ok: true, code: 250 });
    await page.getByRole('link', { name: 'Mailbox', exact: true }).click();
    await page.getByRole('option').filter({ hasText: 'Help with my order' }).click();
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await expect
      .poll(() => page.getByTestId('timeline').textContent())
      .toContain('support #1 AddHeaderAction: PublishSuccess');
    const text = await page.getByTestId('timeline').textContent();
    expect(text).toContain('MAIL FROM <alice@sender.example> for support@inbound.example (rule set inbound)');
    expect(await page.getByTestId('verdicts').textContent()).toBe(
      'Verdicts: Spf GRAY, Dkim GRAY, Dmarc GRAY',
    );
    expect(text).toContain('all receipt actions done');
    await browser.shot('mailbox-inbound-timeline');
  });
});
