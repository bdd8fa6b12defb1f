// The process's logger: JSON lines (one object a line, for collectors) by default, or
// SESAME_LOG_FORMAT=pretty for people (a coloured line per event when stdout is a terminal).
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from '../config/config.js';

/** Longest a JSON line waits in the buffer before it is written (docs/operations.md). */
export const LOG_FLUSH_EVERY_MS = 100;

export function createLogger(config: Pick<Config, 'logLevel' | 'logFormat'>): Logger {
  if (config.logFormat !== 'pretty') return pino({ level: config.logLevel }, bufferedStdout());
  return pino(
    { level: config.logLevel },
    pretty({
      colorize: process.stdout.isTTY === true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname',
      singleLine: true,
      sync: true,
    }),
  );
}

/**
 * stdout written 4 KB at a time, no line waiting more than LOG_FLUSH_EVERY_MS: a busy SMTP listener logs
 * every message, and a write a line cost it more than composing the line (pino flushes what is
 * buffered when the process exits).
 */
function bufferedStdout(): DestinationStream {
  const out = pino.destination({ dest: 1, minLength: 4096, sync: false });
  let unflushed = false;
  setInterval(() => {
    if (!unflushed) return;
    unflushed = false;
    out.flush();
  }, LOG_FLUSH_EVERY_MS).unref();
  return {
    write(line: string) {
      unflushed = true;
      out.write(line);
    },
  };
}
