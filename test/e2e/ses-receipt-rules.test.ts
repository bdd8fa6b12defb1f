// SES v1 receipt rule sets, rules and IP filters through the real SDK (and boto3), on SQLite and
// PostgreSQL: AWS's error codes and texts, ordering, defaults, limits, and that a refused call
// leaves the stored state as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloneReceiptRuleSetCommand,
  CreateReceiptFilterCommand,
  CreateReceiptRuleCommand,
  CreateReceiptRuleSetCommand,
  DeleteReceiptFilterCommand,
  DeleteReceiptRuleCommand,
  DeleteReceiptRuleSetCommand,
  DescribeActiveReceiptRuleSetCommand,
  DescribeReceiptRuleCommand,
  DescribeReceiptRuleSetCommand,
  ListReceiptFiltersCommand,
  ListReceiptRuleSetsCommand,
  ReorderReceiptRuleSetCommand,
  SetActiveReceiptRuleSetCommand,
  SetReceiptRulePositionCommand,
  UpdateReceiptRuleCommand,
  type ReceiptRule,
} from '@aws-sdk/client-ses';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { testDialects } from '../../src/store/database.js';
import { ACCOUNT, startTestServer, type TestServer } from '../support/server.js';
import { runBoto3 } from '../support/boto3.js';
import { clientsFor, policyDoc, userWithPolicy, type Clients } from '../support/ses-fixtures.js';

