// VPC interface endpoints (SESAME_VPC_*): the extra HTTP and SMTP listeners stand for endpoint
// vpce-… of VPC vpc-…, so requests there carry aws:SourceVpce, aws:SourceVpc and aws:VpcSourceIp
// and no aws:SourceIp, as on AWS; requests on the public listeners carry none of the three. The
// usual endpoint policies, through the real SDK and nodemailer, on both store engines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { smtpPasswordV4 } from '../../src/auth/smtp-password.js';
import { queryAuditEvents } from '../../src/audit/audit-query.js';
import { testDialects } from '../../src/store/database.js';
import { ACCOUNT, clientConfig, freePort, startTestServer, type TestServer } from '../support/server.js';
import {
  clientsFor,
  errorOf,
  identityArn,
  policyDoc,
  sendDenied,
  userWithPolicy,
  v2SendInput,
  sendingServer,
  type Creds,
} from '../support/ses-fixtures.js';

const VPCE = 'vpce-0a1b2c3d4e5f60718';
const VPC = 'vpc-0123456789abcdef0';
const FROM = 'app@example.com';
const DOMAIN = identityArn(ACCOUNT, 'example.com');

const allowSend = (condition: object) =>
  policyDoc({ Effect: 'Allow', Action: 'ses:SendEmail', Resource: '*', Condition: condition });

