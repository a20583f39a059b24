// The Library's store over the contract: the find kept across reloads, pages
// fetched only for what is in view, selection, and the actions on it.
import { describe, expect, it } from 'vitest';
import type {
  LibraryFacets,
  LibraryItem,
  LibraryQueryFilter,
  LibraryStats,
  PhotoTile,
} from '../../../shared/contract/library';
import { fail, ok } from '../../../shared/result';
import { createAppStore } from '../../../renderer/src/store/app-store';
import {
  DEFAULT_FIND,
  LIBRARY_PAGE,
  selectedCount,
  type FindMemory,
} from '../../../renderer/src/store/library-slice';
import { fakeApi, settle } from './fake-api';

const hashOf = (photo: number) => photo.toString(16).padStart(64, 'a');

/** Result `i`: photo `i % photos`, saved newest first. */
function item(i: number, photos = 1_000_000, present = true): LibraryItem {
  const photo = i % photos;
  return {
    id: `r${i}`,
    path: `/lib/Album/IMG_${photo}.anime.png`,
    sidecarPath: `/lib/Album/IMG_${photo}.anime.png.restyle.json`,
    fileName: `IMG_${photo}.anime.png`,
    sourcePath: `/photos/Album/IMG_${photo}.jpg`,
    sourceName: `IMG_${photo}.jpg`,
    sourceHash: hashOf(photo),
    albumFolder: 'Album',
    recipe: { kind: 'preset', styleIndex: 3 },
    recipeKey: 'preset:3',
    styleSlug: 'anime',
    styleName: { en: 'Anime', 'zh-CN': '动漫' },
    variant: 0,
    model: 'wanx-style-repaint-v1',
    taskId: `t${i}`,
    requestId: null,
    costCny: 0.12,
    width: 800,
    height: 600,
    bytes: 1000,
    submittedAt: '2025-03-01T10:00:00.000Z',
    finishedAt: '2025-03-01T10:00:10.000Z',
    savedAt: '2025-03-01T10:00:11.000Z',
    adjustments: [],
    sourceCrop: null,
    rating: 0,
    favourite: false,
    present,
  };
}

const facets = (total: number): LibraryFacets => ({
  total,
  albums: [{ key: 'Album', count: total }],
  styles: [],
  models: [],
  favourites: 0,
  ratings: [],
  present: total,
  missing: 0,
});
const stats = (results: number): LibraryStats => ({
  results,
  photos: results,
  costCny: results * 0.12,
  freeResults: 0,
  byAlbum: [],
  byStyle: [],
  byMonth: [],
  byModel: [],
});

type Answers = Parameters<typeof fakeApi>[0];

interface Query {
  filter: LibraryQueryFilter;
  offset: number;
  limit: number;
}

/** A library of `all` results answering the paged channels as core pages them. */
function library(all: LibraryItem[]): Answers {
  const matching = (filter: LibraryQueryFilter) =>
    all.filter(
      (r) =>
        (!filter.sourceHash || r.sourceHash === filter.sourceHash) &&
        (!filter.text || r.fileName.includes(filter.text)) &&
        (!filter.presence || (filter.presence === 'missing') !== r.present),
    );
  return {
    'library:results': (payload) => {
      const { filter, offset, limit } = payload as Query;
      const items = matching(filter);
      return ok({ items: items.slice(offset, offset + limit), total: items.length });
    },
    'library:photos': (payload) => {
      const { filter, offset, limit } = payload as Query;
      const byPhoto = new Map<string, LibraryItem[]>();
      for (const r of matching(filter))
        byPhoto.set(r.sourceHash, [...(byPhoto.get(r.sourceHash) ?? []), r]);
      const photos: PhotoTile[] = [...byPhoto.values()].map((results) => ({
        sourceHash: results[0]!.sourceHash,
        sourcePath: results[0]!.sourcePath,
        sourceName: results[0]!.sourceName,
        albumFolder: 'Album',
        newest: results[0]!,
        results: results.length,
        styles: 1,
        costCny: 0,
      }));
      return ok({ photos: photos.slice(offset, offset + limit), total: photos.length });
    },
    'library:facets': (payload) => ok(facets(matching((payload as Query).filter).length)),
    'library:stats': (payload) => ok(stats(matching((payload as Query).filter).length)),
    'library:sync': () => ok({ entries: all.length, added: 0, relinked: 0, missing: 0 }),
  };
}

