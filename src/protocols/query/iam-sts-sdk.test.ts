// IAM and STS through @aws-sdk/client-iam / client-sts against the codec-only server.
import {
  CreateUserCommand,
  GetAccountAuthorizationDetailsCommand,
  IAMClient,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsError } from '../../errors/aws-error.js';
import { startCodecServer, type CodecServer } from '../codec-server.js';
import { loadModel } from '../model.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
let iamServer: CodecServer;
let stsServer: CodecServer;
let iam: IAMClient;
let sts: STSClient;

beforeAll(async () => {
  iamServer = await startCodecServer(loadModel('iam'));
  stsServer = await startCodecServer(loadModel('sts'));
  iam = new IAMClient({ region: 'us-east-1', endpoint: iamServer.endpoint, credentials, maxAttempts: 1 });
  sts = new STSClient({ region: 'us-east-1', endpoint: stsServer.endpoint, credentials, maxAttempts: 1 });
});
afterAll(async () => {
  iam.destroy();
  sts.destroy();
  await Promise.all([iamServer.close(), stsServer.close()]);
});

async function rejection(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

const created = new Date('2026-11-28T11:45:00Z');
const alice = {
  Path: '/eng/',
  UserName: 'alice',
  UserId: 'AIDAEXAMPLE1234567890',
  Arn: 'arn:aws:iam::123456789012:user/eng/alice',
  CreateDate: created,
  Tags: [{ Key: 'team', Value: 'mail & <ops>' }],
};

describe('IAM over the real SDK', () => {
  it('CreateUser: tags in, a user with a timestamp (and XML-escaped text) out', async () => {
    iamServer.answers.CreateUser = { User: alice };
    const out = await iam.send(
      new CreateUserCommand({
        UserName: 'alice',
        Path: '/eng/',
        Tags: [{ Key: 'team', Value: 'mail:ops/é' }],
      }),
    );
    expect(out.User).toEqual(alice);
    expect(iamServer.calls.at(-1)).toEqual({
      operation: 'CreateUser',
      input: { UserName: 'alice', Path: '/eng/', Tags: [{ Key: 'team', Value: 'mail:ops/é' }] },
    });
  });

  it('ListUsers: integer parameter, list of users, boolean and marker', async () => {
    iamServer.answers.ListUsers = {
      Users: [alice, { ...alice, UserName: 'bob', Tags: undefined }],
      IsTruncated: true,
      Marker: 'm2',
    };
    const out = await iam.send(new ListUsersCommand({ MaxItems: 2, PathPrefix: '/eng/' }));
    expect(out.Users).toEqual([alice, { ...alice, UserName: 'bob', Tags: undefined }]);
    expect(out.IsTruncated).toBe(true);
    expect(out.Marker).toBe('m2');
    expect(iamServer.calls.at(-1)!.input).toEqual({ MaxItems: 2, PathPrefix: '/eng/' });
  });

  it('GetAccountAuthorizationDetails: lists nested in lists', async () => {
    const details = {
      UserDetailList: [
        {
          UserName: 'alice',
          CreateDate: created,
          UserPolicyList: [
            { PolicyName: 'inline', PolicyDocument: '%7B%22Version%22%3A%222012-10-17%22%7D' },
          ],
          GroupList: ['admins', 'mailers'],
          AttachedManagedPolicies: [
            { PolicyName: 'SesFull', PolicyArn: 'arn:aws:iam::aws:policy/AmazonSESFullAccess' },
          ],
        },
      ],
      Policies: [
        {
          PolicyName: 'SesFull',
          AttachmentCount: 1,
          IsAttachable: false,
          PolicyVersionList: [
            { VersionId: 'v1', IsDefaultVersion: true, CreateDate: created, Document: '{}' },
          ],
        },
      ],
      IsTruncated: false,
    };
    iamServer.answers.GetAccountAuthorizationDetails = details;
    const out = await iam.send(
      new GetAccountAuthorizationDetailsCommand({ Filter: ['User', 'LocalManagedPolicy'] }),
    );
    expect({
      UserDetailList: out.UserDetailList,
      Policies: out.Policies,
      IsTruncated: out.IsTruncated,
    }).toEqual(details);
    expect(iamServer.calls.at(-1)!.input).toEqual({ Filter: ['User', 'LocalManagedPolicy'] });
  });

  it('errors: modeled NoSuchEntity 404, and the model constraints in AWS words', async () => {
    const amp = iam.send(new CreateUserCommand({ UserName: 'ok', Tags: [{ Key: 'team', Value: 'a&b' }] }));
    expect(await rejection(amp)).toEqual({
      name: 'ValidationError',
      message:
        "1 validation error detected: Value 'a&b' at 'tags.1.member.value' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*',
      status: 400,
    });
    iamServer.answers.CreateUser = new AwsError(
      'NoSuchEntity',
      'The user with name bob cannot be found.',
      404,
    );
    expect(await rejection(iam.send(new CreateUserCommand({ UserName: 'bob' })))).toEqual({
      name: 'NoSuchEntityException',
      message: 'The user with name bob cannot be found.',
      status: 404,
    });
    const bad = iam.send(
      new CreateUserCommand({
        UserName: 'a'.repeat(65),
        Tags: [{ Key: 'k' } as { Key: string; Value: string }],
      }),
    );
    expect(await rejection(bad)).toEqual({
      name: 'ValidationError',
      message:
        `2 validation errors detected: Value '${'a'.repeat(65)}' at 'userName' failed to satisfy constraint: ` +
        'Member must have length less than or equal to 64; ' +
        "Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null",
      status: 400,
    });
  });
});

describe('STS over the real SDK', () => {
  it('AssumeRole: credentials with expiration, assumed-role user, packed policy size', async () => {
    const expiration = new Date('2026-11-28T12:45:00Z');
    stsServer.answers.AssumeRole = {
      Credentials: {
        AccessKeyId: 'ASIAEXAMPLE',
        SecretAccessKey: 's/k+ey',
        SessionToken: 'tok==',
        Expiration: expiration,
      },
      AssumedRoleUser: {
        AssumedRoleId: 'AROAEXAMPLE:sess',
        Arn: 'arn:aws:sts::123456789012:assumed-role/r/sess',
      },
      PackedPolicySize: 6,
    };
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: 'arn:aws:iam::123456789012:role/r',
        RoleSessionName: 'sess',
        DurationSeconds: 900,
        Tags: [{ Key: 'project', Value: 'mail' }],
        TransitiveTagKeys: ['project'],
        PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
      }),
    );
    expect(out.Credentials).toEqual({
      AccessKeyId: 'ASIAEXAMPLE',
      SecretAccessKey: 's/k+ey',
      SessionToken: 'tok==',
      Expiration: expiration,
    });
    expect(out.AssumedRoleUser).toEqual({
      AssumedRoleId: 'AROAEXAMPLE:sess',
      Arn: 'arn:aws:sts::123456789012:assumed-role/r/sess',
    });
    expect(out.PackedPolicySize).toBe(6);
    expect(stsServer.calls.at(-1)!.input).toEqual({
      RoleArn: 'arn:aws:iam::123456789012:role/r',
      RoleSessionName: 'sess',
      DurationSeconds: 900,
      Tags: [{ Key: 'project', Value: 'mail' }],
      TransitiveTagKeys: ['project'],
      PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
    });
  });

  it('errors: AccessDenied 403; out-of-range duration and short session name', async () => {
    stsServer.answers.GetCallerIdentity = new AwsError('AccessDenied', 'Not authorized.', 403);
    expect(await rejection(sts.send(new GetCallerIdentityCommand({})))).toEqual({
      name: 'AccessDenied',
      message: 'Not authorized.',
      status: 403,
    });
    const bad = sts.send(
      new AssumeRoleCommand({
        RoleArn: 'arn:aws:iam::123456789012:role/r',
        RoleSessionName: 's!',
        DurationSeconds: 60,
      }),
    );
    expect(await rejection(bad)).toEqual({
      name: 'ValidationError',
      message:
        "2 validation errors detected: Value 's!' at 'roleSessionName' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: [\\w+=,.@-]*; ' +
        "Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
      status: 400,
    });
  });
});
