import type { Command } from 'commander';
import { describeError } from '../../../shared/i18n';
import type { ErrorCode } from '../../../shared/result';
import { lockOwner } from '../../core/queue/engine-lock';
import { EXIT } from '../exit-codes';
import { cliTranslator, openSession } from '../jobs/session';

/** `restyle status [--json]`: the batches, their counts and spend, and who owns the queue. */
export function registerStatus(program: Command): void {
  const t = cliTranslator();
  program
    .command('status')
    .description(t('jobs.cli.status.description'))
    .option('--data-dir <dir>', t('jobs.cli.run.dataDir'))
    .option('--json', t('jobs.cli.run.json'))
    .action(async (flags: { dataDir?: string; json?: boolean }) => {
      const session = openSession(flags, { lock: false });
      try {
        const batches = session.engine.listBatches();
        const owner = lockOwner(session.store.db);
        const engine = session.store.engineStatus();
        const totalSpentCny = session.store.totalSpent();
        const attention = batches.flatMap(
          (b) => session.engine.listJobs(b.id, 0, 1000, ['needs_attention']).jobs,
        );
        if (flags.json) {
          process.stdout.write(
            `${JSON.stringify({ engine, ownerPid: owner, totalSpentCny, batches, attention })}\n`,
          );
        } else {
          const reason = engine.reason
            ? `: ${describeError(t, { code: engine.reason as ErrorCode, message: engine.reason })}`
            : '';
          const ownerText = owner ? t('jobs.cli.status.owner', { pid: owner }) : '';
          process.stdout.write(
            `${t('jobs.cli.status.engine', { state: t(`jobs.engine.${engine.state}`), reason, owner: ownerText })}\n`,
          );
          if (batches.length === 0) process.stdout.write(`${t('jobs.cli.status.none')}\n`);
          for (const b of batches) {
            process.stdout.write(
              `${t('jobs.cli.status.batch', { label: b.label, id: b.id, state: b.state, finished: b.finished, total: b.total, failed: b.counts.failed, spent: b.spentCny.toFixed(2) })}\n`,
            );
          }
          for (const job of attention)
            process.stdout.write(`  ${job.sourcePath}: ${job.candidates.join(', ')}\n`);
          process.stdout.write(
            `${t('jobs.cli.status.total', { spent: totalSpentCny.toFixed(2) })}\n`,
          );
        }
        process.exitCode = EXIT.ok;
      } finally {
        await session.close();
      }
    });
}
