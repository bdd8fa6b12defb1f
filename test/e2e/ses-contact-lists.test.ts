// SES v2 contact lists and contacts end to end through @aws-sdk/client-sesv2, boto3 and the aws CLI:
// AWS's shapes, limits and texts, the one-list limit, preference merging, filters and paging, tags,
// and authorization on the contact-list ARN for an IAM user (with aws:ResourceTag conditions).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateContactCommand,
  CreateContactListCommand,
  DeleteContactCommand,
  DeleteContactListCommand,
  GetContactCommand,
  GetContactListCommand,
  ListContactListsCommand,
  ListContactsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UpdateContactCommand,
  UpdateContactListCommand,
  type Topic,
} from '@aws-sdk/client-sesv2';
import { testDialects } from '../../src/store/database.js';
import { runAwsCli } from '../support/aws-cli.js';
import { runBoto3 } from '../support/boto3.js';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import { clientsFor, errorOf, policyDoc, userWithPolicy, type Clients } from '../support/ses-fixtures.js';

const LIST_ARN = `arn:aws:ses:us-east-1:${ACCOUNT}:contact-list/news`;
const topic = (TopicName: string, DefaultSubscriptionStatus: 'OPT_IN' | 'OPT_OUT', extra = {}): Topic => ({
  TopicName,
  DisplayName: `${TopicName} display`,
  DefaultSubscriptionStatus,
  ...extra,
});
const bad = (message: string) => ({ name: 'BadRequestException', status: 400, message });
const notFound = (message: string) => ({ name: 'NotFoundException', status: 404, message });

