import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../../store/app-store';
import {
  isPhotoTile,
  selectedCount,
  tileItem,
  tileKey,
  isSelected,
} from '../../store/library-slice';
import { LibraryExportDialog } from './library-export-dialog';

/**
 * What to do with the selection: one result (show in folder, open, copy), or
 * many (export, run again, delete, remove the missing ones). "Select all"
 * when nothing is selected.
 */
export function LibraryActions() {
  const { t } = useTranslation();
  const s = useApp((state) => ({
    selection: state.librarySelection,
    pages: state.libraryPages,
    presence: state.libraryFind.filter.presence,
    busy: state.libraryBusy,
    singleId: state.librarySingleId,
    selectAll: state.selectAllLibrary,
    clear: state.clearLibrarySelection,
    reveal: state.revealLibraryResult,
    open: state.openLibraryResult,
    copy: state.copyLibraryImage,
    remove: state.deleteLibraryResults,
    removeMissing: state.removeMissingLibrary,
    selectionIds: state.librarySelectionIds,
    openRerun: state.openRerun,
  }));
  const [exporting, setExporting] = useState(false);
  const count = selectedCount(s.selection, s.pages.total);
  if (count === 0) {
    return (
      <div className="library-actions" data-testid="library-actions">
        {(s.pages.total ?? 0) > 0 && (
          <button onClick={s.selectAll} data-testid="library-select-all">
            {t('library.selection.all')}
          </button>
        )}
      </div>
    );
  }
  const single = s.singleId();
  // The selected tiles in view whose file is gone (or a find of missing ones only).
  const selectedTiles = s.pages.tiles.filter(
    (tile) => !!tile && isSelected(s.selection, tileKey(tile)),
  );
  const someMissing =
    s.presence === 'missing' ||
    selectedTiles.some((tile) => tile && !isPhotoTile(tile) && !tileItem(tile).present);
  const singlePresent =
    single !== null && selectedTiles.some((tile) => tile && tileItem(tile).present);
  const runAgain = async () => {
    const ids = await s.selectionIds();
    if (ids && ids.length > 0) await s.openRerun({ resultIds: ids });
  };
  return (
    <div
      className="library-actions"
      role="toolbar"
      aria-label={t('library.act.label')}
      data-testid="library-actions"
    >
      <span className="selection-count" data-testid="library-selected-count">
        {t('library.selection.count', { count })}
      </span>
      {single !== null &&
        (
          [
            ['reveal', s.reveal],
            ['open', s.open],
            ['copy', s.copy],
          ] as const
        ).map(([action, act]) => (
          <button
            key={action}
            disabled={!singlePresent}
            onClick={() => void act()}
            data-testid={`library-${action}`}
          >
            {t(`library.act.${action}`)}
          </button>
        ))}
      <button disabled={s.busy} onClick={() => setExporting(true)} data-testid="library-export">
        {t('library.act.export')}
      </button>
      <button disabled={s.busy} onClick={() => void runAgain()} data-testid="library-rerun">
        {t('library.act.rerun')}
      </button>
      {someMissing && (
        <button
          disabled={s.busy}
          onClick={() => void s.removeMissing()}
          data-testid="library-remove-missing"
        >
          {t('library.act.removeMissing')}
        </button>
      )}
      <button
        className="danger"
        disabled={s.busy}
        onClick={() => void s.remove()}
        data-testid="library-delete"
      >
        {t('library.act.delete')}
      </button>
      <button onClick={s.clear} data-testid="library-clear-selection">
        {t('library.selection.clear')}
      </button>
      {exporting && <LibraryExportDialog count={count} onClose={() => setExporting(false)} />}
    </div>
  );
}
