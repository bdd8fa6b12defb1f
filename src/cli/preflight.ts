// Checks made before `sesame serve` creates anything: each configured port can be listened on.
// A clash found here costs nothing; found after the first account was created, it used to lose
// the root credentials printed "once".
import { createServer } from 'node:net';
import { ConfigError, type Config } from '../config/config.js';

interface Listener {
  variable: string;
  hostVariable: string;
  host: string;
  port: number;
}

export function configuredListeners(config: Config): Listener[] {
  return [
    {
      variable: 'SESAME_HTTP_PORT',
      hostVariable: 'SESAME_HTTP_HOST',
      host: config.httpHost,
      port: config.httpPort,
    },
    {
      variable: 'SESAME_SMTP_PORT',
      hostVariable: 'SESAME_SMTP_HOST',
      host: config.smtpHost,
      port: config.smtpPort,
    },
    {
      variable: 'SESAME_SMTPS_PORT',
      hostVariable: 'SESAME_SMTP_HOST',
      host: config.smtpHost,
      port: config.smtpsPort,
    },
    {
      variable: 'SESAME_VPC_HTTP_PORT',
      hostVariable: 'SESAME_HTTP_HOST',
      host: config.httpHost,
      port: config.vpcHttpPort,
    },
    {
      variable: 'SESAME_VPC_SMTP_PORT',
      hostVariable: 'SESAME_SMTP_HOST',
      host: config.smtpHost,
      port: config.vpcSmtpPort,
    },
    {
      variable: 'SESAME_INBOUND_SMTP_PORT',
      hostVariable: 'SESAME_INBOUND_SMTP_HOST',
      host: config.receiving.inboundSmtpHost,
      port: config.receiving.inboundSmtpPort,
    },
  ].filter((l) => l.port > 0);
}

/** The one-line refusal for a listen error (here, or when the real listener fails later). */
export function listenRefusal(
  e: unknown,
  l: Pick<Listener, 'variable' | 'hostVariable' | 'host' | 'port'>,
): ConfigError | undefined {
  const code = (e as { code?: string }).code;
  const at = `${l.host}:${l.port}`;
  if (code === 'EADDRINUSE')
    return new ConfigError(
      `${l.variable}=${l.port}: ${at} is already in use (another Sesame, or another program)`,
    );
  if (code === 'EACCES')
    return new ConfigError(
      `${l.variable}=${l.port}: not allowed to listen on ${at} (ports below 1024 need privileges)`,
    );
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new ConfigError(`${l.hostVariable}=${l.host}: not an address of this machine (${code})`);
  return undefined;
}

function tryListen(l: Listener): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (e) => reject(listenRefusal(e, l) ?? e));
    probe.listen({ host: l.host, port: l.port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

export async function checkListeners(config: Config): Promise<void> {
  for (const l of configuredListeners(config)) await tryListen(l);
}
