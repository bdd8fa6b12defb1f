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

/** Whether two listen addresses take the same socket (a wildcard host takes every address). */
const WILDCARDS = new Set(['0.0.0.0', '::', '']);
const sameSocket = (a: Listener, b: Listener) =>
  a.port === b.port && (a.host === b.host || WILDCARDS.has(a.host) || WILDCARDS.has(b.host));

export async function checkListeners(config: Config): Promise<void> {
  const listeners = configuredListeners(config);
  // Each probe is closed before the next: two settings naming one port would both pass.
  listeners.forEach((l, i) => {
    const first = listeners.slice(0, i).find((x) => sameSocket(x, l));
    if (first)
      throw new ConfigError(
        `${l.variable}=${l.port}: ${l.host}:${l.port} is ${first.variable}'s too (each listener needs a port of its own)`,
      );
  });
  for (const l of listeners) await tryListen(l);
}

/** A listener that could not open after the checks (a race, or a port not checked): one line too. */
export function listenFailure(e: unknown, config: Config): ConfigError | undefined {
  const { port, address } = e as { port?: number; address?: string };
  if (port === undefined) return undefined;
  const l = configuredListeners(config).find((x) => x.port === port);
  if (l) return listenRefusal(e, l);
  const generic = { variable: 'port', hostVariable: 'host', host: address ?? '', port };
  return listenRefusal(e, generic);
}
