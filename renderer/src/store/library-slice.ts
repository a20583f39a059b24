import { z } from 'zod';
import type { StateCreator } from 'zustand';
import {
  LIBRARY_SORTS,
  libraryQueryFilterSchema,
  type ExportReport,
  type LibraryFacets,
  type LibraryItem,
  type LibraryQueryFilter,
  type LibrarySort,
  type LibraryStats,
  type PhotoTile,
  type SyncReport,
} from '../../../shared/contract/library';
import { ok, type AppError, type Result } from '../../../shared/result';
import type { WindowApi } from '../api/window-api';
import type { AppState } from './app-store';
import { asksWindowChooser } from './picker-slice';

// The Library view's state: what the user is looking for (kept across visits
// and reloads), the pages of the grid fetched so far (never the whole library),
// the selection, and what the actions on it answered.

export const LIBRARY_MODES = ['photos', 'results', 'albums'] as const;
export type LibraryMode = (typeof LIBRARY_MODES)[number];

/** What the user is looking at and for; kept (localStorage) so it is there when they come back. */
export interface LibraryFind {
  mode: LibraryMode;
  filter: LibraryQueryFilter;
  sort: LibrarySort;
  /** The run's name for the chip of `filter.batchId` ("Show results" gives it). */
  batchLabel: string | null;
  /** The spend panel is open. */
  spendOpen: boolean;
}

const findSchema = z.object({
  mode: z.enum(LIBRARY_MODES),
  filter: libraryQueryFilterSchema,
  sort: z.enum(LIBRARY_SORTS),
  batchLabel: z.string().max(500).nullable(),
  spendOpen: z.boolean(),
});

export const DEFAULT_FIND: LibraryFind = {
  mode: 'photos',
  filter: {},
  sort: 'newest',
  batchLabel: null,
  spendOpen: false,
};

/** Where the find is kept between visits (default: the page's localStorage). */
export interface FindMemory {
  read(): string | null;
  write(value: string): void;
}

/** A tile of a grid: a result (Results) or a photo with its newest result (Photos). */
export type LibraryTile = LibraryItem | PhotoTile;

export const isPhotoTile = (tile: LibraryTile): tile is PhotoTile => 'newest' in tile;
/** The selection key of a tile: a result's id, a photo's content hash. */
export const tileKey = (tile: LibraryTile): string =>
  isPhotoTile(tile) ? tile.sourceHash : tile.id;
/** The result a tile shows (a photo's newest). */
export const tileItem = (tile: LibraryTile): LibraryItem =>
  isPhotoTile(tile) ? tile.newest : tile;

/** The grid's pages: a sparse list filled a page at a time as rows come into view. */
export interface LibraryPages {
  /** What they answer (mode, filter, sort): another query starts afresh. */
  query: string;
  /** Bumped when the library changed: pages in view are fetched again. */
  generation: number;
  /** How many tiles match in all; null until the first page answers. */
  total: number | null;
  /** index → tile; holes are pages not fetched yet. Replaced (not mutated) on each page. */
  tiles: ReadonlyArray<LibraryTile | undefined>;
  error: AppError | null;
}

/**
 * Selected tiles by key. `all`: every tile matching the find except `keys`
 * (Ctrl+A over 100,000 results names none of them); else exactly `keys`.
 */
export interface LibrarySelection {
  all: boolean;
  keys: ReadonlySet<string>;
  /** Where a Shift-click range starts. */
  anchor: number | null;
}

export type LibraryNotice =
  | { kind: 'exported'; report: ExportReport }
  | { kind: 'restored'; count: number }
  | { kind: 'removed'; count: number }
  | { kind: 'copied' }
  | { kind: 'tooMany'; max: number }
  | { kind: 'error'; error: AppError };

/** The last delete, undoable while the window is open. */
export interface LibraryUndo {
  token: string;
  count: number;
}

export interface LibraryRebuild {
  busy: boolean;
  report: SyncReport | null;
  error: AppError | null;
}

export type ExportLayout = 'folders' | 'flat' | 'zip';

/** How many tiles a page fetch asks for. */
export const LIBRARY_PAGE = 120;
/** The most results one action takes (the contract's bound on `ids`). */
export const MAX_ACTION_IDS = 10_000;
/** Page size when an action pages through the results of a find. */
const ID_PAGE = 1000;
/** Photos asked about at once when a photo selection is turned into result ids. */
const PHOTO_QUERIES = 6;

