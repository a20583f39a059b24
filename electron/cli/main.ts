import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { registerCommands } from './commands';
import { EXIT } from './exit-codes';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/** Runs the CLI; resolves to the process exit code (see exit-codes.ts). */
export async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name('restyle')
    .description(
      'Stylize whole photo albums with DashScope, headless. Same engine as the Restyle window.',
    )
    .version(version)
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
    process.stderr.write(`restyle: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failed;
  }
}
