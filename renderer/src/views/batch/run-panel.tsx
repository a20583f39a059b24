import { useTranslation } from 'react-i18next';
import { describeError } from '../../../../shared/i18n';
import { useApp } from '../../store/app-store';
import type { Batch } from '../../store/batch-slice';
import { currentRun, runOffer } from '../../store/run-state';
import { runResultsLabel } from './batch-name';
import { QuoteSummary } from './run-quote';
import { RunProgress } from './run-progress';

/** Start → the quote (core's; nothing exists until Confirm) → the run's progress and controls. */
export function RunPanel({ batch, sendable }: { batch: Batch; sendable: number }) {
  const { t } = useTranslation();
  const run = currentRun(batch);
  const s = useApp((state) => ({
    recipe: state.recipe,
    pending: state.pendingRun,
    progress: run ? state.progress[run.batchId] : undefined,
    runOrder: state.runOrder,
    progressAll: state.progress,
    budget: state.budgetCny,
    error: state.runError,
    setBudget: state.setBudget,
    requestQuote: state.requestQuote,
    confirmRun: state.confirmRun,
    declineRun: state.declineRun,
    showBatchResults: state.showBatchResults,
  }));
  const pending = s.pending?.tabId === batch.id ? s.pending : null;
  const offer = runOffer(batch, s.recipe, s.progress);
  const unfinished = s.runOrder.filter((id) => {
    const state = s.progressAll[id]?.state;
    return state === 'active' || state === 'paused';
  });
  const canMoveUp = !!run && unfinished.length > 1 && unfinished[0] !== run.batchId;
  return (
    <div className="run-panel">
      {s.progress && (
        <RunProgress
          progress={s.progress}
          canMoveUp={canMoveUp}
          onShowResults={() =>
            run && s.showBatchResults(run.batchId, runResultsLabel(t, batch.name, run.recipe))
          }
        />
      )}
      {pending ? (
        <div className="quote-panel" role="group" aria-label={t('run.quote.title')}>
          <h3>{t('run.quote.title')}</h3>
          <QuoteSummary quote={pending.quote} />
          <div className="row">
            <button
              className="primary"
              disabled={pending.quote.jobs === 0}
              onClick={() => void s.confirmRun()}
              data-testid="quote-confirm"
            >
              {t('run.quote.confirm')}
            </button>
            <button onClick={() => s.declineRun()} data-testid="quote-decline">
              {t('run.quote.decline')}
            </button>
          </div>
        </div>
      ) : offer === 'start' ? (
        <div className="row">
          <label className="budget">
            {t('run.budget')}
            <input
              type="number"
              min={0}
              step={0.1}
              value={s.budget ?? ''}
              onChange={(e) => s.setBudget(e.target.value === '' ? null : Number(e.target.value))}
              data-testid="budget"
            />
          </label>
          <button
            className="primary start"
            disabled={!s.recipe || sendable === 0}
            aria-describedby="start-hint"
            onClick={() => void s.requestQuote(batch.id)}
            data-testid="start"
          >
            {t('run.start')}
          </button>
        </div>
      ) : offer === 'runAgain' ? (
        <div className="row">
          <button onClick={focusStyles} data-testid="run-again">
            {t('batch.overview.runAgain')}
          </button>
        </div>
      ) : null}
      {s.error && (
        <p className="banner error" role="alert" data-testid="run-error">
          {t('run.error', { detail: describeError(t, s.error) })}
        </p>
      )}
    </div>
  );
}

/** "Run again with another style": to the style panel, where choosing another brings Start back. */
function focusStyles() {
  const panel = document.querySelector<HTMLElement>('[data-testid="style-panel"]');
  panel?.scrollIntoView({ block: 'nearest' });
  panel?.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]')?.focus();
}
