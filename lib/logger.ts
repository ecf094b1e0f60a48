/** Structured JSON logs (pino). Never log API keys or document contents: redact them by path. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, name: string): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', 'key', 'adminApiKey', '*.documents', 'documents'],
      censor: '[redacted]',
    },
  });
}
