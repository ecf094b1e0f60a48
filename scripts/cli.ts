/**
 * What the administration CLIs (`npm run keys`, `npm run accounts`) share: their two kinds of
 * expected failure and one way to turn the outcome of `main` into an exit code and a message.
 */
import { ConfigError } from '../lib/config.ts';

/** Wrong or missing arguments: the message, then the usage, exit 2. */
export class UsageError extends Error {}
/** The named key or account does not exist: the message, exit 1. */
export class NotFound extends Error {}

/** Runs `main` and exits with its code; a usage error exits 2 with the usage, any other failure 1. */
export function runCli(main: () => Promise<number>, usage: string): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      if (err instanceof UsageError || (err instanceof TypeError && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))) {
        process.stderr.write(`${err.message}\n${usage}\n`);
        process.exit(2);
      }
      if (err instanceof NotFound || err instanceof ConfigError) {
        process.stderr.write(`${err.message}\n`);
        process.exit(1);
      }
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