/** localStorage as a test holds it: one value, there for the next window. */
function memory(): FindMemory & { value: string | null } {
  const kept = {
    value: null as string | null,
    read: () => kept.value,
    write: (value: string) => {
      kept.value = value;
    },
  };
  return kept;
}

async function libraryWindow(
  count: number,
  options: { answers?: Answers; kept?: FindMemory; photos?: number; browser?: boolean } = {},
) {
  const all = Array.from({ length: count }, (_, i) => item(i, options.photos));
  const fake = fakeApi({ ...library(all), ...options.answers });
  const kept = options.kept ?? memory();
  // On the dev bridge the client can list folders (the page's own folder browser).
  const api = options.browser
    ? {
        ...fake.api,
        browse: async () => ({
          ok: false as const,
          error: { code: 'failed' as const, message: '' },
        }),
      }
    : fake.api;
  const store = createAppStore(api, undefined, kept);
  await settle();
  return { ...fake, store, kept, all };
}

const pagesAsked = (
  calls: Array<{ channel: string; payload: unknown }>,
  channel = 'library:results',
) =>
  calls.filter((c) => c.channel === channel).map((c) => (c.payload as Query).offset / LIBRARY_PAGE);

describe('The find is kept: when the user comes back, and after a reload', () => {
  it('a new window over the same storage opens with the same view, filter and sort', async () => {
    const first = await libraryWindow(3);
    first.store.getState().setLibraryMode('results');
    first.store.getState().setLibraryFilter({ albumFolder: 'Album', text: 'beach' });
    first.store.getState().setLibrarySort('cost');
    first.store.getState().setLibraryFilter({ text: undefined });

    const again = await libraryWindow(3, { kept: first.kept });
    expect(again.store.getState().libraryFind).toEqual({
      ...DEFAULT_FIND,
      mode: 'results',
      filter: { albumFolder: 'Album' },
      sort: 'cost',
    });
  });

  it('a kept find that no longer fits the contract is dropped, not sent', async () => {
    const kept = memory();
    kept.value = JSON.stringify({ ...DEFAULT_FIND, filter: { minRating: 9 } });
    const { store } = await libraryWindow(1, { kept });
    expect(store.getState().libraryFind).toEqual(DEFAULT_FIND);
    kept.value = '{not json';
    expect((await libraryWindow(1, { kept })).store.getState().libraryFind).toEqual(DEFAULT_FIND);
  });

  it('"Show results" opens the Library on that run\'s results, its chip named', async () => {
    const { store, calls } = await libraryWindow(3);
    store.getState().setLibraryFilter({ albumFolder: 'Album' });
    store.getState().showBatchResults('b1', 'Album 1 · Anime');
    const state = store.getState();
    expect(state.view).toBe('library');
    expect(state.libraryFind).toMatchObject({
      mode: 'results',
      filter: { batchId: 'b1' },
      batchLabel: 'Album 1 · Anime',
    });
    await settle();
    expect(calls.filter((c) => c.channel === 'library:facets').at(-1)?.payload).toEqual({
      filter: { batchId: 'b1' },
    });
    // Its chip removed, the name goes with it.
    store.getState().setLibraryFilter({ batchId: undefined });
    expect(store.getState().libraryFind.batchLabel).toBeNull();
  });
});

