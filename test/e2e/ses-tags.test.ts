// SES v2 resource tags end to end (TagResource, UntagResource, ListTagsForResource and Tags on
// create) through @aws-sdk/client-sesv2 and boto3 against a real Sesame: the wire routes
// (POST/DELETE/GET /v2/email/tags, TagKeys as a repeated query parameter), AWS's errors, and
// aws:RequestTag conditions decided for an IAM user.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateConfigurationSetCommand,
  CreateEmailIdentityCommand,
  CreateEmailTemplateCommand,
  DeleteEmailIdentityCommand,
  GetEmailIdentityCommand,
  SendEmailCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-sesv2';
import { testDialects } from '../../src/store/database.js';
import { runBoto3 } from '../support/boto3.js';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import {
  clientsFor,
  errorOf,
  grantProduction,
  policyDoc,
  sendDenied,
  userWithPolicy,
  type Clients,
  type Creds,
} from '../support/ses-fixtures.js';

const REGION = 'us-east-1';
const arnOf = (resource: string, account = ACCOUNT) => `arn:aws:ses:${REGION}:${account}:${resource}`;
const t = (Key: string, Value: string) => ({ Key, Value });
const fiftyOne = Array.from({ length: 51 }, (_, i) => t(`k${i}`, 'v'));

const TOO_MANY =
  'Maximum of 50 user tags are allowed per resource, consider reducing the number of tags in the request';