describe.each(testDialects())('VPC interface endpoint listeners (%s)', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    ({ server } = await sendingServer((env) => startTestServer(env, dialect), {
      SESAME_VPC_HTTP_PORT: String(await freePort()),
      SESAME_VPC_SMTP_PORT: String(await freePort()),
      SESAME_VPC_ENDPOINT_ID: VPCE,
      SESAME_VPC_ID: VPC,
      // The tests' own address is a trusted proxy: X-Forwarded-For is believed when sent.
      SESAME_TRUSTED_PROXIES: '127.0.0.1',
    }));
  });
  afterAll(async () => server?.stop());

  /** SES v2 clients of one user on the public listener and on the endpoint's. */
  async function userWith(policy: string, headers: Record<string, string> = {}) {
    const root = clientsFor(server, server.credentials);
    const u = await userWithPolicy(root, policy);
    const publicClient = new SESv2Client(clientConfig(server, u.creds));
    const vpcClient = new SESv2Client({ ...clientConfig(server, u.creds), endpoint: server.vpc.endpoint! });
    vpcClient.middlewareStack.add(
      (next) => async (args) => {
        Object.assign((args.request as { headers: Record<string, string> }).headers, headers);
        return next(args);
      },
      { step: 'build', name: 'forwardedFor' },
    );
    return { ...u, publicClient, vpcClient };
  }
  const send = (c: SESv2Client) => c.send(new SendEmailCommand(v2SendInput({ from: FROM })));
  const denied = (arn: string) => ({
    name: 'AccessDeniedException',
    status: 403,
    message: sendDenied(arn, 'ses:SendEmail', DOMAIN),
  });

  it('serves the same API there: STS answers, and a claimed route (/health) too', async () => {
    expect(server.vpc.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.vpc.endpoint).not.toBe(server.endpoint);
    const sts = new STSClient({
      ...clientConfig(server, server.credentials),
      endpoint: server.vpc.endpoint!,
    });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe(ACCOUNT);
    const health = await fetch(`${server.vpc.endpoint}/health`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
  });

  it('Allow only with StringEquals aws:SourceVpce: allowed through the endpoint, denied on the public listener', async () => {
    const u = await userWith(allowSend({ StringEquals: { 'aws:SourceVpce': VPCE } }));
    expect((await send(u.vpcClient)).MessageId).toBeTruthy();
    expect(await errorOf(send(u.publicClient))).toEqual(denied(u.arn));
    const other = await userWith(allowSend({ StringEquals: { 'aws:SourceVpce': 'vpce-00000000000000000' } }));
    expect(await errorOf(send(other.vpcClient))).toEqual(denied(other.arn));
    const byVpc = await userWith(allowSend({ StringEquals: { 'aws:SourceVpc': VPC } }));
    expect((await send(byVpc.vpcClient)).MessageId).toBeTruthy();
    expect(await errorOf(send(byVpc.publicClient))).toEqual(denied(byVpc.arn));
  });

  it('Deny with StringNotEquals aws:SourceVpce: an explicit deny everywhere but the endpoint', async () => {
    const u = await userWith(
      policyDoc(
        { Effect: 'Allow', Action: 'ses:SendEmail', Resource: '*' },
        {
          Effect: 'Deny',
          Action: 'ses:*',
          Resource: '*',
          Condition: { StringNotEquals: { 'aws:SourceVpce': VPCE } },
        },
      ),
    );
    expect((await send(u.vpcClient)).MessageId).toBeTruthy();
    expect(await errorOf(send(u.publicClient))).toEqual(denied(u.arn));
    const [last] = await queryAuditEvents(server.app.store, { principalArn: u.arn, limit: 1 });
    expect([last!.decision, last!.vpcEndpointId]).toEqual(['ExplicitDeny', null]);
  });

  it('IpAddress aws:VpcSourceIp matches the client through the endpoint; aws:SourceIp is absent there', async () => {
    const loopback = await userWith(allowSend({ IpAddress: { 'aws:VpcSourceIp': '127.0.0.0/8' } }));
    expect((await send(loopback.vpcClient)).MessageId).toBeTruthy();
    expect(await errorOf(send(loopback.publicClient))).toEqual(denied(loopback.arn));
    const elsewhere = await userWith(allowSend({ IpAddress: { 'aws:VpcSourceIp': '10.0.0.0/8' } }));
    expect(await errorOf(send(elsewhere.vpcClient))).toEqual(denied(elsewhere.arn));
    const sourceIp = await userWith(allowSend({ IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } }));
    expect((await send(sourceIp.publicClient)).MessageId).toBeTruthy();
    expect(await errorOf(send(sourceIp.vpcClient))).toEqual(denied(sourceIp.arn));
  });

  it('behind a trusted proxy the endpoint’s source IP is the forwarded hop, and the audit names the endpoint', async () => {
    const policy = allowSend({ IpAddress: { 'aws:VpcSourceIp': '10.20.30.0/24' } });
    const forwarded = await userWith(policy, { 'x-forwarded-for': '10.20.30.40' });
    const sent = await send(forwarded.vpcClient);
    expect(sent.MessageId).toBeTruthy();
    const direct = await userWith(policy);
    expect(await errorOf(send(direct.vpcClient))).toEqual(denied(direct.arn));
    const [record] = await queryAuditEvents(server.app.store, { principalArn: forwarded.arn, limit: 1 });
    expect(record).toMatchObject({
      eventName: 'SendEmail',
      decision: 'Allowed',
      sourceIp: '10.20.30.40',
      vpcEndpointId: VPCE,
    });
  });

  it('SMTP: the endpoint’s listener carries the keys, the public one does not', async () => {
    const u = await userWithPolicy(
      clientsFor(server, server.credentials),
      policyDoc({
        Effect: 'Allow',
        Action: 'ses:SendRawEmail',
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceVpce': VPCE, 'aws:SourceVpc': VPC } },
      }),
    );
    const transport = (port: number, creds: Creds) =>
      nodemailer.createTransport({
        host: '127.0.0.1',
        port,
        secure: false,
        requireTLS: true,
        tls: { rejectUnauthorized: false },
        auth: { user: creds.accessKeyId, pass: smtpPasswordV4(creds.secretAccessKey, 'us-east-1') },
      });
    const mail = { from: FROM, to: 'someone@example.net', subject: 'vpc', text: 'through the endpoint' };
    const info = await transport(server.vpc.smtp!, u.creds).sendMail(mail);
    expect(info.response).toMatch(/^250 Ok \S+$/);
    const refused = await transport(server.smtp.starttls!, u.creds)
      .sendMail(mail)
      .then(
        () => 'sent',
        (e: Error & { responseCode?: number }) => `${e.responseCode}`,
      );
    expect(refused).toBe('554');
    const [publicRecord, vpcRecord] = await queryAuditEvents(server.app.store, {
      principalArn: u.arn,
      limit: 2,
    });
    expect(publicRecord).toMatchObject({
      eventSource: 'smtp',
      decision: 'ImplicitDeny',
      vpcEndpointId: null,
    });
    expect(vpcRecord).toMatchObject({
      eventSource: 'smtp',
      decision: 'Allowed',
      sourceIp: '127.0.0.1',
      vpcEndpointId: VPCE,
    });
  });
});
