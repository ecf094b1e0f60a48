/**
 * What the administration CLIs (`npm run keys`, `npm run accounts`) share: their two kinds of
 * expected failure and one way to turn the outcome of `main` into an exit code and a message.
 */
import { ConfigError } from '../lib/config.ts';

/** Wrong or missing arguments: the message, then the usage, exit 2. */
export class UsageError extends Error {}
/** The named key or account does not exist: the message, exit 1. */
export class NotFound extends Error {}

/**
 * The command argv names first, or the exit code when there is none to run: `help` / `--help`
 * prints the usage (exit 0), no command or an unknown one prints it too (exit 2).
 */
export function commandOf<C extends Record<string, unknown>>(
  argv: string[],
  commands: C,
  usage: string,
): { name: keyof C & string; args: string[] } | number {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === 'help') {
    process.stderr.write(`${usage}\n`);
    return name ? 0 : 2;
  }
  if (!Object.hasOwn(commands, name)) {
    process.stderr.write(`Unknown command "${name}".\n${usage}\n`);
    return 2;
  }
  return { name, args };
}

/** Runs `main` and exits with its code; a usage error exits 2 with the usage, any other failure 1. */
export function runCli(main: () => Promise<number>, usage: string): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      if (
        err instanceof UsageError ||
        (err instanceof TypeError && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
      ) {
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
