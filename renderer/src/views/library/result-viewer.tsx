import { useCallback, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { LibraryItem } from '../../../../shared/contract/library';
import { describeError } from '../../../../shared/i18n';
import type { AppError } from '../../../../shared/result';
import { CompareSlider } from '../../components/compare-slider';
import { keepFocusInside, useFocusOnOpen } from '../../components/focus-trap';
import { StepButtons } from '../../components/step-buttons';
import { SegmentedTabs } from '../../components/segmented-tabs';
import { useApi, useApp } from '../../store/app-store';
import { useLibraryItem, type ItemState } from './viewer-items';
import { ResultDetails } from './viewer-details';
import { ZoomPane } from './viewer-pane';
import { resultCaption, styleNameIn } from './viewer-text';
import {
  actualSize,
  FIT,
  percentOf,
  zoomAt,
  ZOOM_STEP,
  type Size,
  type ZoomView,
} from './viewer-zoom';
import './viewer.css';

export interface ResultViewerProps {
  /** The results one can step through, in the order shown (a grid's, a stack's). */
  ids: readonly string[];
  current: string;
  onChange(id: string): void;
  onClose(): void;
  /** Another result of the same photo: shown side by side, zoomed and moved together. */
  compareWith?: string | null;
}

type Mode = 'result' | 'beforeAfter' | 'sideBySide';

const RATING_KEYS = ['0', '1', '2', '3', '4', '5'];

/**
 * The full-size viewer of a library result: zoom and pan, before/after
 * against the photo as it was sent, two results of one photo side by side,
 * where it came from and what it cost; rating, favourite, delete (with the
 * Library's Undo) and run again. Keyboard: ←/→, F, 0-5, + / −, Delete, Escape.
 */
export function ResultViewer({ ids, current, onChange, onClose, compareWith }: ResultViewerProps) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const { deleteResults, openRerun, rerunOpen } = useApp((s) => ({
    deleteResults: s.deleteLibraryResults,
    openRerun: s.openRerun,
    rerunOpen: s.rerun !== null,
  }));
  const primary = useLibraryItem(current);
  const other = useLibraryItem(compareWith ?? null);
  const [chosenMode, setMode] = useState<Mode>(compareWith ? 'sideBySide' : 'result');
  const mode: Mode = chosenMode === 'sideBySide' && !compareWith ? 'result' : chosenMode;
  // The zoom of the result shown: another result starts at fit.
  const [zoom, setZoom] = useState<{ id: string; view: ZoomView }>({ id: current, view: FIT });
  const view = zoom.id === current ? zoom.view : FIT;
  const setView = useCallback(
    (next: ZoomView | ((before: ZoomView) => ZoomView)) =>
      setZoom((before) => {
        const base = before.id === current ? before.view : FIT;
        return { id: current, view: typeof next === 'function' ? next(base) : next };
      }),
    [current],
  );
  const [stage, setStage] = useState<Size>({ width: 0, height: 0 });
  const [error, setError] = useState<AppError | null>(null);
  /** Results deleted here: stepped over, even before the list is fetched again. */
  const [deleted, setDeleted] = useState<ReadonlySet<string>>(new Set());
  const closeRef = useRef<HTMLButtonElement>(null);

  useFocusOnOpen(closeRef);

  const shown = ids.filter((id) => id === current || !deleted.has(id));
  const index = shown.indexOf(current);
  const step = (delta: number) => {
    const next = shown[index + delta];
    if (next) onChange(next);
  };
  const item = primary.state.status === 'ready' ? primary.state.item : null;
  const size: Size = item ? { width: item.width, height: item.height } : { width: 1, height: 1 };
  const onMeasure = useCallback((measured: Size) => setStage(measured), []);
  const zoomable = mode !== 'beforeAfter' && !!item?.present;

  const rate = async (change: { rating?: number; favourite?: boolean }) => {
    if (!item) return;
    const answer = await api.invoke('library:set-rating', { ids: [item.id], ...change });
    if (!answer.ok) return setError(answer.error);
    setError(null);
    const updated = answer.value.items.find((i) => i.id === item.id);
    if (updated) primary.replace(updated);
  };
  const remove = async () => {
    if (!item) return;
    const next = shown[index + 1] ?? shown[index - 1];
    await deleteResults([item.id]);
    setDeleted((before) => new Set(before).add(item.id));
    if (next) onChange(next);
    else onClose();
  };
  const zoomBy = (factor: number) =>
    setView((v) => zoomAt(v, factor, { x: stage.width / 2, y: stage.height / 2 }, stage, size));

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Tab') return keepFocusInside(event);
    // Keys a control inside took (the slider's arrows, a tab list's) are not the viewer's.
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key;
    if (key === 'Escape') onClose();
    else if (key === 'ArrowLeft') step(-1);
    else if (key === 'ArrowRight') step(1);
    else if (key === 'f' || key === 'F') void rate({ favourite: !item?.favourite });
    else if (RATING_KEYS.includes(key)) void rate({ rating: Number(key) });
    else if (key === 'Delete') void remove();
    else if ((key === '+' || key === '=') && zoomable) zoomBy(ZOOM_STEP);
    else if (key === '-' && zoomable) zoomBy(1 / ZOOM_STEP);
    else return;
    event.preventDefault();
  };

  const name = item?.fileName ?? '';
  const modes: Mode[] = compareWith
    ? ['result', 'beforeAfter', 'sideBySide']
    : ['result', 'beforeAfter'];

  return (
    // Under the re-run dialog it opens, out of reach until that closes.
    <div className="viewer-backdrop" onClick={onClose} inert={rerunOpen}>
      <div
        role="dialog"
        aria-modal="true"
        aria-label={t('viewer.label', { name })}
        className="viewer result-viewer"
        onKeyDown={onKeyDown}
        onClick={(event) => event.stopPropagation()}
        data-testid="result-viewer"
        data-result-id={current}
      >
        <header className="viewer-header">
          <div>
            <h2>{name || t('viewer.loading')}</h2>
            <p className="help">
              {item ? `${styleNameIn(i18n.language, item.styleName)} · ` : ''}
              {index >= 0 && t('viewer.position', { index: index + 1, total: shown.length })}
            </p>
          </div>
          <div className="row">
            <StepButtons
              index={index}
              count={shown.length}
              onStep={step}
              previousLabel={t('viewer.previous')}
              nextLabel={t('viewer.next')}
            />
            <button ref={closeRef} onClick={onClose} data-testid="viewer-close">
              {t('common.actions.close')}
            </button>
          </div>
        </header>
        <div className="viewer-toolbar">
          <SegmentedTabs<Mode>
            className="segmented"
            label={t('viewer.mode.label')}
            names={modes}
            selected={mode}
            onSelect={setMode}
            text={(name) => t(`viewer.mode.${name}`)}
            testId={(name) => `viewer-mode-${name}`}
          />
          {zoomable && (
            <div className="row viewer-zoom" role="group" aria-label={t('viewer.zoom.label')}>
              <button onClick={() => setView(FIT)} data-testid="zoom-fit">
                {t('viewer.zoom.fit')}
              </button>
              <button
                onClick={() => setView((v) => actualSize(v, stage, size))}
                data-testid="zoom-actual"
              >
                {t('viewer.zoom.actual')}
              </button>
              <button onClick={() => zoomBy(1 / ZOOM_STEP)} aria-label={t('viewer.zoom.out')}>
                <span aria-hidden="true">−</span>
              </button>
              <output className="zoom-level" aria-live="polite" data-testid="zoom-level">
                {t('viewer.zoom.level', { percent: percentOf(view, stage, size) })}
              </output>
              <button
                onClick={() => zoomBy(ZOOM_STEP)}
                aria-label={t('viewer.zoom.in')}
                data-testid="zoom-in"
              >
                <span aria-hidden="true">+</span>
              </button>
            </div>
          )}
        </div>
        <div className="viewer-body">
          <div className={`viewer-stage mode-${mode}`} data-testid="viewer-stage">
            {mode === 'beforeAfter' && item?.present ? (
              <CompareSlider
                before={api.resultUrl(item.id, 'source')}
                after={api.resultUrl(item.id)}
                beforeLabel={t('viewer.compare.sent')}
                afterLabel={t('viewer.compare.result')}
                aspect={item.width / item.height}
              />
            ) : (
              <>
                <Pane
                  state={primary.state}
                  view={view}
                  onView={setView}
                  onMeasure={onMeasure}
                  testId="pane-a"
                />
                {mode === 'sideBySide' && (
                  <Pane state={other.state} view={view} onView={setView} testId="pane-b" />
                )}
              </>
            )}
          </div>
          {item && (
            <aside className="viewer-side">
              <ResultActions
                item={item}
                onRate={(rating) => void rate({ rating })}
                onFavourite={() => void rate({ favourite: !item.favourite })}
                onDelete={() => void remove()}
                onRunAgain={() => void openRerun({ resultIds: [item.id] })}
              />
              {error && (
                <p className="banner error" role="alert" data-testid="viewer-error">
                  {describeError(t, error)}
                </p>
              )}
              <ResultDetails item={item} />
            </aside>
          )}
        </div>
        <p className="help viewer-keys">{t('viewer.keys')}</p>
      </div>
    </div>
  );
}