export interface LibrarySlice {
  libraryFind: LibraryFind;
  libraryPages: LibraryPages;
  librarySelection: LibrarySelection;
  libraryFacets: LibraryFacets | null;
  libraryStats: LibraryStats | null;
  libraryNotice: LibraryNotice | null;
  libraryUndo: LibraryUndo | null;
  libraryRebuild: LibraryRebuild;
  /** An action on the selection is under way (its buttons wait). */
  libraryBusy: boolean;

  /** The view opened: look at the folder again (`library:sync`) and fetch what is shown. */
  openLibrary(): Promise<void>;
  /** The window got focus: results moved, deleted or copied in outside the app are found. */
  syncLibrary(): Promise<void>;
  /** Counts, spend and the pages in view, fetched again. */
  refreshLibrary(): Promise<void>;
  /**
   * The library changed (an event): refreshed now when the view is open
   * (events in a burst coalesce), else when it opens.
   */
  libraryChanged(): void;
  setLibraryMode(mode: LibraryMode): void;
  setLibrarySort(sort: LibrarySort): void;
  /** Narrows (or widens: a field set to undefined is removed) the filter. */
  setLibraryFilter(patch: Partial<LibraryQueryFilter>): void;
  clearLibraryFilters(): void;
  setSpendOpen(open: boolean): void;
  /** "Show results" of a run: the Library, its Results, filtered to that batch. */
  showBatchResults(batchId: string, label: string): void;
  /** Fetches the pages holding tiles `first`…`last` that are not fetched yet. */
  loadLibraryRange(first: number, last: number): Promise<void>;

  /** A click: `only` this, `toggle` (Ctrl/Cmd), `range` from the anchor (Shift). */
  selectLibraryTile(index: number, how: 'only' | 'toggle' | 'range'): Promise<void>;
  selectAllLibrary(): void;
  clearLibrarySelection(): void;
  /** The result ids the selection stands for (a photo: its results that match the find). */
  librarySelectionIds(): Promise<string[] | null>;
  /** The one result a single-item action is about (a photo: its newest), or null. */
  librarySingleId(): string | null;

  revealLibraryResult(): Promise<void>;
  openLibraryResult(): Promise<void>;
  copyLibraryImage(): Promise<void>;
  /** Exports the selection: the OS dialog, or on the dev bridge the page's folder browser. */
  exportLibrary(layout: ExportLayout, sidecars: boolean): Promise<void>;
  /** Deletes these results, or the selection; Undo stays offered while the window is open. */
  deleteLibraryResults(ids?: string[]): Promise<void>;
  undoLibraryDelete(): Promise<void>;
  dismissLibraryUndo(): void;
  /** Forgets the selected entries whose file is gone. */
  removeMissingLibrary(): Promise<void>;
  /** Tiles dragged out of the window: the OS drag of their files. */
  dragLibraryResults(ids: string[]): void;
  dismissLibraryNotice(): void;
  /** Settings' "Rebuild index". */
  rebuildLibrary(): Promise<void>;
}

/** The filter without fields set to undefined (so it compares and persists cleanly). */
function cleanFilter(filter: LibraryQueryFilter): LibraryQueryFilter {
  return Object.fromEntries(
    Object.entries(filter).filter(([, value]) => value !== undefined && value !== ''),
  ) as LibraryQueryFilter;
}

/** A key for a filter: the same fields and values give the same key, in any order. */
const filterKey = (filter: LibraryQueryFilter): string =>
  JSON.stringify(Object.entries(filter).sort(([a], [b]) => a.localeCompare(b)));

const queryOf = (find: LibraryFind): string =>
  JSON.stringify([find.mode, filterKey(find.filter), find.sort]);

/** Whether any filter narrows the library (the Clear button and the empty state ask). */
export const hasFilters = (filter: LibraryQueryFilter): boolean =>
  Object.keys(cleanFilter(filter)).length > 0;

export function readFind(memory: FindMemory | undefined): LibraryFind {
  const saved = memory?.read();
  if (!saved) return DEFAULT_FIND;
  try {
    const parsed = findSchema.safeParse(JSON.parse(saved));
    return parsed.success
      ? { ...parsed.data, filter: cleanFilter(parsed.data.filter) }
      : DEFAULT_FIND;
  } catch {
    return DEFAULT_FIND;
  }
}

/** Whether the selection holds the tile with this key. */
export const isSelected = (selection: LibrarySelection, key: string): boolean =>
  selection.all !== selection.keys.has(key);

export function selectedCount(selection: LibrarySelection, total: number | null): number {
  return selection.all ? Math.max(0, (total ?? 0) - selection.keys.size) : selection.keys.size;
}

