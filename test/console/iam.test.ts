// The console's IAM pages and identity DKIM view end to end: users, groups, managed policies and
// their versions, roles with a trust policy, all through the linted policy editor; the SDK confirms
// what the console did. Screenshots: test-output/console/iam-*.png, identity-dkim, policy-editor-errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CreateEmailIdentityCommand, GetEmailIdentityCommand } from '@aws-sdk/client-sesv2';
import {
  GetGroupCommand,
  GetPolicyCommand,
  GetRoleCommand,
  DeleteUserCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAccessKeysCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  ListAttachedGroupPoliciesCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  PutUserPolicyCommand,
  UpdateRoleCommand,
} from '@aws-sdk/client-iam';
import { startTestServer, ACCOUNT, type TestServer } from '../support/server.js';
import { clientsFor, errorOf, userWithPolicy, type Clients } from '../support/ses-fixtures.js';
import { smtpPasswordV4 } from '../../src/auth/smtp-password.js';
import { hasChromium, launchBrowser, signIn, type Browser } from '../support/console.js';

let server: TestServer;
let browser: Browser;
let page: Page;
let root: Clients;
const shot = (name: string) => browser.shot(name);
const rootArn = `arn:aws:iam::${ACCOUNT}:root`;

const noResource = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "ses:SendEmail"
    }
  ]
}`;
const sendAnywhere = (action = 'ses:SendEmail') =>
  JSON.stringify(
    { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] },
    null,
    2,
  );

/** The texts of the editor's findings, e.g. `✖ 4:5 Policy statement must contain resources.` */
const findings = () => page.getByTestId('lint-finding').allTextContents();
const statusText = () => page.getByRole('status').allTextContents();
/** The Query-protocol (IAM, STS) calls the page has made, as `Action` or `Action VersionId`. */
const calls: string[] = [];
const queryCall = (body: string | null): string | undefined => {
  const q = new URLSearchParams(body ?? '');
  const action = q.get('Action');
  return action ? [action, q.get('VersionId')].filter(Boolean).join(' ') : undefined;
};
let inFlight = 0;
let lastActivity = 0;
/** Resolves once no request has been open or started for half a second (at most 10 s). */
const quiet = async () => {
  const until = Date.now() + 10_000;
  while (inFlight > 0 || Date.now() - lastActivity < 500) {
    if (Date.now() > until) throw new Error(`the page is still busy (${inFlight} requests open)`);
    await new Promise((r) => setTimeout(r, 50));
  }
};
/** The calls made from now until the page has been quiet for half a second. */
const callsDuring = async (act: () => Promise<void>): Promise<string[]> => {
  const from = calls.length;
  await act();
  await quiet();
  return calls.slice(from);
};

describe.skipIf(!hasChromium)('console IAM pages', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    server = await startTestServer();
    root = clientsFor(server, server.credentials);
    browser = await launchBrowser();
    page = browser.page;
    page.on('dialog', (d) => void d.accept()); // delete confirmations
    page.on('request', (r) => {
      inFlight++;
      lastActivity = Date.now();
      const c = queryCall(r.method() === 'POST' ? r.postData() : null);
      if (c) calls.push(c);
    });
    const settled = () => {
      inFlight--;
      lastActivity = Date.now();
    };
    page.on('requestfinished', settled);
    page.on('requestfailed', settled);
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    server?.http.server.closeAllConnections();
    await server?.stop();
  });

  it('creates a user with a linted inline policy, a group, a managed policy with two versions and a role', async () => {
    await signIn(page, server.endpoint, server.credentials, rootArn);

    // Users: create one; its detail panel opens.
    await page.getByRole('link', { name: 'IAM users' }).click();
    await page.getByText('No IAM users yet.').waitFor();
    await page.getByLabel('User name').fill('iam-bob');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('heading', { name: 'User iam-bob' }).waitFor();
    await page.getByText('No inline policies.').waitFor();

    // Inline policy: a statement without Resource is found as you type; Save stays disabled.
    const save = page.getByRole('button', { name: 'Save inline policy' });
    await page.getByLabel('Policy name').fill('send-only');
    await page.getByLabel('Policy document (JSON)').fill(noResource);
    await expect.poll(findings).toEqual(['✖ 4:5 Policy statement must contain resources.']);
    expect(await page.getByTestId('lint-summary').textContent()).toBe('1 error.');
    expect(await page.getByTestId('lint-summary').getAttribute('aria-live')).toBe('polite');
    expect(await save.isDisabled()).toBe(true);
    // Clicking the finding puts the caret on its line and column.
    await page.getByTestId('lint-finding').getByRole('button').click();
    // (a string: the test's tsconfig has no DOM types)
    const caret = await page.evaluate(`(() => {
      const el = document.activeElement;
      return { tag: el.tagName, at: el.selectionStart, line: el.value.slice(0, el.selectionStart).split('\\n').length };
    })()`);
    expect(caret).toEqual({ tag: 'TEXTAREA', at: noResource.indexOf('{\n      "Effect"'), line: 4 });
    await shot('policy-editor-errors');

    // The server stays the authority: a name IAM refuses comes back in AWS's words.
    const refused = await errorOf(
      root.iam.send(
        new PutUserPolicyCommand({
          UserName: 'iam-bob',
          PolicyName: 'bad name',
          PolicyDocument: sendAnywhere(),
        }),
      ),
    );
    await page.getByLabel('Policy document (JSON)').fill(sendAnywhere());
    await page.getByLabel('Policy name').fill('bad name');
    await expect.poll(() => page.getByTestId('lint-summary').textContent()).toBe('No problems found.');
    expect(await findings()).toEqual([]);
    await save.click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe(`${refused.name}: ${refused.message}`);
    expect(refused.name).toBe('ValidationError');

    // A valid one saves, and IAM has it.
    await page.getByLabel('Policy name').fill('send-only');
    await save.click();
    await expect.poll(statusText).toEqual(['Saved inline policy send-only.']);
    await page.getByRole('button', { name: 'Edit inline policy send-only' }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    expect((await root.iam.send(new ListUserPoliciesCommand({ UserName: 'iam-bob' }))).PolicyNames).toEqual([
      'send-only',
    ]);
    const stored = await root.iam.send(
      new GetUserPolicyCommand({ UserName: 'iam-bob', PolicyName: 'send-only' }),
    );
    expect(JSON.parse(decodeURIComponent(stored.PolicyDocument ?? ''))).toEqual(JSON.parse(sendAnywhere()));
    await shot('iam-users');

    // Groups: create one and add the user.
    await page.getByRole('link', { name: 'IAM groups' }).click();
    await page.getByText('No IAM groups yet.').waitFor();
    await page.getByLabel('Group name').fill('senders');
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('heading', { name: 'Group senders' }).waitFor();
    await page.getByText('No members.').waitFor();
    await page.getByLabel('Add member').selectOption('iam-bob');
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.getByRole('button', { name: 'Remove iam-bob' }).waitFor();
    expect(
      (await root.iam.send(new GetGroupCommand({ GroupName: 'senders' }))).Users?.map((u) => u.UserName),
    ).toEqual(['iam-bob']);

    // Managed policy: create it (v1).
    await page.getByRole('link', { name: 'IAM policies' }).click();
    await page.getByText('No customer managed policies yet.').waitFor();
    await page.getByLabel('Policy name').fill('send-managed');
    await page.getByLabel('Policy document (JSON)').fill(sendAnywhere());
    await page.getByRole('button', { name: 'Create policy' }).click();
    await expect.poll(statusText).toEqual(['Created policy send-managed.']);
    const policyArn = `arn:aws:iam::${ACCOUNT}:policy/send-managed`;
    await page.getByRole('heading', { name: 'Policy send-managed' }).waitFor();
    expect(await page.getByTestId('attachment-count').textContent()).toBe('0');

    // ...attach it to the group.
    await page.getByRole('link', { name: 'IAM groups' }).click();
    await page.getByRole('link', { name: 'senders', exact: true }).click();
    await page.getByLabel('Managed policy ARN').fill(policyArn);
    await page.getByRole('button', { name: 'Attach policy' }).click();
    await page.getByRole('button', { name: 'Detach send-managed' }).waitFor();
    expect(
      (await root.iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'senders' }))).AttachedPolicies,
    ).toEqual([{ PolicyName: 'send-managed', PolicyArn: policyArn }]);
    await shot('iam-groups');

    // ...a second version, not default at first, then made default.
    await page.getByRole('link', { name: 'IAM policies' }).click();
    await expect.poll(() => page.getByTestId('attachment-count').textContent()).toBe('1');
    // Opening it reads the default version's document once (the form starts from it).
    const opened = await callsDuring(async () => {
      await page.getByRole('link', { name: 'send-managed', exact: true }).click();
      await expect.poll(() => page.getByTestId('policy-entities').textContent()).toBe('Group senders');
      await page.getByTestId('policy-version').first().waitFor();
      await expect.poll(() => page.getByLabel('New version document (JSON)').inputValue()).not.toBe('');
    });
    expect(opened.filter((c) => c.startsWith('GetPolicy'))).toEqual(['GetPolicyVersion v1']);
    expect(JSON.parse(await page.getByLabel('New version document (JSON)').inputValue())).toEqual(
      JSON.parse(sendAnywhere()),
    );
    await page.getByLabel('New version document (JSON)').fill(sendAnywhere('ses:SendRawEmail'));
    await page.getByLabel('Set as default version').uncheck();
    await page.getByRole('button', { name: 'Create version' }).click();
    await expect.poll(statusText).toEqual(['Created version v2.']);
    expect(
      (await root.iam.send(new GetPolicyCommand({ PolicyArn: policyArn }))).Policy?.DefaultVersionId,
    ).toBe('v1');
    await page.getByRole('button', { name: 'Set v2 as default' }).click();
    await expect.poll(() => page.getByTestId('default-version').textContent()).toBe('v2');
    expect(
      (await root.iam.send(new GetPolicyCommand({ PolicyArn: policyArn }))).Policy?.DefaultVersionId,
    ).toBe('v2');
    await page.getByRole('button', { name: 'View v2' }).click();
    expect(JSON.parse((await page.getByTestId('version-document').textContent()) ?? '')).toEqual(
      JSON.parse(sendAnywhere('ses:SendRawEmail')),
    );
    expect(await page.getByTestId('policy-version').allTextContents()).toHaveLength(2);
    await shot('iam-policies');

    // Roles: a trust policy whose action is not an STS one is found live; the template creates.
    // The trust template's account is the signed-in one the console already knows: no STS call.
    const rolesPage = await callsDuring(async () => {
      await page.getByRole('link', { name: 'IAM roles' }).click();
      await page.getByText('No IAM roles yet.').waitFor();
    });
    expect(rolesPage).toEqual(['ListRoles']);
    await page.getByText('Create a role').click();
    await page.getByLabel('Role name').fill('sender-role');
    const trust = page.getByLabel('Trust policy (JSON)');
    const template = await trust.inputValue();
    expect(JSON.parse(template)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: rootArn }, Action: 'sts:AssumeRole' }],
    });
    await trust.fill(template.replace('sts:AssumeRole', 'ses:SendEmail'));
    await expect
      .poll(findings)
      .toEqual([
        '✖ 9:7 Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity',
      ]);
    expect(await page.getByRole('button', { name: 'Create role' }).isDisabled()).toBe(true);
    await trust.fill(template);
    await page.getByLabel('Maximum session duration (seconds)').fill('7200');
    await page.getByRole('button', { name: 'Create role' }).click();
    await expect.poll(statusText).toEqual(['Created role sender-role.']);
    await page.getByRole('heading', { name: 'Role sender-role' }).waitFor();
    const role = (await root.iam.send(new GetRoleCommand({ RoleName: 'sender-role' }))).Role;
    expect(role?.MaxSessionDuration).toBe(7200);
    expect(JSON.parse(decodeURIComponent(role?.AssumeRolePolicyDocument ?? ''))).toEqual(
      JSON.parse(template),
    );
    expect(await page.getByRole('cell', { name: '7200 s' }).count()).toBe(1);
    await shot('iam-roles');

    // Identities: a domain's Easy DKIM tokens as the three CNAME records.
    await root.v2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'dkim.example' }));
    const tokens = (await root.v2.send(new GetEmailIdentityCommand({ EmailIdentity: 'dkim.example' })))
      .DkimAttributes?.Tokens;
    expect(tokens).toHaveLength(3);
    await page.getByRole('link', { name: 'Identities' }).click();
    await page.getByRole('button', { name: 'DKIM of dkim.example' }).click();
    await expect
      .poll(() => page.getByTestId('dkim-records').textContent())
      .toBe(tokens!.map((t) => `${t}._domainkey.dkim.example CNAME ${t}.dkim.amazonses.com`).join('\n'));
    expect(await page.getByTestId('dkim-status').textContent()).toBe('SUCCESS');
    expect(await page.getByTestId('dkim-signing').textContent()).toBe('enabled');
    await shot('identity-dkim');

    // Narrow screens: nothing of the page is wider than 400 px, except a table scrolling inside its
    // own box (and the shared header, which is not this page's).
    await page.setViewportSize({ width: 400, height: 800 });
    await page.getByRole('link', { name: 'IAM users' }).click();
    await page.getByRole('link', { name: 'iam-bob', exact: true }).waitFor();
    expect(
      await page.evaluate(`[...document.querySelectorAll('body *')]
        .filter((e) => !e.closest('header, .table-scroll > *') && e.getBoundingClientRect().right > 400)
        .map((e) => e.tagName + '.' + e.className + ':' + Math.round(e.getBoundingClientRect().right))`),
    ).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  });

  it('manages access keys, the permissions boundary, and deletes a user only once it is empty', async () => {
    const policyArn = `arn:aws:iam::${ACCOUNT}:policy/send-managed`;
    await signIn(page, server.endpoint, server.credentials, rootArn);
    await page.getByRole('link', { name: 'IAM users' }).click();
    await page.getByRole('link', { name: 'iam-bob', exact: true }).click();
    await page.getByText('No access keys.').waitFor();

    // A new key: the secret and the SMTP password of a chosen region are shown once.
    await page.getByRole('button', { name: 'Create access key', exact: true }).click();
    const keyId = (await page.getByTestId('new-access-key-id').textContent()) ?? '';
    const secret = (await page.getByTestId('new-secret-access-key').textContent()) ?? '';
    expect(keyId).toMatch(/^AKIA[A-Z0-9]{16}$/);
    await page.getByLabel('SMTP region').fill('eu-central-1');
    await page.getByRole('button', { name: 'Show SMTP password' }).click();
    expect(await page.getByTestId('smtp-password').textContent()).toBe(
      smtpPasswordV4(secret, 'eu-central-1'),
    );
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.getByTestId('new-secret-access-key').count()).toBe(0);
    expect(await page.getByTestId('access-key').textContent()).toContain(`${keyId}Active`);

    const keyStatus = async () =>
      (await root.iam.send(new ListAccessKeysCommand({ UserName: 'iam-bob' }))).AccessKeyMetadata?.map(
        (k) => `${k.AccessKeyId} ${k.Status}`,
      );
    await page.getByRole('button', { name: `Deactivate ${keyId}` }).click();
    await page.getByRole('button', { name: `Activate ${keyId}` }).waitFor();
    expect(await keyStatus()).toEqual([`${keyId} Inactive`]);
    await page.getByRole('button', { name: `Activate ${keyId}` }).click();
    await page.getByRole('button', { name: `Deactivate ${keyId}` }).waitFor();
    expect(await keyStatus()).toEqual([`${keyId} Active`]);
    await page.getByRole('button', { name: `Delete key ${keyId}` }).click();
    await page.getByText('No access keys.').waitFor();
    expect(await keyStatus()).toEqual([]);

    // Permissions boundary: set, seen by IAM, removed.
    await page.getByLabel('Boundary policy ARN').fill(policyArn);
    await page.getByRole('button', { name: 'Set boundary' }).click();
    await expect.poll(() => page.getByTestId('boundary-arn').textContent()).toBe(policyArn);
    expect(
      (await root.iam.send(new GetUserCommand({ UserName: 'iam-bob' }))).User?.PermissionsBoundary
        ?.PermissionsBoundaryArn,
    ).toBe(policyArn);
    await page.getByRole('button', { name: 'Remove boundary' }).click();
    await page.getByText('No permissions boundary.').waitFor();
    expect((await root.iam.send(new GetUserCommand({ UserName: 'iam-bob' }))).User?.PermissionsBoundary).toBe(
      undefined,
    );

    // Deleting a user that still has a policy and a group: IAM's DeleteConflict, in its words.
    const conflict = await errorOf(root.iam.send(new DeleteUserCommand({ UserName: 'iam-bob' })));
    expect(conflict.name).toBe('DeleteConflictException');
    await page.getByRole('button', { name: 'Delete user iam-bob' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe(`DeleteConflict: ${conflict.message}`);
    await page.getByRole('button', { name: 'Remove from senders' }).click();
    await page.getByText('Not in any group.').waitFor();
    await page.getByRole('button', { name: 'Delete inline policy send-only' }).click();
    await page.getByText('No inline policies.').waitFor();
    await page.getByRole('button', { name: 'Delete user iam-bob' }).click();
    await page.getByText('No IAM users yet.').waitFor();
    expect(await page.getByRole('heading', { name: 'User iam-bob' }).count()).toBe(0);
    expect((await root.iam.send(new ListUsersCommand({}))).Users).toEqual([]);
    await page.getByRole('button', { name: 'Sign out' }).click();
  });

  it('updates a role (trust policy, session duration) and deletes the role, group, version and policy', async () => {
    const policyArn = `arn:aws:iam::${ACCOUNT}:policy/send-managed`;
    await signIn(page, server.endpoint, server.credentials, rootArn);
    await page.getByRole('link', { name: 'IAM roles' }).click();
    await page.getByRole('link', { name: 'sender-role', exact: true }).click();

    // Trust policy: a statement without Principal is found live; a service principal saves.
    const trustBox = page.getByRole('region', { name: 'Trust policy of sender-role' });
    const trust = trustBox.getByLabel('Trust policy (JSON)');
    await trust.fill('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}');
    await expect
      .poll(() => trustBox.getByTestId('lint-finding').allTextContents())
      .toEqual(['✖ 1:38 Missing required field Principal.']);
    expect(await trustBox.getByRole('button', { name: 'Update trust policy' }).isDisabled()).toBe(true);
    const byService = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ses.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    };
    await trust.fill(JSON.stringify(byService));
    await trustBox.getByRole('button', { name: 'Update trust policy' }).click();
    await expect.poll(() => trustBox.getByRole('status').textContent()).toBe('Trust policy updated.');
    const role = async () => (await root.iam.send(new GetRoleCommand({ RoleName: 'sender-role' }))).Role;
    expect(JSON.parse(decodeURIComponent((await role())?.AssumeRolePolicyDocument ?? ''))).toEqual(byService);

    // Session duration: IAM's refusal in its words, then a valid value.
    const tooShort = await errorOf(
      root.iam.send(new UpdateRoleCommand({ RoleName: 'sender-role', MaxSessionDuration: 100 })),
    );
    await page.getByLabel('Seconds (3600–43200)').fill('100');
    await page.getByRole('button', { name: 'Update duration' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe(`${tooShort.name}: ${tooShort.message}`);
    await page.getByLabel('Seconds (3600–43200)').fill('10800');
    await page.getByRole('button', { name: 'Update duration' }).click();
    await page.getByRole('cell', { name: '10800 s' }).waitFor();
    expect((await role())?.MaxSessionDuration).toBe(10800);
    await page.getByRole('button', { name: 'Delete role sender-role' }).click();
    await page.getByText('No IAM roles yet.').waitFor();

    // Detach the managed policy from the group, delete the group.
    await page.getByRole('link', { name: 'IAM groups' }).click();
    await page.getByRole('link', { name: 'senders', exact: true }).click();
    await page.getByRole('button', { name: 'Detach send-managed' }).click();
    await page.getByText('No managed policies attached.').waitFor();
    expect(
      (await root.iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'senders' }))).AttachedPolicies,
    ).toEqual([]);
    await page.getByRole('button', { name: 'Delete group senders' }).click();
    await page.getByText('No IAM groups yet.').waitFor();

    // Delete the old version, then the policy.
    await page.getByRole('link', { name: 'IAM policies' }).click();
    await page.getByRole('link', { name: 'send-managed', exact: true }).click();
    await page.getByText('Not attached to any user, group or role.').waitFor();
    await page.getByRole('button', { name: 'Delete v1' }).click();
    await expect.poll(() => page.getByTestId('policy-version').count()).toBe(1);
    expect(
      (await root.iam.send(new ListPolicyVersionsCommand({ PolicyArn: policyArn }))).Versions?.map(
        (v) => v.VersionId,
      ),
    ).toEqual(['v2']);
    await page.getByRole('button', { name: 'Delete policy send-managed' }).click();
    await page.getByText('No customer managed policies yet.').waitFor();
    expect((await root.iam.send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies).toEqual([]);
    await page.getByRole('button', { name: 'Sign out' }).click();
  });

  it("shows AWS's AccessDenied text to an IAM user without iam:ListUsers", async () => {
    const user = await userWithPolicy(root, undefined, 'no-list');
    const denied = await errorOf(clientsFor(server, user.creds).iam.send(new ListUsersCommand({})));
    const text =
      `AccessDenied: User: arn:aws:iam::${ACCOUNT}:user/no-list is not authorized to perform: iam:ListUsers ` +
      `on resource: arn:aws:iam::${ACCOUNT}:user/ because no identity-based policy allows the iam:ListUsers action`;
    expect(`${denied.name}: ${denied.message}`).toBe(text);
    await signIn(page, server.endpoint, user.creds, user.arn);
    await page.getByRole('link', { name: 'IAM users' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe(text);
    expect(await page.getByText('No IAM users yet.').count()).toBe(0);
    await page.getByRole('button', { name: 'Sign out' }).click();
  });
});
