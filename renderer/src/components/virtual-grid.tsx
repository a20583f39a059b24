import { useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import {
  useEffect,
  useId,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
} from 'react';
import { useElementWidth } from './use-element-width';

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

export interface VirtualGridOptions {
  count: number;
  /** The narrowest a cell gets (columns stretch to fill), its fixed height, and the gap. */
  cellWidth: number;
  cellHeight: number;
  gap: number;
  overscan: number;
}

export interface VirtualGrid {
  scrollRef: RefObject<HTMLDivElement | null>;
  columns: number;
  rows: number;
  /** The focused cell (the roving tabindex), within the count. */
  current: number;
  virtualizer: Virtualizer<HTMLDivElement, Element>;
  /** Makes a cell the focused one (a click: it has the DOM focus already). */
  setCurrent(index: number): void;
  /**
   * A key that moves (arrows, Page Up/Down, Home, End): the cell it moves to,
   * which is scrolled into view and focused; null for other keys.
   */
  moveTo(key: string): number | null;
}

/**
 * A grid of fixed-size cells, virtualized by rows: only the rows in view (plus
 * `overscan`) exist in the DOM, whatever the count. The batch gallery and the
 * library's grids share it.
 */
export function useVirtualGrid(options: VirtualGridOptions): VirtualGrid {
  const { count, cellWidth, cellHeight, gap, overscan } = options;
  const scrollRef = useRef<HTMLDivElement>(null);
  const width = useElementWidth(scrollRef);
  const [focusIndex, setFocusIndex] = useState(0);
  const moveFocus = useRef(false);
  const columns = Math.max(1, Math.floor((width + gap) / (cellWidth + gap)));
  const rows = Math.ceil(count / columns);
  const current = Math.min(focusIndex, Math.max(0, count - 1));

  // No React Compiler here: the virtualizer re-renders its component itself.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => cellHeight + gap,
    overscan,
  });

  useEffect(() => {
    if (!moveFocus.current) return;
    moveFocus.current = false;
    virtualizer.scrollToIndex(Math.floor(current / columns), { align: 'auto' });
    requestAnimationFrame(() => {
      scrollRef.current?.querySelector<HTMLElement>(`[data-index="${current}"]`)?.focus();
    });
  }, [current, columns, virtualizer]);

  const moveTo = (key: string): number | null => {
    const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 0) / cellHeight));
    const move = moveFor(key, columns, pageRows);
    if (move === null || count === 0) return null;
    const target = move === 'home' ? 0 : move === 'end' ? count - 1 : current + move;
    const index = Math.min(count - 1, Math.max(0, target));
    moveFocus.current = true;
    setFocusIndex(index);
    return index;
  };

  return {
    scrollRef,
    columns,
    rows,
    current,
    virtualizer,
    setCurrent: setFocusIndex,
    moveTo,
  };
}

/**
 * The grid itself (ARIA grid, multi-select, roving tabindex in its cells):
 * the scroll box, the rows in view, and the keyboard help it is described by.
 * `cell(index)` renders one cell, which carries `data-index` for the focus.
 */
export function VirtualGridView({
  grid: { scrollRef, rows, columns, virtualizer },
  count,
  label,
  help,
  testIds,
  scrollClassName,
  scrollStyle,
  rowClassName,
  onKeyDown,
  cell,
}: {
  grid: VirtualGrid;
  count: number;
  label: string;
  help: string;
  testIds: { scroll: string; grid: string };
  scrollClassName: string;
  scrollStyle?: CSSProperties;
  rowClassName: string;
  onKeyDown(event: KeyboardEvent<HTMLDivElement>): void;
  cell(index: number): ReactNode;
}) {
  const helpId = useId();
  return (
    <div
      ref={scrollRef}
      className={scrollClassName}
      style={scrollStyle}
      data-testid={testIds.scroll}
    >
      <div
        role="grid"
        aria-label={label}
        aria-rowcount={rows}
        aria-colcount={columns}
        aria-describedby={helpId}
        aria-multiselectable="true"
        className="gallery-grid"
        style={{ height: virtualizer.getTotalSize() }}
        onKeyDown={onKeyDown}
        data-testid={testIds.grid}
      >
        {virtualizer.getVirtualItems().map((row) => {
          const start = row.index * columns;
          const end = Math.min(count, start + columns);
          return (
            <div
              key={row.key}
              role="row"
              aria-rowindex={row.index + 1}
              className={rowClassName}
              style={{
                transform: `translateY(${row.start}px)`,
                // The columns share the whole width: no strip is left empty beside them.
                gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`,
              }}
            >
              {Array.from({ length: end - start }, (_, offset) => cell(start + offset))}
            </div>
          );
        })}
      </div>
      <p id={helpId} className="visually-hidden">
        {help}
      </p>
    </div>
  );
}
