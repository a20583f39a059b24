/**
 * The command line's shape: every command's name, arguments, options and
 * description, registered up front for commander (and `--help`). Each
 * command's work lives in its own file, loaded by `import()` only when that
 * command runs: `--version` and `--help` load commander and the strings, never
 * sharp, SQLite, axios, zod, the engine or the library (tests/cli/start-up.test.ts).
 * Flag values that need no more than that are checked here (flags.ts);
 * `library`'s styles, days and sorts are checked by its command (they need the
 * contract's schemas).
 */
import type { Command } from 'commander';
import type { Translate } from '../../../shared/i18n';
import { MAX_VARIANTS, STYLE_PRESETS } from '../../../shared/models';
import { number, parseModel } from '../flags';
import { cliTranslator } from '../language';

/** An action whose work is loaded when it runs (a separate chunk of the bundle). */
const later =
  <A extends unknown[]>(load: () => Promise<(...args: A) => Promise<void>>) =>
  async (...args: A): Promise<void> =>
    (await load())(...args);

/** A repeatable flag: each value parsed, all kept in order. */
const each =
  <T>(parse: (value: string) => T) =>
  (value: string, previous: T[] = []): T[] => [...previous, parse(value)];

/** Each command registers here; the order is `--help`'s. */
export function registerCommands(program: Command): void {
  const t = cliTranslator();
  registerCheckKey(program, t);
  registerScan(program, t);
  registerRun(program, t);
  registerResume(program, t);
  registerStatus(program, t);
  registerCancel(program, t);
  registerLibrary(program, t);
}

/** `restyle check-key [--json] [--data-dir DIR]` (check-key.ts). */
function registerCheckKey(program: Command, t: Translate): void {
  program
    .command('check-key')
    .description(t('dashscope.checkKey.description'))
    .option('--data-dir <dir>', t('jobs.cli.run.dataDir'))
    .option('--json', t('dashscope.checkKey.json'))
    .action(later(async () => (await import('./check-key')).checkKey));
}

/** `restyle scan <paths...>`: a dry run of intake (scan.ts). */
function registerScan(program: Command, t: Translate): void {
  program
    .command('scan')
    .description(t('intake.cli.scan.description'))
    .argument('<paths...>', t('intake.cli.scan.paths'))
    .option('--model <id>', t('intake.cli.scan.model'), parseModel(t), 'wanx-style-repaint-v1')
    .option('--json', t('intake.cli.scan.json'))
    .option('--uncropped', t('intake.cli.scan.uncropped'))
    .action(later(async () => (await import('./scan')).scan));
}

/** `restyle run <paths...> (--style N | --style-ref FILE | --prompt TEXT …)` (run.ts). */
function registerRun(program: Command, t: Translate): void {
  program
    .command('run')
    .description(t('jobs.cli.run.description'))
    .argument('<paths...>', t('jobs.cli.run.paths'))
    .option(
      '--style <index>',
      t('jobs.cli.run.style'),
      number('--style', 0, STYLE_PRESETS.length - 1, true),
    )
    .option('--style-ref <file>', t('jobs.cli.run.styleRef'))
    .option('--prompt <text>', t('jobs.cli.run.prompt'))
    .option('--function <name>', t('jobs.cli.run.function'))
    .option(
      '--variants <n>',
      t('jobs.cli.run.variants'),
      number('--variants', 1, MAX_VARIANTS, true),
    )
    .option('--library <dir>', t('jobs.cli.run.library'))
    .option('--data-dir <dir>', t('jobs.cli.run.dataDir'))
    .option('--budget <cny>', t('jobs.cli.run.budget'), number('--budget', 0, 1_000_000, false))
    .option('--force', t('jobs.cli.run.force'))
    .option('--yes', t('jobs.cli.run.yes'))
    .option('--json', t('jobs.cli.run.json'))
    .action(later(async () => (await import('./run')).run));
}

