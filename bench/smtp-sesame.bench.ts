// SMTP benchmark against a whole Sesame: AUTH with an IAM user's SES SMTP password over STARTTLS,
// each message authorized by the user's IAM policy (ses:SendRawEmail with a FromAddress
// condition) and committed to the outbox; the bare smtp-server sink runs in the same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { smtpPasswordV4 } from '../src/auth/smtp-password.js';
import { loadConfig } from '../src/config/config.js';
import { startServer } from '../src/server.js';
import { decideProductionAccess } from '../src/ses/state/index.js';
import { runSmtpBench, type SmtpBenchResult } from './smtp.bench.js';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const ROOT = {
  accessKeyId: 'AKIABENCHROOT0000002',
  secretAccessKey: 'benchRootSecretKey/000000000000000000002',
};
const FROM = 'bench@smtp-bench.example.com';

export async function runSmtpBenchOnSesame(): Promise<SmtpBenchResult & { outbox_rows: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sesame-smtp-bench-'));
  const config = loadConfig({
    SESAME_DATA_DIR: dataDir,
    SESAME_HTTP_PORT: '0',
    SESAME_SMTP_PORT: '0',
    SESAME_SMTPS_PORT: '0',
    SESAME_INBOUND_SMTP_PORT: '0',
    SESAME_ACCOUNT_ID: ACCOUNT,
    SESAME_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId,
    SESAME_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey,
    SESAME_PRODUCTION_MAX_SEND_RATE: '1000000',
    SESAME_PRODUCTION_MAX_24_HOUR_SEND: '1000000000',
    SESAME_LOG_LEVEL: 'warn',
    // The accept path is measured (as moto's); delivery has its own benchmark.
    SESAME_DELIVERY_CONCURRENCY: '0',
  });
  const server = await startServer(config, {
    quiet: true,
    logger: pino({ level: 'warn' }),
    smtpPorts: 'ephemeral',
  });
  try {
    await decideProductionAccess(server.app.store, ACCOUNT, REGION, 'grant', config);
    const sdk = { endpoint: server.endpoint, region: REGION, credentials: ROOT, maxAttempts: 1 };
    await new SESv2Client(sdk).send(
      new CreateEmailIdentityCommand({ EmailIdentity: 'smtp-bench.example.com' }),
    );
    const iam = new IAMClient(sdk);
    await iam.send(new CreateUserCommand({ UserName: 'smtp-bench' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'smtp-bench',
        PolicyName: 'smtp',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'ses:SendRawEmail',
              Resource: '*',
              Condition: { StringEquals: { 'ses:FromAddress': FROM, 'ses:ApiVersion': '2' } },
            },
          ],
        }),
      }),
    );
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'smtp-bench' }))).AccessKey!;
    const result = await runSmtpBench({
      sesame: {
        port: server.smtp.starttls as number,
        implicitTls: false,
        user: key.AccessKeyId!,
        pass: smtpPasswordV4(key.SecretAccessKey!, REGION),
      },
      from: `Bench <${FROM}>`,
    });
    const rows = await server.app.store.db
      .selectFrom('outbox')
      .select(({ fn }) => fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return { ...result, outbox_rows: Number(rows.n) };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
