// What `sesame serve` says once it listens. Always one structured log line ("Sesame ready": the
// endpoints, where the root credentials are); on a terminal also a few lines for the person
// watching. A root secret generated at this start is shown only on a terminal: piped into
// journald or `docker logs` it would stay there, so there the file's path is given instead.
import type { Config } from '../config/config.js';
import type { RunningServer } from '../server.js';
import type { App } from '../app.js';

/** What the banner tells: a running server's, or a cluster primary's on behalf of its workers. */
export type Announced = Pick<RunningServer, 'endpoint' | 'smtp'> & {
  app: Pick<App, 'log' | 'rootCredentialsFile' | 'generatedRootKey'> & { store: { dialect: string } };
};
import { EMULATOR_ACCOUNT_ID } from '../http/principal-resolver.js';

export const EMULATOR_NOTICE =
  `profile emulator: no SigV4 or IAM checks (any credentials, even none, act as the root of account ${EMULATOR_ACCOUNT_ID}), ` +
  'identities verify at once, no sandbox; for test suites, never for production';

function rootCredentials(server: Announced, config: Config): string {
  const { app } = server;
  if (config.rootAccessKeyId)
    return `account ${config.accountId}: root key ${config.rootAccessKeyId} from SESAME_ROOT_ACCESS_KEY_ID`;
  if (app.rootCredentialsFile)
    return `account ${config.accountId}: root credentials in ${app.rootCredentialsFile} (mode 0600)`;
  // Another node (or an operator command) created the account: its data folder has the file.
  return `account ${config.accountId}: root credentials are kept by the node that created the account (root-credentials.json in its data folder)`;
}

export function announce(server: Announced, config: Config, terminal = process.stdout.isTTY === true): void {
  const { app, endpoint, smtp } = server;
  const consoleUrl = `${endpoint}/console/`;
  const smtpPorts = [
    smtp.starttls && `${config.smtpHost}:${smtp.starttls} (STARTTLS)`,
    smtp.implicit && `${config.smtpHost}:${smtp.implicit} (TLS)`,
  ]
    .filter(Boolean)
    .join(', ');
  const credentials = rootCredentials(server, config);
  if (config.profile === 'emulator') app.log.warn({ profile: 'emulator' }, EMULATOR_NOTICE);
  app.log.info(
    {
      endpoint,
      console: consoleUrl,
      smtp: smtpPorts || 'off',
      profile: config.profile,
      store: app.store.dialect,
      rootCredentials: app.rootCredentialsFile,
    },
    `Sesame ready: API ${endpoint}, console ${consoleUrl}; ${credentials}`,
  );
  if (!terminal) return;
  const created = app.generatedRootKey;
  const lines = [
    '',
    `  Sesame is ready (profile ${config.profile}, ${app.store.dialect} store)`,
    `  API      ${endpoint}    aws --endpoint-url ${endpoint} --region ${config.region} sts get-caller-identity`,
    `  Console  ${consoleUrl}`,
    `  SMTP     ${smtpPorts || 'off'}`,
    `  Root     ${credentials}`,
  ];
  if (created)
    lines.push(
      `           created now; shown once here:`,
      `           AWS_ACCESS_KEY_ID=${created.accessKeyId}`,
      `           AWS_SECRET_ACCESS_KEY=${created.secretAccessKey}`,
    );
  if (config.profile === 'emulator') lines.push(`  Note     ${EMULATOR_NOTICE}`);
  process.stdout.write(lines.join('\n') + '\n\n');
}
