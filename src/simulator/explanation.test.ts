// SesameExplanation in each EvaluationResult: for a denial the deciding statements and every failed
// condition with the key, the operator, the policy's values and the request's (or missing); for an
// allow the allowing statement.
import { afterAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../api/operation.js';
import { authorizeChecks } from '../authz/index.js';
import { call, testAccount } from '../iam/test-context.js';
import { openTestStore, testDialects, type Store } from '../store/database.js';
import { simulatorOperations } from './index.js';
import type { SimulatePolicyResponse } from './simulate.js';

const A = '111122223333';
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'SendFromExample',
      Effect: 'Allow',
      Action: 'ses:SendEmail',
      Resource: '*',
      Condition: {
        StringLike: { 'ses:FromAddress': '*@example.com' },
        'ForAllValues:StringLike': { 'ses:Recipients': ['*@example.com', '*@example.org'] },
        IpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
      },
    },
    {
      Sid: 'NoRaw',
      Effect: 'Deny',
      Action: 'ses:SendRawEmail',
      Resource: '*',
      Condition: { StringNotEquals: { 'ses:ApiVersion': '2' } },
    },
  ],
});

async function sim(ctx: CallContext, name: string, input: Record<string, unknown>) {
  const op = simulatorOperations[name]!;
  authorizeChecks(ctx, await op.authorize!(ctx, input), 'generic');
  return (await op.handle(ctx, input)) as SimulatePolicyResponse;
}

const entry = (name: string, type: string, ...values: string[]) => ({
  ContextKeyName: name,
  ContextKeyType: type,
  ContextKeyValues: values,
});

describe.each(testDialects())('simulator explanations (%s)', (dialect) => {
  const stores: Store[] = [];
  afterAll(async () => Promise.all(stores.map((s) => s.close())));
  const setup = async () => {
    const store = await openTestStore(dialect);
    stores.push(store);
    return testAccount(store, A);
  };

  it('a denial lists every failed condition with both sides, a missing key as missing', async () => {
    const { ctx } = await setup();
    const out = await sim(ctx, 'SimulateCustomPolicy', {
      PolicyInputList: [POLICY],
      ActionNames: ['ses:SendEmail'],
      ContextEntries: [
        entry('ses:FromAddress', 'string', 'mkt@other.com'),
        entry('ses:Recipients', 'stringList', 'a@example.com', 'b@evil.net'),
      ],
    });
    const r = out.EvaluationResults[0]!;
    expect(r.EvalDecision).toBe('implicitDeny');
    expect(r.SesameExplanation).toEqual({
      DecidedBy: 'identity',
      DecidingStatements: [],
      FailedConditions: [
        {
          SourcePolicyId: 'PolicyInputList.1',
          SourcePolicyType: 'none',
          StatementIndex: 0,
          Sid: 'SendFromExample',
          Effect: 'Allow',
          Operator: 'StringLike',
          Key: 'ses:FromAddress',
          PolicyValues: ['*@example.com'],
          RequestValues: ['mkt@other.com'],
          RequestValueMissing: false,
        },
        {
          SourcePolicyId: 'PolicyInputList.1',
          SourcePolicyType: 'none',
          StatementIndex: 0,
          Sid: 'SendFromExample',
          Effect: 'Allow',
          Operator: 'ForAllValues:StringLike',
          Key: 'ses:Recipients',
          PolicyValues: ['*@example.com', '*@example.org'],
          RequestValues: ['a@example.com', 'b@evil.net'],
          RequestValueMissing: false,
        },
        {
          SourcePolicyId: 'PolicyInputList.1',
          SourcePolicyType: 'none',
          StatementIndex: 0,
          Sid: 'SendFromExample',
          Effect: 'Allow',
          Operator: 'IpAddress',
          Key: 'aws:SourceIp',
          PolicyValues: ['10.0.0.0/8'],
          RequestValueMissing: true,
        },
      ],
    });
  });

  it('an allow names the allowing statement; an explicit deny the denying one', async () => {
    const { ctx } = await setup();
    const out = await sim(ctx, 'SimulateCustomPolicy', {
      PolicyInputList: [POLICY],
      ActionNames: ['ses:SendEmail', 'ses:SendRawEmail'],
      ContextEntries: [
        entry('ses:FromAddress', 'string', 'a@example.com'),
        entry('ses:Recipients', 'stringList', 'x@example.org'),
        entry('aws:SourceIp', 'ip', '10.1.2.3'),
        entry('ses:ApiVersion', 'string', '1'),
      ],
    });
    const [send, raw] = out.EvaluationResults;
    expect(send!.EvalDecision).toBe('allowed');
    expect(send!.SesameExplanation).toEqual({
      DecidedBy: 'identity',
      DecidingStatements: [
        {
          SourcePolicyId: 'PolicyInputList.1',
          SourcePolicyType: 'none',
          StatementIndex: 0,
          Sid: 'SendFromExample',
          Effect: 'Allow',
        },
      ],
      FailedConditions: [],
    });
    expect(raw!.EvalDecision).toBe('explicitDeny');
    expect(raw!.SesameExplanation!.DecidingStatements).toEqual([
      {
        SourcePolicyId: 'PolicyInputList.1',
        SourcePolicyType: 'none',
        StatementIndex: 1,
        Sid: 'NoRaw',
        Effect: 'Deny',
      },
    ]);
  });

  it('SimulatePrincipalPolicy names the user’s policy as AWS does, and a failed Deny condition says Deny', async () => {
    const { ctx } = await setup();
    await call(ctx, 'CreateUser', { UserName: 'alice' });
    await call(ctx, 'PutUserPolicy', { UserName: 'alice', PolicyName: 'Mail', PolicyDocument: POLICY });
    const out = await sim(ctx, 'SimulatePrincipalPolicy', {
      PolicySourceArn: `arn:aws:iam::${A}:user/alice`,
      ActionNames: ['ses:SendRawEmail'],
      ContextEntries: [entry('ses:ApiVersion', 'string', '2')],
    });
    const r = out.EvaluationResults[0]!;
    expect(r.EvalDecision).toBe('implicitDeny');
    expect(r.SesameExplanation!.FailedConditions).toEqual([
      {
        SourcePolicyId: 'Mail',
        SourcePolicyType: 'user',
        StatementIndex: 1,
        Sid: 'NoRaw',
        Effect: 'Deny',
        Operator: 'StringNotEquals',
        Key: 'ses:ApiVersion',
        PolicyValues: ['2'],
        RequestValues: ['2'],
        RequestValueMissing: false,
      },
    ]);
  });
});
