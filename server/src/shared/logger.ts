import pino, { type Logger } from 'pino';
import type { Config } from '../config/config.ts';

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', '*.password', '*.contact'],
      remove: true,
    },
  });
}
