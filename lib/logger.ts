/**
 * Structured JSON logs (pino). Never log API keys, secrets or document contents: redacted by path,
 * and an error's SQL parameters (drizzle puts them in its message and `params`; a webhook secret or
 * a password hash may be among them) are cut from every logged error and its causes.
 */
import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** drizzle's DrizzleQueryError message: `Failed query: <sql>\nparams: <values>`. */
const PARAMS_IN_MESSAGE = /\nparams: [\s\S]*?(?=\n {4}at |$)/g;

/** pino's error serializer without SQL parameters, in the error and each cause. */
export function errorWithoutParameters(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const serialized = stdSerializers.err(err) as unknown as Record<string, unknown>;
  const strip = (value: unknown) =>
    typeof value === 'string' ? value.replace(PARAMS_IN_MESSAGE, '\nparams: [redacted]') : value;
  delete serialized.params;
  delete serialized.parameters;
  delete serialized.args;
  serialized.message = strip(serialized.message);
  serialized.stack = strip(serialized.stack);
  if (serialized.cause !== undefined) serialized.cause = errorWithoutParameters(err.cause);
  return serialized;
}

/** `destination`: where the JSON lines go (default stdout); `npm start` turns them into readable lines. */
export function createLogger(level: string, name: string, destination?: DestinationStream): Logger {
  const options = {
    name,
    level,
    serializers: { err: errorWithoutParameters },
    redact: {
      paths: [
        'req.headers.authorization',
        'headers.authorization',
        'key',
        'adminApiKey',
        'secret',
        '*.secret',
        '*.documents',
        'documents',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
