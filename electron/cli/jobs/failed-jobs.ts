import { describeError } from '../../../shared/i18n';
import type { JobState } from '../../../shared/contract/jobs';
import type { Session } from './session';

/** Jobs that ended without a result, and why: shown by text-mode `run`, `resume` and `status`. */
const FAILED_STATES: JobState[] = ['failed', 'expired'];

/**
 * One line per failed or expired job of these batches, `  <photo>: <reason>`,
 * the reason translated like the rest of the CLI's output (callers print them
 * with writeLine, which escapes what the file names carry).
 */
export function failedJobLines(
  session: { t: Session['t']; engine: Pick<Session['engine'], 'listJobs'> },
  batchIds: string[],
): string[] {
  const { t, engine } = session;
  const lines: string[] = [];
  for (const batchId of batchIds) {
    for (const job of engine.listJobs(batchId, 0, 1_000_000, FAILED_STATES).jobs) {
      const reason = job.error
        ? describeError(t, { code: job.error.code, message: job.error.message })
        : t(`jobs.state.${job.state}`);
      lines.push(t('jobs.cli.failedJob', { path: job.sourcePath, reason }));
    }
  }
  return lines;
}
