/** Structured JSON logs (pino). Never log API keys or document contents: redact them by path. */
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** `destination`: where the JSON lines go (default stdout); `npm start` turns them into readable lines. */
export function createLogger(level: string, name: string, destination?: DestinationStream): Logger {
  const options = {
    name,
    level,
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', 'key', 'adminApiKey', '*.documents', 'documents'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
