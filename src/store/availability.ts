// One log line when the store goes away and one when it is back, instead of a warning per failed
// query: fed by the generation sync, which touches the store every second or two on every node.
import type { Logger } from 'pino';
import { describeStoreError, isStoreUnavailable } from './faults.js';

export interface AvailabilityLog {
  /** A background read failed; returns whether it was the store being unavailable. */
  failed(e: unknown): boolean;
  succeeded(): void;
}

export function availabilityLog(log: Pick<Logger, 'warn' | 'info'>, dialect: string): AvailabilityLog {
  let downSince: number | undefined;
  return {
    failed(e) {
      if (!isStoreUnavailable(e)) return false;
      if (downSince === undefined) {
        downSince = Date.now();
        log.warn(
          { store: dialect, reason: describeStoreError(e) },
          'store unavailable: API calls answer 503 ServiceUnavailable and SMTP 451 until it returns',
        );
      }
      return true;
    },
    succeeded() {
      if (downSince === undefined) return;
      log.info(
        { store: dialect, downSeconds: Math.round((Date.now() - downSince) / 1000) },
        'store available again',
      );
      downSince = undefined;
    },
  };
}
