// SesameExplanation on the wire: AWS's SDKs parse SimulateCustomPolicy's answer exactly as before
// (the extra element is skipped by the JS SDK v3, boto3 and the aws CLI alike), and a client that
// reads the raw XML (the console does) finds every failed condition with both sides compared.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { execFile } from 'node:child_process';
import { IAMClient, SimulateCustomPolicyCommand } from '@aws-sdk/client-iam';
import { clientConfig, startTestServer, type TestServer } from '../support/server.js';
import { isolatedAwsEnv, pythonExecutable, runAwsCli } from '../support/aws-cli.js';

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'SendFromExample',
      Effect: 'Allow',
      Action: 'ses:SendEmail',
      Resource: '*',
      Condition: { StringLike: { 'ses:FromAddress': '*@example.com' } },
    },
  ],
});
const AWS_RESULT = {
  EvalActionName: 'ses:SendEmail',
  EvalResourceName: '*',
  EvalDecision: 'implicitDeny',
  MatchedStatements: [],
  MissingContextValues: [],
};

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('SesameExplanation and real clients', () => {
  it('the JS SDK v3 parses AWS’s members only; the raw XML carries the explanation', async () => {
    const iam = new IAMClient(clientConfig(server, server.credentials));
    let raw = '';
    // Below the deserializer: sees the HTTP answer first, reads it, hands on the same bytes.
    iam.middlewareStack.add(
      (next) => async (args) => {
        const out = await next(args);
        const res = out.response as { body: unknown };
        const bytes = new Uint8Array(await new Response(res.body as ReadableStream).arrayBuffer());
        raw = new TextDecoder().decode(bytes);
        res.body = bytes;
        return out;
      },
      { step: 'deserialize', priority: 'low', name: 'rawBody' },
    );
    const out = await iam.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [POLICY],
        ActionNames: ['ses:SendEmail'],
        ContextEntries: [
          { ContextKeyName: 'ses:FromAddress', ContextKeyType: 'string', ContextKeyValues: ['a@other.com'] },
        ],
      }),
    );
    expect(out.EvaluationResults).toEqual([AWS_RESULT]);
    const doc = new XMLParser({ isArray: (name) => name === 'member' }).parse(raw) as {
      SimulateCustomPolicyResponse: {
        SimulateCustomPolicyResult: {
          EvaluationResults: { member: { SesameExplanation: Record<string, unknown> }[] };
        };
      };
    };
    const e =
      doc.SimulateCustomPolicyResponse.SimulateCustomPolicyResult.EvaluationResults.member[0]!
        .SesameExplanation;
    expect(e).toEqual({
      DecidedBy: 'identity',
      DecidingStatements: '',
      FailedConditions: {
        member: [
          {
            SourcePolicyId: 'PolicyInputList.1',
            SourcePolicyType: 'none',
            StatementIndex: 0,
            Sid: 'SendFromExample',
            Effect: 'Allow',
            Operator: 'StringLike',
            Key: 'ses:FromAddress',
            PolicyValues: { member: ['*@example.com'] },
            RequestValues: { member: ['a@other.com'] },
            RequestValueMissing: false,
          },
        ],
      },
    });
    iam.destroy();
  });

  it('boto3 parses the same answer, and its raw body has the explanation', async () => {
    const script = `
import boto3, json, os
c = boto3.client('iam', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1')
raw = {}
c.meta.events.register('after-call.iam.SimulateCustomPolicy', lambda http_response, **kw: raw.update(body=http_response.content.decode()))
r = c.simulate_custom_policy(PolicyInputList=[os.environ['POLICY']], ActionNames=['ses:SendEmail'],
    ContextEntries=[{'ContextKeyName': 'ses:FromAddress', 'ContextKeyType': 'string', 'ContextKeyValues': ['a@other.com']}])
print(json.dumps({'results': r['EvaluationResults'], 'raw': raw['body']}))
`;
    const out = await new Promise<string>((resolve, reject) =>
      pythonExecutable().then((py) =>
        execFile(
          py,
          ['-c', script],
          {
            env: { ...isolatedAwsEnv(server.credentials), ENDPOINT: server.endpoint, POLICY },
            timeout: 60_000,
          },
          (err, stdout, stderr) => (err ? reject(new Error(stderr || String(err))) : resolve(stdout)),
        ),
      ),
    );
    const { results, raw } = JSON.parse(out) as { results: unknown; raw: string };
    expect(results).toEqual([AWS_RESULT]);
    expect(raw).toContain(
      '<RequestValues><member>a@other.com</member></RequestValues><RequestValueMissing>false</RequestValueMissing>',
    );
  });

  it('the aws CLI prints AWS’s members only', async () => {
    const r = await runAwsCli(server.endpoint, server.credentials, [
      'iam',
      'simulate-custom-policy',
      '--policy-input-list',
      POLICY,
      '--action-names',
      'ses:SendEmail',
    ]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    // Without the context entry the key is missing; the CLI pages itself (no IsTruncated).
    expect(JSON.parse(r.stdout)).toEqual({
      EvaluationResults: [{ ...AWS_RESULT, MissingContextValues: ['ses:FromAddress'] }],
    });
  });
});