/** `restyle resume` (resume.ts). */
function registerResume(program: Command, t: Translate): void {
  program
    .command('resume')
    .description(t('jobs.cli.resume.description'))
    .option('--data-dir <dir>', t('jobs.cli.run.dataDir'))
    .option('--library <dir>', t('jobs.cli.run.library'))
    .option('--json', t('jobs.cli.run.json'))
    .action(later(async () => (await import('./resume')).resume));
}

/** `restyle status [--json]` (status.ts). */
function registerStatus(program: Command, t: Translate): void {
  program
    .command('status')
    .description(t('jobs.cli.status.description'))
    .option('--data-dir <dir>', t('jobs.cli.run.dataDir'))
    .option('--json', t('jobs.cli.run.json'))
    .action(later(async () => (await import('./status')).status));
}

/** `restyle cancel [batchId]` (cancel.ts). */
function registerCancel(program: Command, t: Translate): void {
  program
    .command('cancel')
    .description(t('jobs.cli.cancel.description'))
    .argument('[batchId]', t('jobs.cli.cancel.batch'))
    .option('--data-dir <dir>', t('jobs.cli.run.dataDir'))
    .option('--json', t('jobs.cli.run.json'))
    .action(later(async () => (await import('./cancel')).cancel));
}

/** `restyle library list|search|stats|export|rebuild` (library.ts). */
function registerLibrary(program: Command, t: Translate): void {
  const library = program.command('library').description(t('library.cli.description'));
  const load = () => import('./library');

  /** The flags every library command takes. */
  const common = (command: Command): Command =>
    command
      .option('--library <dir>', t('library.cli.option.library'))
      .option('--data-dir <dir>', t('jobs.cli.run.dataDir'))
      .option('--json', t('library.cli.option.json'));

  /** The filter's flags (they combine). */
  const filters = (command: Command): Command =>
    common(command)
      .option('--album <folder>', t('library.cli.option.album'))
      .option('--style <style>', t('library.cli.option.style'), each(String))
      .option('--model <model>', t('library.cli.option.model'), each(parseModel(t)))
      .option('--from <day>', t('library.cli.option.from'))
      .option('--to <day>', t('library.cli.option.to'))
      .option('--favourite', t('library.cli.option.favourite'))
      .option(
        '--min-rating <n>',
        t('library.cli.option.minRating'),
        number('--min-rating', 1, 5, true),
      )
      .option('--missing', t('library.cli.option.missing'))
      .option('--present', t('library.cli.option.present'))
      .option('--batch <id>', t('library.cli.option.batch'));

  const paging = (command: Command): Command =>
    filters(command)
      .option('--sort <order>', t('library.cli.option.sort'), 'newest')
      .option('--limit <n>', t('library.cli.option.limit'), number('--limit', 1, 1000, true), 100)
      .option('--offset <n>', t('library.cli.option.offset'), number('--offset', 0, 1e9, true), 0);

  paging(library.command('list'))
    .description(t('library.cli.list.description'))
    .action(later(async () => (await load()).list));

  paging(library.command('search'))
    .description(t('library.cli.search.description'))
    .argument('<words...>', t('library.cli.search.words'))
    .action(later(async () => (await load()).search));

  filters(library.command('stats'))
    .description(t('library.cli.stats.description'))
    .action(later(async () => (await load()).stats));

  common(library.command('export'))
    .description(t('library.cli.export.description'))
    .argument('<ids...>', t('library.cli.export.ids'))
    .requiredOption('--to <folder>', t('library.cli.export.to'))
    .option('--flat', t('library.cli.export.flat'))
    .option('--zip', t('library.cli.export.zip'))
    .option('--no-sidecars', t('library.cli.export.noSidecars'))
    .action(later(async () => (await load()).exportResults));

  common(library.command('rebuild'))
    .description(t('library.cli.rebuild.description'))
    .action(later(async () => (await load()).rebuild));
}
