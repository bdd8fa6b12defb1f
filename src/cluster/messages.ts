// What the primary and its workers say to each other over the cluster's IPC channel. Requests a
// worker waits on carry its `id`; broadcasts the primary waits on carry its `seq`.
import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import type { WorkQueue } from '../delivery/notify.js';
import type { ProcessRole } from './role.js';

export type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

/** Where a listeners worker listens (the primary's banner names it). */
export interface Listening {
  endpoint: string;
  smtp: { starttls?: number; implicit?: number };
}

export type ToWorker =
  | { t: 'start'; role: Exclude<ProcessRole, 'node' | 'primary'> }
  /** Another worker bumped the account's generation: drop what is cached about it, then ack. */
  | { t: 'bumped'; seq: number; account: string; stored?: number }
  | { t: 'reset'; seq: number }
  /** The broadcast the worker asked for has been confirmed by every other worker. */
  | { t: 'done'; id: number }
  /** Work was committed elsewhere on `queue` (delivery's wake-up) / mail was captured elsewhere. */
  | { t: 'wake'; queue: WorkQueue }
  | { t: 'mail' }
  | { t: 'collect'; seq: number }
  | { t: 'metrics-text'; id: number; text: string };

export type ToPrimary =
  /** The worker listens for messages now ('online' comes before its modules are even loaded). */
  | { t: 'hello' }
  | { t: 'ready'; listening?: Listening }
  /** It cannot start, for a reason the operator can act on (a port taken): the node refuses to start. */
  | { t: 'refused'; message: string; exitCode: number }
  | { t: 'bumped'; id: number; account: string; stored?: number }
  | { t: 'reset'; id: number }
  | { t: 'ack'; seq: number }
  | { t: 'wake'; queue: WorkQueue }
  | { t: 'mail' }
  | { t: 'metrics'; id: number }
  | { t: 'metrics-json'; seq: number; json: MetricsJson };

export function isToWorker(m: unknown): m is ToWorker {
  return typeof m === 'object' && m !== null && typeof (m as { t?: unknown }).t === 'string';
}

export const isToPrimary = isToWorker as unknown as (m: unknown) => m is ToPrimary;