describe('Pages: only what is in view is fetched, never the whole library', () => {
  it('asks for the pages of the tiles in view, once each', async () => {
    const { store, calls } = await libraryWindow(1000);
    store.getState().setLibraryMode('results');
    await store.getState().loadLibraryRange(0, 40);
    await store.getState().loadLibraryRange(10, 60);
    expect(pagesAsked(calls)).toEqual([0]);
    expect(store.getState().libraryPages.total).toBe(1000);
    expect(store.getState().libraryPages.tiles.filter(Boolean)).toHaveLength(LIBRARY_PAGE);

    await store.getState().loadLibraryRange(LIBRARY_PAGE * 3 + 5, LIBRARY_PAGE * 4 + 1);
    expect(pagesAsked(calls)).toEqual([0, 3, 4]);
    const { tiles } = store.getState().libraryPages;
    expect(tiles[LIBRARY_PAGE * 3]).toMatchObject({ id: `r${LIBRARY_PAGE * 3}` });
    expect(tiles[LIBRARY_PAGE]).toBeUndefined();
  });

  it('drops a page that answers after the filter changed', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const all = Array.from({ length: 10 }, (_, i) => item(i));
    const answers = library(all);
    const { store } = await libraryWindow(10, {
      answers: {
        'library:results': async (payload) => {
          if (!(payload as Query).filter.text) await held;
          return answers['library:results']!(payload);
        },
      },
    });
    store.getState().setLibraryMode('results');
    const stale = store.getState().loadLibraryRange(0, 5);
    store.getState().setLibraryFilter({ text: 'IMG_1' });
    await store.getState().loadLibraryRange(0, 5);
    release();
    await stale;
    expect(store.getState().libraryPages.query).toContain('IMG_1');
    // The unfiltered page (10 results) did not land over the filtered one (IMG_1 alone).
    expect(store.getState().libraryPages.total).toBe(1);
    expect(
      store.getState().libraryPages.tiles.map((tile) => tile && 'id' in tile && tile.id),
    ).toEqual(['r1']);
  });

  it('a library event while the view is open fetches counts and the pages in view again, once per burst', async () => {
    const { store, calls, emit } = await libraryWindow(5);
    store.getState().setView('library');
    await store.getState().openLibrary();
    const before = calls.filter((c) => c.channel === 'library:facets').length;
    const generation = store.getState().libraryPages.generation;
    emit('library:updated', { reason: 'delete' });
    emit('library:updated', { reason: 'delete' });
    emit('library:updated', { reason: 'sync' });
    await settle();
    await settle();
    const after = calls.filter((c) => c.channel === 'library:facets').length;
    // The first runs at once, the other two become one more.
    expect(after - before).toBe(2);
    expect(store.getState().libraryPages.generation).toBe(generation + 2);
  });
});

describe('Selection and what it stands for', () => {
  it("click, Ctrl-click and Shift-click (the range's pages fetched first)", async () => {
    const { store, calls } = await libraryWindow(600);
    store.getState().setLibraryMode('results');
    await store.getState().loadLibraryRange(0, 10);
    await store.getState().selectLibraryTile(2, 'only');
    await store.getState().selectLibraryTile(4, 'toggle');
    expect([...store.getState().librarySelection.keys]).toEqual(['r2', 'r4']);
    await store.getState().selectLibraryTile(2, 'toggle');
    expect([...store.getState().librarySelection.keys]).toEqual(['r4']);
    // From the anchor (the last tile clicked, 2) to a tile on a page not fetched yet.
    await store.getState().selectLibraryTile(LIBRARY_PAGE * 2 + 1, 'range');
    expect(pagesAsked(calls)).toEqual([0, 1, 2]);
    const ids = await store.getState().librarySelectionIds();
    expect(ids).toHaveLength(LIBRARY_PAGE * 2);
    expect(ids?.[0]).toBe('r2');
    expect(ids?.at(-1)).toBe(`r${LIBRARY_PAGE * 2 + 1}`);
  });

  it('Ctrl+A is the whole find, but for those unselected after; its ids are paged from core', async () => {
    const { store } = await libraryWindow(2500);
    store.getState().setLibraryMode('results');
    await store.getState().loadLibraryRange(0, 10);
    store.getState().selectAllLibrary();
    await store.getState().selectLibraryTile(3, 'toggle');
    const state = store.getState();
    expect(selectedCount(state.librarySelection, state.libraryPages.total)).toBe(2499);
    const ids = await state.librarySelectionIds();
    expect(ids).toHaveLength(2499);
    expect(ids).not.toContain('r3');
  });

  it('a selected photo stands for its results that match the find', async () => {
    // 30 results of 10 photos: each photo has 3.
    const { store, calls } = await libraryWindow(30, { photos: 10 });
    expect(store.getState().libraryFind.mode).toBe('photos');
    await store.getState().loadLibraryRange(0, 10);
    await store.getState().selectLibraryTile(0, 'only');
    await store.getState().selectLibraryTile(1, 'toggle');
    const ids = await store.getState().librarySelectionIds();
    expect(ids?.sort()).toEqual(['r0', 'r1', 'r10', 'r11', 'r20', 'r21']);
    expect(
      calls
        .filter((c) => c.channel === 'library:results')
        .map((c) => (c.payload as Query).filter.sourceHash),
    ).toEqual([hashOf(0), hashOf(1)]);
    // A single action is about the photo's newest result.
    await store.getState().selectLibraryTile(1, 'only');
    expect(store.getState().librarySingleId()).toBe('r1');
  });
});