const NO_SELECTION: LibrarySelection = { all: false, keys: new Set(), anchor: null };
const emptyPages = (query: string): LibraryPages => ({
  query,
  generation: 0,
  total: null,
  tiles: [],
  error: null,
});

export const createLibrarySlice =
  (api: WindowApi, memory?: FindMemory): StateCreator<AppState, [], [], LibrarySlice> =>
  (set, get) => {
    const initial = readFind(memory);
    // Pages asked for in this generation (a page in flight is not asked for twice).
    let requested = new Map<number, Promise<void>>();
    // A refresh asked for while one runs runs once more after it (events come in bursts).
    let refreshing: Promise<void> | null = null;
    let refreshAgain = false;

    const find = () => get().libraryFind;

    /** Fetches one page of the current query; a page answering an older query is dropped. */
    function fetchPage(page: number): Promise<void> {
      const asked = requested.get(page);
      if (asked) return asked;
      const { query, generation } = get().libraryPages;
      const { mode, filter, sort } = find();
      const request = { filter, sort, offset: page * LIBRARY_PAGE, limit: LIBRARY_PAGE };
      const promise = (async () => {
        const answer =
          mode === 'photos'
            ? await api.invoke('library:photos', request)
            : await api.invoke('library:results', request);
        const pages = get().libraryPages;
        if (pages.query !== query || pages.generation !== generation) return;
        if (!answer.ok) {
          requested.delete(page);
          set({ libraryPages: { ...pages, error: answer.error } });
          return;
        }
        const { total } = answer.value;
        const got: LibraryTile[] =
          'photos' in answer.value ? answer.value.photos : answer.value.items;
        // Tiles past the new total (results deleted meanwhile) go.
        const tiles = pages.tiles.slice(0, total);
        got.forEach((tile, i) => {
          tiles[page * LIBRARY_PAGE + i] = tile;
        });
        set({ libraryPages: { ...pages, total, tiles, error: null } });
      })();
      requested.set(page, promise);
      return promise;
    }

    /** Facets and spend of the filter, and the pages in view again (the grid asks for them). */
    async function reload(): Promise<void> {
      requested = new Map();
      const pages = get().libraryPages;
      set({ libraryPages: { ...pages, generation: pages.generation + 1 } });
      const { filter } = find();
      const [facets, stats] = await Promise.all([
        api.invoke('library:facets', { filter }),
        api.invoke('library:stats', { filter }),
      ]);
      if (filterKey(find().filter) !== filterKey(filter)) return;
      set({
        libraryFacets: facets.ok ? facets.value : null,
        libraryStats: stats.ok ? stats.value : null,
        ...(facets.ok ? {} : { libraryNotice: { kind: 'error', error: facets.error } }),
      });
    }

    /** A new find: kept, a new query's pages start empty, the selection goes. */
    function commit(next: LibraryFind): void {
      const before = find();
      const filter = cleanFilter(next.filter);
      const changed = { ...next, filter, batchLabel: filter.batchId ? next.batchLabel : null };
      memory?.write(JSON.stringify(changed));
      const query = queryOf(changed);
      if (query === queryOf(before)) {
        set({ libraryFind: changed });
        return;
      }
      requested = new Map();
      set({
        libraryFind: changed,
        libraryPages: emptyPages(query),
        librarySelection: NO_SELECTION,
      });
      if (filterKey(filter) !== filterKey(before.filter)) void get().refreshLibrary();
    }

    /** Result ids of the find, paged through, kept where `keep` says (at most MAX_ACTION_IDS + 1). */
    async function collectIds(
      filter: LibraryQueryFilter,
      keep: (item: LibraryItem) => boolean,
    ): Promise<string[] | null> {
      const ids: string[] = [];
      for (let offset = 0; ; offset += ID_PAGE) {
        const answer = await api.invoke('library:results', {
          filter,
          sort: find().sort,
          offset,
          limit: ID_PAGE,
        });
        if (!answer.ok) {
          set({ libraryNotice: { kind: 'error', error: answer.error } });
          return null;
        }
        for (const item of answer.value.items) if (keep(item)) ids.push(item.id);
        if (ids.length > MAX_ACTION_IDS || offset + ID_PAGE >= answer.value.total) return ids;
      }
    }

    /**
     * The selection's results: the ids themselves, a photo's results that
     * match the find, or the whole find's; `missingOnly`, those whose file is gone.
     */
    async function selectionIds(missingOnly = false): Promise<string[] | null> {
      const { all, keys } = get().librarySelection;
      const photos = find().mode === 'photos';
      const filter: LibraryQueryFilter = missingOnly
        ? { ...find().filter, presence: 'missing' }
        : find().filter;
      if (all) return collectIds(filter, (item) => !keys.has(photos ? item.sourceHash : item.id));
      if (!photos) {
        if (!missingOnly) return [...keys];
        // The tiles the user selected say whether their file is there.
        return get()
          .libraryPages.tiles.filter((tile): tile is LibraryItem => !!tile && !isPhotoTile(tile))
          .filter((item) => keys.has(item.id) && !item.present)
          .map((item) => item.id);
      }
      // A few photos: ask for each one's results; many: page through the find once.
      if (keys.size > PHOTO_QUERIES * 4)
        return collectIds(filter, (item) => keys.has(item.sourceHash));
      const hashes = [...keys];
      const ids: string[] = [];
      for (let i = 0; i < hashes.length; i += PHOTO_QUERIES) {
        const answers = await Promise.all(
          hashes
            .slice(i, i + PHOTO_QUERIES)
            .map((sourceHash) => collectIds({ ...filter, sourceHash }, () => true)),
        );
        for (const answer of answers) {
          if (!answer) return null;
          ids.push(...answer);
        }
      }
      return ids;
    }

    /** Runs an action on the selection's ids, saying when there are too many. */
    async function onSelection(
      act: (ids: string[]) => Promise<void>,
      missingOnly = false,
    ): Promise<void> {
      set({ libraryBusy: true, libraryNotice: null });
      try {
        const ids = await selectionIds(missingOnly);
        if (!ids || ids.length === 0) return;
        if (ids.length > MAX_ACTION_IDS) {
          set({ libraryNotice: { kind: 'tooMany', max: MAX_ACTION_IDS } });
          return;
        }
        await act(ids);
      } finally {
        set({ libraryBusy: false });
      }
    }

    const failed = (error: AppError) => set({ libraryNotice: { kind: 'error', error } });
    const report = (answer: Result<unknown>) => {
      if (!answer.ok) failed(answer.error);
    };
    /** A single-item action on the one selected result. */
    async function onOne(act: (id: string) => Promise<Result<unknown>>): Promise<boolean> {
      const id = get().librarySingleId();
      if (!id) return false;
      set({ libraryNotice: null });
      const answer = await act(id);
      report(answer);
      return answer.ok;
    }

    return {
      libraryFind: initial,
      libraryPages: emptyPages(queryOf(initial)),
      librarySelection: NO_SELECTION,
      libraryFacets: null,
      libraryStats: null,
      libraryNotice: null,
      libraryUndo: null,
      libraryRebuild: { busy: false, report: null, error: null },
      libraryBusy: false,

      async openLibrary() {
        await Promise.all([get().refreshLibrary(), get().syncLibrary()]);
      },

      async syncLibrary() {
        // Core says `library:updated` when the folder changed; the pages follow that event.
        const answer = await api.invoke('library:sync', {});
        report(answer);
      },

      async refreshLibrary() {
        if (refreshing) {
          refreshAgain = true;
          return refreshing;
        }
        refreshing = (async () => {
          do {
            refreshAgain = false;
            await reload();
          } while (refreshAgain);
        })();
        try {
          await refreshing;
        } finally {
          refreshing = null;
        }
      },

      libraryChanged() {
        // A closed view fetches everything when it opens.
        if (get().view === 'library') void get().refreshLibrary();
      },

      setLibraryMode: (mode) => commit({ ...find(), mode }),
      setLibrarySort: (sort) => commit({ ...find(), sort }),
      setLibraryFilter: (patch) => commit({ ...find(), filter: { ...find().filter, ...patch } }),
      clearLibraryFilters: () => commit({ ...find(), filter: {} }),
      setSpendOpen: (spendOpen) => commit({ ...find(), spendOpen }),

      showBatchResults(batchId, label) {
        commit({ ...find(), mode: 'results', filter: { batchId }, batchLabel: label });
        get().setView('library');
      },

      async loadLibraryRange(first, last) {
        if (find().mode === 'albums' || last < first) return;
        const pages: Promise<void>[] = [];
        const end = Math.floor(last / LIBRARY_PAGE);
        for (let page = Math.floor(Math.max(0, first) / LIBRARY_PAGE); page <= end; page += 1) {
          pages.push(fetchPage(page));
        }
        await Promise.all(pages);
      },

      async selectLibraryTile(index, how) {
        const { librarySelection: selection } = get();
        const tile = get().libraryPages.tiles[index];
        if (how === 'range' && selection.anchor !== null) {
          const [from, to] = [Math.min(selection.anchor, index), Math.max(selection.anchor, index)];
          const query = get().libraryPages.query;
          await get().loadLibraryRange(from, to);
          const { tiles } = get().libraryPages;
          if (get().libraryPages.query !== query) return;
          const keys = new Set<string>();
          for (let i = from; i <= to; i += 1) {
            const inRange = tiles[i];
            if (inRange) keys.add(tileKey(inRange));
          }
          set({ librarySelection: { all: false, keys, anchor: selection.anchor } });
          return;
        }
        if (!tile) return;
        const key = tileKey(tile);
        if (how === 'toggle') {
          const keys = new Set(selection.keys);
          if (keys.has(key)) keys.delete(key);
          else keys.add(key);
          set({ librarySelection: { all: selection.all, keys, anchor: index } });
        } else {
          set({ librarySelection: { all: false, keys: new Set([key]), anchor: index } });
        }
      },

      selectAllLibrary: () =>
        set((state) => ({
          librarySelection: { all: true, keys: new Set(), anchor: state.librarySelection.anchor },
        })),
      clearLibrarySelection: () => set({ librarySelection: NO_SELECTION }),

      librarySelectionIds: () => selectionIds(),

      librarySingleId() {
        const { all, keys } = get().librarySelection;
        if (all || keys.size !== 1) return null;
        const [key] = keys;
        const tile = get().libraryPages.tiles.find((t) => t && tileKey(t) === key);
        if (tile) return tileItem(tile).id;
        return find().mode === 'results' && key ? key : null;
      },

      async revealLibraryResult() {
        await onOne((id) => api.invoke('library:reveal', { id }));
      },
      async openLibraryResult() {
        await onOne((id) => api.invoke('library:open', { id }));
      },
      async copyLibraryImage() {
        if (await onOne((id) => api.invoke('library:copy-image', { id }))) {
          set({ libraryNotice: { kind: 'copied' } });
        }
      },

      async exportLibrary(layout, sidecars) {
        await onSelection(async (ids) => {
          let answer = await api.invoke('library:export', { ids, layout, sidecars });
          if (asksWindowChooser(answer) && get().canBrowse) {
            // What the OS dialog does with the folder: the same export, to it.
            const [destination] = (await get().pickInWindow('folder')) ?? [];
            answer = destination
              ? await api.invoke('library:export', { ids, layout, sidecars, destination })
              : ok(null);
          }
          if (!answer.ok) failed(answer.error);
          else if (answer.value) set({ libraryNotice: { kind: 'exported', report: answer.value } });
        });
      },

      async deleteLibraryResults(given) {
        const act = async (ids: string[]) => {
          const answer = await api.invoke('library:delete', { ids });
          if (!answer.ok) return failed(answer.error);
          set({
            libraryUndo: { token: answer.value.undoToken, count: answer.value.deleted },
            librarySelection: NO_SELECTION,
          });
        };
        if (given) await act(given);
        else await onSelection(act);
      },

      async undoLibraryDelete() {
        const undo = get().libraryUndo;
        if (!undo) return;
        const answer = await api.invoke('library:undo-delete', { undoToken: undo.token });
        if (!answer.ok) return failed(answer.error);
        set({
          libraryUndo: null,
          libraryNotice: { kind: 'restored', count: answer.value.restored },
        });
      },

      dismissLibraryUndo: () => set({ libraryUndo: null }),

      async removeMissingLibrary() {
        await onSelection(
          async (ids) => {
            const answer = await api.invoke('library:remove-missing', { ids });
            if (!answer.ok) return failed(answer.error);
            set({
              libraryNotice: { kind: 'removed', count: answer.value.removed },
              librarySelection: NO_SELECTION,
            });
          },
          // Only the missing ones among the selection.
          true,
        );
      },

      dragLibraryResults(ids) {
        if (ids.length === 0) return;
        void api.invoke('library:start-drag', { ids: ids.slice(0, MAX_ACTION_IDS) }).then(report);
      },

      dismissLibraryNotice: () => set({ libraryNotice: null }),

      async rebuildLibrary() {
        set({ libraryRebuild: { busy: true, report: null, error: null } });
        const answer = await api.invoke('library:rebuild', {});
        set({
          libraryRebuild: answer.ok
            ? { busy: false, report: answer.value, error: null }
            : { busy: false, report: null, error: answer.error },
        });
      },
    };
  };
