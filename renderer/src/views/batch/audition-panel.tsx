import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../../../shared/i18n';
import type { BatchProgress } from '../../../../shared/contract/jobs';
import { STYLE_PRESETS } from '../../../../shared/models';
import type { Recipe } from '../../../../shared/recipe';
import { useApi, useApp } from '../../store/app-store';
import { auditionCell, MAX_AUDITION_PHOTOS, type AuditionPhoto } from '../../store/audition-slice';
import { isSendable } from '../../store/batch-photo';
import type { Batch } from '../../store/batch-slice';
import { QuoteSummary } from './run-quote';
import { recipeTitle } from './recipe-text';

const PRESETS = STYLE_PRESETS.map((_, i) => i);

/** Styles tried on a few photos before the whole album: quote, then a photos × styles grid. */
export function AuditionPanel({ batch, onClose }: { batch: Batch; onClose(): void }) {
  const { t } = useTranslation();
  const api = useApi();
  const s = useApp((state) => ({
    photos: state.photos,
    version: state.photosVersion,
    recipe: state.recipe,
    audition: state.audition,
    progress: state.progress,
    error: state.auditionError,
    quoteAudition: state.quoteAudition,
    startAudition: state.startAudition,
    closeAudition: state.closeAudition,
    pickPreset: state.pickPreset,
  }));
  const current = s.recipe?.kind === 'preset' ? s.recipe.styleIndex : null;
  const [presets, setPresets] = useState<number[]>(current !== null ? [current] : []);
  const [withCurrent, setWithCurrent] = useState(s.recipe !== null && current === null);

  // The sample photos: the selected sendable ones (up to 5), else the first 2 sendable.
  const sendable: AuditionPhoto[] = [];
  const selected: AuditionPhoto[] = [];
  for (const key of batch.keys.slice(0, batch.size)) {
    const photo = s.photos.get(key);
    if (!photo || !isSendable(photo)) continue;
    const sample = { key, photoId: photo.record.id, name: photo.record.name };
    sendable.push(sample);
    if (photo.selected) selected.push(sample);
  }
  const samples = (selected.length ? selected : sendable.slice(0, 2)).slice(0, MAX_AUDITION_PHOTOS);
  const styles: Recipe[] = [
    ...(withCurrent && s.recipe ? [s.recipe] : []),
    ...presets.map((styleIndex): Recipe => ({ kind: 'preset', styleIndex })),
  ];
  const close = () => {
    s.closeAudition();
    onClose();
  };
  const toggle = (i: number) =>
    setPresets((list) =>
      list.includes(i) ? list.filter((p) => p !== i) : [...list, i].sort((a, b) => a - b),
    );
  const audition = s.audition;

  return (
    <section className="audition" aria-label={t('run.audition.title')} data-testid="audition">
      <header className="row">
        <h2>{t('run.audition.title')}</h2>
        <button onClick={close} data-testid="audition-close">
          {t('run.audition.close')}
        </button>
      </header>
      {!audition ? (
        <>
          <p data-testid="audition-photos">
            {t('run.audition.photos', { names: samples.map((p) => p.name).join(', ') })}
          </p>
          <p className="help">{t('run.audition.photosHelp')}</p>
          <fieldset className="audition-styles">
            <legend>{t('run.audition.styles')}</legend>
            {s.recipe && current === null && (
              <label>
                <input
                  type="checkbox"
                  checked={withCurrent}
                  onChange={() => setWithCurrent((v) => !v)}
                />
                {t('run.audition.current')}
              </label>
            )}
            {PRESETS.map((i) => (
              <label key={i}>
                <input
                  type="checkbox"
                  checked={presets.includes(i)}
                  onChange={() => toggle(i)}
                  data-testid={`audition-preset-${i}`}
                />
                {t(`styles.preset.${i}`)}
              </label>
            ))}
            <button onClick={() => setPresets(PRESETS)} data-testid="audition-all">
              {t('run.audition.all')}
            </button>
          </fieldset>
          <button
            className="primary"
            disabled={styles.length === 0 || samples.length === 0}
            onClick={() => void s.quoteAudition(batch.id, samples, styles)}
            data-testid="audition-quote"
          >
            {t('run.audition.quote')}
          </button>
          {styles.length === 0 && <p className="help">{t('run.audition.noStyles')}</p>}
        </>
      ) : (
        <>
          <QuoteSummary quote={audition.quote} />
          {!audition.started && (
            <button
              className="primary"
              disabled={audition.quote.jobs === 0}
              onClick={() => void s.startAudition()}
              data-testid="audition-confirm"
            >
              {t('run.quote.confirm')}
            </button>
          )}
          <table className="audition-grid" aria-label={t('run.audition.grid')}>
            <thead>
              <tr>
                <td />
                {audition.styles.map((recipe, i) => (
                  <th key={i} scope="col">
                    {recipeTitle(t, recipe)}
                    <ColumnState progress={s.progress[audition.engineBatchIds[i] ?? '']} />
                    {audition.started && recipe.kind === 'preset' && (
                      <button
                        onClick={() => {
                          s.pickPreset(recipe.styleIndex);
                          close();
                        }}
                        data-testid="audition-use"
                      >
                        {t('run.audition.use')}
                      </button>
                    )}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {audition.photos.map((photo) => (
                <tr key={photo.key}>
                  <th scope="row">{photo.name}</th>
                  {audition.styles.map((recipe, i) => {
                    const run = audition.results[auditionCell(i, photo.photoId)];
                    const column = s.progress[audition.engineBatchIds[i] ?? ''];
                    const settled = column?.state === 'done' || column?.state === 'canceled';
                    const id = run?.resultIds[0];
                    return (
                      <td key={i} data-testid="audition-cell" data-state={run?.state ?? 'pending'}>
                        {id ? (
                          <img
                            src={api.resultUrl(id)}
                            alt={`${photo.name} · ${recipeTitle(t, recipe)}`}
                            data-testid="audition-result"
                          />
                        ) : (
                          <span className="help">
                            {run
                              ? t(`batch.status.${run.state}`)
                              : settled
                                ? t('run.audition.notMade')
                                : t('run.audition.pending')}
                          </span>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {s.error && (
        <p className="banner error" role="alert">
          {t('run.error', { detail: describeError(t, s.error) })}
        </p>
      )}
    </section>
  );
}

/** A style's column: how far its batch is, or that the library already had every result. */
function ColumnState({ progress }: { progress: BatchProgress | undefined }) {
  const { t } = useTranslation();
  if (!progress) return null;
  const text =
    progress.state === 'done' && progress.total > 0 && progress.counts.skipped === progress.total
      ? t('run.audition.inLibrary')
      : progress.state === 'done' || progress.state === 'canceled'
        ? t(`run.progress.state.${progress.state}`)
        : t('run.audition.column', { finished: progress.finished, total: progress.total });
  return (
    <span
      className="help audition-column"
      data-testid="audition-column"
      data-state={progress.state}
    >
      {text}
    </span>
  );
}