const FUNCTION = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:inbound`;

/** The Query error's code (`<Code>`), message and HTTP status. */
async function failure(p: Promise<unknown>): Promise<{ code: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    const err = e as {
      Code?: string;
      name: string;
      message: string;
      $metadata?: { httpStatusCode?: number };
    };
    return { code: err.Code ?? err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

const names = (rules: ReceiptRule[] | undefined) => (rules ?? []).map((r) => r.Name);

describe.each(testDialects())('receipt rules API (%s)', (dialect) => {
  let server: TestServer;
  let root: Clients;

  beforeAll(async () => {
    server = await startTestServer({ SESAME_LAMBDA_FUNCTIONS: `${FUNCTION}=http://127.0.0.1:9/fn` }, dialect);
    root = clientsFor(server, server.credentials);
  });
  afterAll(async () => server?.stop());

  const send = <T>(c: { input: unknown } & object) => root.v1.send(c as never) as Promise<T>;

  describe('rule sets', () => {
    it('creates, refuses duplicates and lists by name', async () => {
      await root.v1.send(new CreateReceiptRuleSetCommand({ RuleSetName: 'zeta' }));
      await root.v1.send(new CreateReceiptRuleSetCommand({ RuleSetName: 'alpha' }));
      expect(await failure(root.v1.send(new CreateReceiptRuleSetCommand({ RuleSetName: 'alpha' })))).toEqual({
        code: 'AlreadyExists',
        message: 'Rule set already exists: alpha',
        status: 400,
      });
      const list = await root.v1.send(new ListReceiptRuleSetsCommand({}));
      expect(list.RuleSets?.map((r) => r.Name)).toEqual(['alpha', 'zeta']);
      expect(list.RuleSets?.[0]?.CreatedTimestamp).toBeInstanceOf(Date);
      expect(list.NextToken).toBeUndefined();
      const d = await root.v1.send(new DescribeReceiptRuleSetCommand({ RuleSetName: 'alpha' }));
      expect(d.Metadata?.Name).toBe('alpha');
      expect(d.Rules).toEqual([]);
    });

    it('checks names in two layers: the character pattern, then the shape and length', async () => {
      const pattern = (path: string) =>
        `1 validation error detected: Value at '${path}' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9_.-]+$`;
      expect(await failure(send(new CreateReceiptRuleSetCommand({ RuleSetName: 'bad name' })))).toEqual({
        code: 'ValidationError',
        message: pattern('ruleSetName'),
        status: 400,
      });
      for (const bad of ['_lead', 'trail-', 'a'.repeat(65)])
        expect(await failure(send(new CreateReceiptRuleSetCommand({ RuleSetName: bad })))).toEqual({
          code: 'InvalidParameterValue',
          message: `Not a valid ruleSetName: ${bad}`,
          status: 400,
        });
      await root.v1.send(new CreateReceiptRuleSetCommand({ RuleSetName: 'a.b_c-1' }));
      await root.v1.send(new CreateReceiptRuleSetCommand({ RuleSetName: 'a'.repeat(64) }));
      expect(await failure(send(new DescribeReceiptRuleSetCommand({ RuleSetName: 'nope' })))).toEqual({
        code: 'RuleSetDoesNotExist',
        message: 'Rule set does not exist: nope',
        status: 400,
      });
      await root.v1.send(new DeleteReceiptRuleSetCommand({ RuleSetName: 'a.b_c-1' }));
      await root.v1.send(new DeleteReceiptRuleSetCommand({ RuleSetName: 'a'.repeat(64) }));
    });

    it('activates one rule set at a time, refuses to delete it, and deactivates without a name', async () => {
      await root.v1.send(new CreateReceiptRuleSetCommand({ RuleSetName: 'live' }));
      expect(await root.v1.send(new DescribeActiveReceiptRuleSetCommand({}))).not.toHaveProperty('Metadata');
      expect(await failure(send(new SetActiveReceiptRuleSetCommand({ RuleSetName: 'ghost' })))).toMatchObject(
        {
          code: 'RuleSetDoesNotExist',
          message: 'Rule set does not exist: ghost',
        },
      );
      await root.v1.send(new SetActiveReceiptRuleSetCommand({ RuleSetName: 'live' }));
      expect((await root.v1.send(new DescribeActiveReceiptRuleSetCommand({}))).Metadata?.Name).toBe('live');
      await root.v1.send(new SetActiveReceiptRuleSetCommand({ RuleSetName: 'zeta' }));
      expect((await root.v1.send(new DescribeActiveReceiptRuleSetCommand({}))).Metadata?.Name).toBe('zeta');
      expect(await failure(send(new DeleteReceiptRuleSetCommand({ RuleSetName: 'zeta' })))).toEqual({
        code: 'CannotDelete',
        message: 'Cannot delete active rule set: zeta',
        status: 400,
      });
      // A failed SetActive leaves the active one as it was.
      await failure(send(new SetActiveReceiptRuleSetCommand({ RuleSetName: 'ghost' })));
      expect((await root.v1.send(new DescribeActiveReceiptRuleSetCommand({}))).Metadata?.Name).toBe('zeta');
      await root.v1.send(new SetActiveReceiptRuleSetCommand({}));
      expect(await root.v1.send(new DescribeActiveReceiptRuleSetCommand({}))).not.toHaveProperty('Metadata');
      await root.v1.send(new DeleteReceiptRuleSetCommand({ RuleSetName: 'live' }));
      // Deleting what does not exist succeeds.
      await root.v1.send(new DeleteReceiptRuleSetCommand({ RuleSetName: 'live' }));
    });
  });

  describe('rules', () => {
    const SET = 'rules';
    beforeAll(async () => {
      await root.v1.send(new CreateReceiptRuleSetCommand({ RuleSetName: SET }));
    });

    it('puts a new rule first, or right after `After`, and fills the defaults', async () => {
      await root.v1.send(new CreateReceiptRuleCommand({ RuleSetName: SET, Rule: { Name: 'one' } }));
      await root.v1.send(new CreateReceiptRuleCommand({ RuleSetName: SET, Rule: { Name: 'two' } }));
      await root.v1.send(
        new CreateReceiptRuleCommand({ RuleSetName: SET, After: 'two', Rule: { Name: 'three' } }),
      );
      const set = await root.v1.send(new DescribeReceiptRuleSetCommand({ RuleSetName: SET }));
      expect(names(set.Rules)).toEqual(['two', 'three', 'one']);
      const one = await root.v1.send(new DescribeReceiptRuleCommand({ RuleSetName: SET, RuleName: 'one' }));
      expect(one.Rule).toEqual({ Name: 'one', Enabled: false, TlsPolicy: 'Optional', ScanEnabled: false });
    });

    it('keeps a full rule as given, with the action defaults filled', async () => {
      const rule: ReceiptRule = {
        Name: 'full',
        Enabled: true,
        TlsPolicy: 'Require',
        Recipients: ['support@example.com', 'example.org', '.example.net'],
        Actions: [
          { AddHeaderAction: { HeaderName: 'X-Route', HeaderValue: 'support' } },
          { LambdaAction: { FunctionArn: FUNCTION } },
          { SNSAction: { TopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:inbound` } },
          {
            BounceAction: {
              SmtpReplyCode: '550',
              StatusCode: '5.1.1',
              Message: 'gone',
              Sender: 'mailer@example.com',
            },
          },
          { StopAction: { Scope: 'RuleSet' } },
        ],
        ScanEnabled: true,
      };
      await root.v1.send(new CreateReceiptRuleCommand({ RuleSetName: SET, Rule: rule }));
      const got = await root.v1.send(new DescribeReceiptRuleCommand({ RuleSetName: SET, RuleName: 'full' }));
      expect(got.Rule).toEqual({
        ...rule,
        Actions: [
          rule.Actions![0],
          { LambdaAction: { FunctionArn: FUNCTION, InvocationType: 'Event' } },
          { SNSAction: { TopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:inbound`, Encoding: 'UTF-8' } },
          rule.Actions![3],
          rule.Actions![4],
        ],
      });
    });

    it('refuses duplicates, unknown After, unknown rule sets and rule names out of shape', async () => {
      expect(
        await failure(send(new CreateReceiptRuleCommand({ RuleSetName: SET, Rule: { Name: 'one' } }))),
      ).toEqual({ code: 'AlreadyExists', message: 'Rule already exists: one', status: 400 });
      expect(
        await failure(
          send(new CreateReceiptRuleCommand({ RuleSetName: SET, After: 'ghost', Rule: { Name: 'x' } })),
        ),
      ).toEqual({ code: 'RuleDoesNotExist', message: 'Rule does not exist: ghost', status: 400 });
      expect(
        await failure(send(new CreateReceiptRuleCommand({ RuleSetName: 'nope', Rule: { Name: 'x' } }))),
      ).toEqual({ code: 'RuleSetDoesNotExist', message: 'Rule set does not exist: nope', status: 400 });
      expect(
        await failure(send(new CreateReceiptRuleCommand({ RuleSetName: 'nope', Rule: { Name: 'x y' } }))),
      ).toMatchObject({ code: 'ValidationError', message: expect.stringContaining("at 'rule.name'") });
      expect(
        await failure(send(new CreateReceiptRuleCommand({ RuleSetName: SET, Rule: { Name: '-x' } }))),
      ).toMatchObject({ code: 'InvalidParameterValue', message: 'Not a valid ruleName: -x' });
      // The model's enums are checked by the front end, member paths in AWS's spelling.
      expect(
        await failure(
          send(
            new CreateReceiptRuleCommand({
              RuleSetName: SET,
              Rule: {
                Name: 'x',
                TlsPolicy: 'Always' as never,
                Actions: [
                  {
                    SNSAction: {
                      TopicArn: 'arn:aws:sns:us-east-1:111122223333:t',
                      Encoding: 'utf8' as never,
                    },
                  },
                ],
              },
            }),
          ),
        ),
      ).toEqual({
        code: 'ValidationError',
        message:
          "2 validation errors detected: Value 'Always' at 'rule.tlsPolicy' failed to satisfy constraint: Member must satisfy enum value set: [Require, Optional]; Value 'utf8' at 'rule.actions.1.member.sNSAction.encoding' failed to satisfy constraint: Member must satisfy enum value set: [UTF-8, Base64]",
        status: 400,
      });
      expect(
        names((await root.v1.send(new DescribeReceiptRuleSetCommand({ RuleSetName: SET }))).Rules),
      ).toEqual(['full', 'two', 'three', 'one']);
    });

    it('checks recipients and every action target', async () => {
      const refused = async (Rule: ReceiptRule) =>
        failure(send(new CreateReceiptRuleCommand({ RuleSetName: SET, Rule })));
      expect(await refused({ Name: 'r', Recipients: ['not an address'] })).toEqual({
        code: 'InvalidParameterValue',
        message: 'Invalid recipient: not an address',
        status: 400,
      });
      expect(await refused({ Name: 'r', Actions: [{ SNSAction: { TopicArn: 'no-topic' } }] })).toEqual({
        code: 'InvalidSnsTopic',
        message: 'Invalid SNS topic: no-topic',
        status: 400,
      });
      // SES requires topics and functions in the rule's region.
      const elsewhere = `arn:aws:sns:eu-west-1:${ACCOUNT}:t`;
      expect(
        await refused({ Name: 'r', Actions: [{ StopAction: { Scope: 'RuleSet', TopicArn: elsewhere } }] }),
      ).toMatchObject({ code: 'InvalidSnsTopic', message: `Invalid SNS topic: ${elsewhere}` });
      const unmapped = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:unmapped`;
      expect(await refused({ Name: 'r', Actions: [{ LambdaAction: { FunctionArn: unmapped } }] })).toEqual({
        code: 'InvalidLambdaFunction',
        message: `Invalid Lambda function: ${unmapped}`,
        status: 400,
      });
      expect(
        await refused({ Name: 'r', Actions: [{ S3Action: { BucketName: 'b', KmsKeyArn: 'not-a-key' } }] }),
      ).toEqual({
        code: 'InvalidS3Configuration',
        message: 'Unable to use AWS KMS key: not-a-key',
        status: 400,
      });
      expect(
        await refused({
          Name: 'r',
          Actions: [{ AddHeaderAction: { HeaderName: 'X Bad', HeaderValue: 'v' } }],
        }),
      ).toMatchObject({
        code: 'InvalidParameterValue',
        message: expect.stringContaining('Invalid header name: X Bad'),
      });
      expect(
        await refused({
          Name: 'r',
          Actions: [{ AddHeaderAction: { HeaderName: 'X-Ok', HeaderValue: 'two\r\nlines' } }],
        }),
      ).toMatchObject({
        code: 'InvalidParameterValue',
        message: expect.stringContaining('Invalid header value'),
      });
      // The role ARN pattern is the model's; an unknown role, or one SES may not assume, is SES's refusal.
      expect(
        await refused({
          Name: 'r',
          Actions: [{ S3Action: { BucketName: 'b', IamRoleArn: 'made-up-role-name-long' } }],
        }),
      ).toMatchObject({
        code: 'ValidationError',
        message: expect.stringContaining("at 'rule.actions.1.member.s3Action.iamRoleArn'"),
      });
      const ghostRole = `arn:aws:iam::${ACCOUNT}:role/ghost`;
      expect(
        await refused({ Name: 'r', Actions: [{ S3Action: { BucketName: 'b', IamRoleArn: ghostRole } }] }),
      ).toEqual({
        code: 'InvalidParameterValue',
        message: 'Could not assume the provided IAM role',
        status: 400,
      });
      const trusting = (service: string) =>
        policyDoc({ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' });
      await root.iam.send(
        new CreateRoleCommand({
          RoleName: 'not-ses',
          AssumeRolePolicyDocument: trusting('lambda.amazonaws.com'),
        }),
      );
      await root.iam.send(
        new CreateRoleCommand({
          RoleName: 'ses-writer',
          AssumeRolePolicyDocument: trusting('ses.amazonaws.com'),
        }),
      );
      expect(
        await refused({
          Name: 'r',
          Actions: [{ S3Action: { BucketName: 'b', IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/not-ses` } }],
        }),
      ).toMatchObject({ code: 'InvalidParameterValue', message: 'Could not assume the provided IAM role' });
      // Without SESAME_S3_ENDPOINT the bucket cannot be checked: the rule is kept (its action fails when it runs).
      await root.v1.send(
        new CreateReceiptRuleCommand({
          RuleSetName: SET,
          Rule: {
            Name: 'archive',
            Actions: [
              { S3Action: { BucketName: 'b', IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/ses-writer` } },
            ],
          },
        }),
      );
      expect(
        names((await root.v1.send(new DescribeReceiptRuleSetCommand({ RuleSetName: SET }))).Rules),
      ).toEqual(['archive', 'full', 'two', 'three', 'one']);
    });

    it('updates a rule in place, deletes idempotently, moves and reorders', async () => {
      await root.v1.send(
        new UpdateReceiptRuleCommand({
          RuleSetName: SET,
          Rule: { Name: 'three', Enabled: true, Recipients: ['x.example'] },
        }),
      );
      const set1 = await root.v1.send(new DescribeReceiptRuleSetCommand({ RuleSetName: SET }));
      expect(names(set1.Rules)).toEqual(['archive', 'full', 'two', 'three', 'one']);
      expect(set1.Rules?.[3]).toEqual({
        Name: 'three',
        Enabled: true,
        TlsPolicy: 'Optional',
        Recipients: ['x.example'],
        ScanEnabled: false,
      });
      expect(
        await failure(send(new UpdateReceiptRuleCommand({ RuleSetName: SET, Rule: { Name: 'ghost' } }))),
      ).toEqual({ code: 'RuleDoesNotExist', message: 'Rule does not exist: ghost', status: 400 });

      await root.v1.send(new SetReceiptRulePositionCommand({ RuleSetName: SET, RuleName: 'one' }));
      await root.v1.send(
        new SetReceiptRulePositionCommand({ RuleSetName: SET, RuleName: 'archive', After: 'three' }),
      );
      await root.v1.send(
        new SetReceiptRulePositionCommand({ RuleSetName: SET, RuleName: 'two', After: 'two' }),
      );
      expect(
        names((await root.v1.send(new DescribeReceiptRuleSetCommand({ RuleSetName: SET }))).Rules),
      ).toEqual(['one', 'full', 'two', 'three', 'archive']);
      expect(
        await failure(send(new SetReceiptRulePositionCommand({ RuleSetName: SET, RuleName: 'ghost' }))),
      ).toMatchObject({ code: 'RuleDoesNotExist', message: 'Rule does not exist: ghost' });

      const order = ['archive', 'three', 'two', 'full', 'one'];
      await root.v1.send(new ReorderReceiptRuleSetCommand({ RuleSetName: SET, RuleNames: order }));
      expect(
        names((await root.v1.send(new DescribeReceiptRuleSetCommand({ RuleSetName: SET }))).Rules),
      ).toEqual(order);
      expect(
        await failure(
          send(new ReorderReceiptRuleSetCommand({ RuleSetName: SET, RuleNames: ['ghost', ...order] })),
        ),
      ).toMatchObject({ code: 'RuleDoesNotExist', message: 'Rule does not exist: ghost' });
      expect(
        await failure(
          send(new ReorderReceiptRuleSetCommand({ RuleSetName: SET, RuleNames: order.slice(1) })),
        ),
      ).toMatchObject({
        code: 'InvalidParameterValue',
        message: expect.stringContaining('missing: archive'),
      });
      expect(
        await failure(send(new ReorderReceiptRuleSetCommand({ RuleSetName: 'nope', RuleNames: [] }))),
      ).toMatchObject({ code: 'RuleSetDoesNotExist' });
      expect(
        names((await root.v1.send(new DescribeReceiptRuleSetCommand({ RuleSetName: SET }))).Rules),
      ).toEqual(order);

      await root.v1.send(new DeleteReceiptRuleCommand({ RuleSetName: SET, RuleName: 'two' }));
      await root.v1.send(new DeleteReceiptRuleCommand({ RuleSetName: SET, RuleName: 'two' }));
      expect(
        await failure(send(new DeleteReceiptRuleCommand({ RuleSetName: 'nope', RuleName: 'two' }))),
      ).toMatchObject({ code: 'RuleSetDoesNotExist', message: 'Rule set does not exist: nope' });
      expect(
        names((await root.v1.send(new DescribeReceiptRuleSetCommand({ RuleSetName: SET }))).Rules),
      ).toEqual(['archive', 'three', 'full', 'one']);
    });

    it('clones a rule set with independent rules', async () => {
      await root.v1.send(new CloneReceiptRuleSetCommand({ RuleSetName: 'copy', OriginalRuleSetName: SET }));
      await root.v1.send(new DeleteReceiptRuleCommand({ RuleSetName: 'copy', RuleName: 'one' }));
      expect(
        names((await root.v1.send(new DescribeReceiptRuleSetCommand({ RuleSetName: 'copy' }))).Rules),
      ).toEqual(['archive', 'three', 'full']);
      expect(
        names((await root.v1.send(new DescribeReceiptRuleSetCommand({ RuleSetName: SET }))).Rules),
      ).toHaveLength(4);
      expect(
        await failure(
          send(new CloneReceiptRuleSetCommand({ RuleSetName: 'copy2', OriginalRuleSetName: 'ghost' })),
        ),
      ).toMatchObject({ code: 'RuleSetDoesNotExist', message: 'Rule set does not exist: ghost' });
      expect(
        await failure(
          send(new CloneReceiptRuleSetCommand({ RuleSetName: SET, OriginalRuleSetName: 'copy' })),
        ),
      ).toMatchObject({ code: 'AlreadyExists', message: `Rule set already exists: ${SET}` });
    });
  });

  describe('IP filters', () => {
    it('creates, lists by name, refuses duplicates and bad CIDRs, deletes idempotently', async () => {
      await root.v1.send(
        new CreateReceiptFilterCommand({
          Filter: { Name: 'office', IpFilter: { Policy: 'Allow', Cidr: '10.0.0.0/8' } },
        }),
      );
      await root.v1.send(
        new CreateReceiptFilterCommand({
          Filter: { Name: 'blocked', IpFilter: { Policy: 'Block', Cidr: '2001:db8::/32' } },
        }),
      );
      expect(
        await failure(
          send(
            new CreateReceiptFilterCommand({
              Filter: { Name: 'office', IpFilter: { Policy: 'Block', Cidr: '10.0.0.1' } },
            }),
          ),
        ),
      ).toEqual({ code: 'AlreadyExists', message: 'Filter already exists: office', status: 400 });
      for (const cidr of ['10.0.0.0/33', '[::1]', '::ffff:10.0.0.1', 'fe80::1%eth0', 'example.com'])
        expect(
          await failure(
            send(
              new CreateReceiptFilterCommand({
                Filter: { Name: 'f', IpFilter: { Policy: 'Block', Cidr: cidr } },
              }),
            ),
          ),
        ).toEqual({ code: 'InvalidParameterValue', message: `Invalid CIDR block: ${cidr}`, status: 400 });
      expect(
        await failure(
          send(
            new CreateReceiptFilterCommand({
              Filter: { Name: '-f', IpFilter: { Policy: 'Block', Cidr: '1.2.3.4' } },
            }),
          ),
        ),
      ).toEqual({ code: 'InvalidParameterValue', message: 'Not a valid filterName: -f', status: 400 });
      expect(
        await failure(
          send(
            new CreateReceiptFilterCommand({
              Filter: { Name: 'f', IpFilter: { Policy: 'Deny' as never, Cidr: '1.2.3.4' } },
            }),
          ),
        ),
      ).toMatchObject({
        code: 'ValidationError',
        message: expect.stringContaining("at 'filter.ipFilter.policy'"),
      });
      expect((await root.v1.send(new ListReceiptFiltersCommand({}))).Filters).toEqual([
        { Name: 'blocked', IpFilter: { Policy: 'Block', Cidr: '2001:db8::/32' } },
        { Name: 'office', IpFilter: { Policy: 'Allow', Cidr: '10.0.0.0/8' } },
      ]);
      await root.v1.send(new DeleteReceiptFilterCommand({ FilterName: 'office' }));
      await root.v1.send(new DeleteReceiptFilterCommand({ FilterName: 'office' }));
      expect((await root.v1.send(new ListReceiptFiltersCommand({}))).Filters?.map((f) => f.Name)).toEqual([
        'blocked',
      ]);
    });
  });

  describe('limits', () => {
    it('refuses the 41st rule set and the 101st filter, keeping what exists', async () => {
      const existing = (await root.v1.send(new ListReceiptRuleSetsCommand({}))).RuleSets?.length ?? 0;
      for (let n = existing; n < 40; n++)
        await root.v1.send(new CreateReceiptRuleSetCommand({ RuleSetName: `bulk${n}` }));
      expect(
        await failure(send(new CreateReceiptRuleSetCommand({ RuleSetName: 'one-too-many' }))),
      ).toMatchObject({
        code: 'LimitExceeded',
        status: 400,
      });
      expect((await root.v1.send(new ListReceiptRuleSetsCommand({}))).RuleSets).toHaveLength(40);
      const filters = (await root.v1.send(new ListReceiptFiltersCommand({}))).Filters?.length ?? 0;
      for (let n = filters; n < 100; n++)
        await root.v1.send(
          new CreateReceiptFilterCommand({
            Filter: { Name: `f${n}`, IpFilter: { Policy: 'Block', Cidr: `10.1.${n}.0/24` } },
          }),
        );
      expect(
        await failure(
          send(
            new CreateReceiptFilterCommand({
              Filter: { Name: 'f-last', IpFilter: { Policy: 'Block', Cidr: '10.2.0.0/16' } },
            }),
          ),
        ),
      ).toEqual({ code: 'LimitExceeded', message: 'Too many filters', status: 400 });
      expect((await root.v1.send(new ListReceiptFiltersCommand({}))).Filters).toHaveLength(100);
    });
  });
});

describe('receipt rules API: IAM and other clients', () => {
  let server: TestServer;
  let root: Clients;
  beforeAll(async () => {
    server = await startTestServer();
    root = clientsFor(server, server.credentials);
    await root.v1.send(new CreateReceiptRuleSetCommand({ RuleSetName: 'set' }));
  });
  afterAll(async () => server?.stop());

  const OPERATIONS: [string, object][] = [
    ['CreateReceiptRuleSet', new CreateReceiptRuleSetCommand({ RuleSetName: 'other' })],
    [
      'CloneReceiptRuleSet',
      new CloneReceiptRuleSetCommand({ RuleSetName: 'clone', OriginalRuleSetName: 'set' }),
    ],
    ['DeleteReceiptRuleSet', new DeleteReceiptRuleSetCommand({ RuleSetName: 'gone' })],
    ['DescribeReceiptRuleSet', new DescribeReceiptRuleSetCommand({ RuleSetName: 'set' })],
    ['ListReceiptRuleSets', new ListReceiptRuleSetsCommand({})],
    ['SetActiveReceiptRuleSet', new SetActiveReceiptRuleSetCommand({ RuleSetName: 'set' })],
    ['DescribeActiveReceiptRuleSet', new DescribeActiveReceiptRuleSetCommand({})],
    ['CreateReceiptRule', new CreateReceiptRuleCommand({ RuleSetName: 'set', Rule: { Name: 'r' } })],
    [
      'UpdateReceiptRule',
      new UpdateReceiptRuleCommand({ RuleSetName: 'set', Rule: { Name: 'r', Enabled: true } }),
    ],
    ['DescribeReceiptRule', new DescribeReceiptRuleCommand({ RuleSetName: 'set', RuleName: 'r' })],
    ['SetReceiptRulePosition', new SetReceiptRulePositionCommand({ RuleSetName: 'set', RuleName: 'r' })],
    ['ReorderReceiptRuleSet', new ReorderReceiptRuleSetCommand({ RuleSetName: 'set', RuleNames: ['r'] })],
    ['DeleteReceiptRule', new DeleteReceiptRuleCommand({ RuleSetName: 'set', RuleName: 'r' })],
    [
      'CreateReceiptFilter',
      new CreateReceiptFilterCommand({
        Filter: { Name: 'f', IpFilter: { Policy: 'Block', Cidr: '192.0.2.0/24' } },
      }),
    ],
    ['ListReceiptFilters', new ListReceiptFiltersCommand({})],
    ['DeleteReceiptFilter', new DeleteReceiptFilterCommand({ FilterName: 'f' })],
  ];

  it('authorizes each operation as ses:<Operation> on *: denied without a policy, allowed with one', async () => {
    const nobody = await userWithPolicy(root, undefined);
    const denied = clientsFor(server, nobody.creds);
    for (const [name, command] of OPERATIONS) {
      expect(await failure(denied.v1.send(command as never)), name).toEqual({
        code: 'AccessDenied',
        message: `User: ${nobody.arn} is not authorized to perform: ses:${name} on resource: * because no identity-based policy allows the ses:${name} action`,
        status: 403,
      });
    }
    const allowed = await userWithPolicy(
      root,
      policyDoc({ Effect: 'Allow', Action: OPERATIONS.map(([n]) => `ses:${n}`), Resource: '*' }),
    );
    const ok = clientsFor(server, allowed.creds);
    for (const [name, command] of OPERATIONS)
      await expect(ok.v1.send(command as never), name).resolves.toBeDefined();
    // An explicit deny of one action wins over ses:*.
    const denyOne = await userWithPolicy(
      root,
      policyDoc(
        { Effect: 'Allow', Action: 'ses:*', Resource: '*' },
        { Effect: 'Deny', Action: 'ses:DeleteReceiptRuleSet', Resource: '*' },
      ),
    );
    const partly = clientsFor(server, denyOne.creds);
    expect((await partly.v1.send(new ListReceiptRuleSetsCommand({}))).RuleSets?.map((r) => r.Name)).toContain(
      'set',
    );
    expect(
      await failure(partly.v1.send(new DeleteReceiptRuleSetCommand({ RuleSetName: 'other' }))),
    ).toMatchObject({
      code: 'AccessDenied',
      message: expect.stringContaining('with an explicit deny in an identity-based policy'),
    });
  });

  it('a role named in an action is also iam:PassRole to ses.amazonaws.com', async () => {
    await root.iam.send(
      new CreateRoleCommand({
        RoleName: 'inbound-writer',
        AssumeRolePolicyDocument: policyDoc({
          Effect: 'Allow',
          Principal: { Service: 'ses.amazonaws.com' },
          Action: 'sts:AssumeRole',
        }),
      }),
    );
    const role = `arn:aws:iam::${ACCOUNT}:role/inbound-writer`;
    const rule = { Name: 'with-role', Actions: [{ S3Action: { BucketName: 'b', IamRoleArn: role } }] };
    const noPass = await userWithPolicy(
      root,
      policyDoc({ Effect: 'Allow', Action: 'ses:CreateReceiptRule', Resource: '*' }),
    );
    expect(
      await failure(
        clientsFor(server, noPass.creds).v1.send(
          new CreateReceiptRuleCommand({ RuleSetName: 'set', Rule: rule }),
        ),
      ),
    ).toEqual({
      code: 'AccessDenied',
      message: `User: ${noPass.arn} is not authorized to perform: iam:PassRole on resource: ${role} because no identity-based policy allows the iam:PassRole action`,
      status: 403,
    });
    const wrongService = await userWithPolicy(
      root,
      policyDoc(
        { Effect: 'Allow', Action: 'ses:CreateReceiptRule', Resource: '*' },
        {
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: role,
          Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
        },
      ),
    );
    expect(
      await failure(
        clientsFor(server, wrongService.creds).v1.send(
          new CreateReceiptRuleCommand({ RuleSetName: 'set', Rule: rule }),
        ),
      ),
    ).toMatchObject({ code: 'AccessDenied', message: expect.stringContaining('iam:PassRole') });
    const pass = await userWithPolicy(
      root,
      policyDoc(
        { Effect: 'Allow', Action: 'ses:CreateReceiptRule', Resource: '*' },
        {
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: role,
          Condition: { StringEquals: { 'iam:PassedToService': 'ses.amazonaws.com' } },
        },
      ),
    );
    await clientsFor(server, pass.creds).v1.send(
      new CreateReceiptRuleCommand({ RuleSetName: 'set', Rule: rule }),
    );
  });

  it('boto3 reads and writes the same rule sets', async () => {
    const out = (await runBoto3(
      server.endpoint,
      server.credentials,
      `
c = client('ses')
c.create_receipt_rule(RuleSetName='set', Rule={'Name': 'py', 'Enabled': True, 'Recipients': ['py@example.com'],
  'Actions': [{'StopAction': {'Scope': 'RuleSet'}}]})
d = c.describe_receipt_rule(RuleSetName='set', RuleName='py')['Rule']
try:
    c.describe_receipt_rule(RuleSetName='set', RuleName='ghost')
except c.exceptions.RuleDoesNotExistException as e:
    missing = e.response['Error']
out({'rule': d, 'missing': missing, 'sets': [s['Name'] for s in c.list_receipt_rule_sets()['RuleSets']]})
`,
    )) as { rule: unknown; missing: { Code: string; Message: string }; sets: string[] };
    expect(out.rule).toEqual({
      Name: 'py',
      Enabled: true,
      TlsPolicy: 'Optional',
      Recipients: ['py@example.com'],
      Actions: [{ StopAction: { Scope: 'RuleSet' } }],
      ScanEnabled: false,
    });
    expect(out.missing).toMatchObject({ Code: 'RuleDoesNotExist', Message: 'Rule does not exist: ghost' });
    expect(out.sets).toContain('set');
  });
});
