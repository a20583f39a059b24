import { Command, CommanderError } from 'commander';
import { describeError } from '../../shared/i18n';
import { LOCAL_ERROR_CODES, RestyleError } from '../../shared/result';
import { registerCommands } from './commands';
import { EXIT } from './exit-codes';
import { cliTranslator } from './language';
import { writeLine } from './text';
import { VERSION } from './version';

/**
 * Runs the CLI; resolves to the process exit code (see exit-codes.ts). Built
 * by scripts/build-cli.mjs into out/cli/ (bin/restyle.js runs that bundle);
 * this module and commands/index.ts stay light: each command's work is loaded
 * when it runs.
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name('restyle')
    .description(
      'Stylize whole photo albums with DashScope, headless. Same engine as the Restyle window.',
    )
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    // A full disk, an unwritable or damaged queue file: the file and the fix, in the user's language.
    if (error instanceof RestyleError && LOCAL_ERROR_CODES.has(error.code)) {
      writeLine(process.stderr, `restyle: ${describeError(cliTranslator(), error.toAppError())}`);
      return EXIT.local;
    }
    writeLine(process.stderr, `restyle: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failed;
  }
}
