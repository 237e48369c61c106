import pino, { type Logger } from 'pino';
import type { Config } from '../config/config';

/** Structured JSON logs; every line about a delivery carries its ids. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({ level: config.logLevel, base: { service: 'herald' } });
}
