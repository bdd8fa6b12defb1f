// The process's logger: JSON lines (one object a line, for collectors) by default, or
// SESAME_LOG_FORMAT=pretty for people (a coloured line per event when stdout is a terminal).
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from '../config/config.js';

export function createLogger(config: Pick<Config, 'logLevel' | 'logFormat'>): Logger {
  if (config.logFormat !== 'pretty') return pino({ level: config.logLevel });
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