describe.each(testDialects())('SES v2 contact lists (%s)', (dialect) => {
  let server: TestServer;
  let root: Clients;
  beforeAll(async () => {
    server = await startTestServer({}, dialect);
    root = clientsFor(server, server.credentials);
  });
  afterAll(async () => server?.stop());

  it('creates one list per account and region, reads, replaces and deletes it', async () => {
    const v2 = root.v2;
    expect(await errorOf(v2.send(new GetContactListCommand({ ContactListName: 'news' })))).toEqual(
      notFound("List with name: news doesn't exist."),
    );
    await v2.send(
      new CreateContactListCommand({
        ContactListName: 'news',
        Description: 'Our news',
        Topics: [topic('sports', 'OPT_IN', { Description: 'All sports' }), topic('deals', 'OPT_OUT')],
        Tags: [{ Key: 'team', Value: 'mail' }],
      }),
    );
    // A second list, whatever its name, is refused; another region has its own.
    expect(await errorOf(v2.send(new CreateContactListCommand({ ContactListName: 'other' })))).toEqual(
      bad('A maximum of 1 Lists allowed per account.'),
    );
    expect(await errorOf(v2.send(new CreateContactListCommand({ ContactListName: 'news' })))).toEqual(
      bad('A maximum of 1 Lists allowed per account.'),
    );
    const west = clientsFor(server, server.credentials, 'us-west-2');
    await west.v2.send(new CreateContactListCommand({ ContactListName: 'other' }));
    expect(
      (await west.v2.send(new ListContactListsCommand({}))).ContactLists?.map((l) => l.ContactListName),
    ).toEqual(['other']);

    const got = await v2.send(new GetContactListCommand({ ContactListName: 'news' }));
    expect(got).toMatchObject({
      ContactListName: 'news',
      Description: 'Our news',
      Topics: [topic('sports', 'OPT_IN', { Description: 'All sports' }), topic('deals', 'OPT_OUT')],
      Tags: [{ Key: 'team', Value: 'mail' }],
    });
    expect(got.CreatedTimestamp).toBeInstanceOf(Date);
    const listed = await v2.send(new ListContactListsCommand({}));
    expect(listed.ContactLists).toEqual([
      { ContactListName: 'news', LastUpdatedTimestamp: got.LastUpdatedTimestamp },
    ]);

    // A complete replacement: what is left out is gone.
    await v2.send(
      new UpdateContactListCommand({ ContactListName: 'news', Topics: [topic('deals', 'OPT_IN')] }),
    );
    const replaced = await v2.send(new GetContactListCommand({ ContactListName: 'news' }));
    expect(replaced.Description).toBeUndefined();
    expect(replaced.Topics).toEqual([topic('deals', 'OPT_IN')]);
    expect(await errorOf(v2.send(new UpdateContactListCommand({ ContactListName: 'nope' })))).toEqual(
      notFound("List with name: nope doesn't exist."),
    );

    // Deleting the list deletes its contacts.
    await v2.send(new CreateContactCommand({ ContactListName: 'news', EmailAddress: 'ann@example.com' }));
    await v2.send(new DeleteContactListCommand({ ContactListName: 'news' }));
    await v2.send(
      new CreateContactListCommand({ ContactListName: 'news', Topics: [topic('deals', 'OPT_IN')] }),
    );
    expect((await v2.send(new ListContactsCommand({ ContactListName: 'news' }))).Contacts).toEqual([]);
  });

  it('refuses bad names, descriptions and topics in AWS words, and stores nothing', async () => {
    const west = clientsFor(server, server.credentials, 'eu-west-1');
    const create = (input: object) =>
      errorOf(west.v2.send(new CreateContactListCommand({ ContactListName: 'x', ...input })));
    expect(await create({ ContactListName: 'bad name' })).toEqual(
      bad(
        'ContactListName can contain up to 64 characters. Only alphanumeric characters, underscores(_) and hyphens(-) are allowed.',
      ),
    );
    expect(await create({ Description: 'd'.repeat(501) })).toEqual(
      bad('List description can contain up to 500 characters.'),
    );
    const many = Array.from({ length: 21 }, (_, i) => topic(`t${i}`, 'OPT_IN'));
    expect(await create({ Topics: many })).toEqual(bad('Maximum of <20> topics allowed per ContactList'));
    expect(await create({ Topics: [topic('a', 'OPT_IN'), topic('a', 'OPT_OUT')] })).toEqual(
      bad('Duplicate topic names are not allowed within a List.'),
    );
    expect(await create({ Topics: [topic('a b', 'OPT_IN')] })).toEqual(
      bad(
        'TopicName can contain up to 64 characters. Only alphanumeric characters, underscores(_) and hyphens(-) are allowed.',
      ),
    );
    expect(await create({ Topics: [{ ...topic('a', 'OPT_IN'), DisplayName: 'd'.repeat(129) }] })).toEqual(
      bad('Topic DisplayName can contain up to <128> characters.'),
    );
    expect((await west.v2.send(new ListContactListsCommand({}))).ContactLists).toEqual([]);
  });

  it('keeps contacts: defaults, merged preferences, replaced flags, AWS errors', async () => {
    const v2 = root.v2;
    await v2.send(new DeleteContactListCommand({ ContactListName: 'news' })).catch(() => undefined);
    await v2.send(
      new CreateContactListCommand({
        ContactListName: 'news',
        Topics: [topic('sports', 'OPT_IN'), topic('deals', 'OPT_OUT')],
      }),
    );
    const key = { ContactListName: 'news', EmailAddress: 'ann@example.com' };
    await v2.send(
      new CreateContactCommand({
        ...key,
        TopicPreferences: [{ TopicName: 'deals', SubscriptionStatus: 'OPT_IN' }],
        AttributesData: '{"name":"Ann"}',
      }),
    );
    expect(await errorOf(v2.send(new CreateContactCommand(key)))).toEqual({
      name: 'AlreadyExistsException',
      status: 400,
      message: 'ann@example.com already exists in List.',
    });
    const c = await v2.send(new GetContactCommand(key));
    expect(c).toMatchObject({
      ContactListName: 'news',
      EmailAddress: 'ann@example.com',
      TopicPreferences: [{ TopicName: 'deals', SubscriptionStatus: 'OPT_IN' }],
      TopicDefaultPreferences: [{ TopicName: 'sports', SubscriptionStatus: 'OPT_IN' }],
      UnsubscribeAll: false,
      AttributesData: '{"name":"Ann"}',
    });

    // Preferences merge by topic; UnsubscribeAll and AttributesData left out are reset.
    await v2.send(
      new UpdateContactCommand({
        ...key,
        TopicPreferences: [{ TopicName: 'sports', SubscriptionStatus: 'OPT_OUT' }],
      }),
    );
    const updated = await v2.send(new GetContactCommand(key));
    expect(updated.TopicPreferences).toEqual([
      { TopicName: 'deals', SubscriptionStatus: 'OPT_IN' },
      { TopicName: 'sports', SubscriptionStatus: 'OPT_OUT' },
    ]);
    expect(updated.TopicDefaultPreferences).toEqual([]);
    expect(updated.AttributesData).toBeUndefined();
    await v2.send(new UpdateContactCommand({ ...key, UnsubscribeAll: true }));
    expect((await v2.send(new GetContactCommand(key))).UnsubscribeAll).toBe(true);

    expect(
      await errorOf(
        v2.send(
          new CreateContactCommand({
            ...key,
            EmailAddress: 'bo@example.com',
            TopicPreferences: [{ TopicName: 'golf', SubscriptionStatus: 'OPT_IN' }],
          }),
        ),
      ),
    ).toEqual(bad("List: news doesn't contain Topic: golf"));
    expect(await errorOf(v2.send(new GetContactCommand({ ...key, EmailAddress: 'no@example.com' })))).toEqual(
      notFound("no@example.com doesn't exist in List."),
    );
    expect(await errorOf(v2.send(new GetContactCommand({ ...key, EmailAddress: 'not-an-address' })))).toEqual(
      bad('EmailAddress <not-an-address> is invalid'),
    );
    expect(
      await errorOf(v2.send(new DeleteContactCommand({ ContactListName: 'gone', EmailAddress: 'a@b.com' }))),
    ).toEqual(notFound("List with name: gone doesn't exist."));
    await v2.send(new DeleteContactCommand(key));
    expect(await errorOf(v2.send(new DeleteContactCommand(key)))).toEqual(
      notFound("ann@example.com doesn't exist in List."),
    );
  });

  it('lists contacts by topic status and pages them', async () => {
    const v2 = root.v2;
    const add = (email: string, extra = {}) =>
      v2.send(new CreateContactCommand({ ContactListName: 'news', EmailAddress: email, ...extra }));
    await add('a@example.com', { TopicPreferences: [{ TopicName: 'deals', SubscriptionStatus: 'OPT_IN' }] });
    await add('b@example.com');
    await add('c@example.com', { UnsubscribeAll: true });
    await add('d@example.com', {
      TopicPreferences: [{ TopicName: 'sports', SubscriptionStatus: 'OPT_OUT' }],
    });
    const emails = async (Filter?: object) =>
      (await v2.send(new ListContactsCommand({ ContactListName: 'news', Filter }))).Contacts?.map(
        (c) => c.EmailAddress,
      );
    expect(await emails()).toEqual(['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com']);
    expect(await emails({ FilteredStatus: 'OPT_OUT' })).toEqual(['c@example.com']);
    expect(await emails({ FilteredStatus: 'OPT_IN', TopicFilter: { TopicName: 'deals' } })).toEqual([
      'a@example.com',
    ]);
    expect(
      await emails({
        FilteredStatus: 'OPT_IN',
        TopicFilter: { TopicName: 'sports', UseDefaultIfPreferenceUnavailable: true },
      }),
    ).toEqual(['a@example.com', 'b@example.com']);
    expect(await emails({ TopicFilter: { TopicName: 'sports' } })).toEqual(['d@example.com']);

    const first = await v2.send(new ListContactsCommand({ ContactListName: 'news', PageSize: 3 }));
    expect(first.Contacts?.map((c) => c.EmailAddress)).toEqual([
      'a@example.com',
      'b@example.com',
      'c@example.com',
    ]);
    const second = await v2.send(
      new ListContactsCommand({ ContactListName: 'news', PageSize: 3, NextToken: first.NextToken }),
    );
    expect(second.Contacts?.map((c) => c.EmailAddress)).toEqual(['d@example.com']);
    expect(second.NextToken).toBeUndefined();
    expect(second.Contacts?.[0]).toMatchObject({
      TopicPreferences: [{ TopicName: 'sports', SubscriptionStatus: 'OPT_OUT' }],
      TopicDefaultPreferences: [{ TopicName: 'deals', SubscriptionStatus: 'OPT_OUT' }],
      UnsubscribeAll: false,
    });
  });

  it('serves boto3 and the aws CLI the same shapes', async () => {
    const out = (await runBoto3(
      server.endpoint,
      server.credentials,
      `c = client('sesv2')
r = c.list_contacts(ContactListName='news', Filter={'FilteredStatus': 'OPT_OUT'})
g = c.get_contact_list(ContactListName='news')
out({'contacts': [x['EmailAddress'] for x in r['Contacts']], 'topics': [t['TopicName'] for t in g['Topics']]})`,
    )) as { contacts: string[]; topics: string[] };
    expect(out).toEqual({ contacts: ['c@example.com'], topics: ['sports', 'deals'] });
    const cli = await runAwsCli(server.endpoint, server.credentials, [
      'sesv2',
      'get-contact',
      '--contact-list-name',
      'news',
      '--email-address',
      'a@example.com',
    ]);
    expect(cli.exitCode).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({
      EmailAddress: 'a@example.com',
      TopicPreferences: [{ TopicName: 'deals', SubscriptionStatus: 'OPT_IN' }],
    });
  });

  it('tags the list and authorizes users on its ARN with its tags', async () => {
    await root.v2.send(
      new TagResourceCommand({ ResourceArn: LIST_ARN, Tags: [{ Key: 'stage', Value: 'prod' }] }),
    );
    // The list was created again without tags in an earlier test.
    expect((await root.v2.send(new ListTagsForResourceCommand({ ResourceArn: LIST_ARN }))).Tags).toEqual([
      { Key: 'stage', Value: 'prod' },
    ]);
    const user = await userWithPolicy(
      root,
      policyDoc({
        Effect: 'Allow',
        Action: ['ses:GetContact', 'ses:ListContacts'],
        Resource: LIST_ARN,
        Condition: { StringEquals: { 'aws:ResourceTag/stage': 'prod' } },
      }),
    );
    const u = clientsFor(server, user.creds);
    expect(
      (await u.v2.send(new GetContactCommand({ ContactListName: 'news', EmailAddress: 'a@example.com' })))
        .EmailAddress,
    ).toBe('a@example.com');
    expect(
      await errorOf(
        u.v2.send(new CreateContactCommand({ ContactListName: 'news', EmailAddress: 'z@example.com' })),
      ),
    ).toEqual({
      name: 'AccessDeniedException',
      status: 403,
      message: `User: ${user.arn} is not authorized to perform: ses:CreateContact on resource: ${LIST_ARN} because no identity-based policy allows the ses:CreateContact action`,
    });
    await root.v2.send(
      new TagResourceCommand({ ResourceArn: LIST_ARN, Tags: [{ Key: 'stage', Value: 'dev' }] }),
    );
    expect((await errorOf(u.v2.send(new ListContactsCommand({ ContactListName: 'news' })))).name).toBe(
      'AccessDeniedException',
    );
    expect((await root.v2.send(new ListContactsCommand({ ContactListName: 'news' }))).Contacts).toHaveLength(
      4,
    );
  });
});