const SYSTEM_TAG = 'Caller is an end user and not allowed to mutate system tags';
const denied = (user: string, action: string, resource: string) =>
  `User: ${user} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;

/** Allows ses:TagResource only when the request tags team=mail (and nothing else). */
const TEAM_MAIL_ONLY = policyDoc({
  Effect: 'Allow',
  Action: 'ses:TagResource',
  Resource: '*',
  Condition: { StringEquals: { 'aws:RequestTag/team': 'mail' } },
});

describe.each(testDialects())('SES v2 resource tags (%s)', (dialect) => {
  let server: TestServer;
  let root: Clients;
  let teamMail: { arn: string; creds: Creds; c: Clients };

  beforeAll(async () => {
    server = await startTestServer({}, dialect);
    root = clientsFor(server, server.credentials);
    const u = await userWithPolicy(root, TEAM_MAIL_ONLY, `tagger-${dialect}`);
    teamMail = { arn: u.arn, creds: u.creds, c: clientsFor(server, u.creds) };
  });
  afterAll(async () => server?.stop());

  describe('@aws-sdk/client-sesv2', () => {
    const identity = arnOf('identity/example.com');
    const list = async (ResourceArn: string) =>
      (await root.v2.send(new ListTagsForResourceCommand({ ResourceArn }))).Tags;

    it('lists the Tags given to CreateEmailIdentity, overwrites a value, untags two keys', async () => {
      await root.v2.send(
        new CreateEmailIdentityCommand({
          EmailIdentity: 'example.com',
          Tags: [t('team', 'mail'), t('env', 'dev')],
        }),
      );
      expect(await list(identity)).toEqual([t('team', 'mail'), t('env', 'dev')]);

      await root.v2.send(
        new TagResourceCommand({ ResourceArn: identity, Tags: [t('env', 'prod'), t('cost', '42')] }),
      );
      expect(await list(identity)).toEqual([t('team', 'mail'), t('env', 'prod'), t('cost', '42')]);

      await root.v2.send(new UntagResourceCommand({ ResourceArn: identity, TagKeys: ['team', 'cost'] }));
      expect(await list(identity)).toEqual([t('env', 'prod')]);
      const got = await root.v2.send(new GetEmailIdentityCommand({ EmailIdentity: 'example.com' }));
      expect(got.Tags).toEqual([t('env', 'prod')]);
    });

    it('refuses 51 tags and the aws: prefix with AWS words, and changes nothing', async () => {
      expect(
        await errorOf(root.v2.send(new TagResourceCommand({ ResourceArn: identity, Tags: fiftyOne }))),
      ).toEqual({
        name: 'BadRequestException',
        status: 400,
        message: TOO_MANY,
      });
      expect(
        await errorOf(
          root.v2.send(new CreateConfigurationSetCommand({ ConfigurationSetName: 'cs51', Tags: fiftyOne })),
        ),
      ).toEqual({ name: 'BadRequestException', status: 400, message: TOO_MANY });
      expect(
        await errorOf(
          root.v2.send(new TagResourceCommand({ ResourceArn: identity, Tags: [t('aws:team', 'x')] })),
        ),
      ).toEqual({ name: 'BadRequestException', status: 400, message: SYSTEM_TAG });
      expect(await list(identity)).toEqual([t('env', 'prod')]);
    });

    it('answers NotFoundException for a resource that does not exist, BadRequest for a malformed ARN', async () => {
      expect(await errorOf(list(arnOf('identity/nobody.example')))).toEqual({
        name: 'NotFoundException',
        status: 404,
        message: 'No EmailIdentity present with name: nobody.example',
      });
      expect(
        await errorOf(
          root.v2.send(
            new TagResourceCommand({ ResourceArn: arnOf('configuration-set/none'), Tags: [t('k', 'v')] }),
          ),
        ),
      ).toEqual({
        name: 'NotFoundException',
        status: 404,
        message: 'No ConfigurationSet present with name: none',
      });
      expect(await errorOf(list('invalid-arn'))).toEqual({
        name: 'BadRequestException',
        status: 400,
        message: 'ResourceArn is not the expected format',
      });
    });

    it('forgets the tags with the identity', async () => {
      await root.v2.send(
        new CreateEmailIdentityCommand({ EmailIdentity: 'gone@example.org', Tags: [t('k', 'v')] }),
      );
      await root.v2.send(new DeleteEmailIdentityCommand({ EmailIdentity: 'gone@example.org' }));
      await root.v2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'gone@example.org' }));
      expect(await list(arnOf('identity/gone@example.org'))).toEqual([]);
    });

    it('lets a user tag only with team=mail, exactly as the policy says', async () => {
      const ResourceArn = arnOf('identity/example.com');
      await teamMail.c.v2.send(new TagResourceCommand({ ResourceArn, Tags: [t('team', 'mail')] }));
      await teamMail.c.v2.send(
        new TagResourceCommand({ ResourceArn, Tags: [t('team', 'mail'), t('env', 'x')] }),
      );
      for (const Tags of [[t('team', 'web')], [t('env', 'x')], [t('Team', 'Mail')]]) {
        expect(
          await errorOf(teamMail.c.v2.send(new TagResourceCommand({ ResourceArn, Tags }))),
          JSON.stringify(Tags),
        ).toEqual({
          name: 'AccessDeniedException',
          status: 403,
          message: denied(teamMail.arn, 'ses:TagResource', ResourceArn),
        });
      }
      expect(await errorOf(teamMail.c.v2.send(new ListTagsForResourceCommand({ ResourceArn })))).toEqual({
        name: 'AccessDeniedException',
        status: 403,
        message: denied(teamMail.arn, 'ses:ListTagsForResource', ResourceArn),
      });
      expect(await list(ResourceArn)).toEqual([t('env', 'x'), t('team', 'mail')]);
    });
  });

  describe('aws:ResourceTag on the send path', () => {
    it("decides a send by the sending identity's tags, and sees a retag on the very next send", async () => {
      await grantProduction(server, ACCOUNT); // three sends in a row: past the sandbox's 1 per second
      await root.v2.send(
        new CreateEmailIdentityCommand({ EmailIdentity: 'tagged-send.example', Tags: [t('team', 'mail')] }),
      );
      await root.v2.send(
        new CreateEmailIdentityCommand({ EmailIdentity: 'other-send.example', Tags: [t('team', 'web')] }),
      );
      const u = await userWithPolicy(
        root,
        policyDoc({
          Effect: 'Allow',
          Action: 'ses:SendEmail',
          Resource: '*',
          Condition: { StringEquals: { 'aws:ResourceTag/team': 'mail' } },
        }),
        `tag-sender-${dialect}`,
      );
      const c = clientsFor(server, u.creds);
      const send = (from: string) =>
        c.v2.send(
          new SendEmailCommand({
            FromEmailAddress: from,
            Destination: { ToAddresses: ['success@simulator.amazonses.com'] },
            Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } } },
          }),
        );
      expect((await send('a@tagged-send.example')).MessageId).toBeTruthy();
      const other = arnOf('identity/other-send.example');
      expect(await errorOf(send('a@other-send.example'))).toEqual({
        name: 'AccessDeniedException',
        status: 403,
        message: sendDenied(u.arn, 'ses:SendEmail', other),
      });
      await root.v2.send(new TagResourceCommand({ ResourceArn: other, Tags: [t('team', 'mail')] }));
      expect((await send('a@other-send.example')).MessageId).toBeTruthy();
    });

    it("decides by the configuration set's and the template's tags too, each on its own ARN", async () => {
      await grantProduction(server, ACCOUNT);
      await root.v2.send(new CreateEmailIdentityCommand({ EmailIdentity: `cs-tags-${dialect}.example` }));
      await root.v2.send(
        new CreateConfigurationSetCommand({ ConfigurationSetName: 'cs-mail', Tags: [t('team', 'mail')] }),
      );
      await root.v2.send(
        new CreateConfigurationSetCommand({ ConfigurationSetName: 'cs-web', Tags: [t('team', 'web')] }),
      );
      await root.v2.send(
        new CreateEmailTemplateCommand({
          TemplateName: 'tpl-web',
          TemplateContent: { Subject: 'hi {{n}}', Text: 'b' },
          Tags: [t('team', 'web')],
        }),
      );
      // Identities without a tag condition; configuration sets and templates only when tagged team=mail.
      const u = await userWithPolicy(
        root,
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['ses:SendEmail', 'ses:SendTemplatedEmail'],
              Resource: arnOf('identity/*'),
            },
            {
              Effect: 'Allow',
              Action: ['ses:SendEmail', 'ses:SendTemplatedEmail'],
              Resource: [arnOf('configuration-set/*'), arnOf('template/*')],
              Condition: { StringEquals: { 'aws:ResourceTag/team': 'mail' } },
            },
          ],
        }),
        `cs-tag-sender-${dialect}`,
      );
      const c = clientsFor(server, u.creds);
      const from = `a@cs-tags-${dialect}.example`;
      const destination = { ToAddresses: ['success@simulator.amazonses.com'] };
      const simple = { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } } };
      const viaSet = (ConfigurationSetName: string) =>
        c.v2.send(
          new SendEmailCommand({
            FromEmailAddress: from,
            Destination: destination,
            Content: simple,
            ConfigurationSetName,
          }),
        );
      expect((await viaSet('cs-mail')).MessageId).toBeTruthy();
      expect(await errorOf(viaSet('cs-web'))).toEqual({
        name: 'AccessDeniedException',
        status: 403,
        message: sendDenied(u.arn, 'ses:SendEmail', arnOf('configuration-set/cs-web')),
      });
      // A set that does not exist has no tags: the condition cannot hold, so it is denied first.
      expect(await errorOf(viaSet('cs-none'))).toEqual({
        name: 'AccessDeniedException',
        status: 403,
        message: sendDenied(u.arn, 'ses:SendEmail', arnOf('configuration-set/cs-none')),
      });
      const viaTemplate = () =>
        c.v2.send(
          new SendEmailCommand({
            FromEmailAddress: from,
            Destination: destination,
            Content: { Template: { TemplateName: 'tpl-web', TemplateData: '{"n":"x"}' } },
          }),
        );
      expect(await errorOf(viaTemplate())).toEqual({
        name: 'AccessDeniedException',
        status: 403,
        // A v2 template send is authorized as ses:SendTemplatedEmail.
        message: sendDenied(u.arn, 'ses:SendTemplatedEmail', arnOf('template/tpl-web')),
      });
      await root.v2.send(
        new TagResourceCommand({ ResourceArn: arnOf('template/tpl-web'), Tags: [t('team', 'mail')] }),
      );
      expect((await viaTemplate()).MessageId).toBeTruthy();
    });
  });

  describe('boto3', () => {
    it('creates a configuration set with Tags, tags, untags two keys and lists; AWS errors', async () => {
      const arn = arnOf('configuration-set/boto');
      const result = await runBoto3(
        server.endpoint,
        server.credentials,
        `
