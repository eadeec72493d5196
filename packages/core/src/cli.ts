import { InputError } from './errors.ts';

/**
 * The one place that turns errors into exit codes: an InputError prints one line naming the
 * file and the problem (exit 1); anything else is a bug and prints its stack (exit 2).
 * `--verbose` anywhere on the command line adds the stack and cause chain to input errors too.
 */
export async function runCli(name: string, main: (argv: string[]) => Promise<void> | void): Promise<void> {
  const argv = process.argv.slice(2);
  try {
    await main(argv);
  } catch (error) {
    const verbose = argv.includes('--verbose');
    if (error instanceof InputError || isParseArgsError(error)) {
      process.stderr.write(`${name}: error: ${(error as Error).message}\n`);
      if (verbose) process.stderr.write(`${(error as Error).stack}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(
        `${name}: internal error: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      process.exitCode = 2;
    }
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/** Seconds since `startMs` (performance.now()), for the one-line run summaries. */
export function elapsedSec(startMs: number): string {
  return ((performance.now() - startMs) / 1000).toFixed(1);
}
