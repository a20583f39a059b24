import { useCallback, useEffect, useRef, useState } from 'react';
import type { Coverage, CoverageState } from '../../../../shared/contract/library';
import type { AppError } from '../../../../shared/result';
import { useApi } from '../../store/app-store';

/** Rows asked of core at a time. */
export const COVERAGE_PAGE = 100;

export type CoverageRow = Coverage['photos'][number];

export interface CoverageRows {
  /** The album's columns, from the first page answered; null until then. */
  styles: Coverage['styles'] | null;
  /** Photos in the album (all pages). */
  total: number;
  counts: Record<CoverageState, number> | null;
  /** Index → row; holes are pages not answered yet. */
  rows: ReadonlyArray<CoverageRow | undefined>;
  error: AppError | null;
  /** Asks for the pages holding rows `first`…`last` not asked for yet (the rows in view). */
  loadRange(first: number, last: number): void;
}

interface Loaded {
  album: string;
  styles: Coverage['styles'] | null;
  total: number;
  counts: Record<CoverageState, number> | null;
  rows: ReadonlyArray<CoverageRow | undefined>;
  error: AppError | null;
}

const empty = (album: string): Loaded => ({
  album,
  styles: null,
  total: 0,
  counts: null,
  rows: [],
  error: null,
});

/**
 * An album's coverage matrix, a page of photos at a time as they come into
 * view (never the whole album at once). When the library changes, the pages
 * in view are asked again; the rows shown stay until their new answer.
 */
export function useCoverage(albumFolder: string): CoverageRows {
  const api = useApi();
  const [loaded, setLoaded] = useState<Loaded>(() => empty(albumFolder));
  const [generation, setGeneration] = useState(0);
  /** Pages asked for in this generation of this album. */
  const asked = useRef<{ key: string; pages: Set<number> }>({ key: '', pages: new Set() });
  /** The rows last in view: asked again after a change. */
  const inView = useRef<[number, number]>([0, 0]);

  useEffect(() => {
    const again = () => setGeneration((g) => g + 1);
    const offs = [api.on('library:updated', again), api.on('library:changed', again)];
    return () => offs.forEach((off) => off());
  }, [api]);

  const loadRange = useCallback(
    (first: number, last: number) => {
      const key = `${generation}|${albumFolder}`;
      if (asked.current.key !== key) asked.current = { key, pages: new Set() };
      inView.current = [first, last];
      const pages = asked.current.pages;
      for (
        let page = Math.floor(first / COVERAGE_PAGE);
        page <= Math.floor(last / COVERAGE_PAGE);
        page += 1
      ) {
        if (pages.has(page)) continue;
        pages.add(page);
        const offset = page * COVERAGE_PAGE;
        void api
          .invoke('library:coverage', { albumFolder, offset, limit: COVERAGE_PAGE })
          .then((answer) => {
            // Another album or a newer generation asked meanwhile: this answer is old.
            if (asked.current.key !== key) return;
            setLoaded((before) => {
              const base = before.album === albumFolder ? before : empty(albumFolder);
              if (!answer.ok) return { ...base, error: answer.error };
              const { styles, photos, total, counts } = answer.value;
              const rows = base.rows.slice(0, total);
              rows.length = total;
              photos.forEach((row, i) => {
                rows[offset + i] = row;
              });
              return { album: albumFolder, styles, total, counts, rows, error: null };
            });
          });
      }
    },
    [api, albumFolder, generation],
  );

  // The first page (and, after a change, the pages in view) at once.
  useEffect(() => {
    const [first, last] = inView.current;
    loadRange(first, Math.max(last, 0));
  }, [loadRange]);

  const shown = loaded.album === albumFolder ? loaded : empty(albumFolder);
  return { ...shown, loadRange };
}