/** One image of the viewer: zoomable, or what stands in for it (loading, gone, missing). */
function Pane(props: {
  state: ItemState;
  view: ZoomView;
  onView(view: ZoomView): void;
  onMeasure?(stage: Size): void;
  testId: string;
}) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const { state, testId } = props;
  const message =
    state.status === 'loading'
      ? t('viewer.loading')
      : state.status === 'gone'
        ? t('viewer.gone')
        : state.status === 'error'
          ? describeError(t, state.error)
          : state.item.present
            ? null
            : t('viewer.missing');
  const item: LibraryItem | null = state.status === 'ready' ? state.item : null;
  return (
    <figure className="viewer-pane" data-testid={`${testId}-figure`}>
      {item && !message ? (
        <ZoomPane
          src={api.resultUrl(item.id)}
          name={item.fileName}
          size={{ width: item.width, height: item.height }}
          view={props.view}
          onView={props.onView}
          {...(props.onMeasure ? { onMeasure: props.onMeasure } : {})}
          testId={testId}
        />
      ) : (
        <p className="viewer-missing" role="status" data-testid={`${testId}-message`}>
          {message}
        </p>
      )}
      {item && <figcaption>{resultCaption(t, i18n.language, item)}</figcaption>}
    </figure>
  );
}

/** Rating (0-5), favourite, run again and delete for the result shown. */
function ResultActions(props: {
  item: LibraryItem;
  onRate(rating: number): void;
  onFavourite(): void;
  onDelete(): void;
  onRunAgain(): void;
}) {
  const { t } = useTranslation();
  const { item } = props;
  return (
    <div className="viewer-actions">
      <div
        className="rating"
        role="group"
        aria-label={`${t('viewer.rating.label')}: ${
          item.rating ? t('viewer.rating.value', { count: item.rating }) : t('viewer.rating.none')
        }`}
        data-testid="viewer-rating"
        data-rating={item.rating}
      >
        {[1, 2, 3, 4, 5].map((stars) => (
          <button
            key={stars}
            className={`star${stars <= item.rating ? ' on' : ''}`}
            aria-pressed={item.rating === stars}
            aria-label={t('viewer.rating.star', { count: stars })}
            // The rating given again takes it away.
            onClick={() => props.onRate(item.rating === stars ? 0 : stars)}
            data-testid={`rate-${stars}`}
          >
            <span aria-hidden="true">{stars <= item.rating ? '★' : '☆'}</span>
          </button>
        ))}
      </div>
      <div className="row">
        <button
          aria-pressed={item.favourite}
          className={item.favourite ? 'favourite on' : 'favourite'}
          onClick={props.onFavourite}
          data-testid="viewer-favourite"
        >
          <span aria-hidden="true">{item.favourite ? '♥' : '♡'}</span> {t('viewer.favourite')}
        </button>
        <button onClick={props.onRunAgain} data-testid="viewer-rerun">
          {t('viewer.runAgain')}
        </button>
        <button className="danger" onClick={props.onDelete} data-testid="viewer-delete">
          {t('viewer.delete')}
        </button>
      </div>
    </div>
  );
}
