import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LibraryItem } from '../../../../shared/contract/library';
import { describeError } from '../../../../shared/i18n';
import { dialogKeys, useFocusOnOpen } from '../../components/focus-trap';
import { useApi, useApp } from '../../store/app-store';
import { ResultViewer } from './result-viewer';
import { useLibraryQuery } from './viewer-items';
import { styleNameIn, timeText } from './viewer-text';
import './viewer.css';

export interface PhotoStackProps {
  /** The photo (its content hash) whose results are shown. */
  sourceHash: string;
  onClose(): void;
}

/** What the viewer opened from the stack shows: one result, or two side by side. */
type Viewing = { id: string; compareWith: string | null };

/**
 * A photo's stack: the original and every result made of it, each style a
 * column (newest first, across runs). Open one in the viewer, tick two to
 * compare them side by side, or run the photo again in another style.
 */
export function PhotoStackView({ sourceHash, onClose }: PhotoStackProps) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const { openRerun, rerunOpen } = useApp((s) => ({
    openRerun: s.openRerun,
    rerunOpen: s.rerun !== null,
  }));
  const { state: loaded } = useLibraryQuery(sourceHash, (api) =>
    api.invoke('library:photo-stack', { sourceHash }),
  );
  const [picked, setPicked] = useState<string[]>([]);
  const [viewing, setViewing] = useState<Viewing | null>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  useFocusOnOpen(closeRef);

  const stack = loaded.status === 'ready' ? loaded.value : null;
  const results = stack?.columns.flatMap((column) => column.results) ?? [];
  const ids = results.map((item) => item.id);
  // Ticks of results no longer in the stack (deleted meanwhile) do not count.
  const ticks = picked.filter((id) => ids.includes(id));
  const any = results.find((item) => item.present) ?? results[0];
  const language = i18n.language;

  const togglePick = (id: string) =>
    setPicked((before) =>
      before.includes(id)
        ? before.filter((p) => p !== id)
        : [...before.filter((p) => ids.includes(p)), id].slice(-2),
    );
  return (
    <>
      <div className="viewer-backdrop" onClick={onClose} inert={viewing !== null || rerunOpen}>
        <div
          role="dialog"
          aria-modal="true"
          aria-label={t('viewer.stack.label', { name: stack?.sourceName ?? '' })}
          className="viewer stack-dialog"
          onKeyDown={dialogKeys(onClose)}
          onClick={(event) => event.stopPropagation()}
          data-testid="photo-stack"
        >
          <header className="viewer-header">
            <div>
              <h2>{stack?.sourceName ?? t('viewer.loading')}</h2>
              {stack && (
                <p className="help" data-testid="stack-summary">
                  {stack.albumFolder ? `${stack.albumFolder} · ` : ''}
                  {t('viewer.stack.summary', {
                    styles: t('viewer.stack.styles', { count: stack.columns.length }),
                    results: t('viewer.stack.results', { count: results.length }),
                  })}
                </p>
              )}
            </div>
            <button ref={closeRef} onClick={onClose} data-testid="stack-close">
              {t('common.actions.close')}
            </button>
          </header>
          {stack && results.length > 0 && (
            <div className="stack-toolbar">
              <p className="help" role="status" data-testid="stack-picked">
                {ticks.length === 0
                  ? t('viewer.stack.pickHelp')
                  : t('viewer.stack.picked', { count: ticks.length })}
              </p>
              <button
                className="primary"
                disabled={ticks.length !== 2}
                onClick={() => {
                  const [a, b] = ticks;
                  if (a && b) setViewing({ id: a, compareWith: b });
                }}
                data-testid="stack-compare"
              >
                {t('viewer.stack.compare')}
              </button>
              <button
                onClick={() => any && void openRerun({ resultIds: [any.id] }, null)}
                data-testid="stack-rerun"
              >
                {t('viewer.stack.rerun')}
              </button>
            </div>
          )}
          {loaded.status === 'error' ? (
            <p className="banner error" role="alert">
              {loaded.error.code === 'not_found'
                ? t('viewer.stack.empty')
                : describeError(t, loaded.error)}
            </p>
          ) : stack ? (
            <div className="stack-columns" data-testid="stack-columns">
              <section className="stack-column" aria-labelledby="stack-original">
                <h3 id="stack-original">{t('viewer.stack.original')}</h3>
                <p className="help mono">{stack.sourcePath}</p>
                {!stack.sourcePresent && (
                  <p className="help" data-testid="stack-original-missing">
                    {t('viewer.stack.originalMissing')}
                  </p>
                )}
                {any && (
                  <div className="stack-original">
                    <img
                      src={api.resultUrl(any.id, 'source')}
                      alt={t('viewer.stack.original')}
                      loading="lazy"
                      data-testid="stack-original-image"
                    />
                  </div>
                )}
              </section>
              {stack.columns.map((column) => {
                const style = styleNameIn(language, column.styleName);
                return (
                  <section
                    key={column.recipeKey}
                    className="stack-column"
                    aria-label={style}
                    data-testid="stack-column"
                    data-recipe={column.recipeKey}
                  >
                    <h3>{style}</h3>
                    <p className="help">
                      {t('viewer.stack.results', { count: column.results.length })}
                    </p>
                    <ul className="stack-list">
                      {column.results.map((item) => (
                        <StackTile
                          key={item.id}
                          item={item}
                          style={style}
                          time={timeText(language, item.savedAt)}
                          picked={ticks.includes(item.id)}
                          onPick={() => togglePick(item.id)}
                          onOpen={() => setViewing({ id: item.id, compareWith: null })}
                        />
                      ))}
                    </ul>
                  </section>
                );
              })}
            </div>
          ) : (
            <p role="status">{t('viewer.loading')}</p>
          )}
        </div>
      </div>
      {viewing && (
        <ResultViewer
          ids={ids}
          current={viewing.id}
          compareWith={viewing.compareWith}
          onChange={(id) => setViewing({ id, compareWith: viewing.compareWith })}
          onClose={() => setViewing(null)}
        />
      )}
    </>
  );
}

function StackTile(props: {
  item: LibraryItem;
  style: string;
  time: string;
  picked: boolean;
  onPick(): void;
  onOpen(): void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const { item, style, time, picked } = props;
  return (
    <li
      className={`stack-tile${picked ? ' picked' : ''}`}
      data-testid="stack-tile"
      data-result-id={item.id}
    >
      <button
        className="stack-open"
        onClick={props.onOpen}
        aria-label={t('viewer.stack.open', { style, time })}
        data-testid="stack-open"
      >
        {item.present ? (
          <img src={api.resultUrl(item.id, 'thumb')} alt="" loading="lazy" />
        ) : (
          <span className="stack-missing">{t('viewer.missing')}</span>
        )}
      </button>
      <div className="stack-tile-meta">
        <label className="stack-pick">
          <input
            type="checkbox"
            checked={picked}
            onChange={props.onPick}
            aria-label={t('viewer.stack.pick', { style, time })}
            data-testid="stack-pick"
          />
          <span aria-hidden="true">{time}</span>
        </label>
        <span data-testid="stack-rating" data-rating={item.rating}>
          <span aria-hidden="true">
            {item.favourite ? '♥ ' : ''}
            {'★'.repeat(item.rating)}
          </span>
          <span className="visually-hidden">
            {item.favourite ? `${t('viewer.favourite')}, ` : ''}
            {item.rating
              ? t('viewer.rating.value', { count: item.rating })
              : t('viewer.rating.none')}
          </span>
        </span>
      </div>
    </li>
  );
}
