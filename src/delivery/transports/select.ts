// Picks the transport the operator configured (SESAME_DELIVERY_TRANSPORT / SESAME_RELAY_URL).
import type { Config } from '../../config/config.js';
import type { Store } from '../../store/database.js';
import { captureTransport } from './capture.js';
import { mxTransport } from './mx.js';
import { relayTransport, type RelayOptions } from './relay.js';
import type { Transport } from './types.js';

/**
 * `smtp://user:pass@host:port` (STARTTLS required; `?tls=off` allows plain text) or
 * `smtps://…` (implicit TLS). Default ports: 587 and 465. `?tls=noverify` keeps TLS but accepts any
 * certificate (a smarthost with a self-signed one).
 */
export function parseRelayUrl(raw: string): RelayOptions {
  const u = new URL(raw);
  const secure = u.protocol === 'smtps:';
  if (!secure && u.protocol !== 'smtp:')
    throw new Error(`relay URL must be smtp:// or smtps://, got "${raw}"`);
  const tlsParam = u.searchParams.get('tls');
  const tlsOff = tlsParam === 'off';
  const opts: RelayOptions = {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    requireTLS: !secure && !tlsOff,
  };
  if (u.username) opts.auth = { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) };
  // Plain text was asked for: do not even try STARTTLS.
  if (tlsOff && !secure) opts.ignoreTLS = true;
  if (tlsParam === 'noverify') opts.tls = { rejectUnauthorized: false };
  return opts;
}

export function transportFromConfig(config: Config, store: Store): Transport {
  switch (config.deliveryTransport) {
    case 'relay':
      if (!config.relayUrl) throw new Error('SESAME_RELAY_URL is required for the relay transport');
      return relayTransport(parseRelayUrl(config.relayUrl));
    case 'mx':
      return mxTransport();
    default:
      return captureTransport(store);
  }
}
