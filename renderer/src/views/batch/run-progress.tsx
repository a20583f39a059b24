import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BatchProgress } from '../../../../shared/contract/jobs';
import { useApp } from '../../store/app-store';
import { countIn, etaParts, runCard } from '../../store/run-state';

/** Percent steps at which progress is announced (besides every change of state). */
const ANNOUNCE_STEP = 10;

/**
 * The bar, counts, ETA and spend of one run, its controls, and a polite
 * announcement. Its state is the engine's: a run held by the whole queue
 * (paused for the key or the account, or offline) says so, with the reason.
 */
export function RunProgress({
  progress,
  canMoveUp,
  onShowResults,
}: {
  progress: BatchProgress;
  canMoveUp: boolean;
  /** "Show results": the Library, filtered to this run (offered once it ended with some). */
  onShowResults?: () => void;
}) {
  const { t } = useTranslation();
  const { controlRun, moveUp, engine } = useApp((s) => ({
    controlRun: s.controlRun,
    moveUp: s.moveUp,
    engine: s.engine,
  }));
  const [confirmCancel, setConfirmCancel] = useState(false);
  const { batchId, finished, total, counts, etaMs, spentCny } = progress;
  const card = runCard(progress, engine);
  const { state, reason: pauseReason } = card;
  const percent = total ? Math.floor((finished / total) * 100) : 0;
  const stateText = t(`run.progress.state.${state}`);
  // As the photos' badges group the job states: sent and waiting at DashScope, or running.
  const waiting = countIn(counts, 'waiting');
  const running = countIn(counts, 'running');
  const failed = counts.failed + counts.expired + counts.needs_attention;
  const eta = etaMs !== null && state === 'active' ? etaParts(etaMs) : null;
  const announcement = useAnnouncement(percent, state, () =>
    t('run.announce', { percent, finished, total, state: stateText }),
  );
  return (
    <div className="run-progress" data-testid="run-progress" data-state={state}>
      <div className="row">
        <strong data-testid="run-state">{stateText}</strong>
        <span data-testid="run-counts">{t('run.progress.counts', { finished, total })}</span>
        {running > 0 && <span>{t('run.progress.running', { count: running })}</span>}
        {waiting > 0 && (
          <span data-testid="run-waiting">{t('run.progress.waiting', { count: waiting })}</span>
        )}
        {failed > 0 && (
          <span data-testid="run-failed">{t('run.progress.failed', { count: failed })}</span>
        )}
        {eta && (
          <span>
            {t('run.progress.eta', { eta: t(`run.eta.${eta.unit}`, { count: eta.count }) })}
          </span>
        )}
        <span data-testid="run-spent">
          {t('run.progress.spent', { spent: spentCny.toFixed(2) })}
        </span>
        {/* Beside what the run did, not on a row of its own: the done card stays short. */}
        {onShowResults && (state === 'done' || state === 'canceled') && finished > 0 && (
          <button
            className="run-show-results"
            onClick={onShowResults}
            data-testid="run-show-results"
          >
            {t('library.act.showResults')}
          </button>
        )}
      </div>
      <progress max={total || 1} value={finished} aria-label={t('run.progress.label')} />
      {state === 'paused' && pauseReason && (
        <p className="help" data-testid="run-pause-reason">
          {t(card.byQueue ? 'run.progress.queuePaused' : 'run.banner.batchPaused', {
            reason: reasonText(t, pauseReason, card.params),
          })}
        </p>
      )}
      <div className="row run-actions">
        {(state === 'active' || state === 'offline') && (
          <button onClick={() => void controlRun(batchId, 'pause')} data-testid="run-pause">
            {t('run.actions.pause')}
          </button>
        )}
        {state === 'paused' && (
          <button
            className="primary"
            // Held by the whole queue: resuming the queue clears its pause.
            onClick={() => void controlRun(card.byQueue ? null : batchId, 'resume')}
            data-testid="run-resume"
          >
            {t('run.actions.resume')}
          </button>
        )}
        {failed > 0 && (
          <button onClick={() => void controlRun(batchId, 'retry')} data-testid="run-retry">
            {t('run.actions.retry')}
          </button>
        )}
        {canMoveUp && state !== 'done' && (
          <button onClick={() => void moveUp(batchId)} data-testid="run-move-up">
            {t('run.actions.moveUp')}
          </button>
        )}
        {(state === 'active' || state === 'paused' || state === 'offline') &&
          (confirmCancel ? (
            <span className="row" role="group">
              <span>{t('run.actions.cancelConfirm')}</span>
              <button
                onClick={() => {
                  setConfirmCancel(false);
                  void controlRun(batchId, 'cancel');
                }}
                data-testid="run-cancel-yes"
              >
                {t('run.actions.cancelYes')}
              </button>
              <button onClick={() => setConfirmCancel(false)}>{t('run.actions.cancelNo')}</button>
            </span>
          ) : (
            <button onClick={() => setConfirmCancel(true)} data-testid="run-cancel">
              {t('run.actions.cancel')}
            </button>
          ))}
      </div>
      <p className="visually-hidden" aria-live="polite" data-testid="run-announcer">
        {announcement}
      </p>
    </div>
  );
}

/** A pause reason in words: the user, the quote, or an error code (with its params: the file it names). */
export function reasonText(
  t: ReturnType<typeof useTranslation>['t'],
  reason: string,
  params?: Record<string, string | number>,
): string {
  return reason === 'user' || reason === 'awaiting_start'
    ? t(`run.pauseReason.${reason}`)
    : t(`errors.${reason}`, { detail: '', ...params });
}

/** The text of the live region: updated every 10 % and on each change of state. */
function useAnnouncement(percent: number, state: string, text: () => string): string {
  const [said, setSaid] = useState('');
  const last = useRef<{ step: number; state: string } | null>(null);
  const step = Math.floor(percent / ANNOUNCE_STEP);
  useEffect(() => {
    const prev = last.current;
    if (prev && prev.step === step && prev.state === state) return;
    last.current = { step, state };
    setSaid(text());
    // `text` reads the same values; only the step and the state decide.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [step, state]);
  return said;
}
