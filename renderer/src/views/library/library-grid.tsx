import { useCallback, useEffect, type DragEvent, type KeyboardEvent, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useVirtualGrid, VirtualGridView } from '../../components/virtual-grid';
import { useApp, useAppStore } from '../../store/app-store';
import {
  isSelected,
  LIBRARY_PAGE,
  tileItem,
  tileKey,
  type LibraryTile,
} from '../../store/library-slice';
import { LibraryTileView } from './library-tile';

/** Fixed tile height (with the gap), so rows virtualize without measuring; the width is the narrowest. */
export const TILE_WIDTH = 156;
export const TILE_HEIGHT = 184;
export const TILE_GAP = 12;

export interface LibraryGridProps {
  label: string;
  /** Enter or a double-click: the viewer (a result) or the stack (a photo). */
  onOpen(tile: LibraryTile): void;
}

/**
 * The Results or Photos grid (ARIA grid, roving tabindex, multi-select):
 * only the rows in view exist in the DOM, and only their pages are fetched.
 */
export function LibraryGrid({ label, onOpen }: LibraryGridProps) {
  const { t } = useTranslation();
  const store = useAppStore();
  const { pages, selection, load, select } = useApp((s) => ({
    pages: s.libraryPages,
    selection: s.librarySelection,
    load: s.loadLibraryRange,
    select: s.selectLibraryTile,
  }));
  const total = pages.total ?? 0;
  const grid = useVirtualGrid({
    count: total,
    cellWidth: TILE_WIDTH,
    cellHeight: TILE_HEIGHT,
    gap: TILE_GAP,
    overscan: 2,
  });
  const { columns, current, virtualizer, setCurrent, moveTo } = grid;
  const virtualRows = virtualizer.getVirtualItems();
  const first = (virtualRows[0]?.index ?? 0) * columns;
  const last =
    pages.total === null ? LIBRARY_PAGE - 1 : ((virtualRows.at(-1)?.index ?? -1) + 1) * columns - 1;

  // The pages of the rows in view (again after the library changed: a new generation).
  useEffect(() => {
    void load(first, Math.min(last, pages.total === null ? last : pages.total - 1));
  }, [first, last, load, pages.query, pages.generation, pages.total]);

  const onClick = useCallback(
    (index: number, event: MouseEvent) => {
      setCurrent(index);
      void select(
        index,
        event.shiftKey ? 'range' : event.ctrlKey || event.metaKey ? 'toggle' : 'only',
      );
    },
    [select, setCurrent],
  );
  const open = useCallback(
    (index: number) => {
      const tile = store.getState().libraryPages.tiles[index];
      if (tile) onOpen(tile);
    },
    [store, onOpen],
  );
  // Dragged out of the window: the OS drag of the selection's files (or this one's).
  const onDragStart = useCallback(
    (index: number, event: DragEvent) => {
      event.preventDefault();
      const state = store.getState();
      const tile = state.libraryPages.tiles[index];
      if (!tile) return;
      const chosen = state.librarySelection;
      const tiles = isSelected(chosen, tileKey(tile))
        ? state.libraryPages.tiles.filter(
            (t): t is LibraryTile => !!t && isSelected(chosen, tileKey(t)),
          )
        : [tile];
      state.dragLibraryResults(
        tiles
          .map(tileItem)
          .filter((item) => item.present)
          .map((item) => item.id),
      );
    },
    [store],
  );

  const onKeyDown = async (event: KeyboardEvent<HTMLDivElement>) => {
    if (total === 0) return;
    const state = store.getState();
    const target = moveTo(event.key);
    if (target !== null) {
      event.preventDefault();
      if (event.shiftKey) {
        if (state.librarySelection.anchor === null) await select(current, 'only');
        await select(target, 'range');
      }
      return;
    }
    const key = state.libraryPages.tiles[current];
    if (event.key === ' ') {
      event.preventDefault();
      await select(current, 'toggle');
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (key) onOpen(key);
    } else if ((event.key === 'a' || event.key === 'A') && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      state.selectAllLibrary();
    } else if (
      event.key === 'Escape' &&
      state.librarySelection.keys.size + Number(state.librarySelection.all) > 0
    ) {
      event.preventDefault();
      state.clearLibrarySelection();
    } else if (event.key === 'Delete' && key) {
      event.preventDefault();
      // The focused tile, or the selection it is part of.
      if (!isSelected(state.librarySelection, tileKey(key))) await select(current, 'only');
      await store.getState().deleteLibraryResults();
    }
  };

  return (
    <VirtualGridView
      grid={grid}
      count={total}
      label={label}
      help={t('library.grid.help')}
      testIds={{ scroll: 'library-scroll', grid: 'library-grid' }}
      scrollClassName="gallery-scroll library-scroll"
      rowClassName="gallery-row library-row"
      onKeyDown={(event) => void onKeyDown(event)}
      cell={(index) => {
        const tile = pages.tiles[index];
        return (
          <LibraryTileView
            key={tile ? tileKey(tile) : `at-${index}`}
            index={index}
            tile={tile}
            focused={index === current}
            selected={!!tile && isSelected(selection, tileKey(tile))}
            onClick={onClick}
            onOpen={open}
            onDragStart={onDragStart}
          />
        );
      }}
    />
  );
}
