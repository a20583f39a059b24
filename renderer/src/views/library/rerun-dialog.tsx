import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../../../shared/i18n';
import { dialogKeys, useFocusOnOpen } from '../../components/focus-trap';
import { useApp } from '../../store/app-store';
import type { Rerun } from '../../store/rerun-slice';
import { PresetRadios } from '../batch/preset-grid';
import { recipeTitle } from '../batch/recipe-text';
import { QuoteSummary } from '../batch/run-quote';
import './viewer.css';

/** Originals named one by one when gone; the rest are counted. */
const NAMED = 10;

/**
 * The re-run dialog (one for the window, over whatever opened it: the
 * Library's action bar, the viewer, a photo's stack, an album's coverage):
 * the originals made ready by core, the style (for results: the same, or
 * another preset), the normal quote with what cannot be sent, and only then
 * Confirm; once queued, the way to the Batch view.
 */
export function RerunDialog() {
  const rerun = useApp((s) => s.rerun);
  return rerun ? <RerunPanel rerun={rerun} /> : null;
}

function RerunPanel({ rerun }: { rerun: Rerun }) {
  const { t } = useTranslation();
  const { choose, confirm, close, showInBatch } = useApp((s) => ({
    choose: s.chooseRerunStyle,
    confirm: s.confirmRerun,
    close: s.closeRerun,
    showInBatch: s.showRerunInBatch,
  }));
  const firstRef = useRef<HTMLButtonElement>(null);
  const queuedRef = useRef<HTMLButtonElement>(null);
  useFocusOnOpen(firstRef);
  // Confirm's button goes once queued: focus moves to what comes next.
  const isQueued = rerun.phase === 'queued';
  useEffect(() => {
    if (isQueued) queuedRef.current?.focus();
  }, [isQueued]);

  const { source, phase, plan, style, quote, error } = rerun;
  const ofResults = 'resultIds' in source;
  const title = ofResults
    ? t('viewer.rerun.title.results')
    : t(`viewer.rerun.title.${source.cells}`, { album: source.albumFolder });
  const missing = plan?.sourcesMissing ?? [];
  const noneLeft = !!plan && plan.photoIds.length === 0;
  const queued = phase === 'queued';
  const canChoose = ofResults && !!plan && !noneLeft && !queued && phase !== 'creating';

  return (
    <div className="viewer-backdrop rerun-backdrop" onClick={close}>
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="rerun-title"
        className="viewer rerun-dialog"
        onKeyDown={dialogKeys(close)}
        onClick={(event) => event.stopPropagation()}
        data-testid="rerun-dialog"
        data-phase={phase}
      >
        <h2 id="rerun-title">{title}</h2>
        {canChoose && plan && (
          <fieldset className="rerun-styles">
            <legend>{t('viewer.rerun.style')}</legend>
            <label className="rerun-choice">
              <input
                type="radio"
                name="rerun-style"
                checked={style === 'same'}
                onChange={() => void choose('same')}
                data-testid="rerun-same"
              />
              <span>
                {t('viewer.rerun.same', {
                  count: plan.recipes.length,
                  names: plan.recipes
                    .map((recipe) => recipeTitle(t, recipe))
                    .join(t('intake.leftOutSeparator')),
                })}
              </span>
            </label>
            <label className="rerun-choice">
              <input
                type="radio"
                name="rerun-style"
                checked={style !== 'same'}
                onChange={() => void choose(null)}
                data-testid="rerun-another"
              />
              <span>{t('viewer.rerun.another')}</span>
            </label>
            {style !== 'same' && (
              <PresetRadios
                chosen={style?.kind === 'preset' ? style.styleIndex : null}
                onPick={(styleIndex) => void choose({ kind: 'preset', styleIndex })}
                label={t('viewer.rerun.another')}
                prefix="rerun-preset"
                className="presets rerun-presets"
              />
            )}
          </fieldset>
        )}
        {missing.length > 0 && (
          <div className="rerun-missing" data-testid="rerun-missing">
            <p>{t('viewer.rerun.sourcesMissing', { count: missing.length })}</p>
            <ul>
              {missing.slice(0, NAMED).map((path) => (
                <li key={path} className="mono">
                  {path}
                </li>
              ))}
              {missing.length > NAMED && (
                <li>{t('viewer.rerun.more', { count: missing.length - NAMED })}</li>
              )}
            </ul>
          </div>
        )}
        <p role="status" className="help rerun-status" data-testid="rerun-status">
          {phase === 'preparing'
            ? t('viewer.rerun.preparing')
            : phase === 'quoting'
              ? t('viewer.rerun.quoting')
              : phase === 'creating'
                ? t('viewer.rerun.creating')
                : queued
                  ? t('viewer.rerun.queued')
                  : noneLeft
                    ? t('viewer.rerun.noneLeft')
                    : style === null && plan
                      ? t('viewer.rerun.pick')
                      : ''}
        </p>
        {quote && !queued && <QuoteSummary quote={quote} />}
        {error && (
          <p className="banner error" role="alert" data-testid="rerun-error">
            {describeError(t, error)}
          </p>
        )}
        <div className="row">
          {queued ? (
            <>
              <button
                ref={queuedRef}
                className="primary"
                onClick={() => void showInBatch()}
                data-testid="rerun-show-batch"
              >
                {t('viewer.rerun.showInBatch')}
              </button>
              <button onClick={close} data-testid="rerun-close">
                {t('common.actions.close')}
              </button>
            </>
          ) : (
            <>
              <button
                className="primary"
                disabled={phase !== 'quoted' || !quote || quote.jobs === 0}
                onClick={() => void confirm()}
                data-testid="rerun-confirm"
              >
                {t('run.quote.confirm')}
              </button>
              <button ref={firstRef} onClick={close} data-testid="rerun-cancel">
                {t('viewer.rerun.cancel')}
              </button>
            </>
          )}
        </div>
      </div>
    </div>
  );
}
