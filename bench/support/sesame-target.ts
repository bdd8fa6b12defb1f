// Sesame in this process: temp SQLite data folder, account out of the sandbox with a quota high
// enough that throttling never answers, identity verified and IAM user created through the APIs.
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
import { CreateEmailIdentityCommand, SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { App } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { startServer } from '../../src/server.js';
import { decideProductionAccess } from '../../src/ses/state/index.js';
import { DOMAIN, FORBIDDEN_FROM, FROM, REGION, SEND_POLICY, TO, USER_NAME, type Target } from './workload.js';

const ACCOUNT = '111122223333';
const ROOT = {
  accessKeyId: 'AKIABENCHROOT0000001',
  secretAccessKey: 'benchRootSecretKey/000000000000000000000',
};

export interface SesameTarget extends Target {
  /** The in-process app (for in-process measurements that skip HTTP). */
  app: App;
  /** Rows in the outbox: every 200 must have left one. */
  outboxCount(): Promise<number>;
}

function sdk(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }) {
  return { endpoint, region: REGION, credentials, maxAttempts: 1 };
}

export async function startSesameTarget(): Promise<SesameTarget> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sesame-bench-'));
  try {
    const config = loadConfig({
      SESAME_DATA_DIR: dataDir,
      SESAME_HTTP_HOST: '127.0.0.1',
      SESAME_HTTP_PORT: '0',
      SESAME_SMTP_PORT: '0',
      SESAME_SMTPS_PORT: '0',
      SESAME_INBOUND_SMTP_PORT: '0',
      SESAME_ACCOUNT_ID: ACCOUNT,
      SESAME_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId,
      SESAME_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey,
      SESAME_REGION: REGION,
      SESAME_PRODUCTION_MAX_SEND_RATE: '1000000',
      SESAME_PRODUCTION_MAX_24_HOUR_SEND: '1000000000',
      SESAME_LOG_LEVEL: 'warn',
      // The accept path is measured (as moto's); delivery has its own benchmark.
      SESAME_DELIVERY_CONCURRENCY: '0',
    });
    const server = await startServer(config, { quiet: true, logger: pino({ level: 'warn' }) });
    const stop = async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    };
    try {
      await decideProductionAccess(server.app.store, ACCOUNT, REGION, 'grant', config);
      const root = sdk(server.endpoint, ROOT);
      await new SESv2Client(root).send(new CreateEmailIdentityCommand({ EmailIdentity: DOMAIN }));
      const iam = new IAMClient(root);
      await iam.send(new CreateUserCommand({ UserName: USER_NAME }));
      await iam.send(
        new PutUserPolicyCommand({ UserName: USER_NAME, PolicyName: 'send', PolicyDocument: SEND_POLICY }),
      );
      const key = (await iam.send(new CreateAccessKeyCommand({ UserName: USER_NAME }))).AccessKey;
      if (!key?.AccessKeyId || !key.SecretAccessKey)
        throw new Error('Sesame CreateAccessKey returned no key');
      const credentials = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };

      // Prove the path being measured is the real one: allowed sender passes, other sender is denied.
      const user = new SESv2Client(sdk(server.endpoint, credentials));
      const mail = (from: string) =>
        new SendEmailCommand({
          FromEmailAddress: from,
          Destination: { ToAddresses: [TO] },
          Content: { Simple: { Subject: { Data: 'check' }, Body: { Text: { Data: 'check' } } } },
        });
      const ok = await user.send(mail(FROM));
      if (!ok.MessageId) throw new Error('Sesame SendEmail returned no MessageId');
      const denied = await user.send(mail(FORBIDDEN_FROM)).then(
        () => 'allowed',
        (e: { name?: string }) => e.name ?? 'error',
      );
      if (denied !== 'AccessDeniedException') {
        throw new Error(`Sesame: send from ${FORBIDDEN_FROM} should be AccessDeniedException, got ${denied}`);
      }
      return {
        name: 'sesame',
        app: server.app,
        endpoint: server.endpoint,
        credentials,
        notes: [
          `sesame: SQLite in ${dataDir} (WAL, synchronous=NORMAL), account out of the sandbox, ` +
            `policy checked (${FORBIDDEN_FROM} -> AccessDeniedException)`,
        ],
        outboxCount: async () => {
          const row = await server.app.store.db
            .selectFrom('outbox')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow();
          return Number(row.n);
        },
        stop,
      };
    } catch (e) {
      await stop();
      throw e;
    }
  } catch (e) {
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
}
