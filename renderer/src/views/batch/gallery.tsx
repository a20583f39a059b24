import { useVirtualizer } from '@tanstack/react-virtual';
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
} from 'react';
import { useTranslation } from 'react-i18next';
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

/** Keys that move focus by a number of cells (given the columns and visible rows). */
function moveFor(key: string, columns: number, pageRows: number): number | 'home' | 'end' | null {
  switch (key) {
    case 'ArrowRight':
      return 1;
    case 'ArrowLeft':
      return -1;
    case 'ArrowDown':
      return columns;
    case 'ArrowUp':
      return -columns;
    case 'PageDown':
      return columns * pageRows;
    case 'PageUp':
      return -columns * pageRows;
    case 'Home':
      return 'home';
    case 'End':
      return 'end';
    default:
      return null;
  }
}

/**
 * The virtualized thumbnail grid (ARIA grid, roving tabindex): only the rows
 * in view (plus a few) exist in the DOM, whatever the number of photos.
 */
export function Gallery({ keys, label, onOpen }: GalleryProps) {
  const { t } = useTranslation();
  const store = useAppStore();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [focusIndex, setFocusIndex] = useState(0);
  const moveFocus = useRef(false);

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return undefined;
    setWidth(element.clientWidth);
    const observer = new ResizeObserver(([entry]) => setWidth(entry?.contentRect.width ?? 0));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const columns = Math.max(1, Math.floor((width + CELL_GAP) / (CELL_WIDTH + CELL_GAP)));
  const rows = Math.ceil(keys.length / columns);
  const current = Math.min(focusIndex, Math.max(0, keys.length - 1));

  // No React Compiler here: the virtualizer re-renders this component itself.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => CELL_HEIGHT + CELL_GAP,
    overscan: 3,
  });

  useEffect(() => {
    if (!moveFocus.current) return;
    moveFocus.current = false;
    virtualizer.scrollToIndex(Math.floor(current / columns), { align: 'auto' });
    requestAnimationFrame(() => {
      scrollRef.current?.querySelector<HTMLElement>(`[data-index="${current}"]`)?.focus();
    });
  }, [current, columns, virtualizer]);

  // Stable callbacks (the cell passes its own key), so memoized cells skip re-rendering.
  const activate = useCallback(
    (index: number, key: string, toggle: boolean) => {
      setFocusIndex(index);
      if (toggle) store.getState().toggleSelected(key);
    },
    [store],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const key = keys[current];
    if (!key) return;
    const state = store.getState();
    const photo = state.photos.get(key);
    const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 0) / CELL_HEIGHT));
    const move = moveFor(event.key, columns, pageRows);
    if (move !== null) {
      event.preventDefault();
      const target = move === 'home' ? 0 : move === 'end' ? keys.length - 1 : current + move;
      moveFocus.current = true;
      setFocusIndex(Math.min(keys.length - 1, Math.max(0, target)));
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
    <div
      ref={scrollRef}
      className="gallery-scroll"
      // A row with its gap, for the CSS that keeps one whole row in view (batch.css).
      style={{ '--gallery-row': `${CELL_HEIGHT + CELL_GAP}px` } as CSSProperties}
      data-testid="gallery-scroll"
    >
      <div
        role="grid"
        aria-label={label}
        aria-rowcount={rows}
        aria-colcount={columns}
        aria-describedby="gallery-help"
        aria-multiselectable="true"
        className="gallery-grid"
        style={{ height: virtualizer.getTotalSize() }}
        onKeyDown={onKeyDown}
        data-testid="gallery"
      >
        {virtualizer.getVirtualItems().map((row) => {
          const start = row.index * columns;
          return (
            <div
              key={row.key}
              role="row"
              aria-rowindex={row.index + 1}
              className="gallery-row"
              style={{
                transform: `translateY(${row.start}px)`,
                // The columns share the whole width: no strip is left empty beside them.
                gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`,
              }}
            >
              {keys.slice(start, start + columns).map((photoKey, offset) => (
                <GalleryCell
                  key={photoKey}
                  photoKey={photoKey}
                  index={start + offset}
                  focused={start + offset === current}
                  onActivate={activate}
                  onOpen={onOpen}
                />
              ))}
            </div>
          );
        })}
      </div>
      <p id="gallery-help" className="visually-hidden">
        {t('batch.gallery.help')}
      </p>
    </div>
  );
}
