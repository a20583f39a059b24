import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../../shared/i18n';
import { SegmentedTabs } from '../components/segmented-tabs';
import { useApp, useAppStore } from '../store/app-store';
import {
  hasFilters,
  isPhotoTile,
  LIBRARY_MODES,
  LIBRARY_PAGE,
  tileItem,
  type LibraryTile,
} from '../store/library-slice';
import { LibraryActions } from './library/library-actions';
import { LibraryFilters } from './library/library-filters';
import { LibraryFindBar } from './library/library-find-bar';
import { LibraryGrid } from './library/library-grid';
import { LibrarySpend } from './library/library-spend';
import { resultsText } from './library/library-text';
import { LibraryToast } from './library/library-toast';
import { AlbumsView } from './library/albums-view';
import { PhotoStackView } from './library/photo-stack';
import { ResultViewer } from './library/result-viewer';
import './batch/batch.css';
import './library/library.css';

/** What is open over the grid: a result in the viewer, or a photo's stack. */
type Opened = { kind: 'result'; id: string } | { kind: 'photo'; sourceHash: string };

/**
 * The history library: Photos (one tile per photo), Results (every result)
 * and Albums; a filter column with counts, search and sort, the grid, what
 * to do with the selection, and what it all cost. It looks at the folder
 * again when it opens and whenever the window gets focus.
 */
export function LibraryView() {
  const { t } = useTranslation();
  const store = useAppStore();
  const s = useApp((state) => ({
    find: state.libraryFind,
    pages: state.libraryPages,
    facets: state.libraryFacets,
    openLibrary: state.openLibrary,
    syncLibrary: state.syncLibrary,
    setMode: state.setLibraryMode,
    clear: state.clearLibraryFilters,
  }));
  const id = useId();
  const [opened, setOpened] = useState<Opened | null>(null);
  const { mode, filter } = s.find;
  const viewing = opened?.kind === 'result';
  // Only while the viewer is open: walking every slot of a 100,000-tile grid on each page costs.
  const ids = useMemo(() => (viewing ? loadedIds(s.pages.tiles) : []), [viewing, s.pages.tiles]);
  /**
   * The parts that follow the store themselves, made once: a page arriving
   * (this view follows the pages) must not draw the filter column's hundreds
   * of options again. Measured by the library bench: fast scroll p95 133 → 50 ms.
   */
  const column = useMemo(
    () => (
      <LibraryFilters>
        <LibrarySpend />
      </LibraryFilters>
    ),
    [],
  );
  const findBar = useMemo(() => <LibraryFindBar />, []);
  const actions = useMemo(() => <LibraryActions />, []);

  // The folder may have changed outside the app: look again on opening and on focus.
  useEffect(() => {
    void s.openLibrary();
    const onFocus = () => void s.syncLibrary();
    const onVisible = () => {
      if (document.visibilityState === 'visible') void s.syncLibrary();
    };
    window.addEventListener('focus', onFocus);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.removeEventListener('focus', onFocus);
      document.removeEventListener('visibilitychange', onVisible);
    };
    // Once per visit to the view.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const open = useCallback(
    (tile: LibraryTile) =>
      setOpened(
        isPhotoTile(tile)
          ? { kind: 'photo', sourceHash: tile.sourceHash }
          : { kind: 'result', id: tile.id },
      ),
    [],
  );

  const total = s.pages.total;
  const filtered = hasFilters(filter);
  const countText =
    total === null
      ? t('library.counted.loading')
      : mode === 'photos'
        ? t('library.counted.photos', {
            count: total,
            results: resultsText(t, s.facets?.total ?? 0),
          })
        : resultsText(t, total);

  let body;
  if (mode === 'albums') {
    body = <AlbumsView />;
  } else if (total === 0 && !filtered) {
    body = (
      // The view's heading is its h1: the empty state's title is under it.
      <section className="empty-state" data-testid="library-empty">
        <div className="empty-art" aria-hidden="true" />
        <h2>{t('common.empty.libraryTitle')}</h2>
        <p>{t('common.empty.libraryBody')}</p>
      </section>
    );
  } else {
    body = (
      <div className="library-body">
        {column}
        <section className="library-main" aria-labelledby={`${id}-${mode}`}>
          {findBar}
          {actions}
          {s.pages.error && (
            <p className="banner error" role="alert" data-testid="library-page-error">
              {t('library.notice.failed', { detail: describeError(t, s.pages.error) })}
            </p>
          )}
          {total === 0 ? (
            <div className="library-empty-filtered" data-testid="library-empty-filtered">
              <h2>{t('library.emptyFiltered.title')}</h2>
              <p>{t('library.emptyFiltered.body')}</p>
              <button className="primary" onClick={s.clear}>
                {t('library.find.clear')}
              </button>
            </div>
          ) : (
            <LibraryGrid key={s.pages.query} label={t(`library.grid.${mode}`)} onOpen={open} />
          )}
        </section>
      </div>
    );
  }

  return (
    <div className="library" data-testid="library">
      <header className="library-head">
        <h1>{t('library.title')}</h1>
        <SegmentedTabs
          className="library-modes"
          label={t('library.view.label')}
          names={LIBRARY_MODES}
          selected={mode}
          onSelect={s.setMode}
          text={(m) => t(`library.view.${m}`)}
          testId={(m) => `library-mode-${m}`}
          idPrefix={`${id}-`}
          controls={`${id}-panel`}
        />
        {mode !== 'albums' && (
          <p className="library-count" data-testid="library-count">
            {countText}
          </p>
        )}
      </header>
      <div
        role="tabpanel"
        id={`${id}-panel`}
        aria-labelledby={`${id}-${mode}`}
        className="library-panel"
      >
        {body}
      </div>
      <LibraryToast />
      {viewing && (
        <ResultViewer
          ids={ids}
          current={opened.id}
          onChange={(next) => {
            setOpened({ kind: 'result', id: next });
            // Stepping on: the pages around it are fetched, so the list grows as one goes.
            const tiles = store.getState().libraryPages.tiles;
            const index = tiles.findIndex((tile) => tile && tileItem(tile).id === next);
            if (index >= 0) void store.getState().loadLibraryRange(index, index + LIBRARY_PAGE);
          }}
          onClose={() => setOpened(null)}
        />
      )}
      {opened?.kind === 'photo' && (
        <PhotoStackView sourceHash={opened.sourceHash} onClose={() => setOpened(null)} />
      )}
    </div>
  );
}

/** The results of the tiles fetched so far, in grid order (a photo: its newest). */
function loadedIds(tiles: ReadonlyArray<LibraryTile | undefined>): string[] {
  return tiles.filter((tile): tile is LibraryTile => !!tile).map((tile) => tileItem(tile).id);
}
