// Evaluation and API semantics decided as AWS decides them, through the real clients on both store
// engines: Allow + NotPrincipal in an SES identity policy, the simulator's per-resource owner and
// required caller, and the SES identity-policy and MAIL FROM answers of the API reference.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulateCustomPolicyCommand } from '@aws-sdk/client-iam';
import { PutIdentityPolicyCommand, SetIdentityMailFromDomainCommand } from '@aws-sdk/client-ses';
import {
  DeleteEmailIdentityPolicyCommand,
  GetEmailIdentityPoliciesCommand,
  SendEmailCommand,
  SESv2Client,
  UpdateEmailIdentityPolicyCommand,
} from '@aws-sdk/client-sesv2';
import { testDialects } from '../../src/store/database.js';
import { runAwsCli } from '../support/aws-cli.js';
import { ACCOUNT, clientConfig, startTestServer, type TestServer } from '../support/server.js';
import {
  errorOf,
  identityArn,
  policyDoc,
  secondAccount,
  sendDenied,
  userWithPolicy,
  v2SendInput,
  sendingServer,
  type Clients,
} from '../support/ses-fixtures.js';

const DOMAIN = identityArn(ACCOUNT, 'example.com');

describe.each(testDialects())('decisions and answers as AWS gives them (%s)', (dialect) => {
  let server: TestServer;
  let root: Clients;
  beforeAll(async () => {
    ({ server, root } = await sendingServer((env) => startTestServer(env, dialect)));
  });
  afterAll(async () => server?.stop());

  it('Allow + NotPrincipal in an identity policy: every principal but the named one may send', async () => {
    // Neither user has an identity policy: only the identity's own policy can let them send.
    const alice = await userWithPolicy(root, undefined);
    const bob = await userWithPolicy(root, undefined);
    await root.v1.send(
      new PutIdentityPolicyCommand({
        Identity: 'example.com',
        PolicyName: 'AllButBob',
        Policy: policyDoc({
          Effect: 'Allow',
          NotPrincipal: { AWS: bob.arn },
          Action: 'ses:SendEmail',
          Resource: DOMAIN,
        }),
      }),
    );
    const send = (creds: typeof alice.creds) =>
      new SESv2Client(clientConfig(server, creds)).send(
        new SendEmailCommand(v2SendInput({ from: 'app@example.com' })),
      );
    expect((await send(alice.creds)).MessageId).toBeTruthy();
    expect(await errorOf(send(bob.creds))).toEqual({
      name: 'AccessDeniedException',
      status: 403,
      message: sendDenied(bob.arn, 'ses:SendEmail', DOMAIN),
    });
    await root.v2.send(
      new DeleteEmailIdentityPolicyCommand({ EmailIdentity: 'example.com', PolicyName: 'AllButBob' }),
    );
    expect((await errorOf(send(alice.creds))).status).toBe(403);
  });

  it('the simulator owns each resource by its ARN’s account, and asks for a caller with a resource policy', async () => {
    const partner = await secondAccount(server);
    const carol = `arn:aws:iam::${ACCOUNT}:user/carol`;
    const theirs = identityArn(partner.accountId, 'partner.example');
    const resourcePolicy = policyDoc({
      Effect: 'Allow',
      Principal: { AWS: carol },
      Action: 'ses:SendEmail',
      Resource: '*',
    });
    const quotaOnly = policyDoc({ Effect: 'Allow', Action: 'ses:GetSendQuota', Resource: '*' });
    const out = await root.iam.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [quotaOnly],
        ActionNames: ['ses:SendEmail'],
        ResourceArns: [DOMAIN, theirs],
        ResourcePolicy: resourcePolicy,
        CallerArn: carol,
      }),
    );
    expect(out.EvaluationResults?.map((r) => [r.EvalResourceName, r.EvalDecision])).toEqual([
      [DOMAIN, 'allowed'],
      [theirs, 'implicitDeny'],
    ]);
    expect(out.EvaluationResults?.[1]?.EvalDecisionDetails).toEqual({
      'IAM Policy': 'implicitDeny',
      'Resource Policy': 'allowed',
    });
    const cli = await runAwsCli(server.endpoint, server.credentials, [
      'iam',
      'simulate-custom-policy',
      '--policy-input-list',
      quotaOnly,
      '--action-names',
      'ses:SendEmail',
      '--resource-policy',
      resourcePolicy,
    ]);
    expect(cli.exitCode).not.toBe(0);
    expect(cli.stderr).toContain(
      'An error occurred (InvalidInput) when calling the SimulateCustomPolicy operation: Invalid caller - Caller must be an IAM user in this context.',
    );
  });

  it('SES identity policies: v2 Update and Delete succeed for any name; the text comes back as submitted', async () => {
    const pretty = JSON.stringify(
      JSON.parse(
        policyDoc({
          Effect: 'Allow',
          Principal: { AWS: ACCOUNT },
          Action: 'ses:SendEmail',
          Resource: DOMAIN,
        }),
      ),
      null,
      2,
    );
    await root.v2.send(
      new DeleteEmailIdentityPolicyCommand({ EmailIdentity: 'example.com', PolicyName: 'never-there' }),
    );
    await root.v2.send(
      new UpdateEmailIdentityPolicyCommand({
        EmailIdentity: 'example.com',
        PolicyName: 'Pretty',
        Policy: pretty,
      }),
    );
    const got = await root.v2.send(new GetEmailIdentityPoliciesCommand({ EmailIdentity: 'example.com' }));
    expect(got.Policies?.Pretty).toBe(pretty);
    await root.v2.send(
      new DeleteEmailIdentityPolicyCommand({ EmailIdentity: 'example.com', PolicyName: 'Pretty' }),
    );
    // The identity itself must still exist.
    expect(
      await errorOf(
        root.v2.send(
          new DeleteEmailIdentityPolicyCommand({ EmailIdentity: 'nowhere.example', PolicyName: 'p' }),
        ),
      ),
    ).toMatchObject({ name: 'NotFoundException', status: 404 });
  });

  it('SetIdentityMailFromDomain on an identity that does not exist: InvalidParameterValue', async () => {
    expect(
      await errorOf(
        root.v1.send(
          new SetIdentityMailFromDomainCommand({
            Identity: 'nowhere.example',
            MailFromDomain: 'bounce.nowhere.example',
          }),
        ),
      ),
    ).toEqual({
      name: 'InvalidParameterValue',
      status: 400,
      message: 'Identity <nowhere.example> does not exist.',
    });
  });
});
