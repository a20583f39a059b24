import type { Command } from 'commander';
import { drive } from '../jobs/drive';
import { cliTranslator, openEngineSession } from '../jobs/session';

/** `restyle resume`: every unfinished batch continues (paused ones, after Ctrl-C, a crash, an account pause). */
export function registerResume(program: Command): void {
  const t = cliTranslator();
  program
    .command('resume')
    .description(t('jobs.cli.resume.description'))
    .option('--data-dir <dir>', t('jobs.cli.run.dataDir'))
    .option('--library <dir>', t('jobs.cli.run.library'))
    .option('--json', t('jobs.cli.run.json'))
    .action(async (flags: { dataDir?: string; library?: string; json?: boolean }) => {
      const session = openEngineSession(flags);
      if (!session) return;
      try {
        session.engine.resume();
        process.exitCode = await drive(session, { json: flags.json ?? false });
      } finally {
        await session.close();
      }
    });
}
