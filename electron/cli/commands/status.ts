import { describeError } from '../../../shared/i18n';
import type { ErrorCode } from '../../../shared/result';
import { lockOwner } from '../../core/queue/engine-lock';
import { EXIT } from '../exit-codes';
import { failedJobLines } from '../jobs/failed-jobs';
import { cliTranslator, openSession } from '../jobs/session';
import { writeLine } from '../text';

/** `restyle status [--json]`: the batches, their counts and spend, and who owns the queue. */
export async function status(flags: { dataDir?: string; json?: boolean }): Promise<void> {
  const t = cliTranslator();
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
      // A local reason names its folder or file (the engine fills them in when paused).
      const params = { path: session.library.root, ...session.engine.status().params };
      const reason = engine.reason
        ? `: ${describeError(t, { code: engine.reason as ErrorCode, message: engine.reason, params })}`
        : '';
      const ownerText = owner ? t('jobs.cli.status.owner', { pid: owner }) : '';
      const out = process.stdout;
      writeLine(
        out,
        t('jobs.cli.status.engine', {
          state: t(`jobs.engine.${engine.state}`),
          reason,
          owner: ownerText,
        }),
      );
      if (batches.length === 0) writeLine(out, t('jobs.cli.status.none'));
      for (const b of batches) {
        writeLine(
          out,
          t('jobs.cli.status.batch', {
            label: b.label,
            id: b.id,
            state: b.state,
            finished: b.finished,
            total: b.total,
            failed: b.counts.failed,
            spent: b.spentCny.toFixed(2),
          }),
        );
        for (const line of failedJobLines(session, [b.id])) writeLine(out, line);
      }
      for (const job of attention)
        writeLine(out, `  ${job.sourcePath}: ${job.candidates.join(', ')}`);
      writeLine(out, t('jobs.cli.status.total', { spent: totalSpentCny.toFixed(2) }));
    }
    process.exitCode = EXIT.ok;
  } finally {
    await session.close();
  }
}
