/**
 * Runs the program and turns errors into one readable line and a meaningful exit code. A stack trace is printed
 * only with --verbose: users should see what was wrong, not where inside tfjs it surfaced.
 */
import { CommanderError } from 'commander';
import { isLatentkitError } from '@latentkit/core/base';
import { environmentMessage } from './environment-error.js';
import { EXIT, exitCodeOf } from './exit-codes.js';
import { createProgram } from './program.js';
import { stopOnScreen } from './progress.js';
import { exitWithParent } from './run/exit-with-parent.js';

export async function main(argv: readonly string[]): Promise<number> {
  exitWithParent();
  const program = createProgram();
  const verbose = argv.includes('--verbose');
  try {
    await program.parseAsync([...argv]);
    return EXIT.ok;
  } catch (e) {
    // A command that failed mid-bar: the error goes on a line of its own, not after the bar.
    stopOnScreen();
    if (e instanceof CommanderError) {
      // commander has already printed its message (or the help text).
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (isLatentkitError(e)) {
      process.stderr.write(`latentkit: ${e.message}\n`);
      if (verbose && e.stack) process.stderr.write(`${e.stack}\n`);
      return exitCodeOf(e);
    }
    const environment = environmentMessage(e);
    if (environment !== undefined) {
      process.stderr.write(`latentkit: ${environment}\n`);
      return EXIT.environment;
    }
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`latentkit: unexpected error: ${message}\n`);
    if (verbose && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    else process.stderr.write('(run again with --verbose for the stack trace)\n');
    return EXIT.internal;
  }
}