ses = client('sesv2')
arn = '${arn}'
def err(f):
    try:
        f()
        return None
    except ClientError as e:
        return [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]
r = {}
ses.create_configuration_set(ConfigurationSetName='boto', Tags=[{'Key': 'team', 'Value': 'mail'}, {'Key': 'env', 'Value': 'dev'}])
r['created'] = ses.list_tags_for_resource(ResourceArn=arn)['Tags']
ses.tag_resource(ResourceArn=arn, Tags=[{'Key': 'env', 'Value': 'prod'}, {'Key': 'a', 'Value': ''}])
r['tagged'] = ses.list_tags_for_resource(ResourceArn=arn)['Tags']
ses.untag_resource(ResourceArn=arn, TagKeys=['team', 'a'])
r['untagged'] = ses.list_tags_for_resource(ResourceArn=arn)['Tags']
r['get'] = ses.get_configuration_set(ConfigurationSetName='boto')['Tags']
r['tooMany'] = err(lambda: ses.tag_resource(ResourceArn=arn, Tags=[{'Key': 'k%d' % i, 'Value': 'v'} for i in range(51)]))
r['system'] = err(lambda: ses.tag_resource(ResourceArn=arn, Tags=[{'Key': 'AWS:x', 'Value': 'v'}]))
r['missing'] = err(lambda: ses.list_tags_for_resource(ResourceArn='${arnOf('template/none')}'))
r['otherAccount'] = err(lambda: ses.list_tags_for_resource(ResourceArn='${arnOf('configuration-set/boto', '999999999999')}'))
out(r)
`,
      );
      expect(result).toEqual({
        created: [t('team', 'mail'), t('env', 'dev')],
        tagged: [t('team', 'mail'), t('env', 'prod'), t('a', '')],
        untagged: [t('env', 'prod')],
        get: [t('env', 'prod')],
        tooMany: ['BadRequestException', TOO_MANY, 400],
        system: ['BadRequestException', SYSTEM_TAG, 400],
        missing: ['NotFoundException', 'No Template present with name: none', 404],
        otherAccount: [
          'BadRequestException',
          'Operations on a resource created in a different account is not allowed',
          400,
        ],
      });
    });

    it('decides the team=mail policy for a user the same way', async () => {
      const arn = arnOf('configuration-set/boto');
      const result = await runBoto3(
        server.endpoint,
        teamMail.creds,
        `
ses = client('sesv2')
r = {}
ses.tag_resource(ResourceArn='${arn}', Tags=[{'Key': 'team', 'Value': 'mail'}])
r['allowed'] = True
try:
    ses.tag_resource(ResourceArn='${arn}', Tags=[{'Key': 'team', 'Value': 'web'}])
except ClientError as e:
    r['denied'] = [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]
out(r)
`,
      );
      expect(result).toEqual({
        allowed: true,
        denied: ['AccessDeniedException', denied(teamMail.arn, 'ses:TagResource', arn), 403],
      });
      expect((await root.v2.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).toEqual([
        t('env', 'prod'),
        t('team', 'mail'),
      ]);
    });
  });
});
