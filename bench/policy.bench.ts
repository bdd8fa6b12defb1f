// Policy decision benchmark: Sesame's authorize() vs @cloud-copilot/iam-simulate (AGPL, used here
// only as a measuring stick) on the same inputs. Workload: a user with 3 policies / 22 statements
// with SES conditions, plus the SES documentation example policies. Run: npx tsx bench/policy.bench.ts

import { pathToFileURL } from 'node:url';
import { runUnsafeSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { authorize } from '../src/policy/authorize.js';
import { parsePolicy } from '../src/policy/parse.js';
import type { AuthorizationRequest, NamedPolicy, RequestContext } from '../src/policy/request.js';

const A = '111122223333';
const ID = (n: string) => `arn:aws:ses:us-east-1:${A}:identity/${n}`;
const USER = `arn:aws:iam::${A}:user/mailer`;

type Doc = { Version: string; Statement: Record<string, unknown>[] };

const sending: Doc = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'SendFromMarketing',
      Effect: 'Allow',
      Action: ['ses:SendEmail', 'ses:SendRawEmail'],
      Resource: [ID('example.com'), ID('marketing@example.com')],
      Condition: {
        StringEquals: { 'ses:FromAddress': ['marketing@example.com', 'news@example.com'] },
        'ForAllValues:StringLike': { 'ses:Recipients': ['*@example.com', '*@partner.org'] },
      },
    },
    {
      Sid: 'SendTemplated',
      Effect: 'Allow',
      Action: ['ses:SendTemplatedEmail', 'ses:SendBulkTemplatedEmail'],
      Resource: [ID('example.com'), `arn:aws:ses:us-east-1:${A}:template/*`],
      Condition: { StringLike: { 'ses:FromDisplayName': 'Marketing*' } },
    },
    {
      Sid: 'Bounce',
      Effect: 'Allow',
      Action: 'ses:SendBounce',
      Resource: '*',
      Condition: { StringEquals: { 'ses:FromAddress': 'bounce@example.com' } },
    },
    {
      Sid: 'Feedback',
      Effect: 'Allow',
      Action: 'ses:SendRawEmail',
      Resource: ID('example.com'),
      Condition: { StringEquals: { 'ses:FeedbackAddress': 'feedback@example.com' } },
    },
    {
      Sid: 'V2Only',
      Effect: 'Allow',
      Action: 'ses:SendEmail',
      Resource: ID('example.org'),
      Condition: { StringEquals: { 'ses:ApiVersion': '2' } },
    },
    {
      Sid: 'BusinessHours',
      Effect: 'Deny',
      Action: 'ses:Send*',
      Resource: '*',
      Condition: { DateLessThan: { 'aws:CurrentTime': '2018-08-31T12:00Z' } },
    },
    {
      Sid: 'NoEvilRecipients',
      Effect: 'Deny',
      Action: 'ses:Send*',
      Resource: '*',
      Condition: { 'ForAnyValue:StringLike': { 'ses:Recipients': ['*@evil.com', '*@*.evil.com'] } },
    },
    {
      Sid: 'OfficeNetwork',
      Effect: 'Deny',
      Action: 'ses:Send*',
      Resource: '*',
      Condition: {
        NotIpAddressIfExists: { 'aws:SourceIp': ['10.0.0.0/8', '192.0.2.0/24', '2001:db8::/32'] },
      },
    },
  ],
};
const management: Doc = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Read', Effect: 'Allow', Action: ['ses:Get*', 'ses:List*', 'ses:Describe*'], Resource: '*' },
    {
      Sid: 'Identities',
      Effect: 'Allow',
      Action: ['ses:VerifyEmailIdentity', 'ses:VerifyDomainIdentity', 'ses:CreateEmailIdentity'],
      Resource: '*',
      Condition: { Bool: { 'aws:SecureTransport': 'true' } },
    },
    {
      Sid: 'Policies',
      Effect: 'Allow',
      Action: ['ses:PutIdentityPolicy', 'ses:DeleteIdentityPolicy'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:username': 'mailer' } },
    },
    {
      Sid: 'Templates',
      Effect: 'Allow',
      Action: ['ses:CreateTemplate', 'ses:UpdateTemplate', 'ses:DeleteTemplate'],
      Resource: `arn:aws:ses:us-east-1:${A}:template/\${aws:username}-*`,
    },
    {
      Sid: 'ConfigSets',
      Effect: 'Allow',
      Action: 'ses:*ConfigurationSet*',
      Resource: `arn:aws:ses:*:${A}:configuration-set/*`,
      Condition: { StringEqualsIfExists: { 'aws:RequestedRegion': 'us-east-1' } },
    },
    {
      Sid: 'NoDelete',
      Effect: 'Deny',
      Action: ['ses:DeleteIdentity', 'ses:DeleteEmailIdentity'],
      Resource: '*',
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    },
    {
      Sid: 'Suppression',
      Effect: 'Allow',
      Action: 'ses:*SuppressedDestination*',
      Resource: '*',
      Condition: { NumericLessThan: { 'aws:EpochTime': '1900000000' } },
    },
    {
      Sid: 'Account',
      Effect: 'Allow',
      Action: ['ses:GetAccount', 'ses:PutAccountDetails'],
      Resource: '*',
      Condition: { StringEquals: { 'ses:ApiVersion': '2' } },
    },
  ],
};
const other: Doc = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Logs',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: 'arn:aws:s3:::mail-archive/${aws:username}/*',
    },
    { Sid: 'Topics', Effect: 'Allow', Action: 'sns:Publish', Resource: `arn:aws:sns:us-east-1:${A}:ses-*` },
    {
      Sid: 'Kms',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: { StringLike: { 'kms:ViaService': 'ses.*.amazonaws.com' } },
    },
    {
      Sid: 'NoIam',
      Effect: 'Deny',
      NotAction: ['ses:*', 's3:*', 'sns:*', 'kms:*', 'sts:GetCallerIdentity'],
      Resource: '*',
    },
    { Sid: 'Cw', Effect: 'Allow', Action: 'cloudwatch:GetMetricData', Resource: '*' },
    {
      Sid: 'NoSandboxEscape',
      Effect: 'Deny',
      Action: 'ses:PutAccountDetails',
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:PrincipalTag/team': 'platform' } },
    },
  ],
};
// The SES developer guide examples (docs/spec/ses.md §0), as extra identity policies of a second user.
const examples: Doc[] = [
  {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['ses:*'],
        Resource: '*',
        Condition: { StringEquals: { 'ses:ApiVersion': '2' } },
      },
    ],
  },
  {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['ses:SendEmail', 'ses:SendRawEmail'],
        Resource: '*',
        Condition: {
          DateGreaterThan: { 'aws:CurrentTime': '2018-08-31T12:00Z' },
          DateLessThan: { 'aws:CurrentTime': '2030-08-31T12:00Z' },
        },
      },
    ],
  },
  {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['ses:SendEmail', 'ses:SendRawEmail'],
        Resource: '*',
        Condition: { 'ForAllValues:StringLike': { 'ses:Recipients': ['*@example.com'] } },
      },
    ],
  },
  {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['ses:SendEmail', 'ses:SendRawEmail'],
        Resource: '*',
        Condition: { StringEquals: { 'ses:FromAddress': 'marketing@example.com' } },
      },
    ],
  },
  {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['ses:SendBounce'],
        Resource: '*',
        Condition: { StringEquals: { 'ses:FromAddress': 'bounce@example.com' } },
      },
    ],
  },
  {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['ses:SendEmail', 'ses:SendRawEmail'],
        Resource: '*',
        Condition: { StringLike: { 'ses:FromDisplayName': 'Marketing' } },
      },
    ],
  },
  {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['ses:SendEmail', 'ses:SendRawEmail'],
        Resource: '*',
        Condition: { StringEquals: { 'ses:FeedbackAddress': 'feedback@example.com' } },
      },
    ],
  },
  {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['ses:GetSendQuota'], Resource: '*' },
      { Effect: 'Allow', Action: ['ses:SendEmail', 'ses:SendRawEmail'], Resource: [ID('example.com')] },
    ],
  },
];

function toNamed(doc: Doc, id: string): NamedPolicy {
  const text = JSON.stringify(doc);
  const r = parsePolicy(text);
  if (!r.ok) throw new Error(`${id}: ${JSON.stringify(r.errors)}`);
  return { id, source: 'user', policy: r.policy, text };
}

interface Case {
  action: string;
  resource: string;
  context: Record<string, string | string[]>;
  docs: Doc[];
}

const base = {
  'aws:CurrentTime': '2026-03-01T10:00:00Z',
  'aws:EpochTime': '1772359200',
  'aws:SourceIp': '10.1.2.3',
  'aws:SecureTransport': 'true',
  'aws:username': 'mailer',
  'ses:ApiVersion': '2',
};
const mail = {
  'ses:FromAddress': 'marketing@example.com',
  'ses:FromDisplayName': 'Marketing',
  'ses:FeedbackAddress': 'feedback@example.com',
  'ses:Recipients': ['a@example.com', 'b@partner.org', 'c@example.com'],
};
const userDocs = [sending, management, other];
const CASES: Case[] = [
  { action: 'ses:SendRawEmail', resource: ID('example.com'), context: { ...base, ...mail }, docs: userDocs },
  {
    action: 'ses:SendEmail',
    resource: ID('example.com'),
    context: { ...base, ...mail, 'ses:Recipients': ['a@example.com', 'x@evil.com'] },
    docs: userDocs,
  },
  { action: 'ses:SendEmail', resource: ID('other.com'), context: { ...base, ...mail }, docs: userDocs },
  { action: 'ses:GetSendQuota', resource: '*', context: base, docs: userDocs },
  {
    action: 'ses:CreateTemplate',
    resource: `arn:aws:ses:us-east-1:${A}:template/mailer-welcome`,
    context: base,
    docs: userDocs,
  },
  { action: 'iam:CreateUser', resource: `arn:aws:iam::${A}:user/x`, context: base, docs: userDocs },
  { action: 'ses:SendRawEmail', resource: ID('example.com'), context: { ...base, ...mail }, docs: examples },
  {
    action: 'ses:SendBounce',
    resource: ID('example.com'),
    context: { ...base, 'ses:FromAddress': 'bounce@example.com' },
    docs: examples,
  },
];

function sesameRequests(explain: boolean): AuthorizationRequest[] {
  return CASES.map((c, i) => ({
    principal: { kind: 'User', arn: USER, accountId: A },
    action: c.action,
    resource: c.resource,
    // authz/ builds contexts with lower-cased keys (a mixed-case context costs one copy).
    context: Object.fromEntries(
      Object.entries(c.context).map(([k, v]) => [k.toLowerCase(), v]),
    ) as RequestContext,
    identityPolicies: c.docs.map((d, j) => toNamed(d, `case${i}-p${j}`)),
    explain,
  }));
}

function peerSimulations(): Simulation[] {
  return CASES.map((c) => ({
    identityPolicies: c.docs.map((d, j) => ({ name: `p${j}`, policy: d })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    request: {
      action: c.action,
      principal: USER,
      resource: { resource: c.resource, accountId: A },
      contextVariables: c.context,
    },
  })) as unknown as Simulation[];
}

/** Median ns per decision over `rounds` timed rounds of `batch` passes over all inputs. */
function measure(fn: (i: number) => void, n: number, batch: number, rounds: number): number {
  for (let i = 0; i < batch * n; i++) fn(i % n); // warm-up
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let b = 0; b < batch; b++) for (let i = 0; i < n; i++) fn(i);
    samples.push(Number(process.hrtime.bigint() - t0) / (batch * n));
  }
  samples.sort((x, y) => x - y);
  return samples[Math.floor(samples.length / 2)]!;
}

