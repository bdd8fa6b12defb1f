// The authorization each list-management, custom-verification, DKIM-signing and insights operation
// declares (SAR: the action's resource type, `*` where it names none): one check per resource.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationTable } from '../../api/operation.js';
import { openTestStore, type Store } from '../../store/database.js';
import { testContext } from '../test-context.js';
import { sesV1Operations } from '../v1/index.js';
import { sesV2Operations } from './index.js';

const A = '111111111111';
const arn = (r: string) => `arn:aws:ses:us-east-1:${A}:${r}`;
const LIST = arn('contact-list/news');
const CVET = arn('custom-verification-email-template/welcome');

const cases: [OperationTable, string, Record<string, unknown>, string[]][] = [
  [sesV2Operations, 'CreateContactList', { ContactListName: 'news' }, [LIST]],
  [sesV2Operations, 'GetContactList', { ContactListName: 'news' }, [LIST]],
  [sesV2Operations, 'UpdateContactList', { ContactListName: 'news' }, [LIST]],
  [sesV2Operations, 'DeleteContactList', { ContactListName: 'news' }, [LIST]],
  [sesV2Operations, 'ListContactLists', {}, ['*']],
  [sesV2Operations, 'CreateContact', { ContactListName: 'news', EmailAddress: 'a@b.com' }, [LIST]],
  [sesV2Operations, 'GetContact', { ContactListName: 'news', EmailAddress: 'a@b.com' }, [LIST]],
  [sesV2Operations, 'UpdateContact', { ContactListName: 'news', EmailAddress: 'a@b.com' }, [LIST]],
  [sesV2Operations, 'DeleteContact', { ContactListName: 'news', EmailAddress: 'a@b.com' }, [LIST]],
  [sesV2Operations, 'ListContacts', { ContactListName: 'news' }, [LIST]],
  [
    sesV2Operations,
    'PutEmailIdentityDkimSigningAttributes',
    { EmailIdentity: 'Example.COM' },
    [arn('identity/example.com')],
  ],
  [sesV2Operations, 'GetMessageInsights', { MessageId: 'x' }, ['*']],
  [sesV2Operations, 'GetEmailAddressInsights', { EmailAddress: 'a@b.com' }, ['*']],
  [sesV2Operations, 'ListRecommendations', {}, ['*']],
  ...[sesV1Operations, sesV2Operations].flatMap(
    (t): [OperationTable, string, Record<string, unknown>, string[]][] => [
      [t, 'CreateCustomVerificationEmailTemplate', { TemplateName: 'welcome' }, [CVET]],
      [t, 'GetCustomVerificationEmailTemplate', { TemplateName: 'welcome' }, [CVET]],
      [t, 'UpdateCustomVerificationEmailTemplate', { TemplateName: 'welcome' }, [CVET]],
      [t, 'DeleteCustomVerificationEmailTemplate', { TemplateName: 'welcome' }, [CVET]],
      [t, 'ListCustomVerificationEmailTemplates', {}, ['*']],
      [
        t,
        'SendCustomVerificationEmail',
        { EmailAddress: 'new@x.com', TemplateName: 'welcome', ConfigurationSetName: 'cs' },
        [arn('identity/new@x.com'), CVET, arn('configuration-set/cs')],
      ],
    ],
  ),
];

describe('authorization of the list, verification, DKIM and insights operations', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore('sqlite');
  });
  afterAll(async () => store.close());

  it.each(cases.map(([table, name, input, resources]) => ({ table, name, input, resources })))(
    '$name',
    async ({ table, name, input, resources }) => {
      const op = table[name]!;
      expect(op.authorize).toBeDefined();
      const checks = await op.authorize!(testContext(store, { accountId: A }), { ...input });
      expect(checks.map((c) => [c.action, c.resource])).toEqual(resources.map((r) => [`ses:${name}`, r]));
    },
  );
});
