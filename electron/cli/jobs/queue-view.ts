/**
 * A data folder's queue read without the rest of core: what `restyle status`
 * needs (the queue file, its batches, counts, spend and owner). Opening it is
 * the queue file's one way (`openJobStore`: a damaged file rebuilt, an
 * unwritable one a coded error), as `createServices` opens it for the CLI; the
 * engine, the library, intake and the DashScope client are never loaded, so the
 * command starts like a native tool.
 */
import type { Translate } from '../../../shared/i18n';
import { queueFile } from '../../core/app-paths';
import { silentLogger } from '../../core/log/logger';
import { openJobStore, type JobStore } from '../../core/queue/job-store';
import { cliDataDir } from '../host';
import { writeLine } from '../text';

/** Opens the queue of `--data-dir` (or the app's), and tells a rebuild once. */
export function openQueueView(flags: { dataDir?: string; json?: boolean }, t: Translate): JobStore {
  const store = openJobStore(queueFile(cliDataDir(flags.dataDir)), Date.now, {
    fallback: false,
    log: silentLogger,
  });
  tellRecovery(t, store, flags.json ?? false);
  return store;
}

/** A rebuilt queue file, said once (then dismissed): the window shows it as a banner. */
export function tellRecovery(t: Translate, store: JobStore, json: boolean): void {
  const recovery = store.recovery();
  if (!recovery) return;
  if (json) process.stdout.write(`${JSON.stringify({ event: 'queue:recovered', ...recovery })}\n`);
  else
    writeLine(
      process.stderr,
      t('jobs.cli.recovered', {
        batches: recovery.batches,
        jobs: recovery.jobs,
        inFlight: recovery.inFlight,
        file: recovery.keptAs,
      }),
    );
  store.dismissRecovery();
}
