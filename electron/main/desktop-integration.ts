import { app, dialog, Notification, type BrowserWindow } from 'electron';
import type { BatchProgress, EngineStatus } from '../../shared/contract/jobs';
import { createTranslator, describeError } from '../../shared/i18n';
import {
  jobsInFlight,
  justFinished,
  pauseToNotify,
  taskbarProgress,
} from '../core/desktop/queue-summary';
import type { Services } from '../core/services';

/**
 * What the OS shows of the queue: progress in the taskbar/dock, a
 * notification when a batch finishes or the queue pauses, and a question
 * before quitting with work in flight (it continues at the next start).
 */
export function integrateDesktop(services: Services, window: () => BrowserWindow | null): void {
  const t = () => createTranslator(services.settings.language());
  const progress = new Map<string, BatchProgress>();

  const showProgress = () => {
    const target = window();
    if (target && !target.isDestroyed()) target.setProgressBar(taskbarProgress(progress.values()));
  };

  const notify = (title: string, body: string, onClick?: () => void) => {
    if (!Notification.isSupported()) return;
    const notification = new Notification({ title, body, silent: false });
    if (onClick) notification.on('click', onClick);
    notification.show();
  };

  /** A finished run's notification, clicked: the window, on that run's results in the Library. */
  const showResults = (batchId: string) => {
    const target = window();
    if (!target || target.isDestroyed()) return;
    if (target.isMinimized()) target.restore();
    target.show();
    target.focus();
    services.events.emit('app:show-batch-results', { batchId });
  };

  services.events.subscribe((name, payload) => {
    if (name === 'jobs:batch-progress') {
      const next = payload as BatchProgress;
      const before = progress.get(next.batchId);
      progress.set(next.batchId, next);
      showProgress();
      if (justFinished(before, next)) {
        const label = services.engine.listBatches().find((b) => b.id === next.batchId)?.label ?? '';
        notify(
          t()('desktop.batchDoneTitle', { label }),
          t()('desktop.batchDoneBody', { finished: next.finished, total: next.total }),
          () => showResults(next.batchId),
        );
      }
    }
    if (name === 'jobs:engine-state') {
      const reason = pauseToNotify(payload as EngineStatus);
      if (reason)
        notify(t()('desktop.pausedTitle'), describeError(t(), { code: reason, message: reason }));
    }
  });

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    void (async () => {
      const pending = jobsInFlight(services.engine.listBatches());
      const owner = window();
      if (pending > 0 && owner && !owner.isDestroyed()) {
        const answer = await dialog.showMessageBox(owner, {
          type: 'question',
          title: t()('desktop.quitTitle'),
          message: t()('desktop.quitTitle'),
          detail: t()('desktop.quitBody', { count: pending }),
          buttons: [t()('desktop.keepRunning'), t()('desktop.quitAnyway')],
          defaultId: 0,
          cancelId: 0,
        });
        if (answer.response !== 1) return;
      }
      quitting = true;
      // Work in flight stays recorded: the next start polls it again.
      await services.engine
        .stop()
        .catch((error: unknown) => services.log.error('engine stop failed', { error }));
      app.quit();
    })();
  });
}
