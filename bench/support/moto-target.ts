// moto_server with IAM enforcement on. moto has no root user: every key it accepts belongs to an
// IAM user it stores. So setup runs with auth off (moto's default, INITIAL_NO_AUTH_ACTION_COUNT =
// infinity), then POST /moto-api/reset-auth "0" turns enforcement on for every later request
// (moto/moto_api/_internal/responses.py reset_auth_response; core/authorization.py). Checked
// before measuring: a request signed with a wrong secret must be refused.
import { existsSync } from 'node:fs';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateEmailIdentityCommand, SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { freePort, startProcess, stopProcess, waitForPort } from './processes.js';
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  DOMAIN,
  FORBIDDEN_FROM,
  FROM,
  REGION,
  SEND_HEADERS,
  SEND_PATH,
  SEND_POLICY,
  TO,
  USER_NAME,
  sendEmailBody,
  type Credentials,
  type Target,
} from './workload.js';

async function signedPost(
  endpoint: string,
  credentials: Credentials,
  body: string,
): Promise<{ status: number; code: string }> {
  const url = new URL(SEND_PATH, endpoint);
  const signer = new SignatureV4({
    credentials,
    region: REGION,
    service: 'ses',
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    headers: { ...SEND_HEADERS, host: url.host },
    body,
  });
  const { host: _host, ...headers } = signed.headers;
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  const code = /<Code>([^<]+)<\/Code>|"(?:__type|code)"\s*:\s*"([^"]+)"/.exec(text);
  return { status: res.status, code: code?.[1] ?? code?.[2] ?? text.slice(0, 60) };
}

const PYENV_MOTO = '/root/.pyenv/versions/3.11.7/bin/moto_server';

export async function startMotoTarget(): Promise<Target> {
  // The real script, not the pyenv shim, so the PID we hold is the server's.
  const command = existsSync(PYENV_MOTO) ? PYENV_MOTO : 'moto_server';
  const port = await freePort();
  const env = { ...process.env };
  delete env.INITIAL_NO_AUTH_ACTION_COUNT;
  const { child, stderrTail } = startProcess(command, ['-H', '127.0.0.1', '-p', String(port)], { env });
  const stop = () => stopProcess(child);
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      waitForPort(port, 30_000, child).then(resolve, reject);
    }).catch((e: unknown) => {
      throw new Error(
        `moto_server did not start: ${e instanceof Error ? e.message : String(e)}\n${stderrTail()}`,
      );
    });
    const endpoint = `http://127.0.0.1:${port}`;
    const setup = {
      endpoint,
      region: REGION,
      credentials: { accessKeyId: 'AKIAMOTOSETUP0000000', secretAccessKey: 'setup' },
      maxAttempts: 1,
    };
    await new SESv2Client(setup).send(new CreateEmailIdentityCommand({ EmailIdentity: DOMAIN }));
    const iam = new IAMClient(setup);
    await iam.send(new CreateUserCommand({ UserName: USER_NAME }));
    await iam.send(
      new PutUserPolicyCommand({ UserName: USER_NAME, PolicyName: 'send', PolicyDocument: SEND_POLICY }),
    );
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: USER_NAME }))).AccessKey;
    if (!key?.AccessKeyId || !key.SecretAccessKey) throw new Error('moto CreateAccessKey returned no key');
    const credentials = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };

    const res = await fetch(`${endpoint}/moto-api/reset-auth`, { method: 'POST', body: '0' });
    if (!res.ok) throw new Error(`moto reset-auth answered ${res.status}: ${await res.text()}`);

    const mail = (from: string) =>
      new SendEmailCommand({
        FromEmailAddress: from,
        Destination: { ToAddresses: [TO] },
        Content: { Simple: { Subject: { Data: 'check' }, Body: { Text: { Data: 'check' } } } },
      });
    const ok = await new SESv2Client({ ...setup, credentials }).send(mail(FROM));
    if (!ok.MessageId) throw new Error('moto SendEmail returned no MessageId');
    // moto's refusal body is not JSON the SDK can read, so look at the raw HTTP answer.
    const forged = await signedPost(endpoint, { ...credentials, secretAccessKey: 'wrong' }, sendEmailBody());
    if (forged.status < 400)
      throw new Error('moto accepted a request signed with a wrong secret: IAM auth is not on');
    const other = await new SESv2Client({ ...setup, credentials }).send(mail(FORBIDDEN_FROM)).then(
      () => 'accepted',
      (e: { name?: string }) => e.name ?? 'error',
    );
    return {
      name: 'moto',
      endpoint,
      credentials,
      pid: child.pid,
      notes: [
        `moto: IAM auth on (wrong secret -> HTTP ${forged.status} ${forged.code}); send from ${FORBIDDEN_FROM} -> ${other}` +
          (other === 'accepted' ? ' (moto does not evaluate ses:FromAddress)' : ''),
      ],
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
