import { useTranslation } from 'react-i18next';
import { describeLeftOut } from '../../../../shared/i18n';
import { recipeImages } from '../../../../shared/recipe';
import { useApp } from '../../store/app-store';
import type { Batch } from '../../store/batch-slice';
import { currentRun, runOffer } from '../../store/run-state';
import { recipeTitle } from './recipe-text';
import { RunPanel } from './run-panel';
import type { BatchPhotos } from './use-batch-photos';

/**
 * How many photos were found, what a run would send, Start with its quote,
 * the run's progress (Start stays disabled until a style is picked), and the
 * style audition. Photos are counted by status in one place only, the
 * gallery's filter chips (the run's states once there is one), so no count
 * here can say otherwise; the run card speaks of the run's progress.
 */
export interface BatchOverviewProps {
  batch: Batch;
  photos: BatchPhotos;
  onAudition(): void;
}

export function BatchOverview({ batch, photos, onAudition }: BatchOverviewProps) {
  const { t } = useTranslation();
  const run = currentRun(batch);
  const { recipe, cancelScan, progress, quoted } = useApp((s) => ({
    recipe: s.recipe,
    cancelScan: s.cancelScan,
    progress: run ? s.progress[run.batchId] : undefined,
    quoted: s.pendingRun?.tabId === batch.id,
  }));
  const offer = runOffer(batch, recipe, progress);
  const images = recipe ? photos.sendable * recipeImages(recipe) : photos.sendable;
  const hint =
    photos.sendable === 0
      ? t('batch.overview.noPhotos')
      : recipe
        ? t('batch.overview.engine')
        : t('batch.overview.pickStyle');
  // After a run: what was done, not what would be sent again.
  const summary =
    offer === 'runAgain' && run
      ? t('batch.overview.doneInStyle', { style: recipeTitle(t, run.recipe) })
      : offer === 'busy' && run
        ? t('batch.overview.runStyle', { style: recipeTitle(t, run.recipe) })
        : offer === 'reopen'
          ? t('batch.overview.queueTab')
          : photos.sendable > 0
            ? t('batch.overview.toSend', { photos: photos.sendable, images })
            : t('batch.overview.toSendNone');
  return (
    <section className="overview" aria-label={t('batch.overview.label')} data-testid="overview">
      <div className="overview-counts">
        <strong data-testid="found">{t('batch.overview.found', { count: batch.size })}</strong>
        {batch.leftOut && batch.leftOut.count > 0 && (
          <p className="help left-out" data-testid="left-out">
            {describeLeftOut(t, batch.leftOut)}
          </p>
        )}
        {batch.scanning && (
          <button onClick={() => void cancelScan(batch.id)} data-testid="cancel-scan">
            {t('batch.overview.cancelScan')}
          </button>
        )}
      </div>
      <div className="overview-run">
        {/* While a quote waits for its answer, it says what would be sent (and refused). */}
        {!quoted && (
          <p className="send-summary" data-testid="send-summary">
            {summary}
          </p>
        )}
        {offer === 'start' && !quoted && (
          <p className="help" id="start-hint">
            {hint}
          </p>
        )}
        {offer === 'start' && !quoted && photos.counts.unsendable > 0 && (
          <p className="help" data-testid="refused-summary">
            {t('batch.overview.refused', { count: photos.counts.unsendable })}
          </p>
        )}
        <RunPanel batch={batch} sendable={photos.sendable} />
        {batch.source === 'scan' && recipe !== null && photos.sendable > 0 && (
          <button onClick={onAudition} data-testid="audition-open">
            {t('run.audition.open')}
          </button>
        )}
      </div>
      {batch.canceled && <p className="banner">{t('batch.overview.canceled')}</p>}
      {batch.error && (
        <p className="banner error" role="alert">
          {t('batch.overview.scanError', { detail: batch.error })}
        </p>
      )}
    </section>
  );
}
