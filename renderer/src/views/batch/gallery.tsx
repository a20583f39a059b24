import { useCallback, type CSSProperties, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useVirtualGrid, VirtualGridView } from '../../components/virtual-grid';
import { useAppStore } from '../../store/app-store';
import { canExclude } from '../../store/batch-photo';
import { GalleryCell } from './gallery-cell';

/**
 * Fixed cell height (with the gap), so rows can be virtualized without
 * measuring; CELL_WIDTH is the narrowest a cell gets (columns stretch to fill).
 */
export const CELL_WIDTH = 156;
export const CELL_HEIGHT = 192;
export const CELL_GAP = 12;

export interface GalleryProps {
  keys: readonly string[];
  label: string;
  onOpen(key: string): void;
}

/**
 * The virtualized thumbnail grid (ARIA grid, roving tabindex): only the rows
 * in view (plus a few) exist in the DOM, whatever the number of photos.
 */
export function Gallery({ keys, label, onOpen }: GalleryProps) {
  const { t } = useTranslation();
  const store = useAppStore();
  const grid = useVirtualGrid({
    count: keys.length,
    cellWidth: CELL_WIDTH,
    cellHeight: CELL_HEIGHT,
    gap: CELL_GAP,
    overscan: 3,
  });

  const { current, setCurrent, moveTo } = grid;

  // Stable callbacks (the cell passes its own key), so memoized cells skip re-rendering.
  const activate = useCallback(
    (index: number, key: string, toggle: boolean) => {
      setCurrent(index);
      if (toggle) store.getState().toggleSelected(key);
    },
    [store, setCurrent],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const key = keys[current];
    if (!key) return;
    const state = store.getState();
    const photo = state.photos.get(key);
    if (moveTo(event.key) !== null) {
      event.preventDefault();
      return;
    }
    if (event.key === ' ') {
      event.preventDefault();
      state.toggleSelected(key);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      onOpen(key);
    } else if ((event.key === 'a' || event.key === 'A') && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      state.setSelected(keys, true);
    } else if (photo && canExclude(photo) && (event.key === 'Delete' || event.key === 'x')) {
      event.preventDefault();
      // Acts on the whole selection when the focused photo is part of it.
      const targets = photo.selected ? keys.filter((k) => state.photos.get(k)?.selected) : [key];
      state.setExcluded(targets, event.key === 'Delete' ? true : !photo.excluded);
    }
  };

  return (
    <VirtualGridView
      grid={grid}
      count={keys.length}
      label={label}
      help={t('batch.gallery.help')}
      testIds={{ scroll: 'gallery-scroll', grid: 'gallery' }}
      scrollClassName="gallery-scroll"
      // A row with its gap, for the CSS that keeps one whole row in view (batch.css).
      scrollStyle={{ '--gallery-row': `${CELL_HEIGHT + CELL_GAP}px` } as CSSProperties}
      rowClassName="gallery-row"
      onKeyDown={onKeyDown}
      cell={(index) => {
        const photoKey = keys[index] ?? '';
        return (
          <GalleryCell
            key={photoKey}
            photoKey={photoKey}
            index={index}
            focused={index === current}
            onActivate={activate}
            onOpen={onOpen}
          />
        );
      }}
    />
  );
}
