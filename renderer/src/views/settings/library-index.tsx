import { useTranslation } from 'react-i18next';
import { describeError } from '../../../../shared/i18n';
import { useApp } from '../../store/app-store';

/** "Rebuild index": the library's index made again from the sidecars, and what it found, in words. */
export function LibraryIndex() {
  const { t } = useTranslation();
  const { rebuild, state } = useApp((s) => ({
    rebuild: s.rebuildLibrary,
    state: s.libraryRebuild,
  }));
  return (
    <div className="library-index" role="group" aria-labelledby="library-index-title">
      <h3 id="library-index-title">{t('library.rebuild.title')}</h3>
      <p className="help">{t('library.rebuild.help')}</p>
      <div className="row">
        <button disabled={state.busy} onClick={() => void rebuild()} data-testid="library-rebuild">
          {state.busy ? t('library.rebuild.busy') : t('library.rebuild.button')}
        </button>
      </div>
      <p role="status" className="help" data-testid="library-rebuild-report">
        {state.report &&
          t('library.rebuild.done', {
            entries: t('library.counted.results', { count: state.report.entries }),
            added: state.report.added,
            relinked: state.report.relinked,
            missing: state.report.missing,
          })}
      </p>
      {state.error && (
        <p className="banner error" role="alert" data-testid="library-rebuild-error">
          {t('library.rebuild.failed', { detail: describeError(t, state.error) })}
        </p>
      )}
    </div>
  );
}
