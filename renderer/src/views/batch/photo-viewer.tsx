import { useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { recipeModel } from '../../../../shared/recipe';
import { CompareSlider } from '../../components/compare-slider';
import { keepFocusInside, useFocusOnOpen } from '../../components/focus-trap';
import { StepButtons } from '../../components/step-buttons';
import { useApi, useApp } from '../../store/app-store';
import { currentRun } from '../../store/run-state';
import { photoNote, statusText } from './photo-text';
import { sentFrame } from './sent-frame';

export interface PhotoViewerProps {
  /** The photos one can step through (the gallery's, filter applied). */
  keys: readonly string[];
  current: string;
  onChange(key: string): void;
  onClose(): void;
}

/** The full-size view of one photo; with a result, the before/after compare. */
export function PhotoViewer({ keys, current, onChange, onClose }: PhotoViewerProps) {
  const { t } = useTranslation();
  const api = useApi();
  const { photo, batch } = useApp((s) => {
    const photo = s.photos.get(current);
    return { photo, batch: s.batches.find((b) => b.id === photo?.batchId) };
  });
  const closeRef = useRef<HTMLButtonElement>(null);
  const index = keys.indexOf(current);

  useFocusOnOpen(closeRef);

  if (!photo) return null;
  const { record } = photo;
  const step = (delta: number) => {
    const next = keys[index + delta];
    if (next) onChange(next);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Tab') return keepFocusInside(event);
    if (event.key === 'Escape') onClose();
    else if (event.key === 'ArrowLeft' && !(event.target instanceof HTMLInputElement)) step(-1);
    else if (event.key === 'ArrowRight' && !(event.target instanceof HTMLInputElement)) step(1);
    else return;
    event.preventDefault();
  };
  const original = record.hash && record.thumbnails ? api.thumbnailUrl(record.hash, 'large') : null;
  const resultId = photo.run?.resultIds[0];
  const note = photoNote(t, photo);
  // The result is of the photo as sent to the run's model: cut the original alike.
  const run = batch ? currentRun(batch) : null;
  const sent = sentFrame(record, run ? recipeModel(run.recipe) : null);

  return (
    <div className="viewer-backdrop" onClick={onClose}>
      <div
        role="dialog"
        aria-modal="true"
        aria-label={t('batch.viewer.label', { name: record.name })}
        className="viewer"
        onKeyDown={onKeyDown}
        onClick={(event) => event.stopPropagation()}
        data-testid="viewer"
      >
        <header className="viewer-header">
          <div>
            <h2>{record.name}</h2>
            <p className="help">
              {statusText(t, photo)}
              {record.width && record.height
                ? ` · ${t('batch.viewer.size', { width: record.width, height: record.height })}`
                : ''}
              {record.folder ? ` · ${t('batch.viewer.folder', { folder: record.folder })}` : ''}
            </p>
          </div>
          <div className="row">
            <StepButtons
              index={index}
              count={keys.length}
              onStep={step}
              previousLabel={t('batch.viewer.previous')}
              nextLabel={t('batch.viewer.next')}
            />
            <button ref={closeRef} onClick={onClose} data-testid="viewer-close">
              {t('common.actions.close')}
            </button>
          </div>
        </header>
        <div className="viewer-stage">
          {original && resultId ? (
            <CompareSlider
              before={original}
              after={api.resultUrl(resultId)}
              beforeLabel={t('batch.compare.before')}
              afterLabel={t('batch.compare.after')}
              aspect={sent.aspect}
              frame={sent.frame}
            />
          ) : original ? (
            <img
              src={original}
              alt={record.name}
              className="viewer-image"
              data-testid="viewer-image"
            />
          ) : (
            <div className="viewer-missing">{t('batch.gallery.noThumbnail')}</div>
          )}
        </div>
        {note && (
          <p className={`viewer-note status-${photo.record.status}`} data-testid="viewer-note">
            {note}
          </p>
        )}
      </div>
    </div>
  );
}