describe('Acting on the selection', () => {
  it('delete keeps its undo token while the window is open; Undo sends it back', async () => {
    const { store, calls } = await libraryWindow(5, {
      answers: {
        'library:delete': (payload) =>
          ok({
            undoToken: '11111111-1111-4111-8111-111111111111',
            deleted: (payload as { ids: string[] }).ids.length,
          }),
        'library:undo-delete': () => ok({ restored: 2 }),
      },
    });
    store.getState().setLibraryMode('results');
    await store.getState().loadLibraryRange(0, 5);
    await store.getState().selectLibraryTile(0, 'only');
    await store.getState().selectLibraryTile(1, 'toggle');
    await store.getState().deleteLibraryResults();
    expect(calls.find((c) => c.channel === 'library:delete')?.payload).toEqual({
      ids: ['r0', 'r1'],
    });
    expect(store.getState().libraryUndo).toEqual({
      token: '11111111-1111-4111-8111-111111111111',
      count: 2,
    });
    expect(store.getState().librarySelection.keys.size).toBe(0);
    // Other notices come and go; the Undo stays.
    store.getState().dismissLibraryNotice();
    await store.getState().undoLibraryDelete();
    expect(calls.find((c) => c.channel === 'library:undo-delete')?.payload).toEqual({
      undoToken: '11111111-1111-4111-8111-111111111111',
    });
    expect(store.getState().libraryUndo).toBeNull();
    expect(store.getState().libraryNotice).toEqual({ kind: 'restored', count: 2 });
  });

  it("export in a browser: the page's folder browser chooses, then the same export goes there", async () => {
    const { store, calls } = await libraryWindow(3, {
      browser: true,
      answers: {
        'library:export': (payload) =>
          (payload as { destination?: string }).destination
            ? ok({ destination: '/out', images: 2, skipped: 0 })
            : fail('choose_in_window', 'no OS dialog'),
      },
    });
    store.getState().setLibraryMode('results');
    await store.getState().loadLibraryRange(0, 3);
    await store.getState().selectLibraryTile(0, 'only');
    await store.getState().selectLibraryTile(2, 'toggle');
    const exporting = store.getState().exportLibrary('zip', false);
    await settle();
    expect(store.getState().picker?.kind).toBe('folder');
    store.getState().answerPicker(['/out'], '/');
    await exporting;
    expect(calls.filter((c) => c.channel === 'library:export').map((c) => c.payload)).toEqual([
      { ids: ['r0', 'r2'], layout: 'zip', sidecars: false },
      { ids: ['r0', 'r2'], layout: 'zip', sidecars: false, destination: '/out' },
    ]);
    expect(store.getState().libraryNotice).toEqual({
      kind: 'exported',
      report: { destination: '/out', images: 2, skipped: 0 },
    });
  });

  it('"Remove missing" sends only the selected entries whose file is gone', async () => {
    const all = [item(0), item(1, undefined, false), item(2), item(3, undefined, false)];
    const fake = fakeApi({ ...library(all), 'library:remove-missing': () => ok({ removed: 2 }) });
    const store = createAppStore(fake.api, undefined, memory());
    await settle();
    store.getState().setLibraryMode('results');
    await store.getState().loadLibraryRange(0, 3);
    await store.getState().selectLibraryTile(0, 'only');
    await store.getState().selectLibraryTile(3, 'range');
    await store.getState().removeMissingLibrary();
    expect(fake.calls.find((c) => c.channel === 'library:remove-missing')?.payload).toEqual({
      ids: ['r1', 'r3'],
    });
    // Select all: the missing ones of the find, from core.
    store.getState().selectAllLibrary();
    await store.getState().removeMissingLibrary();
    expect(
      fake.calls.filter((c) => c.channel === 'library:remove-missing').at(-1)?.payload,
    ).toEqual({
      ids: ['r1', 'r3'],
    });
  });

  it('a failed action says why, in the notice', async () => {
    const { store } = await libraryWindow(2, {
      answers: { 'library:reveal': () => fail('file_missing', 'gone') },
    });
    store.getState().setLibraryMode('results');
    await store.getState().loadLibraryRange(0, 2);
    await store.getState().selectLibraryTile(1, 'only');
    await store.getState().revealLibraryResult();
    expect(store.getState().libraryNotice).toMatchObject({
      kind: 'error',
      error: { code: 'file_missing' },
    });
  });
});
