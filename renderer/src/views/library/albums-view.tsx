import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  COVERAGE_STATES,
  type AlbumSummary,
  type CoverageState,
} from '../../../../shared/contract/library';
import { describeError } from '../../../../shared/i18n';
import { useApi, useApp } from '../../store/app-store';
import { albumText, moneyText } from './library-text';
import { ResultViewer } from './result-viewer';
import { useCoverage, type CoverageRow } from './viewer-coverage';
import { useLibraryQuery } from './viewer-items';
import { styleNameIn } from './viewer-text';
import './viewer.css';

/** A coverage row's height (px), fixed so long albums are virtualized without measuring. */
const ROW_HEIGHT = 36;

/** Each state's mark beside its word: never the colour alone. */
const STATE_ICON: Record<CoverageState, string> = {
  done: '✓',
  missing: '?',
  failed: '✕',
  queued: '…',
  none: '○',
};

/**
 * The Albums view: a tile per album (cover, photos, results, styles, cost,
 * coverage), then an album's coverage matrix, photos × styles, with "Fill
 * the gaps" and "Retry failed" through the normal quote.
 */
export function AlbumsView() {
  const [album, setAlbum] = useState<string | null>(null);
  return album === null ? (
    <AlbumTiles onOpen={setAlbum} />
  ) : (
    <AlbumCoverage albumFolder={album} onBack={() => setAlbum(null)} />
  );
}