export interface PolicyBenchResult {
  bench: 'policy.decision';
  explain: boolean;
  sesame_ops: number;
  peer: 'iam-simulate';
  peer_ops: number;
  ratio: number;
  median_ns: number;
  peer_median_ns: number;
  decisions_agree: boolean;
}

export async function runPolicyBench(opts: { rounds?: number } = {}): Promise<PolicyBenchResult[]> {
  const rounds = opts.rounds ?? 25;
  const sims = peerSimulations();
  const toPeer = {
    Allowed: 'Allowed',
    ExplicitDeny: 'ExplicitlyDenied',
    ImplicitDeny: 'ImplicitlyDenied',
  } as const;
  const plain = sesameRequests(false);
  const agree = plain.every((r, i) => toPeer[authorize(r).decision] === runUnsafeSimulation(sims[i]!, {}));
  let sink = 0;
  const peerNs = measure(
    (i) => {
      sink += runUnsafeSimulation(sims[i]!, {}).length;
    },
    sims.length,
    20,
    Math.max(5, Math.floor(rounds / 3)),
  );
  const out: PolicyBenchResult[] = [];
  for (const explain of [false, true]) {
    const reqs = sesameRequests(explain);
    const ns = measure(
      (i) => {
        sink += authorize(reqs[i]!).matched.length;
      },
      reqs.length,
      2000,
      rounds,
    );
    out.push({
      bench: 'policy.decision',
      explain,
      sesame_ops: Math.round(1e9 / ns),
      peer: 'iam-simulate',
      peer_ops: Math.round(1e9 / peerNs),
      ratio: Math.round((peerNs / ns) * 10) / 10,
      median_ns: Math.round(ns),
      peer_median_ns: Math.round(peerNs),
      decisions_agree: agree,
    });
  }
  if (sink === -1) console.log(sink);
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of await runPolicyBench()) console.log(JSON.stringify(r));
}
