import { describeError } from '../../../shared/i18n';
import { LOCAL_ERROR_CODES, type ErrorCode } from '../../../shared/result';
import { lockOwner } from '../../core/queue/engine-lock';
import type { JobState } from '../../../shared/contract/jobs';
import { jobView, type JobStore } from '../../core/queue/job-store';
import { EXIT } from '../exit-codes';
import { failedJobLines } from '../jobs/failed-jobs';
import { openQueueView } from '../jobs/queue-view';
import { cliTranslator } from '../language';
import { writeLine } from '../text';

type StatusFlags = { dataDir?: string; json?: boolean };

/**
 * What a paused queue's reason names: the queue file, or the library folder (the
 * one `run` remembered, else the settings' one, which only the whole of core reads).
 */
async function reasonParams(
  store: JobStore,
  reason: string,
  flags: StatusFlags,
): Promise<Record<string, string>> {
  if (reason.startsWith('queue_')) return { file: store.file };
  if (!LOCAL_ERROR_CODES.has(reason as ErrorCode)) return {};
  const remembered = store.getMeta('libraryDir');
  if (remembered) return { path: remembered };
  const { openSession } = await import('../jobs/session');
  const session = openSession(flags, { lock: false, rememberLibrary: false });
  try {
    return { path: session.library.root };
  } finally {
    store.close();
  }
}

/**
 * `restyle status [--json]`: the batches, their counts and spend, and who owns
 * the queue, read from the queue alone (no engine, library or client is loaded).
 */
export async function status(flags: StatusFlags): Promise<void> {
  const t = cliTranslator();
  const store = openQueueView(flags, t);
  try {
    const batches = store.listBatches();
    const owner = lockOwner(store.db);
    const engine = store.engineStatus();
    const totalSpentCny = store.totalSpent();
    const lister = {
      listJobs: (batchId: string, offset: number, limit: number, states: JobState[]) => {
        const page = store.listJobs(batchId, offset, limit, states);
        return { jobs: page.jobs.map(jobView), total: page.total };
      },
    };
    // Counts are kept per batch: only batches that have such jobs are read.
    const attention = batches
      .filter((b) => b.counts.needs_attention > 0)
      .flatMap((b) => lister.listJobs(b.id, 0, 1000, ['needs_attention']).jobs);
    if (flags.json) {
      process.stdout.write(
        `${JSON.stringify({ engine, ownerPid: owner, totalSpentCny, batches, attention })}\n`,
      );
    } else {
      // A local reason names its folder or file.
      const params = engine.reason ? await reasonParams(store, engine.reason, flags) : {};
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
        if (b.counts.failed + b.counts.expired > 0)
          for (const line of failedJobLines({ t, engine: lister }, [b.id])) writeLine(out, line);
      }
      for (const job of attention)
        writeLine(out, `  ${job.sourcePath}: ${job.candidates.join(', ')}`);
      writeLine(out, t('jobs.cli.status.total', { spent: totalSpentCny.toFixed(2) }));
    }
    process.exitCode = EXIT.ok;
  } finally {
    store.close();
  }
}