function AlbumTiles({ onOpen }: { onOpen(album: string): void }) {
  const { t } = useTranslation();
  const api = useApi();
  const { state } = useLibraryQuery('albums', (api) => api.invoke('library:albums', {}));
  if (state.status === 'loading') return <p role="status">{t('viewer.loading')}</p>;
  if (state.status === 'error')
    return (
      <p className="banner error" role="alert">
        {describeError(t, state.error)}
      </p>
    );
  if (state.value.length === 0)
    return (
      <p className="help" data-testid="albums-empty">
        {t('viewer.albums.empty')}
      </p>
    );
  return (
    <section className="albums-view" aria-labelledby="albums-title">
      <h2 id="albums-title" className="visually-hidden">
        {t('viewer.albums.title')}
      </h2>
      <ul className="album-tiles" aria-label={t('viewer.albums.label')} data-testid="album-tiles">
        {state.value.map((summary) => (
          <li key={summary.albumFolder}>
            <button
              className="album-tile"
              onClick={() => onOpen(summary.albumFolder)}
              data-testid="album-tile"
              data-album={summary.albumFolder}
            >
              <img
                className="album-cover"
                src={api.resultUrl(summary.coverId, 'thumb')}
                alt=""
                loading="lazy"
              />
              <span className="album-name">{albumText(t, summary.albumFolder)}</span>
              <AlbumFacts summary={summary} />
              <CoverageCounts counts={summary.cells} />
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function AlbumFacts({ summary }: { summary: AlbumSummary }) {
  const { t } = useTranslation();
  return (
    <span className="album-facts">
      <span>{t('viewer.albums.photos', { count: summary.photos })}</span>
      <span>{t('viewer.albums.results', { count: summary.results })}</span>
      <span>{t('viewer.albums.styles', { count: summary.styles })}</span>
      <span data-testid="album-cost">
        {summary.costCny === 0 ? t('viewer.albums.free') : moneyText(t, summary.costCny)}
      </span>
    </span>
  );
}

/** The cells by state, each with its mark: "✓ 12 done · ○ 3 not made". */
function CoverageCounts({ counts }: { counts: Record<CoverageState, number> }) {
  const { t } = useTranslation();
  return (
    <span className="coverage-counts" data-testid="coverage-counts">
      {COVERAGE_STATES.filter((state) => counts[state] > 0).map((state) => (
        <span
          key={state}
          className={`cell-state state-${state}`}
          data-testid={`count-${state}`}
          data-count={counts[state]}
        >
          <span aria-hidden="true">{STATE_ICON[state]}</span>
          <span className="cell-text">
            {t(`viewer.albums.count.${state}`, { count: counts[state] })}
          </span>
        </span>
      ))}
    </span>
  );
}

function AlbumCoverage({ albumFolder, onBack }: { albumFolder: string; onBack(): void }) {
  const { t, i18n } = useTranslation();
  const openRerun = useApp((s) => s.openRerun);
  const coverage = useCoverage(albumFolder);
  const [viewing, setViewing] = useState<string | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const backRef = useRef<HTMLButtonElement>(null);
  const { styles, rows, total, counts, error, loadRange } = coverage;
  const album = albumText(t, albumFolder);

  useEffect(() => backRef.current?.focus(), []);

  // No React Compiler here: the virtualizer re-renders this component itself.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => loadRange(first, last), [loadRange, first, last]);

  // The viewer steps through the results of the rows fetched, row by row.
  const ids = useMemo(
    () =>
      rows.flatMap(
        (row) => row?.cells.flatMap((cell) => (cell.resultId ? [cell.resultId] : [])) ?? [],
      ),
    [rows],
  );
  const gaps = counts ? counts.none + counts.missing : 0;
  const failed = counts?.failed ?? 0;
  const before = items[0]?.start ?? 0;
  const after = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);
  const columns = (styles?.length ?? 0) + 1;
  const styleNames = useMemo(
    () => (styles ?? []).map((style) => styleNameIn(i18n.language, style.styleName)),
    [styles, i18n.language],
  );

  return (
    <section className="albums-view" aria-labelledby="coverage-title" data-testid="album-coverage">
      <div className="coverage-head">
        <div className="row">
          <button ref={backRef} onClick={onBack} data-testid="albums-back">
            <span aria-hidden="true">‹ </span>
            {t('viewer.albums.back')}
          </button>
          <h2 id="coverage-title">{album}</h2>
        </div>
        <div className="row">
          <button
            className="primary"
            disabled={gaps === 0}
            aria-describedby="gaps-help"
            onClick={() => void openRerun({ albumFolder, cells: 'gaps' })}
            data-testid="fill-gaps"
          >
            {t('viewer.albums.fillGaps')}
          </button>
          <button
            disabled={failed === 0}
            onClick={() => void openRerun({ albumFolder, cells: 'failed' })}
            data-testid="retry-failed"
          >
            {t('viewer.albums.retryFailed')}
          </button>
        </div>
      </div>
      <p className="help" id="gaps-help">
        {t('viewer.albums.gapsHelp')}
      </p>
      {counts && <CoverageCounts counts={counts} />}
      {error && (
        <p className="banner error" role="alert">
          {describeError(t, error)}
        </p>
      )}
      <div ref={scrollRef} className="coverage-scroll" data-testid="coverage-scroll">
        {styles && (
          <table className="coverage" aria-rowcount={total + 1} data-testid="coverage-matrix">
            <caption className="visually-hidden">{t('viewer.albums.matrix', { album })}</caption>
            <thead>
              <tr aria-rowindex={1}>
                <th scope="col">{t('viewer.albums.photo')}</th>
                {styleNames.map((name, column) => (
                  <th key={styles[column]?.recipeKey} scope="col" data-testid="coverage-style">
                    {/* A prompt's name can be long: two lines, the whole in its tooltip. */}
                    <span className="coverage-style-name" title={name}>
                      {name}
                    </span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {before > 0 && (
                <tr aria-hidden="true">
                  <td colSpan={columns} style={{ height: before, padding: 0 }} />
                </tr>
              )}
              {items.map((virtual) => (
                <CoverageLine
                  key={virtual.index}
                  index={virtual.index}
                  row={rows[virtual.index]}
                  styleNames={styleNames}
                  onOpen={setViewing}
                />
              ))}
              {after > 0 && (
                <tr aria-hidden="true">
                  <td colSpan={columns} style={{ height: after, padding: 0 }} />
                </tr>
              )}
            </tbody>
          </table>
        )}
      </div>
      {viewing && (
        <ResultViewer
          ids={ids}
          current={viewing}
          onChange={setViewing}
          onClose={() => setViewing(null)}
        />
      )}
    </section>
  );
}

function CoverageLine(props: {
  index: number;
  row: CoverageRow | undefined;
  styleNames: string[];
  onOpen(id: string): void;
}) {
  const { t } = useTranslation();
  const { row, styleNames, index } = props;
  if (!row)
    return (
      <tr aria-rowindex={index + 2} style={{ height: ROW_HEIGHT }}>
        <th scope="row">{t('viewer.loading')}</th>
        {styleNames.map((_, column) => (
          <td key={column} />
        ))}
      </tr>
    );
  return (
    <tr
      aria-rowindex={index + 2}
      style={{ height: ROW_HEIGHT }}
      data-testid="coverage-row"
      data-source={row.sourceHash}
    >
      <th scope="row" title={row.sourcePath}>
        {row.sourceName}
      </th>
      {row.cells.map((cell, column) => {
        const state = t(`viewer.albums.state.${cell.state}`);
        const content = (
          <>
            <span aria-hidden="true">{STATE_ICON[cell.state]}</span>
            <span className="cell-text">{state}</span>
          </>
        );
        return (
          <td key={column} data-testid="coverage-cell" data-state={cell.state}>
            {cell.resultId ? (
              <button
                className={`cell-state state-${cell.state}`}
                aria-label={t('viewer.albums.cell', {
                  photo: row.sourceName,
                  style: styleNames[column] ?? '',
                  state,
                })}
                onClick={() => cell.resultId && props.onOpen(cell.resultId)}
              >
                {content}
              </button>
            ) : (
              <span className={`cell-state state-${cell.state}`}>{content}</span>
            )}
          </td>
        );
      })}
    </tr>
  );
}
